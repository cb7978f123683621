"""The fictional demo data of vetting (portal)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from baken.core.config import Settings


def load(session: Session, users: dict[str, int], settings: Settings) -> None:
    """Nothing yet."""
