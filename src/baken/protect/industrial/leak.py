"""Leak-matrix fixtures and cases for protect (industrial).

The ``bijzondere_opdracht`` fixture is a supplier named after the secret with two special
assignments titled after it, made through the services as an NBIV officer: one taken
through the whole investigation (key staff, hosting, an ownership snapshot, the three
items with notes carrying the secret) to a declaration and a monitoring event, and one
Defence assignment still in the client's risk assessment (under ABDO 2019). Then the
supplier and every row of both assignments are re-marked at the matrix marking, so the
matrix tests the read filter of every industrial query at every marking.
"""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from baken.core.marking_store import intern
from baken.core.markings import Level, Marking
from baken.core.principals import Principal
from baken.protect.industrial import checklist, service, structure
from baken.protect.industrial.models import (
    Assignment,
    CheckItem,
    Declaration,
    Event,
    Finding,
    Hosting,
    Staff,
    Supplier,
)
from baken.testing.leakmatrix import LeakCase, LeakFixture

FIXTURE = "bijzondere_opdracht"
BASE = "/bijzondere-opdrachten/{assignment_id}"
ROWS = (CheckItem, Staff, Hosting, Finding, Declaration, Event)


def officer(author: Principal) -> Principal:
    return dataclasses.replace(author, roles=frozenset({"protect_officer"}))


def make_assignment(
    session: Session, author: Principal, marking: Marking, secret: str
) -> dict[str, Any]:
    nbiv = officer(author)
    today = date.today()
    start = today - timedelta(days=30)
    number = int(session.scalar(select(func.count()).select_from(Supplier)) or 0)
    company = service.create_supplier(
        session,
        nbiv,
        name=f"Leverancier {secret} B.V.",
        kvk=f"{70000000 + number:08d}",
        address=f"Adres {secret}",
    )
    made = service.create_assignment(
        session,
        nbiv,
        supplier_id=company.id,
        client="BZK",
        title=f"Opdracht {secret}",
        tbb="TBB2",
        classification=Level.STG_GEHEIM,
        abro_applies=True,
        assessed_on=start,
        today=today,
    )
    service.start_investigation(session, nbiv, assignment_id=made.id, on=start, today=today)
    checklist.add_staff(
        session,
        nbiv,
        assignment_id=made.id,
        name=f"Medewerker {secret}",
        vgb_ref="VGB-LEAK-1",
        not_needed=f"Reden {secret}",
        on=start,
        today=today,
    )
    checklist.add_hosting(
        session,
        nbiv,
        assignment_id=made.id,
        provider=f"Cloud {secret}",
        cloud=True,
        country="nl",
        certifications="ISO 27001",
        note_text=f"Hosting {secret}",
        on=start,
        today=today,
    )
    structure.check(session, nbiv, assignment_id=made.id, index=None, on=start, today=today)
    for item in checklist.items():
        checklist.set_check(
            session,
            nbiv,
            assignment_id=made.id,
            item=item,
            state="no_objections",
            note_text=f"Bevinding {secret}",
            on=start,
            today=today,
        )
    checklist.declare(
        session,
        nbiv,
        assignment_id=made.id,
        declared_on=start,
        valid_until=start + timedelta(days=60),
        conditions=f"Voorwaarde {secret}",
        today=today,
    )
    checklist.record_event(
        session,
        nbiv,
        assignment_id=made.id,
        kind="incident",
        on=today,
        note_text=f"Incident {secret}",
        today=today,
    )
    fresh = service.create_assignment(
        session,
        nbiv,
        supplier_id=company.id,
        client="DEF",
        title=f"Defensieopdracht {secret}",
        tbb="TBB3",
        classification=Level.STG_CONFIDENTIEEL,
        abro_applies=True,
        assessed_on=start,
        today=today,
    )
    marking_id = intern(session, marking)
    ids = [made.id, fresh.id]
    session.execute(update(Supplier).where(Supplier.id == company.id).values(marking_id=marking_id))
    session.execute(update(Assignment).where(Assignment.id.in_(ids)).values(marking_id=marking_id))
    for model in ROWS:
        session.execute(
            update(model).where(model.assignment_id.in_(ids)).values(marking_id=marking_id)
        )
    return {"supplier_id": company.id, "assignment_id": made.id, "fresh_id": fresh.id}


FIXTURES = [LeakFixture(FIXTURE, service.ASSIGNMENT, make_assignment)]


def _post(path: str, form: dict[str, str], order: int = 0) -> LeakCase:
    return LeakCase("POST", path, fixture=FIXTURE, form=lambda p: dict(form), order=order)


CASES = [
    LeakCase("GET", "/industriele-veiligheid", fixture=FIXTURE),
    LeakCase("GET", "/leveranciers", fixture=FIXTURE),
    _post("/leveranciers", {"name": "Fout B.V.", "kvk": "12AB", "country": "nl"}),
    LeakCase("GET", "/leveranciers/{supplier_id}", fixture=FIXTURE),
    _post("/leveranciers/{supplier_id}", {"name": "", "country": "nl"}),
    LeakCase("GET", "/bijzondere-opdrachten", fixture=FIXTURE),
    LeakCase(
        "POST",
        "/bijzondere-opdrachten",
        fixture=FIXTURE,
        form=lambda p: {
            "supplier_id": str(p["supplier_id"]),
            "client": "BZK",
            "title": "",
            "tbb": "TBB2",
            "classification": "STG_GEHEIM",
            "abro_applies": "yes",
            "assessed_on": "2026-01-05",
        },
    ),
    LeakCase("GET", BASE, fixture=FIXTURE),
    _post(BASE + "/onderzoek", {"on": "2999-01-01"}),
    _post(BASE + "/structuur", {}, order=5),
    _post(BASE + "/checklist", {"item": "digital", "state": "onbekend", "note": ""}),
    _post(BASE + "/personeel", {"name": "", "vgb_ref": ""}),
    _post(BASE + "/cloud", {"provider": "", "country": "nl"}),
    _post(BASE + "/verklaring", {"valid_until": "2030-01-01"}),
    _post(BASE + "/monitoring", {"kind": "onbekend"}),
    _post(BASE + "/abro", {}),
    _post(BASE + "/status", {"to": "onbekend"}),
    LeakCase("GET", "/api/v1/protect/suppliers", fixture=FIXTURE),
    LeakCase("GET", "/api/v1/protect/assignments", fixture=FIXTURE),
    LeakCase("GET", "/api/v1/protect/assignments/{assignment_id}", fixture=FIXTURE),
]
