"""The fictional demo data of protect (industrial), for the NBIV officer ``nbiv``.

A small fictional ownership network in the holdings' open-source collection (imported
as the analyst ``analist.zg``, as the graph's demo does: the NBIV officer reads holdings
but does not write them): a Dutch supplier owned by a holding in Cyprus, which a person
of foreign nationality owns, with a Dutch director, and a sanctions-list entry (fictional)
under a close spelling of the owner's name. Then three suppliers with assignments: one
in investigation (client BZK, TBB2), one with a declaration under monitoring, and a
Defence assignment still under ABDO 2019. Every name is invented.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

from sqlalchemy.orm import Session

from baken.core.config import Settings
from baken.core.markings import Level
from baken.core.models import User
from baken.core.users import to_principal
from baken.protect.industrial import checklist, service

NOTICE = "FICTIEF — demodata van Baken; bedrijven en personen zijn verzonnen."
SUPPLIER_ENTITY = "demo-nbiv-polderveld"

NETWORK: list[dict[str, Any]] = [
    {
        "id": SUPPLIER_ENTITY,
        "schema": "Company",
        "properties": {
            "name": ["Polderveld Systemen B.V. (fictief)"],
            "jurisdiction": ["nl"],
            "registrationNumber": ["90000001"],
            "notes": [NOTICE],
        },
    },
    {
        "id": "demo-nbiv-meridian",
        "schema": "Company",
        "properties": {
            "name": ["Limassol Meridian Holdings Ltd (fictief)"],
            "jurisdiction": ["cy"],
            "notes": [NOTICE],
        },
    },
    {
        "id": "demo-nbiv-volkov",
        "schema": "Person",
        "properties": {"name": ["Dmitri Volkov"], "nationality": ["ru"], "notes": [NOTICE]},
    },
    {
        "id": "demo-nbiv-devries",
        "schema": "Person",
        "properties": {"name": ["Johanna de Vries"], "nationality": ["nl"], "notes": [NOTICE]},
    },
    {
        "id": "demo-nbiv-sanction-volkov",
        "schema": "Person",
        "properties": {
            "name": ["Dmitrij Volkov"],
            "nationality": ["ru"],
            "topics": ["sanction"],
            "notes": ["Sanctielijst-vermelding (fictief). " + NOTICE],
        },
    },
    {
        "id": "demo-nbiv-own-1",
        "schema": "Ownership",
        "properties": {
            "owner": ["demo-nbiv-meridian"],
            "asset": [SUPPLIER_ENTITY],
            "percentage": ["100"],
        },
    },
    {
        "id": "demo-nbiv-own-2",
        "schema": "Ownership",
        "properties": {
            "owner": ["demo-nbiv-volkov"],
            "asset": ["demo-nbiv-meridian"],
            "percentage": ["75"],
        },
    },
    {
        "id": "demo-nbiv-dir-1",
        "schema": "Directorship",
        "properties": {
            "director": ["demo-nbiv-devries"],
            "organization": [SUPPLIER_ENTITY],
            "role": ["statutair bestuurder"],
        },
    },
]


def import_network(session: Session, users: dict[str, int]) -> bool:
    """Import the network into the holdings' open-source collection as ``analist.zg``."""
    from baken.holdings.demo import OSINT
    from baken.holdings.service import collections, entities

    user = session.get(User, users.get("analist.zg", -1))
    if user is None:
        return False
    author = to_principal(user)
    try:
        osint = collections.by_name(session, author, OSINT)
    except LookupError:
        return False
    entities.import_ftm(
        session,
        principal=author,
        collection_id=osint.id,
        lines=[json.dumps(item) for item in NETWORK],
    )
    return True


