"""A world for the screening tests: an airport (a designated location), positions at
three levels for two employers, the officers of the screening unit, a party under
mandate (KMar), the employers' security officers and the oversight.

Positions are written as rows here: they are the positions part's, and these tests are
about what happens after a position exists.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from baken.core.db import transaction
from baken.core.errors import DomainError
from baken.core.marking_store import intern
from baken.core.markings import Level, Service
from baken.core.models import AuditEntry
from baken.core.policy import PolicyDenied
from baken.core.principals import Principal
from baken.vetting import access
from baken.vetting.positions.models import Location, Position
from baken.vetting.screenings import service, views
from baken.vetting.screenings.models import Screening
from tests.conftest import People

DAY = date(2026, 3, 2)
BIRTH = date(1990, 5, 17)
BSN = "111222333"  # passes the eleven-test
BSN2 = "123456782"
T = TypeVar("T")


@dataclass
class SWorld:
    factory: sessionmaker[Session]
    uvo: Principal  # screening officer, AIVD
    uvo2: Principal  # another screening officer, not on the case
    kmar: Principal  # mandated, KMAR
    politie: Principal  # mandated, POLITIE
    werkgever: Principal  # EMPLOYER-A
    werkgever_b: Principal  # EMPLOYER-B
    ctivd: Principal
    analyst: Principal
    airport: int  # location
    pos_a: int  # EMPLOYER-C, level A, function-bound
    pos_b: int  # EMPLOYER-A, level B, at the airport
    pos_c: int  # EMPLOYER-A, level C, function-bound
    pos_b_other: int  # EMPLOYER-B, level B, at the airport
    pos_later: int  # EMPLOYER-A, designated only from 2027

    def run(self, call: Callable[[Session], T]) -> T:
        """As a route does: a refusal is raised after the transaction commits, so its
        audit entry stays while the savepoint undid the work."""
        error: Exception | None = None
        with transaction(self.factory) as session:
            try:
                return call(session)
            except (DomainError, PolicyDenied, LookupError) as exc:
                error = exc
        assert error is not None
        raise error

    def request(
        self,
        principal: Principal | None = None,
        position: int | None = None,
        bsn: str = BSN,
        **kw: object,
    ) -> int:
        who = principal or self.werkgever
        fields: dict[str, object] = {
            "position_id": position or self.pos_b,
            "person_name": "Piet Proef",
            "person_birth_date": BIRTH,
            "person_bsn": bsn,
            "on": DAY,
        }
        fields.update(kw)
        return self.run(lambda s: service.request(s, who, **fields).id)  # type: ignore[arg-type]

    def taken_in(self, position: int | None = None, bsn: str = BSN) -> int:
        sid = self.request(position=position, bsn=bsn)
        self.run(lambda s: service.intake(s, self.uvo, screening_id=sid, on=DAY))
        return sid

    def screening(self, sid: int) -> Screening:
        with transaction(self.factory) as session:
            found = session.get(Screening, sid)
            assert found is not None
            session.expunge(found)
            return found

    def count(self) -> int:
        with transaction(self.factory) as session:
            return session.scalar(select(func.count()).select_from(Screening)) or 0

    def refusals(self, action: str) -> int:
        with transaction(self.factory) as session:
            return (
                session.scalar(
                    select(func.count())
                    .select_from(AuditEntry)
                    .where(
                        AuditEntry.action == action, AuditEntry.outcome.in_(["refused", "denied"])
                    )
                )
                or 0
            )

    def case(self, principal: Principal, sid: int, today: date = DAY) -> views.Case:
        return self.run(lambda s: views.get_case(s, principal, screening_id=sid, today=today))


def _positions(session: Session, author: Principal) -> dict[str, int]:
    def pos(ref: str, level: str, employer: str, location: int | None, since: date) -> int:
        row = Position(
            ref=ref,
            title=f"Functie {ref} (fictief)",
            level=level,
            employer=employer,
            minister="BZK",
            designated_on=since,
            location_id=location,
            active=True,
            marking_id=intern(session, access.employer_marking(employer)),
            created_by=author.id,
        )
        session.add(row)
        session.flush()
        return row.id

    airport = Location(
        code="LUCHTHAVEN-X",
        name="Luchthaven X (fictief)",
        kind="airport",
        minister="JENV",
        designated_on=date(2026, 1, 1),
        marking_id=intern(session, access.employer_marking("EMPLOYER-A")),
        created_by=author.id,
    )
    session.add(airport)
    session.flush()
    return {
        "airport": airport.id,
        "pos_a": pos("VF-0001", "A", "EMPLOYER-C", None, date(2025, 1, 1)),
        "pos_b": pos("VF-0002", "B", "EMPLOYER-A", airport.id, date(2026, 1, 1)),
        "pos_c": pos("VF-0003", "C", "EMPLOYER-A", None, date(2025, 1, 1)),
        "pos_b_other": pos("VF-0004", "B", "EMPLOYER-B", airport.id, date(2026, 1, 1)),
        "pos_later": pos("VF-0005", "B", "EMPLOYER-A", None, date(2027, 1, 1)),
    }


@pytest.fixture
def sw(factory: sessionmaker[Session], people: People) -> SWorld:
    uvo = people.add("uvo", Level.STG_GEHEIM, {access.SCREENER})
    with transaction(factory) as session:
        ids = _positions(session, uvo)
    return SWorld(
        factory,
        uvo=uvo,
        uvo2=people.add("uvo2", Level.STG_GEHEIM, {access.SCREENER}),
        kmar=people.add("kmar", Level.STG_CONFIDENTIEEL, {access.MANDATED}, Service.AIVD, "KMAR"),
        politie=people.add(
            "politie", Level.STG_CONFIDENTIEEL, {access.MANDATED}, Service.AIVD, "POLITIE"
        ),
        werkgever=people.add(
            "werkgever", Level.STG_CONFIDENTIEEL, {access.EMPLOYER}, None, "EMPLOYER-A"
        ),
        werkgever_b=people.add(
            "werkgever.b", Level.STG_CONFIDENTIEEL, {access.EMPLOYER}, None, "EMPLOYER-B"
        ),
        ctivd=people.add("ctivd", Level.STG_ZEER_GEHEIM, {"overseer"}, None, "CTIVD"),
        analyst=people.add("analist", Level.STG_ZEER_GEHEIM, {"analyst"}),
        **ids,
    )
