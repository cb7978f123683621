"""The fictional demo data of protect (resilience)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from baken.core.config import Settings


def load(session: Session, users: dict[str, int], settings: Settings) -> None:
    return None
