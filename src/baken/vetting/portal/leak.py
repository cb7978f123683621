"""Leak-matrix fixtures and cases for vetting (portal).

The ``werkgever_onderzoek`` fixture is a screening that EMPLOYER-A requested for one of
its designated positions, for a person named after the secret, that ran past its term and
got a delay notice. The position, the request and the notice are made through the
services (as a screening officer and as EMPLOYER-A's officer); then the position, the
screening and the notice are re-marked at the matrix marking, so the matrix tests the read
filter of every portal query at every marking (the seat ``werkgever`` is EMPLOYER-A).
"""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from baken.core.marking_store import intern
from baken.core.markings import Marking
from baken.core.principals import Principal
from baken.testing.leakmatrix import LeakCase, LeakFixture
from baken.vetting import access
from baken.vetting.portal import service
from baken.vetting.portal.models import DelayNotice
from baken.vetting.positions import service as positions
from baken.vetting.positions.models import Position
from baken.vetting.screenings.models import Screening

RECEIVED = date(2026, 1, 5)  # the term ended on 2 March 2026
LATE = date(2026, 3, 10)
BSN = "111222333"  # fictional; passes the eleven-test


def location(session: Session, officer: Principal, code: str, name: str) -> int:
    """A designated location (an airport), through the positions service."""
    return positions.create_location(
        session,
        officer,
        code=code,
        name=name,
        kind="airport",
        minister="IENW",
        designated_on=date(2025, 12, 1),
        description="Fictief",
        today=date(2025, 12, 1),
    ).id


def position(
    session: Session,
    officer: Principal,
    employer: str,
    title: str,
    level: str,
    location_id: int | None,
    designated_on: date,
) -> int:
    """A designated vertrouwensfunctie at ``employer``, through the positions service."""
    return positions.create(
        session,
        officer,
        title=title,
        level=level,
        employer=employer,
        minister="IENW",
        designated_on=designated_on,
        location_id=location_id,
        today=designated_on,
    ).id


def make_screening(
    session: Session, author: Principal, marking: Marking, secret: str
) -> dict[str, Any]:
    officer = dataclasses.replace(author, roles=frozenset({access.SCREENER}))
    employer = dataclasses.replace(
        author, service=None, organisation="EMPLOYER-A", roles=frozenset({access.EMPLOYER})
    )
    position_id = position(
        session, officer, "EMPLOYER-A", "Bagagecontroleur", "B", None, date(2025, 12, 1)
    )
    screening_id = service.request(
        session,
        principal=employer,
        position_id=position_id,
        person_name=f"Persoon {secret}",
        person_birth_date=date(1990, 5, 17),
        person_bsn=BSN,
        on=RECEIVED,
    )
    service.notify_delays(session, principal=officer, today=LATE)
    notice_id = session.scalar(
        select(DelayNotice.id).where(DelayNotice.screening_id == screening_id)
    )
    assert notice_id is not None
    marking_id = intern(session, marking)
    for table, key in (
        (Position, position_id),
        (Screening, screening_id),
        (DelayNotice, notice_id),
    ):
        session.execute(update(table).where(table.id == key).values(marking_id=marking_id))
    return {"position_id": position_id, "screening_id": screening_id, "notice_id": notice_id}


FIXTURES = [LeakFixture("werkgever_onderzoek", service.SCREENING, make_screening)]

CASES = [
    LeakCase("GET", "/werkgever"),
    LeakCase("GET", "/werkgever/aanvragen"),
    LeakCase(
        "POST",
        "/werkgever/aanvragen",
        fixture="werkgever_onderzoek",
        # A malformed BSN: refused, the form again, nothing stored.
        form=lambda p: {
            "position_id": str(p["position_id"]),
            "person_name": "Iemand Anders",
            "person_birth_date": "1990-01-01",
            "person_bsn": "123",
        },
    ),
    LeakCase("GET", "/werkgever/onderzoeken/{screening_id}", fixture="werkgever_onderzoek"),
    LeakCase(
        "POST",
        "/werkgever/berichten/{notice_id}/doorgegeven",
        fixture="werkgever_onderzoek",
        form=lambda p: {"terug": f"/werkgever/onderzoeken/{p['screening_id']}"},
    ),
    LeakCase("GET", "/werkgever/vertragingen"),
    LeakCase("POST", "/werkgever/vertragingen", form=lambda p: {}),
    LeakCase("GET", "/api/v1/vetting/employer/screenings"),
]
