"""A sweeps world built once per test module through the services (the database is a copy
of the migrated template, as each test's is in ``tests/conftest.py``):

* ``evo`` (protect_officer, AIVD, Stg. Geheim), ``evo.mivd`` (protect_officer, MIVD),
  ``planner`` (AIVD, Stg. Geheim), ``lead`` (team_lead, AIVD, Stg. Zeer Geheim), ``low``
  (planner, AIVD, Dep. Vertrouwelijk), ``nctv`` (partner recipient) and ``ctivd``;
* rooms: ``overdue`` (Stg. Zeer Geheim, hoog, swept 200 days ago), ``fresh`` (Stg. Geheim,
  midden, swept 10 days ago with an open finding), ``never`` (Dep. Vertrouwelijk, laag,
  never swept) and ``secret`` (its record marked Stg. Geheim, AIVD only).

Tests that change the world measure before and after, or make rows of their own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TypeVar

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from baken.core.config import Settings
from baken.core.db import transaction
from baken.core.errors import DomainError
from baken.core.markings import Level, Service
from baken.core.policy import PolicyDenied
from baken.core.principals import Principal
from baken.protect.sweeps import service
from baken.protect.sweeps.models import Finding, Meeting, Room, Sweep
from baken.web.app import create_app
from tests.conftest import People

T = TypeVar("T")
TODAY = date.today()


def committed(factory: sessionmaker[Session], call: Callable[[Session], T]) -> T:
    """Run a service call as a route does: a refusal is raised after the transaction
    commits, so its audit entry stays (and nothing else of the refused work)."""
    error: DomainError | PolicyDenied | None = None
    with transaction(factory) as session:
        try:
            with session.begin_nested():
                return call(session)
        except (DomainError, PolicyDenied) as exc:
            error = exc
    raise error


@dataclass
class SWorld:
    settings: Settings
    factory: sessionmaker[Session]
    evo: Principal
    evo_mivd: Principal
    planner: Principal
    lead: Principal
    low: Principal
    nctv: Principal
    ctivd: Principal
    overdue: int
    fresh: int
    never: int
    secret: int
    fresh_sweep: int
    fresh_finding: int

    def run(self, call: Callable[[Session], T]) -> T:
        return committed(self.factory, call)

    def count(self, model: type[Room | Sweep | Finding | Meeting]) -> int:
        with transaction(self.factory) as s:
            return int(s.scalar(select(func.count()).select_from(model)) or 0)

    def room(self, name: str = "Testkamer", **kw: object) -> int:
        args: dict[str, object] = {
            "name": name,
            "location": "Gebouw T (fictief)",
            "level": "STG_GEHEIM",
            "owner": "AIVD-DI",
            "service": "JOINT",
            "risk": "midden",
        }
        args.update(kw)
        return self.run(lambda s: service.create_room(s, self.evo, **args).id)  # type: ignore[arg-type]

    def swept(self, room_id: int, on: date, **kw: object) -> int:
        """A sweep planned and performed on ``on`` (the services take that day as today)."""

        def work(s: Session) -> int:
            sweep = service.plan_sweep(s, self.evo, room_id, planned_on=on, today=on, **kw)  # type: ignore[arg-type]
            service.record_performed(s, self.evo, sweep.id, performed_on=on, today=on)
            return sweep.id

        return self.run(work)


def build(settings: Settings, factory: sessionmaker[Session]) -> SWorld:
    people = People(settings, factory)
    evo = people.add("evo", Level.STG_GEHEIM, {"protect_officer"})
    world = SWorld(
        settings,
        factory,
        evo=evo,
        evo_mivd=people.add("evo.mivd", Level.STG_GEHEIM, {"protect_officer"}, Service.MIVD),
        planner=people.add("planner", Level.STG_GEHEIM, {"planner"}),
        lead=people.add("lead", Level.STG_ZEER_GEHEIM, {"team_lead"}),
        low=people.add("low", Level.DEP_VERTROUWELIJK, {"planner"}),
        nctv=people.add("nctv", Level.STG_ZEER_GEHEIM, {"partner_recipient"}, None, "NCTV"),
        ctivd=people.add("ctivd", Level.STG_GEHEIM, {"overseer"}, None, "CTIVD"),
        overdue=0,
        fresh=0,
        never=0,
        secret=0,
        fresh_sweep=0,
        fresh_finding=0,
    )
    world.overdue = world.room("Bestuurskamer (fictief)", level="STG_ZEER_GEHEIM", risk="hoog")
    world.swept(world.overdue, TODAY - timedelta(days=200))
    world.fresh = world.room("Overlegkamer (fictief)")
    world.fresh_sweep = world.swept(world.fresh, TODAY - timedelta(days=10))
    world.fresh_finding = world.run(
        lambda s: (
            service.add_finding(
                s,
                evo,
                world.fresh_sweep,
                description="Onverklaard signaal bij het raam",
                severity="midden",
                kind="signaal",
            ).id
        )
    )
    world.never = world.room("Projectkamer (fictief)", level="DEP_VERTROUWELIJK", risk="laag")
    world.secret = world.room("Geheime kamer (fictief)", service="AIVD", marking_level="STG_GEHEIM")
    return world


@pytest.fixture(scope="module")
def sw(msettings: Settings, mfactory: sessionmaker[Session]) -> SWorld:
    return build(msettings, mfactory)


@pytest.fixture(scope="module")
def mapp(msettings: Settings, sw: SWorld) -> Iterator[FastAPI]:
    application = create_app(msettings)
    yield application
    application.state.engine.dispose()


@pytest.fixture
def mclient(mapp: FastAPI) -> Iterator[TestClient]:
    with TestClient(mapp, raise_server_exceptions=False) as entered:
        yield entered
