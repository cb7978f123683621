"""The positions and register demos: fictional, and the register demo registers the
people whose VGBs exist (and nobody when there are none)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from baken.core.config import Settings
from baken.core.db import transaction
from baken.core.markings import Level
from baken.vetting.positions import demo as positions_demo
from baken.vetting.positions.models import Location, Position
from baken.vetting.register import demo as register_demo
from baken.vetting.register.models import RegisterEntry
from tests.conftest import People
from tests.vetting.register.conftest import PIET, issue_vgb


def test_the_demos_are_fictional_and_register_issued_vgbs(
    settings: Settings, factory: sessionmaker[Session], people: People
) -> None:
    uvo = people.add("uvo", Level.STG_GEHEIM, {"screening_officer"})
    users = {"uvo": uvo.id}
    with transaction(factory) as s:
        positions_demo.load(s, users, settings)
    with transaction(factory) as s:
        register_demo.load(s, users, settings)  # no VGBs yet: nobody registered
        assert s.scalar(select(func.count()).select_from(RegisterEntry)) == 0
        names = list(s.scalars(select(Location.name))) + list(s.scalars(select(Position.title)))
        assert all("(fictief)" in n for n in names)
        airport = s.scalar(
            select(Position.id).where(
                Position.employer == "EMPLOYER-B", Position.location_id.is_not(None)
            )
        )
        assert {p for p in s.scalars(select(Position.employer))} == {
            "EMPLOYER-A",
            "EMPLOYER-B",
            "EMPLOYER-C",
        }
    assert airport is not None
    issue_vgb(
        factory,
        uvo.id,
        bsn=PIET,
        name="Piet Poortwachter (fictief)",
        position_id=airport,
        scope="location",
        issued_on=date(2026, 1, 10),
    )
    with transaction(factory) as s:
        register_demo.load(s, users, settings)
        entries = list(s.scalars(select(RegisterEntry)))
    assert [(e.person_bsn, e.employer) for e in entries] == [(PIET, "EMPLOYER-B")]
