"""Shapes of analysis (products): what comes in and what goes out, and the vocabulary."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from baken.analysis.vocab import codes, data, label
from baken.core.markings import Marking
from baken.core.vocab import load

PART = "products"
PRODUCT = "product"
AFGIFTE = "afgifte"
INSTEMMING = "instemming"
STATUSES = ("draft", "submitted", "approved", "released")
CITATION_KINDS = ("document", "entity")


def product_types() -> list[str]:
    return codes(PART, "product_types")


def type_info(code: str) -> dict[str, Any]:
    return dict(data(PART)["product_types"][code])


def is_cyber(code: str) -> bool:
    return bool(type_info(code).get("cyber")) if code in product_types() else False


def usual_recipients(code: str) -> list[str]:
    return [str(r) for r in type_info(code).get("recipients", [])]


def observable_types() -> list[str]:
    return codes(PART, "observable_types")


def recipient_codes() -> list[str]:
    """Organisations a product can be released to (partners, foreign services, victims)."""
    kinds = set(data(PART)["recipient_kinds"])
    return sorted(
        code for code, org in load("markings")["organisations"].items() if org.get("kind") in kinds
    )


def vlabel(group: str, code: str | None, locale: str = "nl") -> str:
    return label(PART, group, code, locale)


@dataclass(frozen=True, slots=True)
class CitationView:
    id: int
    kind: str  # document | entity
    target_id: str
    caption: str
    marking: Marking


@dataclass(frozen=True, slots=True)
class ObservableView:
    id: int
    type: str
    value: str
    description: str


@dataclass(frozen=True, slots=True)
class ReleaseView:
    id: int
    product_id: int
    recipient: str
    content: dict[str, Any]
    note: str
    marking: Marking
    released_by: str
    released_at: datetime


@dataclass(frozen=True, slots=True)
class ConsentView:
    id: int
    partner: str
    recipient: str
    reference: str
    recorded_by: str
    recorded_at: datetime
    marking: Marking


@dataclass(frozen=True, slots=True)
class ProductSummary:
    id: int
    type: str
    title: str
    status: str
    marking: Marking
    author: str
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class ProductView:
    id: int
    type: str
    title: str
    summary: str
    body: str
    status: str
    marking: Marking
    created_at: datetime
    author: str
    citations: list[CitationView] = field(default_factory=list)
    observables: list[ObservableView] = field(default_factory=list)
    author_id: int = 0
    updated_at: datetime | None = None
    submitted_at: datetime | None = None
    approved_by: str | None = None
    approved_at: datetime | None = None
    review_note: str = ""
    recipients: list[str] = field(default_factory=list)  # the approved releasability list
    releases: list[ReleaseView] = field(default_factory=list)
    consents: list[ConsentView] = field(default_factory=list)

    @property
    def cyber(self) -> bool:
        return is_cyber(self.type) or bool(self.observables)

    def markings(self) -> list[Marking]:
        return [
            self.marking,
            *(c.marking for c in self.citations),
            *(r.marking for r in self.releases),
            *(c.marking for c in self.consents),
        ]
