"""Shapes of protect (threats): what the pages and the API show, and the vocabulary."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from baken.core.markings import Marking
from baken.protect.vocab import codes, data, label

PART = "threats"
KIND = "dreigingsproduct"
DECISION = "maatregelbesluit"
NO_MEASURES = "geen_maatregelen"


def threat_types() -> list[str]:
    return codes(PART, "product_types")


def subject_kinds() -> list[str]:
    return codes(PART, "subject_kinds")


def domains() -> list[str]:
    return codes(PART, "domains")


def authorities() -> list[str]:
    return codes(PART, "authorities")


def measures() -> list[str]:
    return codes(PART, "measures")


def authority_info(code: str) -> dict[str, Any]:
    return dict(data(PART)["authorities"][code])


def addressees(authority: str) -> list[str]:
    """The organisations a product for ``authority`` is addressed to."""
    if authority not in authorities():
        return []
    return [str(code) for code in authority_info(authority).get("addressees", [])]


def addressing() -> list[tuple[str, str]]:
    """Every (authority, addressee) pair, for the form's one choice of both."""
    return [(a, org) for a in authorities() for org in addressees(a)]


def public_2018(product_type: str) -> int | None:
    """The public count of 2018 of this type of threat product, where one was published."""
    entry = data(PART)["product_types"].get(product_type) or {}
    value = entry.get("public_2018")
    return int(value) if value is not None else None


def tlabel(group: str, code: str | None, locale: str = "nl") -> str:
    return label(PART, group, code, locale)


@dataclass(frozen=True, slots=True)
class DecisionView:
    id: int
    version: int
    measures: list[str]
    decided_on: date
    text: str
    recorded_for: str  # authority | aivd
    recorded_by: str
    recorded_at: datetime
    marking: Marking


@dataclass(frozen=True, slots=True)
class ReleaseInfo:
    """The release of the threat product to its addressee."""

    id: int
    recipient: str
    released_at: datetime
    marking: Marking


@dataclass(frozen=True, slots=True)
class ThreatView:
    """A threat product as the reader may see it. For the service's staff it is read
    through the product's marking (``status`` and ``author`` set); for the addressee's
    partner recipient through the release's (``status`` None, ``title`` and ``summary``
    as released)."""

    id: int
    product_id: int
    type: str
    title: str
    summary: str
    subject_kind: str
    subject: str
    domain: str
    authority: str
    addressee: str
    event_on: date | None
    marking: Marking
    created_at: datetime
    status: str | None = None
    author: str | None = None
    release: ReleaseInfo | None = None
    decisions: list[DecisionView] = field(default_factory=list)

    @property
    def decision(self) -> DecisionView | None:
        """The decision in force: the latest version."""
        return self.decisions[-1] if self.decisions else None

    def markings(self) -> list[Marking]:
        return [
            self.marking,
            *([self.release.marking] if self.release else []),
            *(d.marking for d in self.decisions),
        ]


@dataclass(frozen=True)
class Dashboard:
    """The figures and lists of /bewaken-beveiligen, all counted through the read filter."""

    rows: list[ThreatView]
    page: int
    more: bool
    by_type: dict[str, int]
    by_status: dict[str, int]
    awaiting: list[ThreatView]  # the first 100
    waiting: int  # how many are awaiting a decision
    decided: int
    total: int
    received: bool = False  # the partner's view: what was released to its organisation

    def markings(self) -> list[Marking]:
        return [m for row in (*self.rows, *self.awaiting) for m in row.markings()]
