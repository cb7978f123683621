"""Tables of vetting (register): the register of active vertrouwensfunctionarissen.

An entry says that a person holds a position at an employer on the strength of a VGB,
from registration until deregistration. Each entry is released to its employer; every
row carries a ``marking_id`` and is read through :func:`baken.core.policy.read_filter`.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from baken.core.db import Base
from baken.core.timeutil import utcnow


class RegisterEntry(Base):
    __tablename__ = "vetting_register"
    # Each look-up (by employer, by location: active or past, newest first) is one range
    # of one of these indexes, in page order; by person is ``person_bsn``.
    __table_args__ = (
        Index("ix_vetting_register_employer_active", "employer", "deregistered_on", "id"),
        Index("ix_vetting_register_location_active", "location_id", "deregistered_on", "id"),
        # One active entry per person and position: the service checks it, and this index
        # refuses the second of two registrations made at the same moment.
        Index(
            "uq_vetting_register_active",
            "person_bsn",
            "position_id",
            unique=True,
            sqlite_where=text("deregistered_on IS NULL"),
            postgresql_where=text("deregistered_on IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    vgb_id: Mapped[int] = mapped_column(ForeignKey("vetting_vgbs.id"), index=True)
    person_name: Mapped[str] = mapped_column(String(200))
    person_bsn: Mapped[str] = mapped_column(String(9), index=True)
    employer: Mapped[str] = mapped_column(String(32))
    position_id: Mapped[int] = mapped_column(ForeignKey("vetting_positions.id"), index=True)
    location_id: Mapped[int | None] = mapped_column(
        ForeignKey("vetting_locations.id"), default=None
    )
    registered_on: Mapped[date] = mapped_column(Date)
    deregistered_on: Mapped[date | None] = mapped_column(Date, default=None)
    deregister_reason: Mapped[str] = mapped_column(Text, default="")
    marking_id: Mapped[int] = mapped_column(ForeignKey("markings.id"), index=True)
    registered_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    deregistered_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    # Added by register: a copy of the VGB's ref, scope and level, released with the entry
    # (a new employer at the location may not read the VGB itself, see the service).
    vgb_ref: Mapped[str] = mapped_column(String(32), default="")
    vgb_scope: Mapped[str] = mapped_column(String(16), default="")
    vgb_level: Mapped[str] = mapped_column(String(1), default="")
    # Added by register: the entry this one continues after a move within a location.
    previous_id: Mapped[int | None] = mapped_column(ForeignKey("vetting_register.id"), default=None)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
