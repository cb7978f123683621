"""GA I&V versions: requirements, establishing, yearly updates with a diff."""

from __future__ import annotations

import pytest
from pydantic import ValidationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from baken.core.db import transaction
from baken.core.markings import MarkingError
from baken.core.policy import PolicyDenied
from baken.core.schemas import MarkingIn
from baken.steering.models import GaVersion, Requirement
from baken.steering.schemas import Establish, GaUpdateCreate
from baken.steering.service import ga
from tests.steering.conftest import World, requirement


def test_update_is_a_copy_with_a_diff(world: World, factory: sessionmaker[Session]) -> None:
    with transaction(factory) as session:
        update_id = ga.create_update(
            session,
            principal=world.planner,
            version_id=world.version_id,
            data=GaUpdateCreate(update_year=2026),
        )
        items = ga.requirements(session, world.planner, update_id)
        assert [i.ref for i in items] == ["BH-0001", "BH-0002", "BH-0003"]
        first = items[0]
        ga.update_requirement(
            session,
            principal=world.planner,
            requirement_id=first.id,
            data=requirement("BH-0001", priority=3),
        )
        ga.remove_requirement(session, principal=world.planner, requirement_id=items[2].id)
        ga.add_requirement(
            session,
            principal=world.planner,
            version_id=update_id,
            data=requirement("BH-0100", theme="CP"),
        )
    with transaction(factory) as session:
        version, _, diff = ga.get_version(session, principal=world.planner, version_id=update_id)
    assert version.status == "draft"
    assert diff is not None
    assert [r.ref for r in diff.added] == ["BH-0100"]
    assert [r.ref for r in diff.removed] == ["BH-0003"]
    assert [(a.ref, b.priority, f) for a, b, f in diff.changed] == [("BH-0001", 3, ["priority"])]


def test_established_version_cannot_change(world: World, factory: sessionmaker[Session]) -> None:
    with transaction(factory) as session, pytest.raises(ga.SteeringError, match="established"):
        ga.add_requirement(
            session,
            principal=world.planner,
            version_id=world.version_id,
            data=requirement("BH-0200"),
        )
    with transaction(factory) as session, pytest.raises(ga.SteeringError, match="already"):
        ga.establish(
            session,
            principal=world.planner,
            version_id=world.version_id,
            data=Establish(staatscourant_ref="Stcrt. 2023, 2"),
        )


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("ref", "bh 1"),
        ("theme", "MARS"),
        ("ministry", "XX"),
        ("priority", 9),
        ("question", "?"),
        ("task", "z"),
    ],
)
def test_bad_requirement_is_refused_at_the_field(field: str, value: object) -> None:
    data = requirement("BH-0009").model_dump()
    data[field] = value
    with pytest.raises(ValidationError):
        type(requirement("BH-0009")).model_validate(data)


def test_bad_staatscourant_reference() -> None:
    with pytest.raises(ValidationError):
        Establish(staatscourant_ref="Staatscourant 12")


def test_update_year_outside_period_and_twice(world: World, factory: sessionmaker[Session]) -> None:
    with transaction(factory) as session, pytest.raises(ga.SteeringError, match="period"):
        ga.create_update(
            session,
            principal=world.planner,
            version_id=world.version_id,
            data=GaUpdateCreate(update_year=2030),
        )
    with transaction(factory) as session:
        ga.create_update(
            session,
            principal=world.planner,
            version_id=world.version_id,
            data=GaUpdateCreate(update_year=2025),
        )
    with transaction(factory) as session, pytest.raises(ga.SteeringError, match="already"):
        ga.create_update(
            session,
            principal=world.planner,
            version_id=world.version_id,
            data=GaUpdateCreate(update_year=2025),
        )
    with transaction(factory) as session:
        assert session.scalar(select(func.count()).select_from(GaVersion)) == 2


def test_lowering_a_requirement_is_refused(world: World, factory: sessionmaker[Session]) -> None:
    with transaction(factory) as session:
        update_id = ga.create_update(
            session,
            principal=world.planner,
            version_id=world.version_id,
            data=GaUpdateCreate(update_year=2026),
        )
        first = ga.requirements(session, world.planner, update_id)[0]
    lowered = requirement("BH-0001").model_copy(
        update={"marking": MarkingIn(level=0, owner="JOINT")}
    )
    with transaction(factory) as session, pytest.raises(MarkingError):
        ga.update_requirement(
            session, principal=world.planner, requirement_id=first.id, data=lowered
        )


def test_a_principal_without_clearance_sees_nothing(
    world: World, factory: sessionmaker[Session]
) -> None:
    with transaction(factory) as session:
        assert ga.list_versions(session, principal=world.low) == []
        with pytest.raises(LookupError):
            ga.get_version(session, principal=world.low, version_id=world.version_id)
        with pytest.raises(PolicyDenied):
            ga.create_version(
                session,
                principal=world.civd,
                data=ga.GaVersionCreate(
                    label="GA I&V x", period_start=2027, period_end=2030, marking=MarkingIn(level=0)
                ),
            )
        assert session.scalar(select(func.count()).select_from(Requirement)) == 3
