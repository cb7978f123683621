"""Positions for the portal's tests, made through the positions service."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from baken.core.principals import Principal
from baken.vetting.portal import leak


def location(session: Session, officer: Principal, code: str, name: str) -> int:
    return leak.location(session, officer, code, name)


def position(
    session: Session, officer: Principal, employer: str, title: str, level: str, loc: int | None
) -> int:
    return leak.position(session, officer, employer, title, level, loc, date(2026, 1, 1))
