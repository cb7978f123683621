"""Tables of vetting (portal): the notices that tell an employer a screening is late.

The Wvo has the person told of delays through the employer (DOMAIN.md §4). A notice is
one row per screening, due date and kind, so sending again never repeats one; it is
released to the employer (:func:`baken.vetting.access.employer_marking`) and read through
:func:`baken.core.policy.read_filter` like every marked row.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from baken.core.db import Base
from baken.core.timeutil import utcnow


class DelayNotice(Base):
    """A vertragingsbericht: the screening will not be (or was not) decided by ``due_on``.
    The employer passes it on to the person and says so (``read_on``)."""

    __tablename__ = "vetting_delay_notices"
    __table_args__ = (UniqueConstraint("screening_id", "due_on", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    screening_id: Mapped[int] = mapped_column(ForeignKey("vetting_screenings.id"), index=True)
    employer: Mapped[str] = mapped_column(String(32), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # at_risk | overdue
    due_on: Mapped[date] = mapped_column(Date)
    sent_on: Mapped[date] = mapped_column(Date)
    # When the employer's officer passed it on to the person.
    read_on: Mapped[date | None] = mapped_column(Date, default=None)
    read_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    marking_id: Mapped[int] = mapped_column(ForeignKey("markings.id"), index=True)
    sent_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
