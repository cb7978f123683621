"""Indicator series: weekly counts per (country or region, theme, entity), built from the
events analysts record and from tagged material, computed for one viewer.

Every count comes from a query whose WHERE clause holds the policy filter of the viewer
(:func:`baken.core.policy.read_filter`), for the event, or for both the tag and its
document. A viewer's series therefore counts only what that viewer may read, and its
marking is the high-water mark of the rows it counted.

A week is named by its Monday. A tagged document counts once per week and series, on the
day it was registered (``documents.created_at``), in each country it mentions
(``documents.countries``); tags that analysts rejected do not count.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from baken.analysis.tagging.models import Tag
from baken.analysis.warning import places
from baken.analysis.warning.models import Event
from baken.core import policy
from baken.core.marking_store import load
from baken.core.markings import Marking, summary
from baken.core.principals import Principal
from baken.holdings.models import Document
from baken.holdings.vocab import DOCUMENT

EVENT = "gebeurtenis"
TAG = "label"
ANY = "*"


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def weeks_ending(last: date, count: int) -> list[date]:
    end = monday(last)
    return [end - timedelta(weeks=count - 1 - i) for i in range(count)]


@dataclass(frozen=True, slots=True)
class SeriesKey:
    """What a series counts: a place (country or region), a theme, an entity; ``None``
    counts everything on that axis."""

    place: str | None = None
    theme: str | None = None
    entity: str | None = None

    def code(self) -> str:
        return "|".join(v or ANY for v in (self.place, self.theme, self.entity))

    @classmethod
    def parse(cls, text: str) -> SeriesKey:
        parts = ([*text.split("|"), ANY, ANY, ANY])[:3]
        place, theme, entity = (None if p in ("", ANY) else p for p in parts)
        return cls(place, theme, entity)


@dataclass
class Counts:
    weeks: list[date]
    values: list[float]
    marking_ids: set[int] = field(default_factory=set)

    def marking(self, session: Session) -> Marking:
        return policy.derived_marking(list(load(session, self.marking_ids).values()))


def _start(first: date) -> datetime:
    return datetime.combine(first, time.min, tzinfo=UTC)


def event_rows(
    session: Session, principal: Principal, key: SeriesKey, first: date, last: date
) -> list[tuple[date, str, str, int]]:
    """(date, country, theme, marking id) of the events the principal may read."""
    query = select(Event.occurred_on, Event.country, Event.theme, Event.marking_id).where(
        policy.read_filter(principal, EVENT, Event.marking_id),
        Event.occurred_on >= first,
        Event.occurred_on <= last,
    )
    if key.place:
        query = query.where(Event.country.in_(sorted(places.countries_of(key.place))))
    if key.theme:
        query = query.where(Event.theme == key.theme)
    if key.entity:
        query = query.where(Event.actor_entity_id == key.entity)
    return [(d, c, t, m) for d, c, t, m in session.execute(query)]


def tag_rows(
    session: Session, principal: Principal, key: SeriesKey, first: date, last: date
) -> list[tuple[int, date, list[str], str, set[int]]]:
    """(document id, date, countries, theme, marking ids) of the tagged documents the
    principal may read, through tags the principal may read, not rejected."""
    t = Tag.__table__.c
    query = (
        select(
            Document.id,
            Document.created_at,
            Document.countries,
            t.theme,
            t.marking_id,
            Document.marking_id,
        )
        .join(Document, Document.id == t.document_id)
        .where(
            policy.read_filter(principal, TAG, t.marking_id),
            policy.read_filter(principal, DOCUMENT, Document.marking_id),
            t.status != "rejected",
            t.theme.is_not(None),
            Document.created_at >= _start(first),
            Document.created_at < _start(last + timedelta(days=1)),
        )
    )
    if key.theme:
        query = query.where(t.theme == key.theme)
    if key.entity:
        query = query.where(t.entity_id == key.entity)
    wanted = places.countries_of(key.place) if key.place else None
    out = []
    for doc_id, created, countries, theme, tag_mark, doc_mark in session.execute(query):
        found = [str(c).upper() for c in (countries or [])]
        if wanted is not None:
            found = [c for c in found if c in wanted]
            if not found:
                continue
        out.append((doc_id, created.date(), found, str(theme), {tag_mark, doc_mark}))
    return out


def counts(session: Session, principal: Principal, key: SeriesKey, weeks: list[date]) -> Counts:
    """Weekly counts of one series for one principal (events plus tagged documents)."""
    first, last = weeks[0], weeks[-1] + timedelta(days=6)
    tally: Counter[date] = Counter()
    marks: set[int] = set()
    for day, _country, _theme, marking_id in event_rows(session, principal, key, first, last):
        tally[monday(day)] += 1
        marks.add(marking_id)
    seen: set[tuple[int, date]] = set()
    for doc_id, day, _countries, _theme, ids in tag_rows(session, principal, key, first, last):
        week = monday(day)
        if (doc_id, week) not in seen:
            seen.add((doc_id, week))
            tally[week] += 1
        marks |= ids
    return Counts(weeks, [float(tally.get(w, 0)) for w in weeks], marks)


@dataclass
class Grid:
    """Weekly counts per (region, theme), for the dashboard."""

    weeks: list[date]
    cells: dict[tuple[str, str], list[float]]
    marking_ids: set[int]

    def markings(self, session: Session) -> list[Marking]:
        return list(load(session, self.marking_ids).values())


def grid(session: Session, principal: Principal, weeks: list[date]) -> Grid:
    """Counts per region and theme in one pass over what the principal may read."""
    first, last = weeks[0], weeks[-1] + timedelta(days=6)
    index = {w: i for i, w in enumerate(weeks)}
    cells: dict[tuple[str, str], list[float]] = {}
    marks: set[int] = set()

    def add(region: str, theme: str, week: date) -> None:
        cells.setdefault((region, theme), [0.0] * len(weeks))[index[week]] += 1

    everything = SeriesKey()
    for day, country, theme, marking_id in event_rows(session, principal, everything, first, last):
        marks.add(marking_id)
        for region in places.regions_of(country):
            add(region, theme, monday(day))
    for _doc, day, countries, theme, ids in tag_rows(session, principal, everything, first, last):
        marks |= ids
        for region in sorted({r for c in countries for r in places.regions_of(c)}):
            add(region, theme, monday(day))
    return Grid(weeks, cells, marks)


def summary_marking(markings: Iterable[Marking]) -> Marking:
    return summary(markings)
