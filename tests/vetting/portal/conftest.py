"""A world for the portal tests: a screening officer (UVO), the security officers of two
employers (EMPLOYER-A, EMPLOYER-B), an analyst who has no portal, and a designated
position at each employer; screenings are requested through the screenings service."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

import pytest
from sqlalchemy.orm import Session, sessionmaker

from baken.core.config import Settings
from baken.core.db import transaction
from baken.core.markings import Level, Service
from baken.core.principals import Principal
from baken.vetting import access
from baken.vetting.portal import service
from tests.conftest import People
from tests.vetting.portal import worlds

T = TypeVar("T")
DAY = date(2026, 3, 2)
# Fictional BSNs that pass the eleven-test.
BSN_1, BSN_2, BSN_3 = "111222333", "123456782", "999999990"


@dataclass
class World:
    settings: Settings
    factory: sessionmaker[Session]
    uvo: Principal
    emp_a: Principal
    emp_b: Principal
    analyst: Principal
    pos_a: int  # VF at EMPLOYER-A, level B, at the airport
    pos_b: int  # VF at EMPLOYER-B, level C

    def run(self, work: Callable[[Session], T]) -> T:
        with transaction(self.factory) as session:
            return work(session)

    def request(
        self,
        who: Principal | None = None,
        *,
        position: int | None = None,
        bsn: str = BSN_1,
        name: str = "Fictieve Persoon",
        on: date = DAY,
    ) -> int:
        principal = who or self.emp_a
        return self.run(
            lambda s: service.request(
                s,
                principal=principal,
                position_id=position or self.pos_a,
                person_name=name,
                person_birth_date=date(1990, 5, 17),
                person_bsn=bsn,
                on=on,
            )
        )


@pytest.fixture
def world(settings: Settings, factory: sessionmaker[Session], people: People) -> World:
    uvo = people.add("uvo.test", Level.STG_GEHEIM, {access.SCREENER}, Service.AIVD)
    emp_a = people.add(
        "werkgever.a", Level.DEP_VERTROUWELIJK, {access.EMPLOYER}, None, "EMPLOYER-A"
    )
    emp_b = people.add(
        "werkgever.b", Level.DEP_VERTROUWELIJK, {access.EMPLOYER}, None, "EMPLOYER-B"
    )
    analyst = people.add("analist", Level.STG_GEHEIM, {"analyst"}, Service.AIVD)
    with transaction(factory) as session:
        location = worlds.location(session, uvo, "AIRPORT-T", "Luchthaven Test (fictief)")
        pos_a = worlds.position(session, uvo, "EMPLOYER-A", "Bagagecontroleur", "B", location)
        pos_b = worlds.position(session, uvo, "EMPLOYER-B", "Beveiliger", "C", None)
    return World(settings, factory, uvo, emp_a, emp_b, analyst, pos_a, pos_b)
