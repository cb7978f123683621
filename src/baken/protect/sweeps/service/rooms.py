"""Secure rooms: registered with the highest classification discussed there, owner,
service and risk (the interval follows from level and risk); read through the read
filter, overdue first; reassessed when what is discussed there or the risk changes;
taken out of use."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, case, or_, select
from sqlalchemy.orm import Session

from baken.core import audit, policy
from baken.core.i18n import N_
from baken.core.marking_store import intern, load_one
from baken.core.markings import Level, Marking, Service
from baken.core.principals import Principal
from baken.core.references import next_reference
from baken.protect.sweeps.models import Meeting, Room
from baken.protect.sweeps.service.common import (
    DEFAULT_MARKING_LEVEL,
    PAGE,
    ROOM,
    SweepsError,
    _level,
    _text,
    _with_ref,
    interval_days,
)

# --- rooms ---------------------------------------------------------------------------------


def create_room(
    session: Session,
    principal: Principal,
    *,
    name: str,
    location: str,
    level: str,
    owner: str,
    service: str,
    risk: str,
    marking_level: str = DEFAULT_MARKING_LEVEL,
    marking_owner: str = "",
) -> Room:
    """Register a secure room (EVO officers). Its marking is chosen here (by default
    Departementaal Vertrouwelijk, owned by the room's service)."""
    name = _text(name, N_("a secure room needs a name"))
    owner = _text(owner, N_("a secure room needs an owner")).upper()
    interval = interval_days(level, risk)
    if service not in {s.value for s in Service}:
        raise SweepsError(N_("unknown service {service}"), service=service)
    marking = Marking.of(_level(marking_level or DEFAULT_MARKING_LEVEL), marking_owner or service)
    policy.require_write(principal, ROOM, marking)
    marking_id = intern(session, marking)
    row = _with_ref(
        session,
        lambda: Room(
            ref=next_reference(session, Room.ref, "BR-", 4),
            name=name,
            location=location.strip(),
            level=level,
            owner=owner,
            service=service,
            risk=risk,
            interval_days=interval,
            active=True,
            marking_id=marking_id,
            created_by=principal.id,
        ),
        N_("no free reference for a secure room; try again"),
    )
    audit.record(
        session,
        principal=principal,
        action="room.create",
        kind=ROOM,
        object_id=row.id,
        marking=marking,
        details={"ref": row.ref, "level": level, "risk": risk},
    )
    return row


def _room_row(session: Session, principal: Principal, room_id: int) -> Room | None:
    return session.scalar(
        select(Room).where(Room.id == room_id, policy.read_filter(principal, ROOM, Room.marking_id))
    )


def room(session: Session, principal: Principal, room_id: int) -> Room:
    """A readable secure room (audited), else the refusal."""
    row = _room_row(session, principal, room_id)
    if row is None:
        raise SweepsError(N_("no such secure room"))
    audit.record(
        session,
        principal=principal,
        action="room.read",
        kind=ROOM,
        object_id=row.id,
        marking=load_one(session, row.marking_id),
    )
    return row


def _attention_order() -> tuple[Any, ...]:
    """Out-of-use rooms last, never swept first, then by due date."""
    return (
        case((Room.active.is_(False), 2), (Room.next_due_on.is_(None), 0), else_=1),
        Room.next_due_on,
        Room.id,
    )


def rooms(
    session: Session,
    principal: Principal,
    *,
    page: int = 1,
    active_only: bool = False,
    due_by: date | None = None,
) -> tuple[list[Room], bool]:
    """Readable rooms, overdue first (never swept, then by due date), one page at a time,
    and whether there are more (audited). ``due_by`` keeps the active rooms due on or
    before that day (or never swept)."""
    conds: list[ColumnElement[bool]] = [policy.read_filter(principal, ROOM, Room.marking_id)]
    if active_only or due_by is not None:
        conds.append(Room.active.is_(True))
    if due_by is not None:
        conds.append(or_(Room.next_due_on.is_(None), Room.next_due_on <= due_by))
    page = max(page, 1)
    rows = list(
        session.scalars(
            select(Room)
            .where(*conds)
            .order_by(*_attention_order())
            .offset((page - 1) * PAGE)
            .limit(PAGE + 1)
        )
    )
    audit.record(
        session,
        principal=principal,
        action="room.list",
        kind=ROOM,
        details={
            "page": page,
            "active_only": active_only,
            "due_by": due_by.isoformat() if due_by else None,
            "count": min(len(rows), PAGE),
        },
    )
    return rows[:PAGE], len(rows) > PAGE


def room_choices(session: Session, principal: Principal, *, limit: int = 500) -> list[Room]:
    """Active readable rooms by name, for a meeting form's choice list (audited)."""
    rows = list(
        session.scalars(
            select(Room)
            .where(policy.read_filter(principal, ROOM, Room.marking_id), Room.active.is_(True))
            .order_by(Room.name, Room.id)
            .limit(limit)
        )
    )
    audit.record(
        session,
        principal=principal,
        action="room.list",
        kind=ROOM,
        details={"choices": True, "count": len(rows)},
    )
    return rows


def deactivate_room(session: Session, principal: Principal, room_id: int) -> Room:
    """Take a room out of use (EVO officers): no more sweeps or meetings are planned."""
    row = _room_row(session, principal, room_id)
    if row is None:
        raise SweepsError(N_("no such secure room"))
    marking = load_one(session, row.marking_id)
    policy.require_write(principal, ROOM, marking)
    if not row.active:
        raise SweepsError(N_("this secure room is out of use"))
    row.active = False
    session.flush()
    audit.record(
        session,
        principal=principal,
        action="room.deactivate",
        kind=ROOM,
        object_id=row.id,
        marking=marking,
        details={"ref": row.ref},
    )
    return row


def reassess_room(
    session: Session,
    principal: Principal,
    room_id: int,
    *,
    level: str,
    risk: str,
    location: str,
    owner: str,
    today: date,
) -> Room:
    """Reassess a room (EVO officers) when what is discussed there, its risk, place or
    owner changes: the interval follows the new level and risk, and the next due date
    moves with it (from the last sweep). Lowering the level below a meeting still planned
    there is refused: move or cancel the meeting first."""
    row = _room_row(session, principal, room_id)
    if row is None:
        raise SweepsError(N_("no such secure room"))
    marking = load_one(session, row.marking_id)
    policy.require_write(principal, ROOM, marking)
    if not row.active:
        raise SweepsError(N_("this secure room is out of use"))
    owner = _text(owner, N_("a secure room needs an owner")).upper()
    interval = interval_days(level, risk)
    # An integrity check over every meeting planned here, readable or not (the room's
    # keeper learns only that one exists above the new level; ADR 0015).
    above = session.scalar(
        select(Meeting.level)
        .where(
            Meeting.room_id == row.id,
            Meeting.planned_on >= today,
            Meeting.level.in_([lvl.name for lvl in Level if lvl > Level[level]]),
        )
        .limit(1)
    )
    if above is not None:
        raise SweepsError(
            N_("meetings at a higher level are planned in this room: move them first")
        )
    before = {"level": row.level, "risk": row.risk, "interval_days": row.interval_days}
    row.level, row.risk, row.interval_days = level, risk, interval
    row.location, row.owner = location.strip(), owner
    if row.last_swept_on is not None:
        row.next_due_on = row.last_swept_on + timedelta(days=interval)
    session.flush()
    audit.record(
        session,
        principal=principal,
        action="room.reassess",
        kind=ROOM,
        object_id=row.id,
        marking=marking,
        details={"before": before, "level": level, "risk": risk, "interval_days": interval},
    )
    return row
