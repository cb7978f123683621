"""Human-readable references (TV-2026-0001, VO-2026-000001, VF-0001): one past the
highest in use under the same stem, never a count, so a deleted row cannot make two
alike. A unique constraint on the column catches two writers at the same moment."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session


def next_reference(session: Session, column: Any, stem: str, width: int) -> str:
    """``stem`` and the number one past the highest in use after it, zero-padded to
    ``width`` digits (ordered by length, then text, so that 10000 follows 9999)."""
    top = session.scalar(
        select(column)
        .where(column.like(f"{stem}%"))
        .order_by(func.length(column).desc(), column.desc())
        .limit(1)
    )
    tail = top[len(stem) :] if top else ""
    number = int(tail) + 1 if tail.isdigit() else 1
    return f"{stem}{number:0{width}d}"


__all__ = ["next_reference"]
