"""The register world: the positions world plus VGBs written directly (the screenings
part issues them in production), as a decided screening and its VGB."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from sqlalchemy.orm import Session, sessionmaker

from baken.core.config import Settings
from baken.core.db import transaction
from baken.vetting.register.leak import issued_vgb
from baken.vetting.screenings.models import Vgb
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
        number = session.query(Vgb).count() + 1
        return issued_vgb(
            session,
            officer_id,
            position_id,
            name,
            f"2026-T{number:05d}",
            bsn=bsn,
            scope=scope,
            level=level,
            issued_on=issued_on,
        ).id


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
