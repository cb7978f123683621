"""The legal clock of a screening (Wvo art. 7): a decision within the term after the
request is received, not counting the days the clock was suspended (opschorting).

The term, an extension and the "at risk" margin are data (``vocab.yaml`` ``clock:``),
because whether an extension exists is not confirmed (DOMAIN.md §4). Pure functions of
dates: no database, no wall clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from baken.vetting.vocab import data

OPEN = ("requested", "investigation", "suspended", "intended_refusal")


@dataclass(frozen=True, slots=True)
class Rules:
    term_weeks: int = 8
    extension_weeks: int = 0
    at_risk_days: int = 10

    @classmethod
    def load(cls) -> Rules:
        found = data("screenings").get("clock") or {}
        return cls(
            term_weeks=int(found.get("term_weeks", 8)),
            extension_weeks=int(found.get("extension_weeks", 0)),
            at_risk_days=int(found.get("at_risk_days", 10)),
        )


def due(received_on: date, suspended_days: int = 0, rules: Rules | None = None) -> date:
    """The last day of the term: received + term + the days suspended."""
    r = rules or Rules.load()
    return received_on + timedelta(weeks=r.term_weeks, days=suspended_days)


@dataclass(frozen=True, slots=True)
class Position:
    """Where a case stands on its clock on a given day."""

    due_on: date  # as it would be if the clock ran again today
    days_used: int  # running days since received, suspended days not counted
    days_left: int  # negative when overdue
    suspended: bool
    overdue: bool
    at_risk: bool


def position(
    *,
    status: str,
    received_on: date,
    due_on: date,
    suspended_since: date | None,
    today: date,
    suspended_days: int = 0,
    decided_on: date | None = None,
    rules: Rules | None = None,
) -> Position:
    """The clock on ``today``. A suspended clock stands still: the days since the
    suspension push the due date on; a decided case stops on its decision day."""
    r = rules or Rules.load()
    is_open = status in OPEN
    end = today if is_open else (decided_on or today)
    running_due, standing = due_on, 0
    if is_open and suspended_since is not None and today > suspended_since:
        standing = (today - suspended_since).days
        running_due = due_on + timedelta(days=standing)
    used = (end - received_on).days - suspended_days - standing
    left = (running_due - end).days
    overdue = is_open and end > running_due
    at_risk = is_open and not overdue and left <= r.at_risk_days
    return Position(
        due_on=running_due,
        days_used=max(0, used),
        days_left=left,
        suspended=is_open and suspended_since is not None,
        overdue=overdue,
        at_risk=at_risk,
    )
