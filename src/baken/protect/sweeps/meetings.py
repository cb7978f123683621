"""Meetings planned in secure rooms, flagged when the room's sweep is overdue.

Planners, team leads and EVO officers plan a meeting in a room they may read, at a level
no higher than the highest classification the room is for. The meeting's marking is at
least the room's (the record names the room). A meeting is **flagged** when on its day
the room's sweep is overdue (due before that day, never swept, or the room is out of
use); the flag is computed in the query from the room the reader may read, never stored,
and is unknown (None) when the reader may not read the room.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, func, null, select
from sqlalchemy.orm import Session

from baken.core import audit, policy
from baken.core.i18n import N_
from baken.core.marking_store import intern, load_one
from baken.core.markings import Level, Marking, MarkingError, high_water
from baken.core.principals import Principal
from baken.protect.sweeps.models import Meeting, Room
from baken.protect.sweeps.service import (
    DEFAULT_MARKING_LEVEL,
    PAGE,
    ROOM,
    SweepsError,
    overdue_sql,
    room_levels,
)

MEETING = "vergadering"
TIME = re.compile(r"([01]\d|2[0-3]):[0-5]\d")


@dataclass(frozen=True)
class MeetingRow:
    """A meeting with its room's ref and name and the flag (None: room not readable)."""

    meeting: Meeting
    room_ref: str | None
    room_name: str | None
    flagged: bool | None


def can_plan(principal: Principal) -> bool:
    return policy.role_may_write(principal, MEETING) and not principal.is_external


def flag_sql() -> ColumnElement[Any]:
    """1 when the room's sweep is overdue on the meeting's day, 0 when not, NULL when the
    reader may not read the room (the outer join found none)."""
    return case(
        (Room.id.is_(None), null()),
        (overdue_sql(Meeting.planned_on), 1),
        else_=0,
    )


def _select(principal: Principal) -> Select[Any]:
    return (
        select(Meeting, Room.ref, Room.name, flag_sql())
        .outerjoin(
            Room,
            and_(Room.id == Meeting.room_id, policy.read_filter(principal, ROOM, Room.marking_id)),
        )
        .where(policy.read_filter(principal, MEETING, Meeting.marking_id))
    )


def _row(found: Any) -> MeetingRow:
    meeting, ref, name, flag = found
    return MeetingRow(meeting, ref, name, None if flag is None else bool(flag))


def plan_meeting(
    session: Session,
    principal: Principal,
    *,
    title: str,
    room_id: int,
    level: str,
    planned_on: date,
    starts_at: str = "",
    organiser: str = "",
    marking_level: str = DEFAULT_MARKING_LEVEL,
    today: date | None = None,
) -> Meeting:
    """Plan a meeting in a readable, active room, at a level the room is for."""
    if not can_plan(principal):
        raise policy.PolicyDenied(MEETING)
    title = title.strip()
    if not title:
        raise SweepsError(N_("a meeting needs a title"))
    place = session.scalar(
        select(Room).where(Room.id == room_id, policy.read_filter(principal, ROOM, Room.marking_id))
    )
    if place is None:
        raise SweepsError(N_("no such secure room"))
    if not place.active:
        raise SweepsError(N_("this secure room is out of use"))
    if level not in {lv.name for lv in room_levels()}:
        raise SweepsError(N_("unknown classification level {level}"), level=level)
    if Level[level] > Level[place.level]:
        raise SweepsError(
            N_("a meeting at {level} cannot be held in a room for at most {room_level}"),
            level=Level[level].short,
            room_level=Level[place.level].short,
        )
    if planned_on < (today or date.today()):
        raise SweepsError(N_("a meeting cannot be planned in the past"))
    starts_at = starts_at.strip()
    if starts_at and not TIME.fullmatch(starts_at):
        raise SweepsError(N_("give a time as HH:MM"))
    organiser = (organiser.strip() or principal.unit or principal.username)[:64]
    try:
        chosen = Level[marking_level or DEFAULT_MARKING_LEVEL]
    except KeyError:
        raise SweepsError(N_("unknown classification level {level}"), level=marking_level) from None
    room_marking = load_one(session, place.marking_id)
    try:
        marking = high_water([room_marking, Marking(level=chosen, owner=room_marking.owner)])
    except MarkingError:
        raise SweepsError(N_("no service may read both the room and the meeting")) from None
    policy.require_write(principal, MEETING, marking)
    row = Meeting(
        title=title,
        room_id=place.id,
        level=level,
        planned_on=planned_on,
        starts_at=starts_at,
        organiser=organiser,
        marking_id=intern(session, marking),
        created_by=principal.id,
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        principal=principal,
        action="meeting.plan",
        kind=MEETING,
        object_id=row.id,
        marking=marking,
        details={"room": place.ref, "level": level, "planned_on": planned_on.isoformat()},
    )
    return row


def meeting(session: Session, principal: Principal, meeting_id: int) -> MeetingRow:
    """A readable meeting with its flag (audited), else the refusal."""
    found = session.execute(_select(principal).where(Meeting.id == meeting_id)).first()
    if found is None:
        raise SweepsError(N_("no such meeting"))
    row = _row(found)
    audit.record(
        session,
        principal=principal,
        action="meeting.read",
        kind=MEETING,
        object_id=meeting_id,
        marking=load_one(session, row.meeting.marking_id),
    )
    return row


def meetings(
    session: Session,
    principal: Principal,
    *,
    today: date,
    room_id: int | None = None,
    flagged_only: bool = False,
    page: int = 1,
) -> tuple[list[MeetingRow], bool]:
    """Readable meetings from ``today`` on, soonest first, with their flags, one page at a
    time, and whether there are more (audited)."""
    conds: list[ColumnElement[bool]] = [Meeting.planned_on >= today]
    if room_id is not None:
        conds.append(Meeting.room_id == room_id)
    if flagged_only:
        conds.append(flag_sql() == 1)
    page = max(page, 1)
    found = session.execute(
        _select(principal)
        .where(*conds)
        .order_by(Meeting.planned_on, Meeting.starts_at, Meeting.id)
        .offset((page - 1) * PAGE)
        .limit(PAGE + 1)
    ).all()
    audit.record(
        session,
        principal=principal,
        action="meeting.list",
        kind=MEETING,
        details={
            "room": room_id,
            "flagged_only": flagged_only,
            "page": page,
            "count": min(len(found), PAGE),
        },
    )
    return [_row(f) for f in found[:PAGE]], len(found) > PAGE


def count_flagged(session: Session, principal: Principal, *, today: date) -> int:
    """How many readable meetings from ``today`` on are flagged (the caller audits)."""
    return int(
        session.scalar(
            select(func.count(Meeting.id))
            .select_from(Meeting)
            .join(
                Room,
                and_(
                    Room.id == Meeting.room_id,
                    policy.read_filter(principal, ROOM, Room.marking_id),
                ),
            )
            .where(
                policy.read_filter(principal, MEETING, Meeting.marking_id),
                Meeting.planned_on >= today,
                overdue_sql(Meeting.planned_on),
            )
        )
        or 0
    )
