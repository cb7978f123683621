"""The EVO dashboard: overdue rooms at a glance, open findings, flagged meetings and the
sweeps planned. Every count and list goes through the read filter in its query, so a
reader sees figures of what they may read only (0 for a reader who may read nothing)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from baken.core import audit, policy
from baken.core.principals import Principal
from baken.protect.sweeps import meetings
from baken.protect.sweeps.models import Finding, Room, Sweep
from baken.protect.sweeps.service import DUE_SOON_DAYS, ROOM, SWEEP, overdue_sql

LIST = 20


@dataclass(frozen=True)
class Counts:
    overdue: int
    due_soon: int
    open_findings: int
    flagged_meetings: int


@dataclass(frozen=True)
class OpenFinding:
    finding: Finding
    sweep_id: int
    sweep_ref: str
    room_name: str | None


@dataclass(frozen=True)
class Dashboard:
    counts: Counts
    attention: list[Room]  # overdue and due soon, overdue first
    findings: list[OpenFinding]
    flagged: list[meetings.MeetingRow]
    planned: list[tuple[Sweep, str | None]]  # planned sweeps with the room's name


def _count(session: Session, query: object) -> int:
    return int(session.scalar(query) or 0)  # type: ignore[call-overload]


def counts(session: Session, principal: Principal, *, today: date) -> Counts:
    """The four figures, each counted through the read filter (the caller audits)."""
    readable_room = policy.read_filter(principal, ROOM, Room.marking_id)
    soon = today + timedelta(days=DUE_SOON_DAYS)
    return Counts(
        overdue=_count(
            session,
            select(func.count(Room.id)).where(
                readable_room, Room.active.is_(True), overdue_sql(today)
            ),
        ),
        due_soon=_count(
            session,
            select(func.count(Room.id)).where(
                readable_room,
                Room.active.is_(True),
                Room.next_due_on >= today,
                Room.next_due_on <= soon,
            ),
        ),
        open_findings=_count(
            session,
            select(func.count(Finding.id)).where(
                policy.read_filter(principal, SWEEP, Finding.marking_id),
                Finding.status == "open",
            ),
        ),
        flagged_meetings=meetings.count_flagged(session, principal, today=today),
    )


def dashboard(session: Session, principal: Principal, *, today: date) -> Dashboard:
    """The figures and the lists of the EVO dashboard (audited)."""
    found = counts(session, principal, today=today)
    readable_room = policy.read_filter(principal, ROOM, Room.marking_id)
    attention = list(
        session.scalars(
            select(Room)
            .where(
                readable_room,
                Room.active.is_(True),
                overdue_sql(today + timedelta(days=DUE_SOON_DAYS + 1)),
            )
            .order_by(Room.next_due_on.is_not(None), Room.next_due_on, Room.id)
            .limit(LIST)
        )
    )
    room_of_sweep = and_(Room.id == Sweep.room_id, readable_room)
    open_rows = session.execute(
        select(Finding, Sweep.id, Sweep.ref, Room.name)
        .join(Sweep, Sweep.id == Finding.sweep_id)
        .outerjoin(Room, room_of_sweep)
        .where(
            policy.read_filter(principal, SWEEP, Finding.marking_id),
            policy.read_filter(principal, SWEEP, Sweep.marking_id),
            Finding.status == "open",
        )
        .order_by(Finding.id)
        .limit(LIST)
    ).all()
    planned = session.execute(
        select(Sweep, Room.name)
        .outerjoin(Room, room_of_sweep)
        .where(policy.read_filter(principal, SWEEP, Sweep.marking_id), Sweep.status == "planned")
        .order_by(Sweep.planned_on, Sweep.id)
        .limit(LIST)
    ).all()
    flagged, _ = meetings.meetings(session, principal, today=today, flagged_only=True)
    audit.record(
        session,
        principal=principal,
        action="sweeps.dashboard",
        kind=ROOM,
        details={
            "overdue": found.overdue,
            "due_soon": found.due_soon,
            "open_findings": found.open_findings,
            "flagged_meetings": found.flagged_meetings,
        },
    )
    return Dashboard(
        counts=found,
        attention=attention,
        findings=[OpenFinding(f, sid, ref, name) for f, sid, ref, name in open_rows],
        flagged=flagged[:LIST],
        planned=[(s, name) for s, name in planned],
    )
