"""Leak-matrix fixtures and cases for vetting (register).

The ``registerinschrijving`` fixture is a person named after the secret, registered at a
location-bound position of EMPLOYER-A on a location-bound VGB: the location and position
through the positions service, the decided screening and its VGB as the screenings part
stores them, the entry through the register service (as a screening officer). Then the
location, position, screening, VGB and entry are re-marked at the matrix marking, so the
matrix tests the read filter of every register query at every marking.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session

from baken.core.marking_store import intern
from baken.core.markings import Marking
from baken.core.principals import Principal
from baken.testing.leakmatrix import LeakCase, LeakFixture
from baken.vetting import access
from baken.vetting.positions.leak import make_position, officer
from baken.vetting.register import service
from baken.vetting.register.models import RegisterEntry
from baken.vetting.screenings.models import Screening, Vgb

BSN = "100000009"  # fictional; passes the eleven-test
ISSUED = date(2026, 2, 2)
ON = date(2026, 2, 10)


def issued_vgb(
    session: Session,
    officer_id: int,
    position_id: int,
    name: str,
    ref: str,
    *,
    bsn: str = BSN,
    scope: str = "location",
    level: str | None = None,
    issued_on: date = ISSUED,
) -> Vgb:
    """A decided screening and its VGB (location-bound unless ``scope`` says otherwise),
    as the screenings part stores them: for the leak matrix and the register's tests."""
    from baken.vetting.positions.models import Position

    position = session.get(Position, position_id)
    assert position is not None
    marking_id = intern(session, access.employer_marking(position.employer))
    screening = Screening(
        ref=f"VO-{ref}",
        position_id=position.id,
        employer=position.employer,
        level=position.level,
        kind="new",
        person_name=name,
        person_birth_date=date(1990, 5, 17),
        person_bsn=bsn,
        status="decided",
        handled_by="UVO",
        received_on=date(2026, 1, 6),
        due_on=date(2026, 3, 3),
        suspended_days=0,
        decided_on=issued_on,
        outcome="issued",
        marking_id=marking_id,
        requested_by=officer_id,
    )
    session.add(screening)
    session.flush()
    vgb = Vgb(
        ref=f"VGB-{ref}",
        screening_id=screening.id,
        person_name=name,
        person_bsn=bsn,
        level=level or position.level,
        scope=scope,
        position_id=position.id,
        location_id=position.location_id if scope == "location" else None,
        employer=position.employer,
        issued_on=issued_on,
        status="valid",
        marking_id=marking_id,
    )
    session.add(vgb)
    session.flush()
    return vgb


def make_entry(
    session: Session, author: Principal, marking: Marking, secret: str
) -> dict[str, Any]:
    uvo = officer(author)
    params = make_position(session, author, marking, f"{secret}-vf")
    # Registered while the position is still readable to the officer, then re-marked.
    from baken.vetting.positions.models import Location, Position

    public = intern(session, access.employer_marking("EMPLOYER-A"))
    session.execute(
        update(Position).where(Position.id == params["position_id"]).values(marking_id=public)
    )
    vgb = issued_vgb(session, uvo.id, params["position_id"], f"Persoon {secret}", secret)
    entry = service.register(
        session, uvo, bsn=BSN, position_id=params["position_id"], on=ON, today=ON
    )
    marking_id = intern(session, marking)
    session.execute(
        update(RegisterEntry).where(RegisterEntry.id == entry.id).values(marking_id=marking_id)
    )
    session.execute(update(Vgb).where(Vgb.id == vgb.id).values(marking_id=marking_id))
    session.execute(
        update(Screening).where(Screening.id == vgb.screening_id).values(marking_id=marking_id)
    )
    session.execute(
        update(Position).where(Position.id == params["position_id"]).values(marking_id=marking_id)
    )
    session.execute(
        update(Location).where(Location.id == params["location_id"]).values(marking_id=marking_id)
    )
    return {**params, "entry_id": entry.id}


FIXTURES = [LeakFixture("registerinschrijving", service.KIND, make_entry)]

CASES = [
    # The matrix compares answers per (seat, path): one differential case per path; the
    # other queries of the same path are checked for secrets only.
    LeakCase("GET", "/register", fixture="registerinschrijving", query={"bsn": BSN}),
    LeakCase("GET", "/register", fixture="registerinschrijving", differential=False),
    LeakCase(
        "GET",
        "/register",
        fixture="registerinschrijving",
        query={"werkgever": "EMPLOYER-A"},
        differential=False,
    ),
    LeakCase("GET", "/register/inschrijven", fixture="registerinschrijving"),
    LeakCase(
        "POST",
        "/register/inschrijven",
        fixture="registerinschrijving",
        form=lambda p: {"bsn": "123", "position_id": str(p["position_id"]), "on": "2026-02-10"},
    ),
    LeakCase("GET", "/register/{entry_id}", fixture="registerinschrijving"),
    LeakCase(
        "POST",
        "/register/{entry_id}/uitschrijven",
        fixture="registerinschrijving",
        form=lambda p: {"on": "2026-02-20", "reason": ""},
    ),
    LeakCase("GET", "/register/{entry_id}/wisselen", fixture="registerinschrijving"),
    LeakCase(
        "POST",
        "/register/{entry_id}/wisselen",
        fixture="registerinschrijving",
        form=lambda p: {"position_id": "0", "on": "2026-02-20"},
    ),
    LeakCase("GET", "/api/v1/vetting/register", fixture="registerinschrijving", query={"bsn": BSN}),
    LeakCase(
        "GET",
        "/api/v1/vetting/register",
        fixture="registerinschrijving",
        query={"employer": "EMPLOYER-A"},
        differential=False,
    ),
]
