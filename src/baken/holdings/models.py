"""Holdings tables: collections with their legal basis and retention, documents (one
row per ingested file or archive member, with its processing state per stage) over a
content-addressed blob store, and FollowTheMoney statements with provenance and marking.

Every row that carries information has a ``marking_id``; reads go through
:func:`baken.core.policy.read_filter`. Statements are the unit of visibility: an entity is
assembled per principal from the statements that principal may read.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from baken.core.db import Base
from baken.core.timeutil import utcnow


class Collection(Base):
    """A dataset with one legal basis: open source, a partner's (with its originator, for
    the third-party rule) or a permission for a special power (linked by oversight)."""

    __tablename__ = "collections"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[str] = mapped_column(String(16))  # documents | structured | bulk
    service: Mapped[str] = mapped_column(String(8))
    unit: Mapped[str | None] = mapped_column(String(32))
    legal_basis: Mapped[str] = mapped_column(String(16))  # open_source | partner | special_power
    originator: Mapped[str | None] = mapped_column(String(32))
    permission_ref: Mapped[str | None] = mapped_column(String(64))
    acquired_on: Mapped[date] = mapped_column(Date)
    # Retention: oversight drives these (assessment before, destruction after).
    retention_until: Mapped[date | None] = mapped_column(Date)
    retention_assessed_on: Mapped[date | None] = mapped_column(Date)
    marking_id: Mapped[int] = mapped_column(ForeignKey("markings.id"), index=True)
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Blob(Base):
    """A stored file, by content. The bytes live at ``blobs/<aa>/<bb>/<sha256>``."""

    __tablename__ = "blobs"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Document(Base):
    """One ingested item: a file, or a member of an archive or message (``parent_id``).

    ``source_key`` is the content hash (or, for an item too large to read, a hash of its
    name and size): unique per collection, so the same content is stored once and a
    re-run after a crash finds what it already registered.
    """

    __tablename__ = "documents"
    __table_args__ = (
        UniqueConstraint("collection_id", "source_key", name="documents_source"),
        Index("documents_state", "collection_id", "state"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    collection_id: Mapped[int] = mapped_column(ForeignKey("collections.id"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"), index=True)
    depth: Mapped[int] = mapped_column(Integer, default=0)
    source_key: Mapped[str] = mapped_column(String(72))
    sha256: Mapped[str | None] = mapped_column(ForeignKey("blobs.sha256"), index=True)
    name: Mapped[str] = mapped_column(String(1000))
    size: Mapped[int] = mapped_column(BigInteger)
    mime: Mapped[str | None] = mapped_column(String(200))
    title: Mapped[str | None] = mapped_column(String(1000))
    text: Mapped[str | None] = mapped_column(Text)
    language: Mapped[str | None] = mapped_column(String(8))
    pages: Mapped[int | None] = mapped_column(Integer)
    ocr: Mapped[bool] = mapped_column(Boolean, default=False)
    countries: Mapped[list[str]] = mapped_column(JSON, default=list)
    # pending → processing → done | quarantined | failed; the stage columns say what ran.
    state: Mapped[str] = mapped_column(String(16), default="pending")
    extracted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    language_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    ner_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    ner_engine: Mapped[str | None] = mapped_column(String(200))
    quarantine_reason: Mapped[str | None] = mapped_column(String(32))
    quarantine_detail: Mapped[str | None] = mapped_column(Text)
    error: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    marking_id: Mapped[int] = mapped_column(ForeignKey("markings.id"), index=True)
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Statement(Base):
    """One property value of one FtM entity, from one source, at one marking.

    ``id`` is a hash of (collection, document, entity, property, value), so writing the
    same fact again only moves ``last_seen``. ``prop`` ``id`` with an empty value records
    that the entity exists with ``schema`` (as nomenklatura does).
    """

    __tablename__ = "statements"
    __table_args__ = (
        Index("statements_entity", "entity_id", "marking_id"),
        Index("statements_document", "document_id", "origin"),
    )

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    entity_id: Mapped[str] = mapped_column(String(128))
    schema: Mapped[str] = mapped_column(String(64))
    prop: Mapped[str] = mapped_column(String(64))
    value: Mapped[str] = mapped_column(Text)
    collection_id: Mapped[int] = mapped_column(ForeignKey("collections.id"), index=True)
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))
    origin: Mapped[str] = mapped_column(String(16))  # ner | import | mapping | bulk | document
    marking_id: Mapped[int] = mapped_column(ForeignKey("markings.id"))
    first_seen: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_seen: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Job(Base):
    """A unit of background work (ingest, a re-run stage, a bulk load): what it is, who
    asked, how far it got. The queue (in-process pool or Procrastinate) only carries ids."""

    __tablename__ = "jobs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    collection_id: Mapped[int | None] = mapped_column(ForeignKey("collections.id"), index=True)
    args: Mapped[dict[str, object]] = mapped_column(JSON, default=dict)
    state: Mapped[str] = mapped_column(String(16), default="queued")
    done: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text)
    marking_id: Mapped[int] = mapped_column(ForeignKey("markings.id"), index=True)
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class IndexOutbox(Base):
    """Objects whose search-index entry is stale, written in the same transaction as the
    change. The feeder indexes them after commit and deletes the rows it indexed, so the
    index catches up after any crash (at-least-once; upserts are idempotent)."""

    __tablename__ = "index_outbox"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    object_id: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
