"""The fictional demo data of protect (threats). Everything here is FICTIONAL: the event,
the local politician, the terminal and the sources are invented for the demo.

Made through the services, as the users would: ``bewaking`` (protect officer, AIVD Bewaken
en Beveiligen) writes, ``teamleider`` approves (four eyes), ``nctv`` and ``burgemeester``
receive.

* a dreigingsinschatting about a fictional summit in The Hague (rijksdomein), released to
  the NCTV, with the NCTV's decision on measures recorded back by user ``nctv``;
* a dreigingsmelding about a fictional alderman of Zuidpolder (public order), released to
  the mayor (user ``burgemeester``) and awaiting the decision;
* a risicoanalyse of a fictional port terminal, still a draft.

The sources are a small collection of fictional entities at Departementaal Vertrouwelijk
(so the mayor, cleared to that level, can read what is released to him); the risk
analysis also cites a company of the holdings demo when that demo is loaded.
"""

from __future__ import annotations

import json
from datetime import date, timedelta

from sqlalchemy.orm import Session

from baken.analysis.products import service as products
from baken.analysis.products.models import Release
from baken.analysis.products.service import ProductError
from baken.core.config import Settings
from baken.core.markings import Level, Marking, Service
from baken.core.models import User
from baken.core.principals import Principal
from baken.core.schemas import MarkingIn
from baken.core.timeutil import aware
from baken.core.users import to_principal
from baken.holdings.schemas import CollectionCreate
from baken.holdings.service import collections, entities
from baken.protect.threats import service
from baken.protect.threats.models import ThreatRecord

NOTICE = "FICTIEF — demodata van Baken; personen, evenementen en objecten zijn verzonnen."
SOURCES = "bewaken-beveiligen-bronnen-demo"
HOLDINGS_COMPANY = "demo-noordzee-logistiek"  # the holdings demo's company (open sources)

ENTITIES: list[dict[str, object]] = [
    {
        "id": "demo-bb-vredestop",
        "schema": "Organization",
        "properties": {
            "name": ["Organisatiecomité Internationale Vredestop Den Haag (fictief)"],
            "country": ["nl"],
            "notes": [NOTICE],
        },
    },
    {
        "id": "demo-bb-dijkman",
        "schema": "Person",
        "properties": {
            "name": ["Jeroen Dijkman (fictief)"],
            "position": ["Wethouder van Zuidpolder (fictief)"],
            "notes": [NOTICE],
        },
    },
    {
        "id": "demo-bb-terminal",
        "schema": "Company",
        "properties": {
            "name": ["Haventerminal Zuidpolder B.V. (fictief)"],
            "jurisdiction": ["nl"],
            "notes": [NOTICE],
        },
    },
]


def _principal(session: Session, users: dict[str, int], name: str) -> Principal | None:
    user = session.get(User, users[name]) if name in users else None
    return to_principal(user) if user is not None else None


def _sources(session: Session, keeper: Principal) -> None:
    collection_id = collections.create(
        session,
        principal=keeper,
        data=CollectionCreate(
            name=SOURCES,
            title="Bronnen Bewaken en Beveiligen (fictief)",
            description=NOTICE,
            kind="structured",
            legal_basis="open_source",
            acquired_on=date(2026, 9, 1),
            marking=MarkingIn.of(Marking(Level.DEP_VERTROUWELIJK, Service.JOINT)),
        ),
    )
    entities.import_ftm(
        session,
        principal=keeper,
        collection_id=collection_id,
        lines=[json.dumps(item) for item in ENTITIES],
    )


def _product_id(session: Session, record_id: int) -> int:
    record = session.get(ThreatRecord, record_id)
    assert record is not None
    return record.product_id


def _released(
    session: Session,
    author: Principal,
    lead: Principal,
    record_id: int,
    source: str,
    addressee: str,
) -> date:
    """Cite, submit, approve for the addressee and release; the day of the release."""
    product_id = _product_id(session, record_id)
    products.cite(session, principal=author, product_id=product_id, kind="entity", target_id=source)
    products.submit(session, principal=author, product_id=product_id)
    products.approve(session, principal=lead, product_id=product_id, recipients=[addressee])
    release_id = service.release_to_addressee(
        session,
        principal=author,
        record_id=record_id,
        note="Verstrekt via beveiligde koerier (fictief).",
    )
    release = session.get(Release, release_id)
    assert release is not None
    return aware(release.released_at).date()


def load(session: Session, users: dict[str, int], settings: Settings) -> None:
    author = _principal(session, users, "bewaking")
    lead = _principal(session, users, "teamleider")
    keeper = _principal(session, users, "analist.zg")
    nctv = _principal(session, users, "nctv")
    if author is None or lead is None or keeper is None or nctv is None:
        return
    _sources(session, keeper)
    today = date.today()

    summit = service.create(
        session,
        principal=author,
        type="dreigingsinschatting",
        subject_kind="evenement",
        subject="Internationale Vredestop Den Haag (fictief)",
        domain="rijksdomein",
        authority="nctv_coordinator",
        addressee="NCTV",
        event_on=today + timedelta(days=30),
        title="Dreigingsinschatting Internationale Vredestop Den Haag (fictief)",
        summary_text=(
            "Voor de fictieve vredestop schatten wij de dreiging tegen deelnemende "
            "regeringsleiders in als verhoogd. Dit product is volledig fictief."
        ),
    )
    released_on = _released(session, author, lead, summit, "demo-bb-vredestop", "NCTV")
    service.record_decision(
        session,
        principal=nctv,
        record_id=summit,
        measures_chosen=["bewaking_en_beveiliging_evenement", "verhoogde_alertheid"],
        decided_on=released_on,
        text=(
            "De coördinator Bewaken en Beveiligen besluit tot bewaking en beveiliging van "
            "de vredestop en verhoogde alertheid rond de ambassades (fictief)."
        ),
        today=released_on,
    )

    alderman = service.create(
        session,
        principal=author,
        type="dreigingsmelding",
        subject_kind="persoon",
        subject="Jeroen Dijkman (fictief), wethouder van Zuidpolder",
        domain="openbare_orde",
        authority="mayor",
        addressee="GEMEENTE-ZUIDPOLDER",
        title="Dreigingsmelding wethouder Zuidpolder (fictief)",
        summary_text=(
            "Er zijn aanwijzingen dat de wethouder wordt bedreigd na een raadsbesluit. "
            "Dit product is volledig fictief."
        ),
    )
    _released(session, author, lead, alderman, "demo-bb-dijkman", "GEMEENTE-ZUIDPOLDER")

    terminal = service.create(
        session,
        principal=author,
        type="risicoanalyse",
        subject_kind="object",
        subject="Haventerminal Zuidpolder (fictief)",
        domain="rijksdomein",
        authority="nctv_coordinator",
        addressee="NCTV",
        title="Risicoanalyse Haventerminal Zuidpolder (concept, fictief)",
        summary_text="Concept: risico's voor een vitale haventerminal. Volledig fictief.",
    )
    draft = _product_id(session, terminal)
    products.cite(
        session, principal=author, product_id=draft, kind="entity", target_id="demo-bb-terminal"
    )
    try:
        with session.begin_nested():
            products.cite(
                session,
                principal=author,
                product_id=draft,
                kind="entity",
                target_id=HOLDINGS_COMPANY,
            )
    except ProductError:
        pass  # the holdings demo is not loaded
