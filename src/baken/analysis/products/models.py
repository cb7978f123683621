"""Tables of analysis (products): products with their citations and observables, the
releasability list decided at approval, releases (``afgifte``) and third-party consents
(``instemming``).

A product's marking is the high-water mark of its sources and of the marking it had
before (it only rises in place). A citation keeps the marking its source had when it was
cited. A release is a new object with its own marking: the product's, with the external
releasability narrowed to the one recipient (ADR 0011), and a snapshot of the content as
released, so a recipient reads only the release and never the product tables.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from baken.core.db import Base
from baken.core.timeutil import utcnow


class Product(Base):
    """An intelligence product of one type, from draft to released."""

    __tablename__ = "analysis_products"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    type: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(String(300))
    summary: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default="draft", index=True)
    marking_id: Mapped[int] = mapped_column(ForeignKey("markings.id"), index=True)
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    approved_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    approved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Why a team lead sent it back (shown to the author until it is submitted again).
    review_note: Mapped[str] = mapped_column(Text, default="")


class ProductCitation(Base):
    """A document (``target_id`` its id) or entity the product cites."""

    __tablename__ = "analysis_product_citations"
    __table_args__ = (UniqueConstraint("product_id", "kind", "target_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("analysis_products.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # document | entity
    target_id: Mapped[str] = mapped_column(String(128))
    caption: Mapped[str] = mapped_column(String(300))
    # The source's marking when it was cited.
    marking_id: Mapped[int] = mapped_column(ForeignKey("markings.id"), index=True)
    cited_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    cited_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ProductObservable(Base):
    """An observable of a cyber product (an address, domain, URL, file hash, e-mail)."""

    __tablename__ = "analysis_product_observables"
    __table_args__ = (UniqueConstraint("product_id", "type", "value"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("analysis_products.id"), index=True)
    type: Mapped[str] = mapped_column(String(16))
    value: Mapped[str] = mapped_column(String(2048))
    description: Mapped[str] = mapped_column(Text, default="")


class ProductRecipient(Base):
    """The releasability list a team lead decided when approving the product."""

    __tablename__ = "analysis_product_recipients"

    product_id: Mapped[int] = mapped_column(ForeignKey("analysis_products.id"), primary_key=True)
    recipient: Mapped[str] = mapped_column(String(32), primary_key=True)


class Release(Base):
    """A release (``afgifte``) of an approved product to one recipient organisation."""

    __tablename__ = "analysis_releases"
    __table_args__ = (UniqueConstraint("product_id", "recipient"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("analysis_products.id"), index=True)
    recipient: Mapped[str] = mapped_column(String(32), index=True)
    # The content as released: title, type, summary, body, citations, observables.
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    note: Mapped[str] = mapped_column(Text, default="")
    marking_id: Mapped[int] = mapped_column(ForeignKey("markings.id"), index=True)
    released_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    released_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Consent(Base):
    """A partner's recorded consent (``instemming``) to pass its material, as cited in a
    product, on to one other recipient (the third-party rule)."""

    __tablename__ = "analysis_consents"
    __table_args__ = (UniqueConstraint("product_id", "partner", "recipient"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("analysis_products.id"), index=True)
    partner: Mapped[str] = mapped_column(String(32))
    recipient: Mapped[str] = mapped_column(String(32))
    reference: Mapped[str] = mapped_column(String(200))
    marking_id: Mapped[int] = mapped_column(ForeignKey("markings.id"), index=True)
    recorded_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
