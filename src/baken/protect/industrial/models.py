"""Tables of protect (industrial): suppliers, special assignments under ABRO 2026 (or
ABDO 2019 for Defence until it moves over), the NBIV investigation checklist, the
ownership findings it rests on, the ABRO declaration and monitoring during the contract.

Every row carries a ``marking_id`` and is read through
:func:`baken.core.policy.read_filter`: suppliers as kind ``leverancier``, an assignment
and everything recorded about it as kind ``bijzondere_opdracht``. The ownership findings
carry the high-water mark of the assignment and the holdings statements they were built
from, so they may be marked higher than the assignment itself.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from baken.core.db import Base
from baken.core.timeutil import utcnow


class Supplier(Base):
    """A leverancier: a company that carries out (or bids for) special assignments."""

    __tablename__ = "protect_industrial_suppliers"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kvk: Mapped[str] = mapped_column(String(8), index=True)  # Chamber of Commerce number
    branch: Mapped[str | None] = mapped_column(String(12), default=None)  # vestigingsnummer
    country: Mapped[str] = mapped_column(String(2), default="nl")
    address: Mapped[str] = mapped_column(Text, default="")
    entity_id: Mapped[str | None] = mapped_column(String(120), default=None)  # FtM, holdings
    marking_id: Mapped[int] = mapped_column(ForeignKey("markings.id"), index=True)
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Assignment(Base):
    """A bijzondere opdracht of central government or the police that touches a
    protected interest (TBB1-TBB4), from the client's risk assessment to the end of the
    contract."""

    __tablename__ = "protect_industrial_assignments"

    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = mapped_column(String(32), unique=True)  # BO-2026-0001
    supplier_id: Mapped[int] = mapped_column(
        ForeignKey("protect_industrial_suppliers.id"), index=True
    )
    client: Mapped[str] = mapped_column(String(32), index=True)  # organisation code
    title: Mapped[str] = mapped_column(String(200))
    tbb: Mapped[str] = mapped_column(String(4))  # TBB1 (heaviest) .. TBB4
    classification: Mapped[int] = mapped_column(Integer)  # Level of the information
    regime: Mapped[str] = mapped_column(String(16))  # ABRO_2026 | ABDO_2019
    moved_on: Mapped[date | None] = mapped_column(Date, default=None)  # ABDO -> ABRO
    moved_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    abro_applies: Mapped[bool] = mapped_column(Boolean)  # the client's risk assessment
    assessed_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), index=True)
    status_on: Mapped[date] = mapped_column(Date)
    status_note: Mapped[str] = mapped_column(Text, default="")
    marking_id: Mapped[int] = mapped_column(ForeignKey("markings.id"), index=True)
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class CheckItem(Base):
    """One item of the NBIV checklist: structure, personnel or digital."""

    __tablename__ = "protect_industrial_checks"
    __table_args__ = (UniqueConstraint("assignment_id", "item"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(
        ForeignKey("protect_industrial_assignments.id"), index=True
    )
    item: Mapped[str] = mapped_column(String(16))  # structure | personnel | digital
    state: Mapped[str] = mapped_column(String(16), default="open")
    note: Mapped[str] = mapped_column(Text, default="")
    marking_id: Mapped[int] = mapped_column(ForeignKey("markings.id"), index=True)
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    updated_on: Mapped[date | None] = mapped_column(Date, default=None)


class Finding(Base):
    """A snapshot of the supplier's owners and directors as the ownership graph showed
    them on a day, with the screening hits of each: what the structure item rests on."""

    __tablename__ = "protect_industrial_findings"

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(
        ForeignKey("protect_industrial_assignments.id"), index=True
    )
    taken_on: Mapped[date] = mapped_column(Date)
    entity_id: Mapped[str | None] = mapped_column(String(120), default=None)
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    foreign_count: Mapped[int] = mapped_column(Integer, default=0)
    hit_count: Mapped[int] = mapped_column(Integer, default=0)
    marking_id: Mapped[int] = mapped_column(ForeignKey("markings.id"), index=True)
    taken_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Staff(Base):
    """A key member of the supplier's staff who needs a VGB for the assignment."""

    __tablename__ = "protect_industrial_staff"

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(
        ForeignKey("protect_industrial_assignments.id"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    function: Mapped[str] = mapped_column(String(200), default="")
    vgb_ref: Mapped[str | None] = mapped_column(String(32), default=None)
    not_needed: Mapped[str] = mapped_column(Text, default="")  # why no VGB is needed
    marking_id: Mapped[int] = mapped_column(ForeignKey("markings.id"), index=True)
    added_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    added_on: Mapped[date] = mapped_column(Date)


class Hosting(Base):
    """Digital resilience: where the assignment's data is processed (a cloud provider or
    the supplier's own systems), in which country, under which certifications."""

    __tablename__ = "protect_industrial_hosting"

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(
        ForeignKey("protect_industrial_assignments.id"), index=True
    )
    provider: Mapped[str] = mapped_column(String(200))
    cloud: Mapped[bool] = mapped_column(Boolean, default=True)
    country: Mapped[str] = mapped_column(String(2))
    certifications: Mapped[str] = mapped_column(String(200), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    marking_id: Mapped[int] = mapped_column(ForeignKey("markings.id"), index=True)
    added_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    added_on: Mapped[date] = mapped_column(Date)


class Declaration(Base):
    """The ABRO declaration (or, under ABDO 2019, its Defence equivalent), issued before
    the award when the investigation found no objections."""

    __tablename__ = "protect_industrial_declarations"

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(
        ForeignKey("protect_industrial_assignments.id"), unique=True
    )
    regime: Mapped[str] = mapped_column(String(16))
    declared_on: Mapped[date] = mapped_column(Date)
    valid_until: Mapped[date] = mapped_column(Date)
    conditions: Mapped[str] = mapped_column(Text, default="")
    marking_id: Mapped[int] = mapped_column(ForeignKey("markings.id"), index=True)
    declared_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Event(Base):
    """A monitoring event during the contract: a periodic review, a change of ownership
    or control, an incident, a change of key staff."""

    __tablename__ = "protect_industrial_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(
        ForeignKey("protect_industrial_assignments.id"), index=True
    )
    kind: Mapped[str] = mapped_column(String(24))
    on: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    marking_id: Mapped[int] = mapped_column(ForeignKey("markings.id"), index=True)
    recorded_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
