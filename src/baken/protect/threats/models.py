"""Tables of protect (threats): the threat record beside an analysis product and the
decisions on measures recorded back.

A threat record (``dreigingsproduct``) keeps what the analysis product does not: what it
is about, the domain, the deciding authority and the organisation it is addressed to. Its
``marking_id`` is the product's marking when the record was made; reads filter on the
product's current marking as well (which only rises), see :mod:`.service`.

A decision (``maatregelbesluit``) is marked with the marking of the release it answers,
so the addressee reads it beside the release. One decision per release; a later one
amends it (``amends_id``) and the earlier ones stay as history.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from baken.core.db import Base
from baken.core.timeutil import utcnow


class ThreatRecord(Base):
    """A threat product of the Stelsel Bewaken en Beveiligen, addressed to an authority."""

    __tablename__ = "protect_threats_products"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("analysis_products.id"), unique=True)
    subject_kind: Mapped[str] = mapped_column(String(16))  # persoon | object | dienst | evenement
    subject: Mapped[str] = mapped_column(String(300))
    domain: Mapped[str] = mapped_column(String(32))
    authority: Mapped[str] = mapped_column(String(32))
    addressee: Mapped[str] = mapped_column(String(32), index=True)  # organisation code
    event_on: Mapped[date | None] = mapped_column(Date, default=None)
    marking_id: Mapped[int] = mapped_column(ForeignKey("markings.id"), index=True)
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Decision(Base):
    """The measures an authority decided on a released threat product."""

    __tablename__ = "protect_threats_decisions"
    __table_args__ = (UniqueConstraint("release_id", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("protect_threats_products.id"), index=True)
    release_id: Mapped[int] = mapped_column(ForeignKey("analysis_releases.id"))
    version: Mapped[int] = mapped_column(Integer)  # 1, then 2 for the first amendment, ...
    amends_id: Mapped[int | None] = mapped_column(
        ForeignKey("protect_threats_decisions.id"), default=None
    )
    measures: Mapped[list[str]] = mapped_column(JSON)
    decided_on: Mapped[date] = mapped_column(Date)
    text: Mapped[str] = mapped_column(Text)
    recorded_for: Mapped[str] = mapped_column(String(16))  # authority | aivd
    marking_id: Mapped[int] = mapped_column(ForeignKey("markings.id"), index=True)
    recorded_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
