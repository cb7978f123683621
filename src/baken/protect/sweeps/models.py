"""Tables of protect (sweeps): secure rooms, their sweeps and findings, and the meetings
planned in them.

Every row carries a ``marking_id`` and is read through
:func:`baken.core.policy.read_filter`. A room keeps ``last_swept_on`` and ``next_due_on``
(kept by the service when a sweep is recorded) so that meeting planners, who read rooms
but not sweep records, see whether a room is overdue; whether a meeting is flagged is
computed in the query, never stored.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from baken.core.db import Base
from baken.core.timeutil import utcnow


class Room(Base):
    """A secure room: where classified talks are held, up to ``level``."""

    __tablename__ = "protect_sweeps_rooms"

    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = mapped_column(String(32), unique=True)  # BR-0001
    name: Mapped[str] = mapped_column(String(200))
    location: Mapped[str] = mapped_column(Text, default="")  # address, building, floor
    level: Mapped[str] = mapped_column(String(24))  # highest Level name discussed there
    owner: Mapped[str] = mapped_column(String(64))  # a unit or organisation code
    service: Mapped[str] = mapped_column(String(8))  # AIVD | MIVD | JOINT
    risk: Mapped[str] = mapped_column(String(16))  # laag | midden | hoog
    interval_days: Mapped[int] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    last_swept_on: Mapped[date | None] = mapped_column(Date, default=None)
    next_due_on: Mapped[date | None] = mapped_column(Date, index=True, default=None)
    marking_id: Mapped[int] = mapped_column(ForeignKey("markings.id"), index=True)
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Sweep(Base):
    """A sweep of a room: planned, then performed (or cancelled). Marked at least at the
    room's marking; the officer may raise it."""

    __tablename__ = "protect_sweeps_sweeps"

    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = mapped_column(String(32), unique=True)  # EVO-2026-0001
    room_id: Mapped[int] = mapped_column(ForeignKey("protect_sweeps_rooms.id"), index=True)
    reason: Mapped[str] = mapped_column(String(16))  # interval | risico | bezoek | ...
    planned_on: Mapped[date] = mapped_column(Date)
    performed_on: Mapped[date | None] = mapped_column(Date, default=None)
    status: Mapped[str] = mapped_column(String(16), index=True)  # planned|performed|cancelled
    team: Mapped[str] = mapped_column(String(200), default="")
    notes: Mapped[str] = mapped_column(Text, default="")  # method and scope
    marking_id: Mapped[int] = mapped_column(ForeignKey("markings.id"), index=True)
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    performed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Finding(Base):
    """What a sweep found, open until remediated and closed. Marked as its sweep."""

    __tablename__ = "protect_sweeps_findings"

    id: Mapped[int] = mapped_column(primary_key=True)
    sweep_id: Mapped[int] = mapped_column(ForeignKey("protect_sweeps_sweeps.id"), index=True)
    description: Mapped[str] = mapped_column(Text)
    severity: Mapped[str] = mapped_column(String(16))  # laag | midden | hoog | kritiek
    kind: Mapped[str] = mapped_column(String(32))  # zender, camera, ...
    status: Mapped[str] = mapped_column(String(16), index=True)  # open | closed
    remediation: Mapped[str] = mapped_column(Text, default="")
    remediated_on: Mapped[date | None] = mapped_column(Date, default=None)
    marking_id: Mapped[int] = mapped_column(ForeignKey("markings.id"), index=True)
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    closed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Meeting(Base):
    """A meeting planned in a secure room, at a level no higher than the room's."""

    __tablename__ = "protect_sweeps_meetings"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    room_id: Mapped[int] = mapped_column(ForeignKey("protect_sweeps_rooms.id"), index=True)
    level: Mapped[str] = mapped_column(String(24))  # Level name of what is discussed
    planned_on: Mapped[date] = mapped_column(Date, index=True)
    starts_at: Mapped[str] = mapped_column(String(5), default="")  # HH:MM
    organiser: Mapped[str] = mapped_column(String(64))
    marking_id: Mapped[int] = mapped_column(ForeignKey("markings.id"), index=True)
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
