"""Tables of vetting (positions): designated locations and vertrouwensfuncties.

Every row carries a ``marking_id`` and is read through
:func:`baken.core.policy.read_filter`; a position is released to its employer.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from baken.core.db import Base
from baken.core.timeutil import utcnow


class Location(Base):
    """A location designated by a minister (e.g. a civil airport): a VGB for a
    location-bound position there stays valid across employers and functions."""

    __tablename__ = "vetting_locations"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(32))  # airport, port, ...
    minister: Mapped[str] = mapped_column(String(32))  # designating minister (org code)
    designated_on: Mapped[date] = mapped_column(Date)
    description: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)  # added by positions
    marking_id: Mapped[int] = mapped_column(ForeignKey("markings.id"), index=True)
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Position(Base):
    """A vertrouwensfunctie at an employer, designated by a minister, at level A, B or C;
    location-bound when ``location_id`` is set."""

    __tablename__ = "vetting_positions"

    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = mapped_column(String(32), unique=True)  # VF-0001
    title: Mapped[str] = mapped_column(String(200))
    level: Mapped[str] = mapped_column(String(1))  # A | B | C
    employer: Mapped[str] = mapped_column(String(32), index=True)  # organisation code
    minister: Mapped[str] = mapped_column(String(32))  # designating minister (org code)
    designated_on: Mapped[date] = mapped_column(Date)
    location_id: Mapped[int | None] = mapped_column(
        ForeignKey("vetting_locations.id"), index=True, default=None
    )
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    marking_id: Mapped[int] = mapped_column(ForeignKey("markings.id"), index=True)
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
