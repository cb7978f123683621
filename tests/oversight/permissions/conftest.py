"""A small world for the permission tests: an onderzoeksopdracht made through the steering
service, the requesting analyst and team lead, and the three external bodies."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

import pytest
from sqlalchemy.orm import Session, sessionmaker

from baken.core.config import Settings
from baken.core.db import transaction
from baken.core.errors import DomainError
from baken.core.markings import Level, Marking, Service
from baken.core.principals import Principal
from baken.core.schemas import MarkingIn
from baken.oversight.permissions import service
from baken.steering.leak import _plan
from tests.conftest import People

GEHEIM = Marking.of("STG_GEHEIM", Service.AIVD)
DAY = date(2026, 3, 2)
T = TypeVar("T")


@dataclass
class PWorld:
    settings: Settings
    factory: sessionmaker[Session]
    analyst: Principal
    lead: Principal
    minister: Principal
    defence: Principal
    tib: Principal
    ctivd: Principal
    mivd: Principal
    senior: Principal  # Stg. Zeer Geheim, AIVD, analyst and team lead
    assignment: int

    def request(self, author: Principal | None = None, **changes: object) -> int:
        fields: dict[str, object] = {
            "power": "interceptie",
            "title": "Tap op telefoon van doelwit X",
            "targets": ["doelwit X", "+31 6 0000 0000"],
            "assignment_id": self.assignment,
            "necessity": "Nodig voor de onderzoeksopdracht.",
            "proportionality": "Beperkt tot één nummer.",
            "subsidiarity": "Open bronnen leverden niets op.",
            "targeting": "Alleen het nummer van X.",
            "term_months": 3,
            "marking": MarkingIn.of(GEHEIM),
        }
        fields.update(changes)
        data = service.PermissionCreate.model_validate(fields)
        return committed(
            self,
            lambda session: service.create(
                session, principal=author or self.analyst, data=data, on=DAY
            ),
        )


def committed(pw: PWorld, call: Callable[[Session], T]) -> T:
    """Run a service call as a route does: a refusal is raised after the transaction
    commits, so its audit entry stays (and the savepoint undid the work)."""
    error: DomainError | None = None
    with transaction(pw.factory) as session:
        try:
            return call(session)
        except DomainError as exc:
            error = exc
    raise error


@pytest.fixture
def pw(settings: Settings, factory: sessionmaker[Session], people: People) -> PWorld:
    planner = people.add("planner", Level.STG_GEHEIM, {"planner", "analyst", "team_lead"})
    with transaction(factory) as session:
        _, assignment = _plan(session, planner, GEHEIM, "Jaarplan", "Opdracht cyber")
    return PWorld(
        settings,
        factory,
        analyst=people.add("analist", Level.STG_GEHEIM, {"analyst"}),
        lead=people.add("teamleider", Level.STG_GEHEIM, {"team_lead"}),
        minister=people.add("minister", Level.STG_ZEER_GEHEIM, {"minister_office"}, None, "BZK"),
        defence=people.add("defensie", Level.STG_ZEER_GEHEIM, {"minister_office"}, None, "DEF"),
        tib=people.add("tib", Level.STG_ZEER_GEHEIM, {"tib"}, None, "TIB"),
        ctivd=people.add("ctivd", Level.STG_ZEER_GEHEIM, {"overseer"}, None, "CTIVD"),
        mivd=people.add("mivd", Level.STG_ZEER_GEHEIM, {"analyst", "team_lead"}, Service.MIVD),
        senior=people.add("senior", Level.STG_ZEER_GEHEIM, {"analyst", "team_lead"}),
        assignment=assignment,
    )
