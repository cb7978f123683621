"""Tables of analysis (warning): events analysts record, what each analyst follows, and
the signals (alerts) delivered to them.

An event is marked like any other information. A follow is a user's own preference and
carries no marking. A signal is stored per recipient and carries the high-water marking of
every row its series counted for that recipient, so reading it back goes through the
policy like everything else; the recipient's series never counted what they may not read.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from baken.core.db import Base
from baken.core.timeutil import utcnow


class Event(Base):
    """Something that happened: when, where, who, what kind, and to which theme it bears."""

    __tablename__ = "analysis_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    occurred_on: Mapped[date] = mapped_column(Date, index=True)
    country: Mapped[str] = mapped_column(String(2), index=True)  # ISO 3166-1 alpha-2
    place: Mapped[str] = mapped_column(String(200), default="")
    event_type: Mapped[str] = mapped_column(String(32))
    theme: Mapped[str] = mapped_column(String(8), index=True)  # steering theme code
    actor: Mapped[str] = mapped_column(String(300), default="")
    actor_entity_id: Mapped[str | None] = mapped_column(String(128), index=True)
    description: Mapped[str] = mapped_column(Text, default="")
    marking_id: Mapped[int] = mapped_column(ForeignKey("markings.id"), index=True)
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Follow(Base):
    """A user follows a requirement (ref), a country or region (code) or an entity (id)."""

    __tablename__ = "analysis_follows"
    __table_args__ = (UniqueConstraint("user_id", "target_kind", "target"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    target_kind: Mapped[str] = mapped_column(String(16))  # requirement | place | entity
    target: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Alert(Base):
    """A flagged week of a series, for one recipient (a signaal)."""

    __tablename__ = "analysis_alerts"
    __table_args__ = (UniqueConstraint("user_id", "series", "week"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    follow_id: Mapped[int | None] = mapped_column(ForeignKey("analysis_follows.id"))
    series: Mapped[str] = mapped_column(String(300))  # place|theme|entity key
    week: Mapped[date] = mapped_column(Date)
    observed: Mapped[float] = mapped_column(Float)
    expected: Mapped[float] = mapped_column(Float)
    score: Mapped[float] = mapped_column(Float)
    params: Mapped[str] = mapped_column(String(100))
    marking_id: Mapped[int] = mapped_column(ForeignKey("markings.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
