"""Protect (overview) has no demo data of its own: it shows the other parts' figures."""

from __future__ import annotations

from sqlalchemy.orm import Session

from baken.core.config import Settings


def load(session: Session, users: dict[str, int], settings: Settings) -> None:
    return None
