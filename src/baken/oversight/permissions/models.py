"""Tables of oversight (permissions): permission requests for special powers, the steps of
their history (decisions and reviews), and complaints.

Every row carries a marking and is read through :func:`baken.core.policy.read_filter`.
A step has the marking of its request; a request that renews another links to it.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from baken.core.db import Base
from baken.core.timeutil import utcnow


class Permission(Base):
    """A permission request (toestemmingsverzoek) for a special power, and, once lawful,
    the permission itself with its term."""

    __tablename__ = "oversight_permissions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reference: Mapped[str] = mapped_column(String(32), unique=True)
    power: Mapped[str] = mapped_column(String(32), index=True)
    status: Mapped[str] = mapped_column(String(16), index=True, default="draft")
    regime: Mapped[str] = mapped_column(String(16), default="wiv")  # wiv | tijdelijke_wet
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)
    # Urgent or Tijdelijke wet requests are in use before the binding review is done.
    reviewed: Mapped[bool] = mapped_column(Boolean, default=False)
    service: Mapped[str] = mapped_column(String(8))  # AIVD | MIVD | JOINT (the owner)
    title: Mapped[str] = mapped_column(String(200))
    targets: Mapped[list[str]] = mapped_column(JSON, default=list)
    country: Mapped[str | None] = mapped_column(String(8))
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignments.id"), index=True)
    assignment_code: Mapped[str] = mapped_column(String(32))
    assignment_title: Mapped[str] = mapped_column(String(200))
    necessity: Mapped[str] = mapped_column(Text)
    proportionality: Mapped[str] = mapped_column(Text)
    subsidiarity: Mapped[str] = mapped_column(Text)
    targeting: Mapped[str] = mapped_column(Text)
    term_months: Mapped[int] = mapped_column(Integer)
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date, index=True)
    renews_id: Mapped[int | None] = mapped_column(ForeignKey("oversight_permissions.id"))
    renewal_count: Mapped[int] = mapped_column(Integer, default=0)
    destruction_ordered: Mapped[bool] = mapped_column(Boolean, default=False)
    destruction_reason: Mapped[str | None] = mapped_column(Text)
    marking_id: Mapped[int] = mapped_column(ForeignKey("markings.id"), index=True)
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class PermissionStep(Base):
    """One step in a request's history: who decided what, when, and why."""

    __tablename__ = "oversight_permission_steps"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    permission_id: Mapped[int] = mapped_column(ForeignKey("oversight_permissions.id"), index=True)
    step: Mapped[str] = mapped_column(String(16))
    outcome: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text, default="")
    marking_id: Mapped[int] = mapped_column(ForeignKey("markings.id"), index=True)
    decided_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Complaint(Base):
    """A complaint about the services: first to the minister, then to the CTIVD, which
    decides within a term (two weeks) whether it takes the case."""

    __tablename__ = "oversight_complaints"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reference: Mapped[str] = mapped_column(String(32), unique=True)
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    service: Mapped[str] = mapped_column(String(8))
    status: Mapped[str] = mapped_column(String(16), index=True, default="minister")
    received_on: Mapped[date] = mapped_column(Date)
    minister_answer: Mapped[str | None] = mapped_column(Text)
    answered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    ctivd_received_on: Mapped[date | None] = mapped_column(Date)
    ctivd_deadline: Mapped[date | None] = mapped_column(Date, index=True)
    ctivd_note: Mapped[str | None] = mapped_column(Text)
    ctivd_decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    marking_id: Mapped[int] = mapped_column(ForeignKey("markings.id"), index=True)
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
