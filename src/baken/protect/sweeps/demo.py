"""The fictional demo data of protect (sweeps).

All rooms, places, teams and findings are fictional. The EVO officer ``evo`` registers
five rooms (joint or MIVD, so that planners of both services can choose the joint ones)
at different levels and risks, and records their sweeps on the days they happened (the
services take ``today`` for that):

* a Stg. Zeer Geheim boardroom, last swept 200 days ago (interval 90 days): overdue, with
  a meeting at its level planned by ``teamleider`` in ten days, so the meeting is flagged;
* an MIVD meeting room swept 60 days ago, where a finding was found and remediated;
* a consultation room swept 20 days ago with an open finding;
* a project room never swept, with a sweep planned in two weeks;
* a room due within 30 days, with a meeting planned by ``planner.aivd`` (not flagged).
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy.orm import Session

from baken.core.config import Settings
from baken.core.models import User
from baken.core.principals import Principal
from baken.core.users import to_principal
from baken.protect.sweeps import meetings, service


def _user(session: Session, users: dict[str, int], name: str) -> Principal | None:
    user = session.get(User, users[name]) if name in users else None
    return to_principal(user) if user is not None else None


def _swept(session: Session, evo: Principal, room_id: int, on: date, team: str) -> int:
    sweep = service.plan_sweep(
        session,
        evo,
        room_id,
        planned_on=on,
        reason="interval",
        team=team,
        notes="Fictief: RF-spectrumscan, niet-lineaire junctiedetector, visuele inspectie.",
        today=on,
    )
    service.record_performed(session, evo, sweep.id, performed_on=on, today=on)
    return sweep.id


def load(session: Session, users: dict[str, int], settings: Settings) -> None:
    evo = _user(session, users, "evo")
    if evo is None:
        return
    today = date.today()

    def room(name: str, location: str, level: str, service_code: str, risk: str, owner: str) -> int:
        return service.create_room(
            session,
            evo,
            name=name,
            location=location,
            level=level,
            owner=owner,
            service=service_code,
            risk=risk,
        ).id

    boardroom = room(
        "Bestuurskamer Zuidpolder (fictief)",
        "Fictieflaan 1, Zuidpolder; gebouw A, 7e verdieping",
        "STG_ZEER_GEHEIM",
        "JOINT",
        "hoog",
        "AIVD-DI",
    )
    _swept(session, evo, boardroom, today - timedelta(days=200), "EVO-ploeg 1 (fictief)")

    mivd_room = room(
        "Overlegruimte Kazerne Noordpolder (fictief)",
        "Fictieve kazerne Noordpolder, gebouw 12, begane grond",
        "STG_GEHEIM",
        "MIVD",
        "midden",
        "MIVD-CI",
    )
    swept_on = today - timedelta(days=60)
    sweep_id = _swept(session, evo, mivd_room, swept_on, "EVO-ploeg 2 (fictief)")
    finding = service.add_finding(
        session,
        evo,
        sweep_id,
        description="Fictief: onverklaarde aftakking op de telefoonbekabeling in het plafond.",
        severity="hoog",
        kind="aftakking",
    )
    service.close_finding(
        session,
        evo,
        sweep_id,
        finding.id,
        remediation="Fictief: bekabeling vervangen en plafond verzegeld.",
        remediated_on=swept_on + timedelta(days=3),
        today=today,
    )

    consult = room(
        "Spreekkamer Ministerie C (fictief)",
        "Fictief ministeriegebouw C, 2e verdieping, kamer 2.14",
        "STG_CONFIDENTIEEL",
        "JOINT",
        "hoog",
        "BZK",
    )
    sweep_id = _swept(session, evo, consult, today - timedelta(days=20), "EVO-ploeg 1 (fictief)")
    service.add_finding(
        session,
        evo,
        sweep_id,
        description="Fictief: de akoestische afscherming van de deur voldoet niet.",
        severity="midden",
        kind="kwetsbaarheid",
    )

    project = room(
        "Projectruimte Oost (fictief)",
        "Fictieflaan 3, Zuidpolder; gebouw C, 1e verdieping",
        "DEP_VERTROUWELIJK",
        "JOINT",
        "laag",
        "AIVD-PLAN",
    )
    service.plan_sweep(
        session,
        evo,
        project,
        planned_on=today + timedelta(days=14),
        reason="interval",
        team="EVO-ploeg 2 (fictief)",
        today=today,
    )

    soon = room(
        "Crisiszaal (fictief)",
        "Fictieflaan 1, Zuidpolder; gebouw A, kelder",
        "STG_GEHEIM",
        "JOINT",
        "hoog",
        "AIVD-DI",
    )
    _swept(session, evo, soon, today - timedelta(days=100), "EVO-ploeg 1 (fictief)")

    lead = _user(session, users, "teamleider")
    if lead is not None:
        meetings.plan_meeting(
            session,
            lead,
            title="Overleg operationele prioriteiten (fictief)",
            room_id=boardroom,
            level="STG_ZEER_GEHEIM",
            planned_on=today + timedelta(days=10),
            starts_at="14:00",
            today=today,
        )
    planner = _user(session, users, "planner.aivd")
    if planner is not None:
        meetings.plan_meeting(
            session,
            planner,
            title="Afstemming jaarplan (fictief)",
            room_id=soon,
            level="STG_GEHEIM",
            planned_on=today + timedelta(days=7),
            starts_at="10:00",
            today=today,
        )
