"""Leak-matrix fixtures and cases for protect (sweeps).

Three fixtures, one per kind, each made through the services as an EVO officer and then
re-marked at the matrix marking, so that the matrix tests the read filter of every
sweeps query at every marking:

* ``beveiligde_ruimte``: a room named after the secret (never swept, so it is overdue and
  on the dashboard);
* ``veegonderzoek``: a room without the secret, and a sweep of it, performed by a team
  named after the secret, with an open finding describing the secret;
* ``vergadering``: a room without the secret and a meeting titled after the secret,
  planned in it in 60 days (flagged: the room was never swept).

The write cases send input the services refuse (a date in the past, an empty text), so
the pages answer with the form again: the matrix checks those answers as well.
"""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session

from baken.core.marking_store import intern
from baken.core.markings import Marking
from baken.core.principals import Principal
from baken.protect.sweeps import meetings, service
from baken.protect.sweeps.models import Finding, Meeting, Room, Sweep
from baken.testing.leakmatrix import LeakCase, LeakFixture

PAST = "2020-01-01"


def officer(author: Principal) -> Principal:
    return dataclasses.replace(author, roles=frozenset({"protect_officer"}))


def _room(session: Session, evo: Principal, name: str, marking_id: int) -> Room:
    assert evo.service is not None
    room = service.create_room(
        session,
        evo,
        name=name,
        location="Gebouw F (fictief), 3e verdieping",
        level="STG_GEHEIM",
        owner=f"{evo.service.value}-DI",
        service=evo.service.value,
        risk="midden",
    )
    session.execute(update(Room).where(Room.id == room.id).values(marking_id=marking_id))
    return room


def make_room(session: Session, author: Principal, marking: Marking, secret: str) -> dict[str, Any]:
    evo = officer(author)
    room = _room(session, evo, f"Ruimte {secret}", intern(session, marking))
    return {"room_id": room.id}


def make_sweep(
    session: Session, author: Principal, marking: Marking, secret: str
) -> dict[str, Any]:
    evo = officer(author)
    today = date.today()
    marking_id = intern(session, marking)
    room = service.create_room(
        session,
        evo,
        name="Veegruimte (fictief)",
        location="",
        level="STG_GEHEIM",
        owner="EVO",
        service=evo.service.value if evo.service else "JOINT",
        risk="hoog",
    )
    sweep = service.plan_sweep(
        session, evo, room.id, planned_on=today, reason="risico", team=f"Team {secret}", today=today
    )
    service.record_performed(session, evo, sweep.id, performed_on=today, today=today)
    finding = service.add_finding(
        session, evo, sweep.id, description=f"Bevinding {secret}", severity="hoog", kind="zender"
    )
    session.execute(update(Room).where(Room.id == room.id).values(marking_id=marking_id))
    session.execute(update(Sweep).where(Sweep.id == sweep.id).values(marking_id=marking_id))
    session.execute(update(Finding).where(Finding.id == finding.id).values(marking_id=marking_id))
    return {"room_id": room.id, "sweep_id": sweep.id, "finding_id": finding.id}


def make_meeting(
    session: Session, author: Principal, marking: Marking, secret: str
) -> dict[str, Any]:
    evo = officer(author)
    today = date.today()
    marking_id = intern(session, marking)
    room = service.create_room(
        session,
        evo,
        name="Vergaderruimte (fictief)",
        location="",
        level="STG_ZEER_GEHEIM",
        owner="EVO",
        service=evo.service.value if evo.service else "JOINT",
        risk="laag",
    )
    meeting = meetings.plan_meeting(
        session,
        evo,
        title=f"Overleg {secret}",
        room_id=room.id,
        level="STG_GEHEIM",
        planned_on=today + timedelta(days=60),
        starts_at="10:00",
        today=today,
    )
    session.execute(update(Room).where(Room.id == room.id).values(marking_id=marking_id))
    session.execute(update(Meeting).where(Meeting.id == meeting.id).values(marking_id=marking_id))
    return {"room_id": room.id, "meeting_id": meeting.id}


FIXTURES = [
    LeakFixture("beveiligde_ruimte", service.ROOM, make_room),
    LeakFixture("veegonderzoek", service.SWEEP, make_sweep),
    LeakFixture("vergadering", meetings.MEETING, make_meeting),
]

CASES = [
    LeakCase("GET", "/veegonderzoeken", fixture="beveiligde_ruimte"),
    LeakCase("GET", "/beveiligde-ruimtes", fixture="beveiligde_ruimte"),
    LeakCase(
        "POST",
        "/beveiligde-ruimtes",
        fixture="beveiligde_ruimte",
        form=lambda p: {
            "name": "",
            "location": "x",
            "level": "STG_GEHEIM",
            "owner": "EVO",
            "service": "JOINT",
            "risk": "laag",
        },
    ),
    LeakCase("GET", "/beveiligde-ruimtes/{room_id}", fixture="beveiligde_ruimte"),
    LeakCase(
        "POST",
        "/beveiligde-ruimtes/{room_id}/veegonderzoek",
        fixture="beveiligde_ruimte",
        form=lambda p: {"planned_on": PAST, "reason": "interval"},
    ),
    LeakCase(
        "POST",
        "/beveiligde-ruimtes/{room_id}/herbeoordelen",
        fixture="beveiligde_ruimte",
        form=lambda p: {"level": "STG_GEHEIM", "risk": "hoog", "location": "", "owner": "EVO"},
        order=4,
    ),
    LeakCase(
        "POST",
        "/beveiligde-ruimtes/{room_id}/buiten-gebruik",
        fixture="beveiligde_ruimte",
        form=lambda p: {},
        order=5,
    ),
    LeakCase("GET", "/veegonderzoeken/{sweep_id}", fixture="veegonderzoek"),
    LeakCase(
        "POST",
        "/veegonderzoeken/{sweep_id}/uitgevoerd",
        fixture="veegonderzoek",
        form=lambda p: {"performed_on": "2999-01-01"},
    ),
    LeakCase(
        "POST",
        "/veegonderzoeken/{sweep_id}/annuleren",
        fixture="veegonderzoek",
        form=lambda p: {},
    ),
    LeakCase(
        "POST",
        "/veegonderzoeken/{sweep_id}/bevindingen",
        fixture="veegonderzoek",
        form=lambda p: {"description": "", "severity": "hoog", "kind": "zender"},
    ),
    LeakCase(
        "POST",
        "/veegonderzoeken/{sweep_id}/bevindingen/{finding_id}/sluiten",
        fixture="veegonderzoek",
        form=lambda p: {"remediation": "", "remediated_on": PAST},
    ),
    LeakCase("GET", "/vergaderingen", fixture="vergadering"),
    LeakCase(
        "POST",
        "/vergaderingen",
        fixture="vergadering",
        form=lambda p: {
            "title": "",
            "room_id": str(p["room_id"]),
            "level": "STG_GEHEIM",
            "planned_on": PAST,
        },
    ),
    LeakCase("GET", "/vergaderingen/{meeting_id}", fixture="vergadering"),
    LeakCase("GET", "/api/v1/protect/rooms", fixture="beveiligde_ruimte"),
    LeakCase("GET", "/api/v1/protect/rooms/{room_id}", fixture="beveiligde_ruimte"),
    LeakCase("GET", "/api/v1/protect/sweeps/{sweep_id}", fixture="veegonderzoek"),
    LeakCase("GET", "/api/v1/protect/meetings", fixture="vergadering"),
]
