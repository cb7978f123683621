"""Tables of analysis (tagging): tags of documents and entities to GA I&V themes and
requirements.

A tag carries the marking of the item it tags (a document's marking; for an entity, the
high-water marking of the statements the tagger read), so a tag reveals no more than
its item and every read goes through :func:`baken.core.policy.read_filter`. Automatic
tags arrive ``proposed``; an analyst confirms or rejects each once (``decided_by``,
``decided_at``); an analyst's own tags are ``confirmed`` from the start.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Float, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from baken.core.db import Base
from baken.core.timeutil import utcnow


class Tag(Base):
    """One item tagged to a theme, and optionally to a requirement of that theme."""

    __tablename__ = "analysis_tags"
    __table_args__ = (
        Index("ix_analysis_tags_theme_status", "theme", "status"),
        Index("ix_analysis_tags_requirement", "requirement_ref", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"), index=True)
    entity_id: Mapped[str | None] = mapped_column(String(128), index=True)
    collection_id: Mapped[int] = mapped_column(ForeignKey("collections.id"), index=True)
    theme: Mapped[str] = mapped_column(String(8))
    # steering Requirement.ref: stable across GA versions
    requirement_ref: Mapped[str | None] = mapped_column(String(32))
    source: Mapped[str] = mapped_column(String(16))  # auto | analyst
    status: Mapped[str] = mapped_column(
        String(16), default="proposed"
    )  # proposed|confirmed|rejected
    score: Mapped[float] = mapped_column(Float, default=1.0)
    # {"terms": [...], "examples": [{"text", "themes", "similarity"}], ...} or {"note": ...}
    explanation: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    marking_id: Mapped[int] = mapped_column(ForeignKey("markings.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # The analyst who added the tag; for automatic tags, the user whose ingest or
    # ``baken tag`` run brought the item in.
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
