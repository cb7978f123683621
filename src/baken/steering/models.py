"""Steering tables: GA I&V versions and requirements; jaarplannen with their
onderzoeksopdrachten, capacity, budget, targets and solved plan versions; progress
reports; and the plan's texts, whose public versions come only through sanitisation."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    Boolean,
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


class GaVersion(Base):
    """One version of the Geïntegreerde Aanwijzing: a four-year GA or a yearly update."""

    __tablename__ = "ga_versions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    label: Mapped[str] = mapped_column(String(200))
    period_start: Mapped[int] = mapped_column(Integer)
    period_end: Mapped[int] = mapped_column(Integer)
    update_year: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), default="draft")
    staatscourant_ref: Mapped[str | None] = mapped_column(String(100))
    based_on_id: Mapped[int | None] = mapped_column(ForeignKey("ga_versions.id"))
    marking_id: Mapped[int] = mapped_column(ForeignKey("markings.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    established_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Requirement(Base):
    """An inlichtingenbehoefte. ``ref`` stays the same across versions, for diffs."""

    __tablename__ = "ga_requirements"
    __table_args__ = (UniqueConstraint("ga_version_id", "ref", name="ref"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ga_version_id: Mapped[int] = mapped_column(ForeignKey("ga_versions.id"), index=True)
    ref: Mapped[str] = mapped_column(String(32))
    question: Mapped[str] = mapped_column(Text)
    theme: Mapped[str] = mapped_column(String(8))
    ministry: Mapped[str] = mapped_column(String(8))
    priority: Mapped[int] = mapped_column(Integer)
    service: Mapped[str] = mapped_column(String(8))
    task: Mapped[str] = mapped_column(String(2))
    marking_id: Mapped[int] = mapped_column(ForeignKey("markings.id"), index=True)


class Jaarplan(Base):
    __tablename__ = "jaarplannen"
    __table_args__ = (UniqueConstraint("service", "year", name="service_year"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    service: Mapped[str] = mapped_column(String(8))
    year: Mapped[int] = mapped_column(Integer)
    ga_version_id: Mapped[int] = mapped_column(ForeignKey("ga_versions.id"))
    title: Mapped[str] = mapped_column(String(200))
    budget_meur: Mapped[float] = mapped_column(Float)
    marking_id: Mapped[int] = mapped_column(ForeignKey("markings.id"), index=True)


class Assignment(Base):
    """An onderzoeksopdracht. Effort is in FTE between a minimum viable and a maximum
    level, split over skills by ``skill_mix``; joint ones are linked to the other
    service's assignment by code."""

    __tablename__ = "assignments"
    __table_args__ = (UniqueConstraint("jaarplan_id", "code", name="code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    jaarplan_id: Mapped[int] = mapped_column(ForeignKey("jaarplannen.id"), index=True)
    code: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    theme: Mapped[str] = mapped_column(String(8))
    min_fte: Mapped[float] = mapped_column(Float)
    max_fte: Mapped[float] = mapped_column(Float)
    skill_mix: Mapped[dict[str, float]] = mapped_column(JSON)
    cost_meur_per_fte: Mapped[float] = mapped_column(Float)
    mandatory: Mapped[bool] = mapped_column(Boolean, default=False)
    joint_with: Mapped[str | None] = mapped_column(String(32))
    joint_share: Mapped[float] = mapped_column(Float, default=0.0)
    covers: Mapped[dict[str, float]] = mapped_column(JSON)  # requirement ref -> fraction
    marking_id: Mapped[int] = mapped_column(ForeignKey("markings.id"), index=True)


class Capacity(Base):
    __tablename__ = "capacities"
    __table_args__ = (UniqueConstraint("jaarplan_id", "unit", "skill", name="pool"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    jaarplan_id: Mapped[int] = mapped_column(ForeignKey("jaarplannen.id"), index=True)
    unit: Mapped[str] = mapped_column(String(32))
    skill: Mapped[str] = mapped_column(String(32))
    fte: Mapped[float] = mapped_column(Float)


class BudgetLine(Base):
    __tablename__ = "budget_lines"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    jaarplan_id: Mapped[int] = mapped_column(ForeignKey("jaarplannen.id"), index=True)
    label: Mapped[str] = mapped_column(String(200))
    amount_meur: Mapped[float] = mapped_column(Float)


class TaskTarget(Base):
    __tablename__ = "task_targets"
    __table_args__ = (UniqueConstraint("jaarplan_id", "task", name="task"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    jaarplan_id: Mapped[int] = mapped_column(ForeignKey("jaarplannen.id"), index=True)
    task: Mapped[str] = mapped_column(String(32))
    target: Mapped[int] = mapped_column(Integer)


class PlanVersion(Base):
    """One solve of a jaarplan: the choices made (pins, exclusions) and the answer."""

    __tablename__ = "plan_versions"
    __table_args__ = (UniqueConstraint("jaarplan_id", "number", name="number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    jaarplan_id: Mapped[int] = mapped_column(ForeignKey("jaarplannen.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    note: Mapped[str] = mapped_column(Text, default="")
    pins: Mapped[list[str]] = mapped_column(JSON)
    excludes: Mapped[list[str]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16))
    objective: Mapped[float | None] = mapped_column(Float)
    result: Mapped[dict[str, object]] = mapped_column(JSON)
    marking_id: Mapped[int] = mapped_column(ForeignKey("markings.id"), index=True)


class ProgressReport(Base):
    """A voortgangsrapportage of one jaarplan for one period."""

    __tablename__ = "progress_reports"
    __table_args__ = (UniqueConstraint("jaarplan_id", "period", name="period"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    jaarplan_id: Mapped[int] = mapped_column(ForeignKey("jaarplannen.id"), index=True)
    period: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), default="draft")
    marking_id: Mapped[int] = mapped_column(ForeignKey("markings.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ProgressEntry(Base):
    __tablename__ = "progress_entries"
    __table_args__ = (UniqueConstraint("report_id", "assignment_id", name="entry"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("progress_reports.id"), index=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignments.id"))
    status: Mapped[str] = mapped_column(String(16))
    narrative: Mapped[str] = mapped_column(Text)
    indicators: Mapped[dict[str, float]] = mapped_column(JSON)
    marking_id: Mapped[int] = mapped_column(ForeignKey("markings.id"), index=True)


class PlanText(Base):
    """A section of the jaarplan's text. Classified as written; a public version is a
    new row made by sanitisation (``sanitised_from_id``) — the only text the public
    jaarplanbrief may use."""

    __tablename__ = "plan_texts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    jaarplan_id: Mapped[int] = mapped_column(ForeignKey("jaarplannen.id"), index=True)
    section: Mapped[str] = mapped_column(String(32))
    heading: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    marking_id: Mapped[int] = mapped_column(ForeignKey("markings.id"), index=True)
    sanitised_from_id: Mapped[int | None] = mapped_column(ForeignKey("plan_texts.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
