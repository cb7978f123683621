"""Tables of oversight (lifecycle): the legal basis of a collection (the permission it was
gathered under), the lifecycle of a bulk dataset (term, legal hold), the relevance
assessment per item, extensions of the term, and destruction records.

Every row carries a ``marking_id`` and is read through
:func:`baken.core.policy.read_filter`. A destruction record holds no destroyed value: only
counts, identifiers that were hashes already (statement ids, blob sha256) and sha256
hashes of entity ids, with a hash over the whole record so that a change shows.
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


class LegalBasis(Base):
    """A collection gathered with a special power points to its permission."""

    __tablename__ = "oversight_legal_bases"

    collection_id: Mapped[int] = mapped_column(ForeignKey("collections.id"), primary_key=True)
    # The permission (``oversight_permissions.id``); no foreign key, so that the two
    # parts' tables can be built and tested independently.
    permission_id: Mapped[int] = mapped_column(Integer, index=True)
    marking_id: Mapped[int] = mapped_column(ForeignKey("markings.id"), index=True)
    linked_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    linked_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class BulkDataset(Base):
    """The lifecycle of one bulk collection: assessment term, legal hold, state."""

    __tablename__ = "oversight_bulk_datasets"

    collection_id: Mapped[int] = mapped_column(ForeignKey("collections.id"), primary_key=True)
    term_until: Mapped[date] = mapped_column(Date)
    legal_hold: Mapped[bool] = mapped_column(Boolean, default=False)
    hold_reason: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[str] = mapped_column(String(16), default="active")  # active | destroyed
    marking_id: Mapped[int] = mapped_column(ForeignKey("markings.id"), index=True)
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Assessment(Base):
    """The current relevance verdict on one item (an entity or a document) of a dataset;
    the audit log keeps every earlier verdict."""

    __tablename__ = "oversight_assessments"
    __table_args__ = (UniqueConstraint("collection_id", "item_kind", "item_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    collection_id: Mapped[int] = mapped_column(ForeignKey("collections.id"), index=True)
    item_kind: Mapped[str] = mapped_column(String(16))  # entity | document
    item_id: Mapped[str] = mapped_column(String(128))
    verdict: Mapped[str] = mapped_column(String(16))  # relevant | not_relevant
    marking_id: Mapped[int] = mapped_column(ForeignKey("markings.id"), index=True)
    assessed_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    assessed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Extension(Base):
    """A request to extend a dataset's term by at most one year: the minister decides,
    the CTIVD reviews; parliament is informed."""

    __tablename__ = "oversight_extensions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    collection_id: Mapped[int] = mapped_column(ForeignKey("collections.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    previous_until: Mapped[date] = mapped_column(Date)
    new_until: Mapped[date] = mapped_column(Date)
    motivation: Mapped[str] = mapped_column(Text, default="")
    # requested → permitted | refused (minister) → in_effect | annulled (CTIVD review)
    state: Mapped[str] = mapped_column(String(16), default="requested")
    minister_decision: Mapped[str | None] = mapped_column(String(16))
    minister_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    minister_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    inform_parliament: Mapped[bool] = mapped_column(Boolean, default=False)
    ctivd_review: Mapped[str | None] = mapped_column(String(16))
    ctivd_note: Mapped[str] = mapped_column(Text, default="")
    ctivd_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    ctivd_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    marking_id: Mapped[int] = mapped_column(ForeignKey("markings.id"), index=True)
    requested_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    requested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class DestructionRecord(Base):
    """What was destroyed, why, by whom, how much per store, the hashes of what went,
    and a hash over all of it (``record_hash``) that a check recomputes."""

    __tablename__ = "oversight_destructions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    collection_id: Mapped[int] = mapped_column(ForeignKey("collections.id"), index=True)
    scope: Mapped[str] = mapped_column(String(16))  # not_relevant | expired | all
    reason: Mapped[str] = mapped_column(Text)
    permission_id: Mapped[int | None] = mapped_column(Integer)
    counts: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    hashes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    record_hash: Mapped[str] = mapped_column(String(64))
    marking_id: Mapped[int] = mapped_column(ForeignKey("markings.id"), index=True)
    destroyed_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    destroyed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
