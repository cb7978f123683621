"""Tables of vetting (screenings): the screening case and the VGB it ends in.

The case row holds what the employer may see (status, dates, outcome) and is released to
the employer; the file (findings, the partner, interviews, the person's view) is in
tables of kind ``vo_dossier``, marked for the screening unit only and read only by the
officers on the case. Every row carries a ``marking_id`` and is read through
:func:`baken.core.policy.read_filter`.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from baken.core.db import Base
from baken.core.timeutil import utcnow


class Screening(Base):
    """One veiligheidsonderzoek: a person for a position, from request to decision."""

    __tablename__ = "vetting_screenings"
    # The worklist: each tab is one range scan in due-date order (see service.queue).
    __table_args__ = (
        Index("ix_vetting_screenings_status_due", "status", "due_on"),
        Index("ix_vetting_screenings_employer_due", "employer", "due_on"),
        Index("ix_vetting_screenings_handled_due", "handled_by", "due_on"),
    )

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


class CaseOfficer(Base):
    """An officer on the case: only they (and the oversight) read the file."""

    __tablename__ = "vetting_case_officers"
    __table_args__ = (UniqueConstraint("screening_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    screening_id: Mapped[int] = mapped_column(ForeignKey("vetting_screenings.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    assigned_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    assigned_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class CheckItem(Base):
    """One item of the checklist of the file (kind ``vo_dossier``): open, done or not
    applicable, with a result and a note. The holdings check keeps its matches here."""

    __tablename__ = "vetting_checks"
    __table_args__ = (UniqueConstraint("screening_id", "item"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    screening_id: Mapped[int] = mapped_column(ForeignKey("vetting_screenings.id"), index=True)
    item: Mapped[str] = mapped_column(String(32))  # holdings | municipal | police | ...
    state: Mapped[str] = mapped_column(String(16), default="open")  # open|done|not_applicable
    result: Mapped[str | None] = mapped_column(String(16), default=None)  # none | findings
    note: Mapped[str] = mapped_column(Text, default="")
    marking_id: Mapped[int] = mapped_column(ForeignKey("markings.id"), index=True)
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    updated_on: Mapped[date | None] = mapped_column(Date, default=None)


class Partner(Base):
    """The partner of the screened person (levels A and B): file data."""

    __tablename__ = "vetting_partners"

    id: Mapped[int] = mapped_column(primary_key=True)
    screening_id: Mapped[int] = mapped_column(ForeignKey("vetting_screenings.id"), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    birth_date: Mapped[date | None] = mapped_column(Date, default=None)
    marking_id: Mapped[int] = mapped_column(ForeignKey("markings.id"), index=True)
    recorded_by: Mapped[int] = mapped_column(ForeignKey("users.id"))


class Suspension(Base):
    """A suspension of the legal clock (opschorting), e.g. waiting for a foreign inquiry."""

    __tablename__ = "vetting_suspensions"

    id: Mapped[int] = mapped_column(primary_key=True)
    screening_id: Mapped[int] = mapped_column(ForeignKey("vetting_screenings.id"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    since: Mapped[date] = mapped_column(Date)
    until: Mapped[date | None] = mapped_column(Date, default=None)
    marking_id: Mapped[int] = mapped_column(ForeignKey("markings.id"), index=True)
    by: Mapped[int] = mapped_column(ForeignKey("users.id"))


class Step(Base):
    """A step on the decision path with its date: intended refusal, the person's view,
    the decision, objection, appeal, higher appeal, a hand-over to the AIVD, a withdrawal.
    Reasons are file data (kind ``vo_dossier``)."""

    __tablename__ = "vetting_steps"

    id: Mapped[int] = mapped_column(primary_key=True)
    screening_id: Mapped[int] = mapped_column(ForeignKey("vetting_screenings.id"), index=True)
    step: Mapped[str] = mapped_column(String(32))
    on: Mapped[date] = mapped_column(Date)
    outcome: Mapped[str | None] = mapped_column(String(24), default=None)
    reasons: Mapped[str] = mapped_column(Text, default="")
    marking_id: Mapped[int] = mapped_column(ForeignKey("markings.id"), index=True)
    by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
