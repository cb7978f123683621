"""Leak-matrix fixtures and cases for vetting (positions).

The ``vertrouwensfunctie`` fixture is a designated location named after the secret and a
location-bound position at EMPLOYER-A there, titled after the secret, made through the
service as a screening officer; then both are re-marked at the matrix marking, so the
matrix tests the read filter of every positions query at every marking (designations
are public in production, which the matrix would not test).
"""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session

from baken.core.marking_store import intern
from baken.core.markings import Marking
from baken.core.principals import Principal
from baken.testing.leakmatrix import LeakCase, LeakFixture
from baken.vetting import access
from baken.vetting.positions import service
from baken.vetting.positions.models import Location, Position

DAY = date(2026, 1, 5)


def officer(author: Principal) -> Principal:
    return dataclasses.replace(author, roles=frozenset({access.SCREENER}))


def make_position(
    session: Session, author: Principal, marking: Marking, secret: str
) -> dict[str, Any]:
    uvo = officer(author)
    place = service.create_location(
        session,
        uvo,
        code=f"L-{secret}",
        name=f"Locatie {secret}",
        kind="airport",
        minister="IENW",
        designated_on=DAY,
        today=DAY,
    )
    position = service.create(
        session,
        uvo,
        title=f"Functie {secret}",
        level="B",
        employer="EMPLOYER-A",
        minister="IENW",
        designated_on=DAY,
        location_id=place.id,
        today=DAY,
    )
    marking_id = intern(session, marking)
    session.execute(update(Location).where(Location.id == place.id).values(marking_id=marking_id))
    session.execute(
        update(Position).where(Position.id == position.id).values(marking_id=marking_id)
    )
    return {"position_id": position.id, "location_id": place.id}


FIXTURES = [LeakFixture("vertrouwensfunctie", service.KIND, make_position)]

CASES = [
    LeakCase("GET", "/vertrouwensfuncties", fixture="vertrouwensfunctie"),
    LeakCase(
        "POST",
        "/vertrouwensfuncties",
        fixture="vertrouwensfunctie",
        form=lambda p: {
            "title": "",
            "level": "B",
            "employer": "EMPLOYER-A",
            "minister": "IENW",
            "designated_on": "2026-01-05",
            "location_id": str(p["location_id"]),
        },
    ),
    LeakCase("GET", "/vertrouwensfuncties/{position_id}", fixture="vertrouwensfunctie"),
    LeakCase(
        "POST",
        "/vertrouwensfuncties/{position_id}/beeindigen",
        fixture="vertrouwensfunctie",
        form=lambda p: {},
        order=5,
    ),
    LeakCase("GET", "/locaties", fixture="vertrouwensfunctie"),
    LeakCase(
        "POST",
        "/locaties",
        fixture="vertrouwensfunctie",
        form=lambda p: {
            "code": "",
            "name": "x",
            "kind": "airport",
            "minister": "IENW",
            "designated_on": "2026-01-05",
        },
    ),
    LeakCase("GET", "/locaties/{location_id}", fixture="vertrouwensfunctie"),
    LeakCase(
        "POST",
        "/locaties/{location_id}/beeindigen",
        fixture="vertrouwensfunctie",
        form=lambda p: {},
        order=5,
    ),
    LeakCase("GET", "/api/v1/vetting/positions", fixture="vertrouwensfunctie"),
    LeakCase(
        "GET",
        "/api/v1/vetting/positions",
        fixture="vertrouwensfunctie",
        query={"employer": "EMPLOYER-A", "level": "B"},
        differential=False,  # the matrix compares per path: the case above is compared
    ),
    LeakCase("GET", "/api/v1/vetting/locations", fixture="vertrouwensfunctie"),
]
