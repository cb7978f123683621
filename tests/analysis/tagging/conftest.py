"""The holdings test world, plus an established GA I&V with two requirements made
through the steering services."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from baken.core.db import transaction
from baken.core.markings import Level, Marking
from baken.core.principals import Principal
from baken.core.schemas import MarkingIn
from baken.steering.schemas import Establish, GaVersionCreate, RequirementCreate
from baken.steering.service import ga
from tests.conftest import People
from tests.holdings.conftest import World, _no_frog, world

__all__ = ["GA", "World", "_no_frog", "ga_world", "world"]

CYBER_REF = "BH-0001"  # Stg. Confidentieel, joint
CRIME_REF = "BH-0002"  # Stg. Geheim, joint


@dataclass
class GA:
    planner: Principal
    version_id: int


def _requirement(ref: str, question: str, theme: str, level: str) -> RequirementCreate:
    return RequirementCreate(
        ref=ref,
        question=question,
        theme=theme,
        ministry="BZK",
        priority=1,
        service="JOINT",
        task="a",
        marking=MarkingIn.of(Marking.of(level, "JOINT")),
    )


@pytest.fixture
def ga_world(world: World, people: People) -> GA:
    planner = people.add("planner", Level.STG_GEHEIM, roles={"planner"})
    with transaction(world.factory) as session:
        version_id = ga.create_version(
            session,
            principal=planner,
            data=GaVersionCreate(
                label="GA I&V test",
                period_start=2023,
                period_end=2026,
                marking=MarkingIn.of(Marking.of("STG_CONFIDENTIEEL", "JOINT")),
            ),
        )
        for data in (
            _requirement(
                CYBER_REF,
                "Welke ransomware-aanvallen treffen Nederlandse ziekenhuizen?",
                "CYB",
                "STG_CONFIDENTIEEL",
            ),
            _requirement(
                CRIME_REF,
                "Welke cocaïnesmokkel loopt via de haven van Rotterdam?",
                "CN",
                "STG_GEHEIM",
            ),
        ):
            ga.add_requirement(session, principal=planner, version_id=version_id, data=data)
        ga.establish(
            session,
            principal=planner,
            version_id=version_id,
            data=Establish(staatscourant_ref="Stcrt. 2023, 12345"),
        )
    return GA(planner, version_id)
