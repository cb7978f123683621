"""The register world: the positions world plus VGBs written directly (the screenings
part issues them in production), as a decided screening and its VGB."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from sqlalchemy.orm import Session, sessionmaker

from baken.core.config import Settings
from baken.core.db import transaction
from baken.core.marking_store import intern
from baken.vetting import access
from baken.vetting.positions.models import Position
from baken.vetting.screenings.models import Screening, Vgb
from tests.conftest import People
from tests.vetting.positions.conftest import DAY, VWorld, build, committed

__all__ = ["DAY", "RWorld", "committed", "issue_vgb"]

ISSUED = date(2026, 2, 2)
PIET = "111222333"  # location-bound B at the airport, issued for EMPLOYER-A
CARLA = "123456782"  # function-bound A at EMPLOYER-C


def issue_vgb(
    factory: sessionmaker[Session],
    officer_id: int,
    *,
    bsn: str,
    name: str,
    position_id: int,
    scope: str,
    issued_on: date = ISSUED,
    level: str | None = None,
) -> int:
    """A decided screening and its VGB, as the screenings part stores them."""
    with transaction(factory) as session:
        position = session.get(Position, position_id)
        assert position is not None
        marking_id = intern(session, access.employer_marking(position.employer))
        number = session.query(Vgb).count() + 1
        screening = Screening(
            ref=f"VO-2026-T{number:05d}",
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
            ref=f"VGB-2026-T{number:05d}",
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
        return vgb.id


@dataclass
class RWorld:
    v: VWorld
    piet_vgb: int
    carla_vgb: int


@pytest.fixture
def rw(settings: Settings, factory: sessionmaker[Session], people: People) -> RWorld:
    v = build(settings, factory, people)
    return RWorld(
        v,
        piet_vgb=issue_vgb(
            factory,
            v.officer.id,
            bsn=PIET,
            name="Piet Poortwachter (fictief)",
            position_id=v.pos_a,
            scope="location",
        ),
        carla_vgb=issue_vgb(
            factory,
            v.officer.id,
            bsn=CARLA,
            name="Carla Crisis (fictief)",
            position_id=v.pos_c,
            scope="function",
        ),
    )
