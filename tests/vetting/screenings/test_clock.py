"""The legal clock as pure date arithmetic (no database)."""

from __future__ import annotations

from datetime import date, timedelta

from baken.vetting.screenings import clock

RULES = clock.Rules(term_weeks=8, extension_weeks=0, at_risk_days=10)
START = date(2026, 3, 2)


def test_the_term_is_eight_weeks_plus_the_days_suspended() -> None:
    assert clock.due(START, rules=RULES) == date(2026, 4, 27)
    assert clock.due(START, 5, rules=RULES) == date(2026, 5, 2)
    assert clock.due(START, rules=clock.Rules(term_weeks=6)) == START + timedelta(weeks=6)


def test_the_term_comes_from_the_vocabulary() -> None:
    assert clock.Rules.load().term_weeks == 8


def _at(today: date, **kw: object) -> clock.Position:
    fields: dict[str, object] = {
        "status": "investigation",
        "received_on": START,
        "due_on": clock.due(START, rules=RULES),
        "suspended_since": None,
        "today": today,
        "rules": RULES,
    }
    fields.update(kw)
    return clock.position(**fields)  # type: ignore[arg-type]


def test_days_used_and_left() -> None:
    p = _at(START + timedelta(days=20))
    assert (p.days_used, p.days_left, p.overdue, p.at_risk) == (20, 36, False, False)


def test_at_risk_within_the_margin_and_overdue_after_the_due_date() -> None:
    assert _at(date(2026, 4, 17)).at_risk
    assert not _at(date(2026, 4, 16)).at_risk
    late = _at(date(2026, 4, 28))
    assert late.overdue
    assert not late.at_risk
    assert late.days_left == -1


def test_a_suspended_clock_stands_still() -> None:
    p = _at(
        date(2026, 4, 30),
        status="suspended",
        suspended_since=date(2026, 4, 20),
    )
    # Ten days stood still: the due date moves with them, and nothing is late.
    assert p.suspended
    assert not p.overdue
    assert p.due_on == date(2026, 5, 7)
    assert p.days_used == 49


def test_suspended_days_already_taken_are_not_used_days() -> None:
    p = _at(date(2026, 4, 1), due_on=clock.due(START, 7, rules=RULES), suspended_days=7)
    assert p.days_used == 23
    assert p.days_left == 33


def test_a_decided_case_stops_on_its_decision_day() -> None:
    p = _at(date(2026, 9, 1), status="decided", decided_on=date(2026, 4, 1))
    assert not p.overdue
    assert not p.at_risk
    assert p.days_used == 30