def load(session: Session, users: dict[str, int], settings: Settings) -> None:
    linked = import_network(session, users)
    user = session.get(User, users.get("nbiv", -1))
    if user is None:
        return
    nbiv = to_principal(user)
    today = date.today()
    start = today - timedelta(days=400)

    polderveld = service.create_supplier(
        session,
        nbiv,
        name="Polderveld Systemen B.V. (fictief)",
        kvk="90000001",
        country="nl",
        address="Dijkweg 1, Zuidpolder (fictief)",
        entity_id=SUPPLIER_ENTITY if linked else None,
    )
    first = service.create_assignment(
        session,
        nbiv,
        supplier_id=polderveld.id,
        client="BZK",
        title="Beheer van een beveiligd netwerk voor een rijksdienst (fictief)",
        tbb="TBB2",
        classification=Level.STG_GEHEIM,
        abro_applies=True,
        assessed_on=today - timedelta(days=20),
        today=today,
    )
    service.start_investigation(
        session, nbiv, assignment_id=first.id, on=today - timedelta(days=14), today=today
    )
    checklist.add_hosting(
        session,
        nbiv,
        assignment_id=first.id,
        provider="Eigen datacenter Zuidpolder (fictief)",
        cloud=False,
        country="nl",
        certifications="ISO 27001",
        on=today - timedelta(days=10),
        today=today,
    )

    # A supplier with a declaration, monitored during the contract.
    dijkstra = service.create_supplier(
        session,
        nbiv,
        name="Dijkstra Beveiligingstechniek B.V. (fictief)",
        kvk="90000002",
        country="nl",
        address="Havenkade 12, Zuidpolder (fictief)",
    )
    second = service.create_assignment(
        session,
        nbiv,
        supplier_id=dijkstra.id,
        client="JENV",
        title="Toegangsbeveiliging van een justitieel complex (fictief)",
        tbb="TBB3",
        classification=Level.STG_CONFIDENTIEEL,
        abro_applies=True,
        assessed_on=start,
        today=today,
    )
    on = start + timedelta(days=7)
    service.start_investigation(session, nbiv, assignment_id=second.id, on=on, today=today)
    checklist.add_staff(
        session,
        nbiv,
        assignment_id=second.id,
        name="Kees Kaartlezer (fictief)",
        function="Projectleider",
        not_needed="Werkt niet met gerubriceerde informatie (fictief)",
        on=on,
        today=today,
    )
    checklist.add_hosting(
        session,
        nbiv,
        assignment_id=second.id,
        provider="Noordzee Cloud (fictief)",
        cloud=True,
        country="nl",
        certifications="ISO 27001, BIO",
        on=on,
        today=today,
    )
    from baken.protect.industrial import structure

    structure.check(session, nbiv, assignment_id=second.id, index=None, on=on, today=today)
    for item in checklist.items():
        checklist.set_check(
            session,
            nbiv,
            assignment_id=second.id,
            item=item,
            state="no_objections",
            note_text="Geen bezwaren (fictief)",
            on=start + timedelta(days=30),
            today=today,
        )
    checklist.declare(
        session,
        nbiv,
        assignment_id=second.id,
        declared_on=start + timedelta(days=35),
        valid_until=start + timedelta(days=35 + 5 * 365),
        conditions="Jaarlijkse herbeoordeling (fictief)",
        today=today,
    )
    checklist.record_event(
        session,
        nbiv,
        assignment_id=second.id,
        kind="incident",
        on=start + timedelta(days=60),
        note_text="Verloren toegangspas gemeld en geblokkeerd (fictief)",
        today=today,
    )

    # A Defence assignment, still under ABDO 2019.
    kazerne = service.create_supplier(
        session,
        nbiv,
        name="Kazerne Onderhoud Oost B.V. (fictief)",
        kvk="90000003",
        country="nl",
    )
    service.create_assignment(
        session,
        nbiv,
        supplier_id=kazerne.id,
        client="DEF",
        title="Onderhoud van een militair terrein (fictief)",
        tbb="TBB3",
        classification=Level.STG_CONFIDENTIEEL,
        abro_applies=True,
        assessed_on=today - timedelta(days=5),
        today=today,
    )
