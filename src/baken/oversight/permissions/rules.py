"""The powers' terms (``powers.yaml``) and the one rule for decisions by external bodies.

The minister's office, the TIB and the CTIVD are external principals, and
:func:`baken.core.policy.can_write` refuses every external principal. Their decisions are
therefore not writes in the ordinary sense but a narrow, separate permission, kept here
and nowhere else (ADR 0012): a decision may be recorded by a holder of the deciding role,
for a request (or complaint) at the step where that role decides, which the decider may
read (for external principals that means: released to their organisation, or the
overseer's waiver), and for the minister's office only the minister of the service that
owns it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from baken.core import policy
from baken.core.markings import Marking
from baken.core.principals import Principal
from baken.core.vocab import load

PACKAGE = "baken.oversight.permissions"
TOESTEMMING = "toestemming"
KLACHT = "klacht"
CRITERIA = ("necessity", "proportionality", "subsidiarity", "targeting")
COMPLAINT_TERM_DAYS = 14  # the CTIVD decides within two weeks whether it takes a complaint


@dataclass(frozen=True, slots=True)
class Power:
    code: str
    nl: str
    en: str
    term_months: int
    max_term_months: int
    max_renewals: int | None
    reminder_days: int

    def label(self, locale: str = "nl") -> str:
        return self.en if locale == "en" else self.nl


def _config() -> dict[str, Any]:
    return load("powers", PACKAGE)


def powers() -> dict[str, Power]:
    return {
        code: Power(
            code=code,
            nl=str(info["nl"]),
            en=str(info["en"]),
            term_months=int(info["term_months"]),
            max_term_months=int(info["max_term_months"]),
            max_renewals=None if info.get("max_renewals") is None else int(info["max_renewals"]),
            reminder_days=int(info["reminder_days"]),
        )
        for code, info in _config()["powers"].items()
    }


def countries() -> dict[str, dict[str, str]]:
    return dict(_config()["tijdelijke_wet"]["countries"])


def country_label(code: str | None, locale: str = "nl") -> str:
    if not code:
        return ""
    entry = countries().get(code)
    return str(entry["en" if locale == "en" else "nl"]) if entry else code


def regime_for(power: str, country: str | None) -> str:
    """``tijdelijke_wet`` for a configured power aimed at a configured country."""
    tw = _config()["tijdelijke_wet"]
    if power in tw["powers"] and country in tw["countries"]:
        return "tijdelijke_wet"
    return "wiv"


def minister_organisation(service: str) -> str:
    return str(_config()["deciders"]["minister"][service])


def tib_organisation() -> str:
    return str(_config()["deciders"]["tib"])


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return date(year, month, d)
        except ValueError:
            continue
    raise ValueError(day)


def term_end(start: date, months: int) -> date:
    """The last day a permission of ``months`` starting on ``start`` is valid."""
    return add_months(start, months) - timedelta(days=1)


# --- who decides ------------------------------------------------------------------------


def permission_decider(status: str, regime: str, reviewed: bool) -> str | None:
    """The role that decides a request in this state next, or None."""
    if status == "minister":
        return "minister_office"
    if status == "review":
        return "tib"
    if status == "in_use" and regime == "tijdelijke_wet":
        return "overseer"  # binding oversight during and after the operation
    if status == "in_use" and not reviewed:
        return "tib"  # urgency: the review after the fact
    return None


PERMISSION_OUTCOMES = {
    "minister_office": ("permitted", "refused"),
    "tib": ("lawful", "unlawful"),
    "overseer": ("lawful", "stop"),
}


def complaint_decider(status: str) -> str | None:
    return {"minister": "minister_office", "answered": "overseer", "ctivd": "overseer"}.get(status)


def may_decide(principal: Principal, *, role: str | None, kind: str, marking: Marking) -> bool:
    """The one rule for recording an external body's decision (see the module text).

    The caller has already found the object through the read filter; ``role`` is the
    role that decides it now (:func:`permission_decider`, :func:`complaint_decider`).
    """
    if role is None or role not in principal.roles:
        return False
    if not policy.can_read(principal, kind, marking):
        return False
    if role == "minister_office":
        return principal.organisation == minister_organisation(marking.owner.value)
    return True
