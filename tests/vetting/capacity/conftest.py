"""A world for the capacity tests: a screening officer, a planner of the other service, an
analyst without the role, and an employer's officer (external); made through the user
service, on a real database."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy.orm import Session, sessionmaker

from baken.core.config import Settings
from baken.core.markings import Level, Service
from baken.core.principals import Principal
from baken.vetting.capacity.service import ScenarioIn
from tests.conftest import People


@dataclass
class CWorld:
    settings: Settings
    factory: sessionmaker[Session]
    officer: Principal
    planner: Principal
    analyst: Principal
    employer: Principal


@pytest.fixture
def cw(settings: Settings, factory: sessionmaker[Session], people: People) -> CWorld:
    return CWorld(
        settings,
        factory,
        officer=people.add("uvo", Level.DEP_VERTROUWELIJK, {"screening_officer"}),
        planner=people.add("planner", Level.STG_GEHEIM, {"planner"}, Service.MIVD),
        analyst=people.add("analist", Level.STG_GEHEIM, {"analyst"}),
        employer=people.add(
            "werkgever",
            Level.DEP_VERTROUWELIJK,
            {"employer_security_officer"},
            None,
            "EMPLOYER-A",
        ),
    )


def small(**changes: object) -> ScenarioIn:
    """A question that runs in well under a second."""
    found: dict[str, object] = {
        "title": "Klein scenario",
        "mode": "find",
        "volume": 1500,
        "mix": (20.0, 50.0, 30.0),
        "warmup_weeks": 2,
        "seed": 11,
    }
    found.update(changes)
    return ScenarioIn.defaults(**found)
