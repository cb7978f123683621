"""Shapes of protect (resilience): what the services return to pages and the API, and the
vocabulary (audience sectors, notification channels, the product types of this part)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from baken.core.markings import Marking
from baken.core.vocab import load
from baken.protect.vocab import codes, data, label

PART = "resilience"
KIND = "weerbaarheidsproduct"


def product_types() -> list[str]:
    """The analysis product types that get a resilience record."""
    return [str(t) for t in data(PART)["product_types"]]


def victim_type() -> str:
    """The product type of a notification to a victim of a cyber operation."""
    return str(data(PART)["victim_notification"])


def audiences() -> list[str]:
    return codes(PART, "audiences")


def channels() -> list[str]:
    return codes(PART, "channels")


def victim_organisations() -> list[str]:
    """Organisation codes of kind ``victim`` (core/vocab/markings.yaml)."""
    orgs = load("markings")["organisations"]
    return sorted(code for code, org in orgs.items() if org.get("kind") == "victim")


def usual_recipients(sectors: list[str], victim: str | None = None) -> list[str]:
    """The organisations a product for these sectors usually goes to (and the victim)."""
    entries = data(PART).get("audiences", {})
    found = {str(r) for s in sectors for r in entries.get(s, {}).get("recipients", [])}
    return sorted(found | ({victim} if victim else set()))


def rlabel(group: str, code: str | None, locale: str = "nl") -> str:
    return label(PART, group, code, locale)


@dataclass(frozen=True, slots=True)
class ReleaseLine:
    """A release of a resilience product (the internal view)."""

    id: int
    record_id: int
    product_id: int
    title: str
    recipient: str
    released_at: datetime
    marking: Marking


@dataclass(frozen=True, slots=True)
class RecordView:
    """A resilience record with what it shows of its product."""

    id: int
    product_id: int
    type: str
    title: str
    summary: str
    status: str
    marking: Marking
    topic: str
    audiences: list[str]
    victim: str | None
    incident: str
    observed_on: date | None
    channel: str
    acknowledged_at: datetime | None
    acknowledged_by: str | None
    author: str
    created_at: datetime
    releases: list[ReleaseLine] = field(default_factory=list)

    @property
    def is_notification(self) -> bool:
        return self.victim is not None


@dataclass(frozen=True, slots=True)
class Received:
    """A resilience product released to the reader's organisation (the partner's view):
    only what the release carries, and, for a notification to them, the acknowledgement."""

    release_id: int
    type: str
    title: str
    summary: str
    released_at: datetime
    marking: Marking
    notification: bool  # a victim notification addressed to the reader's organisation
    acknowledged_at: datetime | None


@dataclass(frozen=True, slots=True)
class Dashboard:
    by_sector: dict[str, int]
    by_status: dict[str, int]
    awaiting: list[RecordView]
    recent: list[ReleaseLine]
    rows: list[RecordView]
    page: int
    more: bool

    def markings(self) -> list[Marking]:
        return [
            *(r.marking for r in self.rows),
            *(r.marking for r in self.awaiting),
            *(r.marking for r in self.recent),
        ]
