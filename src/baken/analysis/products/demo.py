"""The products part of the demo world. Everything here is FICTIONAL: the sources, the
company, the person and the products are invented for the demo.

Products in every state, made through the services (the four-eyes approval by the demo
team lead): a threat estimate approved and released to the NCTV (user ``nctv`` sees it
at ``/portaal``), a victim notification waiting for approval, an official report
approved for the OM but not yet released, and a draft citing a partner's material (the
third-party rule applies when it is released).
"""

from __future__ import annotations

import json
from datetime import date

from sqlalchemy.orm import Session

from baken.analysis.products import dissemination, service
from baken.core.config import Settings
from baken.core.markings import Level, Marking, Service
from baken.core.models import User
from baken.core.principals import Principal
from baken.core.schemas import MarkingIn
from baken.core.users import to_principal
from baken.holdings.schemas import CollectionCreate
from baken.holdings.service import collections, entities

NOTICE = "FICTIEF — demodata van Baken; bronnen, personen en bedrijven zijn verzonnen."
OPEN = "producten-bronnen-demo"
PARTNER = "producten-partner-demo"


def _principal(session: Session, users: dict[str, int], name: str) -> Principal:
    user = session.get(User, users[name])
    assert user is not None
    return to_principal(user)


def _sources(session: Session, author: Principal) -> None:
    for name, title, marking, originator, items in (
        (
            OPEN,
            "Bronnen voor producten (fictief)",
            Marking(Level.STG_CONFIDENTIEEL, Service.JOINT),
            None,
            [
                {
                    "id": "demo-prod-kade-bv",
                    "schema": "Company",
                    "properties": {"name": ["Kade Overslag B.V. (fictief)"], "country": ["nl"]},
                },
                {
                    "id": "demo-prod-ivanova",
                    "schema": "Person",
                    "properties": {"name": ["Irina Ivanova (fictief)"], "nationality": ["ru"]},
                },
            ],
        ),
        (
            PARTNER,
            "Melding partnerdienst A (fictief)",
            Marking(Level.STG_CONFIDENTIEEL, Service.AIVD),
            "PARTNER-A",
            [
                {
                    "id": "demo-prod-apt-groep",
                    "schema": "Organization",
                    "properties": {"name": ["Groep Noordlicht (fictief)"]},
                },
            ],
        ),
    ):
        collection_id = collections.create(
            session,
            principal=author,
            data=CollectionCreate(
                name=name,
                title=title,
                description=NOTICE,
                kind="structured",
                legal_basis="partner" if originator else "open_source",
                originator=originator,
                acquired_on=date(2026, 9, 1),
                marking=MarkingIn.of(marking),
            ),
        )
        entities.import_ftm(
            session,
            principal=author,
            collection_id=collection_id,
            lines=[json.dumps(item) for item in items],
        )


def load(session: Session, users: dict[str, int], settings: Settings) -> None:
    author = _principal(session, users, "analist.zg")
    lead = _principal(session, users, "teamleider")
    _sources(session, author)

    released = service.create(
        session,
        principal=author,
        type="dreigingsinschatting",
        title="Dreiging tegen havenlogistiek Rotterdam (fictief)",
        summary_text="Statelijke actoren tonen belangstelling voor overslagbedrijven in de haven.",
        body=(
            "Kade Overslag B.V. (fictief) is benaderd door personen die handelen namens een "
            "buitenlandse dienst.\n\nDe dreiging voor vitale havenprocessen schatten wij in "
            "als verhoogd. Dit product is volledig fictief."
        ),
    )
    for entity in ("demo-prod-kade-bv", "demo-prod-ivanova"):
        service.cite(
            session, principal=author, product_id=released, kind="entity", target_id=entity
        )
    service.submit(session, principal=author, product_id=released)
    service.approve(session, principal=lead, product_id=released, recipients=["NCTV"])
    dissemination.release(
        session,
        principal=lead,
        product_id=released,
        recipient="NCTV",
        note="Verstrekt via beveiligde koerier (fictief).",
    )

    victim = service.create(
        session,
        principal=author,
        type="slachtoffernotificatie",
        title="Notificatie: binnendringing bij Slachtoffer A (fictief)",
        summary_text="Uw netwerk is vermoedelijk gecompromitteerd door een statelijke actor.",
        body="Wij adviseren de onderstaande observabelen te blokkeren en logs te bewaren.",
    )
    service.cite(
        session, principal=author, product_id=victim, kind="entity", target_id="demo-prod-kade-bv"
    )
    for kind, value, note in (
        ("ipv4-addr", "203.0.113.45", "C2-server (documentatie-adres)"),
        ("domain-name", "update-cdn.example", "Phishingdomein (fictief)"),
        (
            "file-sha256",
            "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
            "Loader (fictief)",
        ),
    ):
        service.add_observable(
            session, principal=author, product_id=victim, type=kind, value=value, description=note
        )
    service.submit(session, principal=author, product_id=victim)

    ambtsbericht = service.create(
        session,
        principal=author,
        type="ambtsbericht",
        title="Ambtsbericht over Irina Ivanova (fictief)",
        body="Uit onderzoek van de AIVD blijkt het volgende (fictief).",
    )
    service.cite(
        session,
        principal=author,
        product_id=ambtsbericht,
        kind="entity",
        target_id="demo-prod-ivanova",
    )
    service.submit(session, principal=author, product_id=ambtsbericht)
    service.approve(session, principal=lead, product_id=ambtsbericht, recipients=["OM"])

    draft = service.create(
        session,
        principal=author,
        type="inlichtingenrapport",
        title="Groep Noordlicht: werkwijze (concept, fictief)",
        body="Op basis van een melding van partnerdienst A (derdenregel).",
    )
    service.cite(
        session, principal=author, product_id=draft, kind="entity", target_id="demo-prod-apt-groep"
    )
