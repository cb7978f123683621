"""What the sweeps services share: the kinds, the refusal, the vocabulary (levels with an
interval, risks, reasons, severities, kinds of finding), where a room stands against its
interval, and the checks of typed values."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, timedelta
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, or_
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from baken.core import policy
from baken.core.errors import DomainError
from baken.core.i18n import N_
from baken.core.markings import Level, MarkingError, valid_code
from baken.core.principals import Principal
from baken.protect.sweeps.models import Room, Sweep
from baken.protect.vocab import codes, data

ROOM = "beveiligde_ruimte"
SWEEP = "veegonderzoek"
PAGE = 50
DUE_SOON_DAYS = 30
REF_TRIES = 5
DEFAULT_MARKING_LEVEL = Level.DEP_VERTROUWELIJK.name

R = TypeVar("R", Room, Sweep)


class SweepsError(DomainError):
    """A sweeps action refused for a domain reason (the message says why)."""


def risks() -> list[str]:
    return codes("sweeps", "risks")


def reasons() -> list[str]:
    return codes("sweeps", "reasons")


def severities() -> list[str]:
    return codes("sweeps", "severities")


def finding_kinds() -> list[str]:
    return codes("sweeps", "finding_kinds")


def room_levels() -> list[Level]:
    """The levels a secure room can be for (those with an interval), lowest first."""
    table = data("sweeps")["intervals"]
    return [level for level in Level if level.name in table]


def interval_days(level: str, risk: str) -> int:
    """Days between sweeps for a room at ``level`` with ``risk`` (design assumptions)."""
    row = data("sweeps")["intervals"].get(level)
    if row is None:
        raise SweepsError(N_("unknown classification level {level}"), level=level)
    if risk not in row:
        raise SweepsError(N_("unknown risk {risk}"), risk=risk)
    return int(row[risk])


def state(room: Room, today: date) -> str:
    """Where a room stands against its interval: inactive, never, overdue, due_soon, ok."""
    if not room.active:
        return "inactive"
    if room.next_due_on is None:
        return "never"
    if room.next_due_on < today:
        return "overdue"
    if room.next_due_on <= today + timedelta(days=DUE_SOON_DAYS):
        return "due_soon"
    return "ok"


def overdue_sql(on: Any) -> ColumnElement[bool]:
    """SQL: a room is overdue on ``on`` (a day or a date column): out of use, never
    swept, or due before that day."""
    return or_(Room.active.is_(False), Room.next_due_on.is_(None), Room.next_due_on < on)


def plan_next(room: Room, today: date) -> date:
    """The date the interval proposes for the room's next sweep: when it is due, or
    today when it is overdue or was never swept."""
    if room.next_due_on is None or room.next_due_on < today:
        return today
    return room.next_due_on


def can_write(principal: Principal) -> bool:
    return policy.role_may_write(principal, ROOM) and not principal.is_external


# --- checks --------------------------------------------------------------------------------


def _text(value: str, message: str) -> str:
    text = value.strip()
    if not text:
        raise SweepsError(message)
    return text


def _level(value: str) -> Level:
    try:
        return Level[value]
    except KeyError:
        raise SweepsError(N_("unknown classification level {level}"), level=value) from None


def _compartments(text: str | Iterable[str]) -> frozenset[str]:
    items = text.replace(",", " ").split() if isinstance(text, str) else list(text)
    found = set()
    for item in items:
        code = item.strip().upper()
        try:
            found.add(valid_code(code))
        except MarkingError:
            raise SweepsError(N_("invalid compartment code {code}"), code=item) from None
    return frozenset(found)


def _with_ref(session: Session, make: Callable[[], R], message: str) -> R:
    """Insert a row with the next reference; a collision with a concurrent writer (the
    unique constraint) is retried in a savepoint."""
    for _ in range(REF_TRIES):
        candidate = make()
        try:
            with session.begin_nested():
                session.add(candidate)
                session.flush()
        except IntegrityError:
            continue
        return candidate
    raise SweepsError(message)
