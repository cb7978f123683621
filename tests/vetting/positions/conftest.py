"""A small vetting world built through the positions service: a screening officer, the
officers of three employers, a mandated officer, a designated airport and positions at
each employer (two location-bound at the airport, one function-bound at the ministry)."""

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
from baken.core.markings import Level, Service
from baken.core.policy import PolicyDenied
from baken.core.principals import Principal
from baken.vetting.positions import service
from tests.conftest import People

DAY = date(2026, 3, 2)
T = TypeVar("T")


@dataclass
class VWorld:
    settings: Settings
    factory: sessionmaker[Session]
    officer: Principal  # screening_officer, AIVD (UVO)
    employer_a: Principal  # airport
    employer_b: Principal  # security company at the airport
    employer_c: Principal  # ministry
    mandated: Principal  # KMAR
    analyst: Principal  # an AIVD analyst: no vetting role
    airport: int
    ministry: int
    pos_a: int  # EMPLOYER-A, B, at the airport
    pos_b: int  # EMPLOYER-B, B, at the airport
    pos_c: int  # EMPLOYER-C, A, function-bound

    def run(self, call: Callable[[Session], T]) -> T:
        return committed(self.factory, call)

    def position(self, employer: str = "EMPLOYER-A", level: str = "B", **kw: object) -> int:
        args: dict[str, object] = {
            "title": "Beveiligingsmedewerker",
            "level": level,
            "employer": employer,
            "minister": "IENW",
            "designated_on": date(2026, 1, 5),
            "today": DAY,
        }
        args.update(kw)
        return self.run(lambda s: service.create(s, self.officer, **args).id)  # type: ignore[arg-type]


def committed(factory: sessionmaker[Session], call: Callable[[Session], T]) -> T:
    """Run a service call as a route does: a refusal is raised after the transaction
    commits, so its audit entry stays."""
    error: DomainError | PolicyDenied | None = None
    with transaction(factory) as session:
        try:
            return call(session)
        except (DomainError, PolicyDenied) as exc:
            error = exc
    raise error


def build(settings: Settings, factory: sessionmaker[Session], people: People) -> VWorld:
    officer = people.add("uvo", Level.STG_GEHEIM, {"screening_officer"})
    world = VWorld(
        settings,
        factory,
        officer=officer,
        employer_a=people.add(
            "werkgever", Level.STG_CONFIDENTIEEL, {"employer_security_officer"}, None, "EMPLOYER-A"
        ),
        employer_b=people.add(
            "werkgever.b",
            Level.STG_CONFIDENTIEEL,
            {"employer_security_officer"},
            None,
            "EMPLOYER-B",
        ),
        employer_c=people.add(
            "werkgever.c",
            Level.STG_CONFIDENTIEEL,
            {"employer_security_officer"},
            None,
            "EMPLOYER-C",
        ),
        mandated=people.add(
            "kmar", Level.STG_CONFIDENTIEEL, {"mandated_screening_officer"}, Service.AIVD, "KMAR"
        ),
        analyst=people.add("analist", Level.STG_GEHEIM, {"analyst"}),
        airport=0,
        ministry=0,
        pos_a=0,
        pos_b=0,
        pos_c=0,
    )
    world.airport = world.run(
        lambda s: (
            service.create_location(
                s,
                officer,
                code="ZPL",
                name="Luchthaven Zuidpolder (fictief)",
                kind="airport",
                minister="IENW",
                designated_on=date(2025, 6, 1),
                today=DAY,
            ).id
        )
    )
    world.ministry = world.run(
        lambda s: (
            service.create_location(
                s,
                officer,
                code="MINC",
                name="Ministeriegebouw C (fictief)",
                kind="building",
                minister="BZK",
                designated_on=date(2025, 6, 1),
                today=DAY,
            ).id
        )
    )
    world.pos_a = world.position("EMPLOYER-A", "B", location_id=world.airport)
    world.pos_b = world.position("EMPLOYER-B", "B", location_id=world.airport)
    world.pos_c = world.position(
        "EMPLOYER-C", "A", title="Beleidsmedewerker crisisbeheersing", minister="BZK"
    )
    return world


@pytest.fixture
def vw(settings: Settings, factory: sessionmaker[Session], people: People) -> VWorld:
    return build(settings, factory, people)
