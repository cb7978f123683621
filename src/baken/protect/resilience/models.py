"""Tables of protect (resilience): the resilience record of an analysis product and its
audience sectors.

A record adds to one product (``analysis_products``) what a product does not have: its
audience sectors, its topic and, for a victim notification, the victim organisation, the
incident, how the victim was told and the victim's acknowledgement of the release. The
record's ``marking_id`` is the product's marking when the record was made (or last
written); reads filter on it and on the product's current marking (see
:mod:`baken.protect.resilience.service`).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from baken.core.db import Base
from baken.core.timeutil import utcnow


class ResilienceRecord(Base):
    """The resilience record (``weerbaarheidsproduct``) of one analysis product."""

    __tablename__ = "protect_resilience_products"

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("analysis_products.id"), unique=True)
    topic: Mapped[str] = mapped_column(String(200))
    # A victim notification: the victim organisation (kind ``victim``) and the incident.
    victim: Mapped[str | None] = mapped_column(String(32), index=True, default=None)
    incident: Mapped[str] = mapped_column(Text, default="")
    observed_on: Mapped[date | None] = mapped_column(Date, default=None)
    channel: Mapped[str] = mapped_column(String(32), default="")
    # The victim's acknowledgement of the release to them.
    acknowledged_release_id: Mapped[int | None] = mapped_column(
        ForeignKey("analysis_releases.id"), default=None
    )
    acknowledged_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    acknowledged_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    marking_id: Mapped[int] = mapped_column(ForeignKey("markings.id"), index=True)
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ResilienceAudience(Base):
    """One audience sector of a resilience record (at least one per record)."""

    __tablename__ = "protect_resilience_audiences"

    record_id: Mapped[int] = mapped_column(
        ForeignKey("protect_resilience_products.id"), primary_key=True
    )
    sector: Mapped[str] = mapped_column(String(32), primary_key=True, index=True)
