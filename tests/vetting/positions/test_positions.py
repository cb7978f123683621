"""Positions and locations through the service: refs, the refusals the issue lists, and
what an employer may see."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from baken.core.db import transaction
from baken.core.policy import PolicyDenied
from baken.vetting.positions import service
from baken.vetting.positions.models import Location, Position
from baken.vetting.positions.service import PositionsError
from tests.vetting.positions.conftest import DAY, VWorld


def count(vw: VWorld) -> int:
    with transaction(vw.factory) as s:
        return int(s.scalar(select(func.count()).select_from(Position)) or 0)


def refused(vw: VWorld, **changes: object) -> str:
    before = count(vw)
    with pytest.raises(PositionsError) as exc:
        vw.position(**changes)  # type: ignore[arg-type]
    assert count(vw) == before
    return str(exc.value)


def test_refs_count_up_without_gaps(vw: VWorld) -> None:
    with transaction(vw.factory) as s:
        refs = list(s.scalars(select(Position.ref).order_by(Position.id)))
    assert refs == ["VF-0001", "VF-0002", "VF-0003"]
    new = vw.position()
    with transaction(vw.factory) as s:
        row = s.get(Position, new)
        assert row is not None
        assert row.ref == "VF-0004"


def test_the_next_ref_follows_the_highest_number_not_the_count(vw: VWorld) -> None:
    with transaction(vw.factory) as s:
        row = s.get(Position, vw.pos_a)
        assert row is not None
        row.ref = "VF-9999"
    new = vw.position()
    with transaction(vw.factory) as s:
        made = s.get(Position, new)
        assert made is not None
        assert made.ref == "VF-10000"
    newer = vw.position()
    with transaction(vw.factory) as s:
        made = s.get(Position, newer)
        assert made is not None
        assert made.ref == "VF-10001"


def test_an_unknown_employer_is_refused(vw: VWorld) -> None:
    assert refused(vw, employer="EMPLOYER-Z") == "unknown employer EMPLOYER-Z"


def test_an_unknown_level_is_refused(vw: VWorld) -> None:
    assert refused(vw, level="D") == "unknown screening level D"


def test_a_designation_in_the_future_is_refused(vw: VWorld) -> None:
    assert "future" in refused(vw, designated_on=date(2026, 3, 3))


def test_a_missing_location_is_refused(vw: VWorld) -> None:
    assert refused(vw, location_id=424242) == "no such designated location"


def test_an_empty_title_is_refused(vw: VWorld) -> None:
    assert refused(vw, title="   ") == "a position of trust needs a title"


def test_an_unknown_minister_is_refused(vw: VWorld) -> None:
    assert refused(vw, minister="XYZ") == "unknown designating minister XYZ"


def test_a_position_before_its_location_is_refused(vw: VWorld) -> None:
    message = refused(vw, location_id=vw.airport, designated_on=date(2025, 5, 1))
    assert "before its location" in message


def test_an_employer_cannot_create_a_position(vw: VWorld) -> None:
    before = count(vw)
    with pytest.raises(PolicyDenied):
        vw.run(
            lambda s: service.create(
                s,
                vw.employer_a,
                title="x",
                level="B",
                employer="EMPLOYER-A",
                minister="IENW",
                designated_on=DAY,
                today=DAY,
            )
        )
    assert count(vw) == before


def test_an_employer_sees_only_its_own_positions(vw: VWorld) -> None:
    mine = vw.run(lambda s: [p.employer for p in service.search(s, vw.employer_b).rows])
    assert mine == ["EMPLOYER-B"]
    everyone = vw.run(lambda s: {p.employer for p in service.search(s, vw.officer).rows})
    assert everyone == {"EMPLOYER-A", "EMPLOYER-B", "EMPLOYER-C"}
    asked = vw.run(lambda s: service.search(s, vw.employer_b, employer="EMPLOYER-A").rows)
    assert asked == []


def test_filters_by_level_and_location(vw: VWorld) -> None:
    at = vw.run(
        lambda s: {p.id for p in service.search(s, vw.officer, location_id=vw.airport).rows}
    )
    assert at == {vw.pos_a, vw.pos_b}
    deep = vw.run(lambda s: [p.id for p in service.search(s, vw.officer, level="A").rows])
    assert deep == [vw.pos_c]


def test_locations_are_public_to_employers(vw: VWorld) -> None:
    names = vw.run(lambda s: [loc.code for loc in service.locations(s, vw.employer_c)])
    assert sorted(names) == ["MINC", "ZPL"]


def test_a_duplicate_location_code_is_refused(vw: VWorld) -> None:
    with pytest.raises(PositionsError):
        vw.run(
            lambda s: service.create_location(
                s,
                vw.officer,
                code="zpl",
                name="Dubbel",
                kind="airport",
                minister="IENW",
                designated_on=DAY,
                today=DAY,
            )
        )
    with transaction(vw.factory) as s:
        assert s.scalar(select(func.count()).select_from(Location)) == 2


def test_a_deactivated_location_takes_no_new_positions(vw: VWorld) -> None:
    vw.run(lambda s: service.deactivate_location(s, vw.officer, vw.ministry))
    assert refused(vw, location_id=vw.ministry) == "this location is no longer designated"
