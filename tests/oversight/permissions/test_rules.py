"""The powers' configuration and the one rule for external decisions (no database)."""

from __future__ import annotations

from datetime import date

import pytest

from baken.core.markings import Level, Marking, Service
from baken.core.principals import Principal
from baken.oversight.permissions import rules
from baken.oversight.permissions.rules import TOESTEMMING

AIVD_TO_DECIDERS = Marking.of("STG_GEHEIM", Service.AIVD, releasable_to={"BZK", "TIB"})


def who(role: str, organisation: str, clearance: Level = Level.STG_ZEER_GEHEIM) -> Principal:
    return Principal(
        id=1,
        username=role,
        display_name=role,
        clearance=clearance,
        service=None,
        organisation=organisation,
        roles=frozenset({role}),
    )


def test_every_power_has_a_term_within_its_maximum() -> None:
    powers = rules.powers()
    assert "interceptie" in powers
    for power in powers.values():
        assert 1 <= power.term_months <= power.max_term_months
        assert power.reminder_days > 0


def test_the_tijdelijke_wet_applies_to_listed_powers_against_listed_countries() -> None:
    assert rules.regime_for("hacken", "RU") == "tijdelijke_wet"
    assert rules.regime_for("hacken", None) == "wiv"
    assert rules.regime_for("observatie", "RU") == "wiv"


@pytest.mark.parametrize(
    ("start", "months", "end"),
    [
        (date(2026, 3, 2), 3, date(2026, 6, 1)),
        (date(2026, 11, 30), 3, date(2027, 2, 27)),
        (date(2026, 1, 31), 1, date(2026, 2, 27)),
    ],
)
def test_term_end(start: date, months: int, end: date) -> None:
    assert rules.term_end(start, months) == end


@pytest.mark.parametrize(
    ("status", "regime", "reviewed", "role"),
    [
        ("draft", "wiv", False, None),
        ("team_lead", "wiv", False, None),
        ("minister", "wiv", False, "minister_office"),
        ("review", "wiv", False, "tib"),
        ("in_use", "wiv", False, "tib"),  # urgency: the review afterwards
        ("in_use", "wiv", True, None),
        ("in_use", "tijdelijke_wet", True, "overseer"),
        ("refused", "wiv", False, None),
    ],
)
def test_who_decides_next(status: str, regime: str, reviewed: bool, role: str | None) -> None:
    assert rules.permission_decider(status, regime, reviewed) == role


def test_may_decide_needs_the_role_the_step_and_the_read() -> None:
    minister, tib = who("minister_office", "BZK"), who("tib", "TIB")
    assert rules.may_decide(
        minister, role="minister_office", kind=TOESTEMMING, marking=AIVD_TO_DECIDERS
    )
    assert not rules.may_decide(
        tib, role="minister_office", kind=TOESTEMMING, marking=AIVD_TO_DECIDERS
    )
    assert rules.may_decide(tib, role="tib", kind=TOESTEMMING, marking=AIVD_TO_DECIDERS)
    assert not rules.may_decide(tib, role=None, kind=TOESTEMMING, marking=AIVD_TO_DECIDERS)
    # Not released to the decider's organisation, or above its clearance: no decision.
    not_released = Marking.of("STG_GEHEIM", Service.AIVD)
    assert not rules.may_decide(tib, role="tib", kind=TOESTEMMING, marking=not_released)
    low_tib = who("tib", "TIB", Level.STG_CONFIDENTIEEL)
    assert not rules.may_decide(low_tib, role="tib", kind=TOESTEMMING, marking=AIVD_TO_DECIDERS)
    # Defence's minister does not decide an AIVD request, even if it could read it.
    defence = who("minister_office", "DEF")
    both = Marking.of("STG_GEHEIM", Service.AIVD, releasable_to={"BZK", "DEF"})
    assert not rules.may_decide(defence, role="minister_office", kind=TOESTEMMING, marking=both)
    # The CTIVD reads through its waiver, without releasability.
    ctivd = who("overseer", "CTIVD")
    assert rules.may_decide(ctivd, role="overseer", kind=TOESTEMMING, marking=not_released)
