"""The resilience part of the demo world. Everything here is FICTIONAL: the incidents, the
organisations and the products are invented for the demo.

Made through the services, by ``bewaking`` (author) and ``teamleider`` (the four-eyes
approval and the release), each product citing an entity of the holdings demo that the
author may read:

* a resilience advisory for the vital sectors, released to VITAAL-A;
* an information-security product for knowledge institutions, still a draft;
* a notification to a victim of a cyber operation, released to VICTIM-A (user
  ``slachtoffer`` sees it at ``/weerbaarheid`` and can confirm receipt), not yet
  acknowledged.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from baken.analysis.products import dissemination
from baken.analysis.products import service as products
from baken.core.config import Settings
from baken.core.models import User
from baken.core.principals import Principal
from baken.core.users import to_principal
from baken.protect.resilience import service
from baken.protect.resilience.models import ResilienceRecord

NOTICE = "FICTIEF — demodata van Baken; incidenten, organisaties en producten zijn verzonnen."
# An entity of the holdings demo (open sources, Dep. Vertrouwelijk, joint).
SOURCE = "demo-noordzee-logistiek"
DAY = date(2026, 11, 2)


def _principal(session: Session, users: dict[str, int], name: str) -> Principal:
    user = session.get(User, users[name])
    assert user is not None
    return to_principal(user)


def _product_id(session: Session, record_id: int) -> int:
    row = session.get(ResilienceRecord, record_id)
    assert row is not None
    return row.product_id


def load(session: Session, users: dict[str, int], settings: Settings) -> None:
    author = _principal(session, users, "bewaking")
    lead = _principal(session, users, "teamleider")

    advisory = service.create(
        session,
        principal=author,
        type="weerbaarheidsadvies",
        title="Weerbaarheidsadvies: ransomware bij netbeheerders (fictief)",
        summary_text="Statelijke en criminele actoren zoeken toegang tot beheernetwerken.",
        body=(
            "Wij zien pogingen om via leveranciers toegang te krijgen tot de beheeromgeving "
            "van netbeheerders. Wij adviseren beheertoegang te scheiden en leveranciers-"
            "accounts te controleren.\n\n" + NOTICE
        ),
        audience=["vitale_sectoren"],
        topic="Toegang via leveranciers tot beheernetwerken (fictief)",
        today=DAY,
    )
    advisory_product = _product_id(session, advisory)
    products.cite(
        session, principal=author, product_id=advisory_product, kind="entity", target_id=SOURCE
    )
    products.add_observable(
        session,
        principal=author,
        product_id=advisory_product,
        type="domain-name",
        value="beheer-portaal.example",
        description="Phishingdomein (fictief)",
    )
    products.submit(session, principal=author, product_id=advisory_product)
    products.approve(
        session, principal=lead, product_id=advisory_product, recipients=["VITAAL-A", "NCSC"]
    )
    dissemination.release(
        session,
        principal=lead,
        product_id=advisory_product,
        recipient="VITAAL-A",
        note="Toegelicht in een gesprek met de CISO (fictief).",
    )

    draft = service.create(
        session,
        principal=author,
        type="informatiebeveiligingsproduct",
        title="Informatiebeveiliging van onderzoeksdata in de cloud (concept, fictief)",
        summary_text=(
            "Aanbevelingen voor kennisinstellingen die onderzoeksdata in de cloud bewaren."
        ),
        body="Kennisinstellingen zijn doelwit van statelijke spionage.\n\n" + NOTICE,
        audience=["kennisinstellingen"],
        topic="Kennisveiligheid en cloudgebruik (fictief)",
        today=DAY,
    )
    products.cite(
        session,
        principal=author,
        product_id=_product_id(session, draft),
        kind="entity",
        target_id=SOURCE,
    )

    notification = service.create(
        session,
        principal=author,
        type="slachtoffernotificatie",
        title="Notificatie: binnendringing in het netwerk van Slachtoffer A (fictief)",
        summary_text="Uw netwerk is vermoedelijk binnengedrongen door een statelijke actor.",
        body=(
            "Wij hebben aanwijzingen dat een statelijke actor sinds oktober toegang heeft tot "
            "uw netwerk. Wij adviseren de observabelen te blokkeren en logs te bewaren.\n\n"
            + NOTICE
        ),
        audience=["vitale_sectoren"],
        topic="Cyberspionage in de zorg (fictief)",
        victim="VICTIM-A",
        incident=(
            "Verbindingen vanaf het netwerk van Slachtoffer A naar een bekende C2-server van "
            "een statelijke actor (fictief)."
        ),
        observed_on=date(2026, 10, 12),
        channel="gesprek",
        today=DAY,
    )
    notification_product = _product_id(session, notification)
    products.cite(
        session,
        principal=author,
        product_id=notification_product,
        kind="entity",
        target_id=SOURCE,
    )
    products.add_observable(
        session,
        principal=author,
        product_id=notification_product,
        type="ipv4-addr",
        value="198.51.100.23",
        description="C2-server (documentatie-adres)",
    )
    products.submit(session, principal=author, product_id=notification_product)
    products.approve(
        session, principal=lead, product_id=notification_product, recipients=["VICTIM-A"]
    )
    dissemination.release(
        session,
        principal=lead,
        product_id=notification_product,
        recipient="VICTIM-A",
        note="Persoonlijk toegelicht aan de bestuurder (fictief).",
    )
