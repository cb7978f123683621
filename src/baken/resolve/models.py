"""Resolve tables: cross-referencing runs, the candidate pairs they keep, and the
analysts' judgements on pairs.

Only pairs at or above a run's review threshold are stored, never every pairwise score.
A pair carries the high-water marking of the statements both records were built from,
and a judgement the marking of the pair it judged: reads go through
:func:`baken.core.policy.read_filter` like every other marked row. Judgements are never
updated in place except to record an undo; the current verdict on a pair of entities is
its latest judgement that was not undone. Canonical ids follow from the current "same"
verdicts (:mod:`baken.resolve.service.merge`).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    DateTime,
    Float,
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


class XrefRun(Base):
    """One cross-referencing run of two collections for one principal."""

    __tablename__ = "resolve_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    left_collection_id: Mapped[int] = mapped_column(ForeignKey("collections.id"), index=True)
    right_collection_id: Mapped[int] = mapped_column(ForeignKey("collections.id"), index=True)
    engine: Mapped[str] = mapped_column(String(16), default="local")
    threshold: Mapped[float] = mapped_column(Float)
    state: Mapped[str] = mapped_column(String(16), default="queued")  # queued|running|done|failed
    step: Mapped[str | None] = mapped_column(String(32))
    done: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[int] = mapped_column(Integer, default=0)
    left_records: Mapped[int] = mapped_column(Integer, default=0)
    right_records: Mapped[int] = mapped_column(Integer, default=0)
    compared: Mapped[int] = mapped_column(Integer, default=0)
    candidates: Mapped[int] = mapped_column(Integer, default=0)
    model: Mapped[dict[str, object] | None] = mapped_column(JSON)
    error: Mapped[str | None] = mapped_column(Text)
    # The collections' high-water marking: the run's name and counts reveal no more.
    marking_id: Mapped[int] = mapped_column(ForeignKey("markings.id"), index=True)
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class CandidatePair(Base):
    """Two records a run scored at or above its threshold, with the explanation."""

    __tablename__ = "resolve_pairs"
    __table_args__ = (UniqueConstraint("run_id", "left_id", "right_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("resolve_runs.id"), index=True)
    left_id: Mapped[str] = mapped_column(String(128), index=True)
    right_id: Mapped[str] = mapped_column(String(128), index=True)
    left_caption: Mapped[str] = mapped_column(String(300))
    right_caption: Mapped[str] = mapped_column(String(300))
    schema: Mapped[str] = mapped_column(String(32))
    probability: Mapped[float] = mapped_column(Float)
    match_weight: Mapped[float] = mapped_column(Float)
    # [{"comparison": ..., "level": ..., "weight": ...}, ...]
    explanation: Mapped[list[dict[str, object]]] = mapped_column(JSON, default=list)
    marking_id: Mapped[int] = mapped_column(ForeignKey("markings.id"), index=True)


class Judgement(Base):
    """An analyst's verdict on whether two entities are the same: ``same``, ``different``
    or ``unsure``. ``left_id < right_id`` always, so a pair has one spelling."""

    __tablename__ = "resolve_judgements"
    __table_args__ = (Index("ix_resolve_judgements_pair", "left_id", "right_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    left_id: Mapped[str] = mapped_column(String(128), index=True)
    right_id: Mapped[str] = mapped_column(String(128), index=True)
    verdict: Mapped[str] = mapped_column(String(16))
    pair_id: Mapped[int | None] = mapped_column(ForeignKey("resolve_pairs.id"))
    note: Mapped[str] = mapped_column(Text, default="")
    marking_id: Mapped[int] = mapped_column(ForeignKey("markings.id"), index=True)
    judged_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    judged_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    undone_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    undone_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
