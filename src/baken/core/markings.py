"""Markings: classification level, compartments, owning service, originators, releasability.

A :class:`Marking` is a value. Markings are compared by *dominance*: ``a.dominates(b)``
holds when everyone who may read ``a`` may also read ``b``. Derived work takes the
:func:`high_water` of its sources; the only way down is a sanitisation
(:mod:`baken.core.sanitise`), which makes a new object.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import IntEnum, StrEnum
from typing import Any

from baken.core.i18n import N_
from baken.core.vocab import load


class Level(IntEnum):
    ONGERUBRICEERD = 0
    DEP_VERTROUWELIJK = 1
    STG_CONFIDENTIEEL = 2
    STG_GEHEIM = 3
    STG_ZEER_GEHEIM = 4

    def label(self, locale: str = "nl") -> str:
        return str(_level_info(self)["en" if locale == "en" else "nl"])

    @property
    def short(self) -> str:
        return str(_level_info(self)["short"])


def _level_info(level: Level) -> dict[str, Any]:
    for row in load("markings")["levels"]:
        if row["code"] == level.name:
            return dict(row)
    raise KeyError(level.name)


class Service(StrEnum):
    AIVD = "AIVD"
    MIVD = "MIVD"
    JOINT = "JOINT"

    def label(self, locale: str = "nl") -> str:
        return str(load("markings")["services"][self.value]["en" if locale == "en" else "nl"])


INTERNAL_SERVICES = frozenset({Service.AIVD, Service.MIVD})

_CODE = re.compile(r"^[A-Z][A-Z0-9-]{1,31}$")


class MarkingError(ValueError):
    """A marking that cannot exist (bad compartment code, empty reader set, ...)."""


def valid_code(code: str) -> str:
    if not _CODE.fullmatch(code):
        raise MarkingError(f"invalid code {code!r}: use A-Z, 0-9 and '-', 2-32 characters")
    return code


def organisation_codes() -> frozenset[str]:
    return frozenset(load("markings")["organisations"])


def organisation_label(code: str, locale: str = "nl") -> str:
    org = load("markings")["organisations"].get(code)
    return str(org["en" if locale == "en" else "nl"]) if org else code


def nato_to_level(nato: str) -> Level:
    return Level[load("markings")["nato_equivalents"][nato]]


@dataclass(frozen=True, slots=True)
class Marking:
    level: Level = Level.ONGERUBRICEERD
    owner: Service = Service.JOINT
    compartments: frozenset[str] = field(default_factory=frozenset)
    originators: frozenset[str] = field(default_factory=frozenset)
    releasable_to: frozenset[str] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        for code in self.compartments | self.originators | self.releasable_to:
            valid_code(code)

    @classmethod
    def of(
        cls,
        level: Level | str,
        owner: Service | str = Service.JOINT,
        compartments: Iterable[str] = (),
        originators: Iterable[str] = (),
        releasable_to: Iterable[str] = (),
    ) -> Marking:
        return cls(
            level=level if isinstance(level, Level) else Level[level],
            owner=Service(owner),
            compartments=frozenset(compartments),
            originators=frozenset(originators),
            releasable_to=frozenset(releasable_to),
        )

    def key(self) -> str:
        """Canonical text form; equal markings have equal keys (used to intern them)."""
        parts = [
            self.level.name,
            self.owner.value,
            ",".join(sorted(self.compartments)),
            ",".join(sorted(self.originators)),
            ",".join(sorted(self.releasable_to)),
        ]
        return "|".join(parts)

    @classmethod
    def from_key(cls, key: str) -> Marking:
        level, owner, comps, origs, rel = key.split("|")

        def split(text: str) -> frozenset[str]:
            return frozenset(t for t in text.split(",") if t)

        return cls(Level[level], Service(owner), split(comps), split(origs), split(rel))

    def reader_services(self) -> frozenset[Service]:
        """The services whose staff the service rule admits."""
        if self.owner is Service.JOINT:
            return INTERNAL_SERVICES
        return frozenset({self.owner}) | frozenset(
            Service(code) for code in self.releasable_to if code in INTERNAL_SERVICES
        )

    def dominates(self, other: Marking) -> bool:
        """True when every reader of ``self`` may also read ``other``."""
        return (
            self.level >= other.level
            and self.compartments >= other.compartments
            and self.reader_services() <= other.reader_services()
            and self.external_readers() <= other.external_readers()
        )

    def external_readers(self) -> frozenset[str]:
        return frozenset(c for c in self.releasable_to if c not in INTERNAL_SERVICES)

    def is_public(self) -> bool:
        """Fit for publication: unclassified, no compartment, no third party's material."""
        return self.level is Level.ONGERUBRICEERD and not self.compartments and not self.originators

    def banner(self, locale: str = "nl") -> str:
        """The text of the marking banner: level, compartments, owner and releasability."""
        text = self.level.label(locale).upper()
        if self.compartments:
            text += " // " + "/".join(sorted(self.compartments))
        if self.level > Level.ONGERUBRICEERD:
            text += " // " + self.owner.label(locale)
        if self.originators:
            orig = "ORIGINATOR" if locale == "en" else "HERKOMST"
            text += f" // {orig} " + ", ".join(sorted(self.originators))
        if self.releasable_to:
            rel = "REL TO" if locale == "en" else "VRIJGEGEVEN AAN"
            text += f" // {rel} " + ", ".join(sorted(self.releasable_to))
        return text


UNMARKED = Marking()


def high_water(markings: Iterable[Marking]) -> Marking:
    """The lowest marking that dominates all of ``markings``.

    Level is the maximum, compartments and originators the union, releasability the
    intersection, and the owner the narrowest one whose readers are admitted by every
    source. Raises :class:`MarkingError` when no internal service may read all sources.
    """
    items = list(markings)
    if not items:
        return UNMARKED
    readers = frozenset(INTERNAL_SERVICES)
    releasable: frozenset[str] | None = None
    for m in items:
        readers &= m.reader_services()
        releasable = m.releasable_to if releasable is None else releasable & m.releasable_to
    if not readers:
        raise MarkingError(N_("no service may read all sources; the derivative cannot be marked"))
    assert releasable is not None
    owners = {m.owner for m in items}
    if len(owners) == 1:
        owner = owners.pop()
    else:
        owner = Service.JOINT if readers == INTERNAL_SERVICES else next(iter(readers))
    return Marking(
        level=max(m.level for m in items),
        owner=owner,
        compartments=frozenset().union(*(m.compartments for m in items)),
        originators=frozenset().union(*(m.originators for m in items)),
        releasable_to=releasable,
    )


def summary(markings: Iterable[Marking]) -> Marking:
    """One marking standing for many (a page banner, the audit entry of a list read):
    their high-water mark, or, for items of both services that no one service may read
    in full, the highest of them."""
    items = list(markings)
    if not items:
        return UNMARKED
    try:
        return high_water(items)
    except MarkingError:
        return max(items, key=lambda m: (m.level, len(m.compartments)))
