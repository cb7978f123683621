"""A small steering world built through the services, for the steering tests."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy.orm import Session, sessionmaker

from baken.core.db import transaction
from baken.core.markings import Level, Marking, Service
from baken.core.principals import Principal
from baken.core.schemas import MarkingIn
from baken.steering.schemas import (
    AssignmentCreate,
    CapacityIn,
    Establish,
    GaVersionCreate,
    JaarplanCreate,
    RequirementCreate,
)
from baken.steering.service import ga, plans
from tests.conftest import People

SECRET = Marking.of("STG_GEHEIM", "AIVD", releasable_to={"CIVD"})
# The GA I&V is shared by both services.
GA_SECRET = Marking.of("STG_GEHEIM", "JOINT", releasable_to={"CIVD"})


@dataclass
class World:
    planner: Principal
    officer: Principal
    civd: Principal
    low: Principal
    version_id: int
    plan_id: int


def requirement(
    ref: str, *, priority: int = 1, theme: str = "CYB", question: str = ""
) -> RequirementCreate:
    return RequirementCreate(
        ref=ref,
        question=question or f"Vraag {ref} over {theme}?",
        theme=theme,
        ministry="BZK",
        priority=priority,
        service="AIVD",
        task="a",
        marking=MarkingIn.of(GA_SECRET),
    )


def assignment(
    code: str,
    covers: dict[str, float],
    *,
    max_fte: float = 10,
    min_fte: float = 2,
    mandatory: bool = False,
    skill: str = "analyse",
) -> AssignmentCreate:
    return AssignmentCreate(
        code=code,
        title=f"Opdracht {code}",
        theme="CYB",
        min_fte=min_fte,
        max_fte=max_fte,
        skill_mix={skill: 1.0},
        cost_meur_per_fte=0.1,
        covers=covers,
        mandatory=mandatory,
        marking=MarkingIn.of(SECRET),
    )


@pytest.fixture
def world(people: People, factory: sessionmaker[Session]) -> World:
    planner = people.add("planner", Level.STG_GEHEIM, {"planner"}, Service.AIVD)
    officer = people.add("rubricering", Level.STG_GEHEIM, {"classification_officer"})
    civd = people.add("civd", Level.STG_GEHEIM, {"civd_member"}, service=None, organisation="CIVD")
    low = people.add("laag", Level.STG_CONFIDENTIEEL, {"analyst", "planner"})
    with transaction(factory) as session:
        version_id = ga.create_version(
            session,
            principal=planner,
            data=GaVersionCreate(
                label="GA I&V test",
                period_start=2023,
                period_end=2026,
                marking=MarkingIn.of(GA_SECRET),
            ),
        )
        for ref, prio in (("BH-0001", 1), ("BH-0002", 2), ("BH-0003", 5)):
            ga.add_requirement(
                session,
                principal=planner,
                version_id=version_id,
                data=requirement(ref, priority=prio),
            )
        ga.establish(
            session,
            principal=planner,
            version_id=version_id,
            data=Establish(staatscourant_ref="Stcrt. 2023, 1"),
        )
        plan_id = plans.create_plan(
            session,
            principal=planner,
            data=JaarplanCreate(
                service="AIVD",
                year=2026,
                ga_version_id=version_id,
                title="Jaarplan test",
                budget_meur=100,
                marking=MarkingIn.of(SECRET),
                capacity=[
                    CapacityIn(unit="DI", skill="analyse", fte=12),
                    CapacityIn(unit="DI", skill="cyber", fte=5),
                ],
            ),
        )
        plans.add_assignment(
            session,
            principal=planner,
            jaarplan_id=plan_id,
            data=assignment("A-1", {"BH-0001": 1.0}, max_fte=10),
        )
        plans.add_assignment(
            session,
            principal=planner,
            jaarplan_id=plan_id,
            data=assignment("A-2", {"BH-0002": 1.0}, max_fte=6),
        )
        plans.add_assignment(
            session,
            principal=planner,
            jaarplan_id=plan_id,
            data=assignment("A-3", {"BH-0003": 1.0}, max_fte=4, skill="cyber"),
        )
    return World(planner, officer, civd, low, version_id, plan_id)
