"""Tables of vetting (screenings): the screening case and the VGB it ends in.

The case row holds what the employer may see (status, dates, outcome) and is released to
the employer; the file (findings, the partner, interviews, the person's view) is in
tables of kind ``vo_dossier``, marked for the screening unit only and read only by the
officers on the case. Every row carries a ``marking_id`` and is read through
:func:`baken.core.policy.read_filter`.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from baken.core.db import Base
from baken.core.timeutil import utcnow


class Screening(Base):
    """One veiligheidsonderzoek: a person for a position, from request to decision."""

    __tablename__ = "vetting_screenings"

    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = mapped_column(String(32), unique=True)  # VO-2026-000001
    position_id: Mapped[int] = mapped_column(ForeignKey("vetting_positions.id"), index=True)
    employer: Mapped[str] = mapped_column(String(32), index=True)  # organisation code
    level: Mapped[str] = mapped_column(String(1))  # A | B | C (the position's)
    kind: Mapped[str] = mapped_column(String(16), default="new")  # new | renewal
    # The person: known to the employer that asked; the rest of the file is not.
    person_name: Mapped[str] = mapped_column(String(200))
    person_birth_date: Mapped[date] = mapped_column(Date)
    person_bsn: Mapped[str] = mapped_column(String(9), index=True)
    status: Mapped[str] = mapped_column(String(24), index=True)
    # Who runs it: UVO, or a mandated party (KMAR, POLITIE) at level B.
    handled_by: Mapped[str] = mapped_column(String(32), default="UVO")
    # The legal clock: received (start), due (term + suspended days), suspension.
    received_on: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date] = mapped_column(Date, index=True)
    suspended_days: Mapped[int] = mapped_column(Integer, default=0)
    suspended_since: Mapped[date | None] = mapped_column(Date, default=None)
    decided_on: Mapped[date | None] = mapped_column(Date, default=None)
    outcome: Mapped[str | None] = mapped_column(String(16), default=None)  # issued | refused
    marking_id: Mapped[int] = mapped_column(ForeignKey("markings.id"), index=True)
    requested_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    requested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Vgb(Base):
    """A verklaring van geen bezwaar: function-bound (lapses on a change of function or
    employer) or location-bound (stays valid for a change within its location)."""

    __tablename__ = "vetting_vgbs"

    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = mapped_column(String(32), unique=True)  # VGB-2026-000001
    screening_id: Mapped[int] = mapped_column(ForeignKey("vetting_screenings.id"), unique=True)
    person_name: Mapped[str] = mapped_column(String(200))
    person_bsn: Mapped[str] = mapped_column(String(9), index=True)
    level: Mapped[str] = mapped_column(String(1))
    scope: Mapped[str] = mapped_column(String(16))  # function | location
    position_id: Mapped[int] = mapped_column(ForeignKey("vetting_positions.id"), index=True)
    location_id: Mapped[int | None] = mapped_column(
        ForeignKey("vetting_locations.id"), index=True, default=None
    )
    employer: Mapped[str] = mapped_column(String(32), index=True)
    issued_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="valid")  # valid|lapsed|withdrawn
    ended_on: Mapped[date | None] = mapped_column(Date, default=None)
    end_reason: Mapped[str] = mapped_column(Text, default="")
    marking_id: Mapped[int] = mapped_column(ForeignKey("markings.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
