"""From raw model spans and gazetteer hits to the mentions a document keeps.

The rules, in order:

1. tidy a model span: trim spaces and punctuation, a leading article ("the", "de"),
   trailing lower-case words ("Delta Chipworks N.V. doelwit") and a possessive
   ("Ivanov's", "Amerika's");
2. repair what a model got half right (words in ``rules.yaml``): neighbouring spans that
   together end in a company word become one organisation ("Noordkaap" + "Maritiem
   B.V."), any name ending in one is an organisation ("Synthera Biotech"); a one-word
   person takes the capitalised name word beside it ("Yusuf" → "Yusuf Demir");
3. label it: a location or nationality that names a country becomes a country
   (``normalised`` = alpha-2), a nationality that names none is dropped; one-character
   and all-lower-case persons are dropped;
4. a model span that swallows two or more gazetteer names ("Rusland en China") is
   dropped in favour of them;
5. overlaps: the longer span wins; on the same span the gazetteer decides (it knows
   countries, institutions and cities better than a small statistical model);
6. locations that are known places carry their country's code (a gazetteer hit has it;
   a model's location is looked up by name).
"""

from __future__ import annotations

import re
import threading
from bisect import bisect_left
from dataclasses import dataclass, replace
from functools import cache
from typing import Literal

from baken.holdings.nlp.countries import ARTICLES, country_code, load_yaml
from baken.holdings.nlp.gazetteer import Gazetteer
from baken.holdings.types import Mention, MentionLabel

ModelLabel = MentionLabel | Literal["nationality"]

_POSSESSIVES = ("'s", "’s", "'", "’")
_EDGE = " \t\n\r\"'“”‘’«»()[]{},;:!?·•–—-"
_TRAILING = _EDGE.replace("'", "").replace("’", "")
_NEXT_WORD = re.compile(r" ([^\W\d_][\w'’-]*)")
_CAPITALISED_RUN = re.compile(r"(?<![\w-])(?:[^\W\d_][\w&'’.-]*)(?: [^\W\d_][\w&'’.-]*)+")
_WORD_AT_END = re.compile(r"[^\W\d_][\w'’-]*\Z")


@dataclass(frozen=True, slots=True)
class ModelSpan:
    """A span a model found, before the merge: offsets into the whole text."""

    start: int
    end: int
    label: ModelLabel
    source: str  # "frog", "spacy"


@dataclass(frozen=True, slots=True)
class Rules:
    company_words: frozenset[str]
    company_suffixes: frozenset[str]
    titles: frozenset[str]
    stop_words: frozenset[str]  # lower case, Dutch and English


# spaCy's package imports itself in a cycle: two threads importing it at once can see a
# partly initialised module (CPython's import-lock deadlock avoidance). Every import of
# spaCy in this package happens under this lock.
SPACY_IMPORT = threading.Lock()


@cache
def rules() -> Rules:
    with SPACY_IMPORT:
        from spacy.lang.en.stop_words import STOP_WORDS as ENGLISH
        from spacy.lang.nl.stop_words import STOP_WORDS as DUTCH

    data = load_yaml("rules.yaml")
    return Rules(
        company_words=frozenset(data["company_words"]),
        company_suffixes=frozenset(data["company_suffixes"]),
        titles=frozenset(data["titles"]),
        stop_words=frozenset(ENGLISH | DUTCH),
    )


def merge(text: str, model: list[ModelSpan], gazetteer: Gazetteer) -> list[Mention]:
    hits = sorted(gazetteer.find(text), key=lambda h: (h.start, h.end))
    starts = [h.start for h in hits]
    known = {(h.start, h.end) for h in hits if h.label != "location"}
    words = rules()
    keep = gazetteer.names_with_article()
    spans = [span for span in (_tidy(text, s, keep) for s in model) if span is not None]
    spans = [_organisation(text, span, words) for span in _join(text, spans, words)]
    spans = [_complete(text, span, words, known) for span in spans]
    candidates: list[tuple[Mention, int]] = [(m, 0) for m in hits]
    for span in spans:
        mention = _label(text, span, gazetteer)
        if mention is not None:
            first, last = bisect_left(starts, mention.start), bisect_left(starts, mention.end)
            if not _swallows(text, mention, hits[first:last]):
                candidates.append((mention, 1))
    candidates += [(m, 2) for m in companies(text, words)]
    # Longest first; on equal length the gazetteer (rank 0), then the models, then the
    # company pattern; then left to right. Kept spans never overlap.
    candidates.sort(key=lambda c: (c[0].start - c[0].end, c[1], c[0].start))
    taken = bytearray(len(text))
    kept: list[Mention] = []
    for mention, _ in candidates:
        if 1 in taken[mention.start : mention.end]:
            continue
        kept.append(mention)
        taken[mention.start : mention.end] = b"\x01" * (mention.end - mention.start)
    return sorted(kept, key=lambda m: (m.start, m.end))


def _tidy(text: str, span: ModelSpan, keep: frozenset[str]) -> ModelSpan | None:
    bounds = tidy(text, span.start, span.end, keep)
    return None if bounds is None else replace(span, start=bounds[0], end=bounds[1])


def _join(text: str, spans: list[ModelSpan], words: Rules) -> list[ModelSpan]:
    """Join spans a model cut in two: "Noordkaap" + "Maritiem B.V." is one company,
    "Femke" + "Oosterhout" one person. Only neighbours with one space between them, and
    only when the whole ends in a company word or completes a one-word person."""
    joined: list[ModelSpan] = []
    for span in sorted(spans, key=lambda s: (s.start, s.end)):
        if joined and text[joined[-1].end : span.start] == " ":
            before = joined[-1]
            whole = text[before.start : span.end]
            if _last_word(whole) in words.company_words and not _adjective(text, before):
                joined[-1] = ModelSpan(before.start, span.end, "organisation", before.source)
                continue
            one_word = " " not in text[before.start : before.end]
            if (
                before.label == "person"
                and one_word
                and _name_word(text[span.start : span.end], words)
            ):
                joined[-1] = ModelSpan(before.start, span.end, "person", before.source)
                continue
        joined.append(span)
    return joined


def _organisation(text: str, span: ModelSpan, words: Rules) -> ModelSpan:
    """A name ending in a company word is an organisation, whatever the model said; an
    organisation the model cut short of its company word ("Waddenstroom" of
    "Waddenstroom Netbeheer") or of its name ("Energie" of "Kustlicht Energie") gets it."""
    name = text[span.start : span.end]
    if span.label == "organisation" or _last_word(name) in words.company_words:
        after = _NEXT_WORD.match(text, span.end)
        if after and after.group(1) in words.company_words:
            return replace(span, end=after.end(1), label="organisation")
        before = _previous_word(text, span.start)
        if before and name in words.company_words and _name_word(text[slice(*before)], words):
            return replace(span, start=before[0], label="organisation")
        return replace(span, label="organisation")
    return span


def companies(text: str, words: Rules) -> list[Mention]:
    """Runs of two to five capitalised words ending in a company suffix ("Orion
    Photonics", "Kestrel Maritime BV."), found without a model."""
    found: list[Mention] = []
    for match in _CAPITALISED_RUN.finditer(text):
        run = match.group(0).split(" ")
        for last in range(len(run) - 1, 0, -1):
            word = run[last]
            if word not in words.company_suffixes:
                word = word.removesuffix(".")  # the sentence's full stop
                if word not in words.company_suffixes:
                    continue
            first = last
            while first > 0 and last - first < 4 and _company_word(run[first - 1], words):
                first -= 1
            if first < last:
                start = match.start() + sum(len(w) + 1 for w in run[:first])
                end = match.start() + sum(len(w) + 1 for w in run[:last]) + len(word)
                found.append(Mention("organisation", text[start:end], start, end, None, "pattern"))
            break
    return found


def _complete(text: str, span: ModelSpan, words: Rules, known: set[tuple[int, int]]) -> ModelSpan:
    """A one-word person the model found half of ("Yusuf" of "Yusuf Demir", "Terpstra"
    of "Willemijn Terpstra") takes the capitalised name word next to it, unless that
    word is a known country or institution."""
    if span.label != "person" or " " in text[span.start : span.end]:
        return span
    after = _NEXT_WORD.match(text, span.end)
    if after and _name_word(after.group(1), words) and after.span(1) not in known:
        return replace(span, end=after.end(1))
    before = _previous_word(text, span.start)
    if before and _name_word(text[before[0] : before[1]], words) and before not in known:
        return replace(span, start=before[0])
    return span


def _previous_word(text: str, start: int) -> tuple[int, int] | None:
    """The word right before ``start`` with one space between, if any."""
    if start < 2 or text[start - 1] != " ":
        return None
    base = max(0, start - 65)
    found = _WORD_AT_END.search(text, base, start - 1)
    if found is None or (found.start() > 0 and not text[found.start() - 1].isspace()):
        return None
    return found.start(), found.end()


def _name_word(word: str, words: Rules) -> bool:
    return (
        " " not in word
        and word[:1].isupper()
        and word.casefold() not in words.stop_words
        and word not in words.titles
        and word not in words.company_words
        and country_code(word) is None
    )


def _company_word(word: str, words: Rules) -> bool:
    """A word that can stand inside a company name ("Volga Trade Holdings Ltd")."""
    return (
        word[:1].isupper()
        and word.casefold() not in words.stop_words
        and word not in words.titles
        and country_code(word) is None
    )


def _adjective(text: str, span: ModelSpan) -> bool:
    return span.label == "nationality" and country_code(text[span.start : span.end]) is not None


def _last_word(name: str) -> str:
    return name.rsplit(" ", 1)[-1]


def _label(text: str, span: ModelSpan, gazetteer: Gazetteer) -> Mention | None:
    start, end = span.start, span.end
    name = text[start:end]
    if span.label == "person" and (len(name) < 2 or name.islower() or not _capitalised(name)):
        return None
    if span.label == "person" or span.label == "organisation":
        return Mention(span.label, name, start, end, None, span.source)
    code = country_code(name)
    if code is not None:
        return Mention("country", name, start, end, code, span.source)
    if span.label == "nationality":
        return None  # "Joodse", "jihadist": a description, not a name
    return Mention("location", name, start, end, gazetteer.place_code(name), span.source)


def tidy(
    text: str, start: int, end: int, keep: frozenset[str] = frozenset()
) -> tuple[int, int] | None:
    """The span without surrounding spaces and punctuation, a leading article (unless it
    starts a name in ``keep``, such as "The Hague"), a trailing possessive and trailing
    lower-case words ("Delta Chipworks N.V. doelwit"); ``None`` when nothing with a
    letter or digit is left."""
    while start < end and text[start] in _EDGE:
        start += 1
    while end > start and text[end - 1] in _TRAILING:
        end -= 1
    for article in ARTICLES:
        if text.startswith(article, start) and start + len(article) < end:
            if not any(text.startswith(name, start) for name in keep):
                start += len(article)
            break
    words = text[start:end].split(" ")
    while len(words) > 1 and words[-1].isalpha() and words[-1].islower():
        words.pop()
    end = start + len(" ".join(words))
    for possessive in _POSSESSIVES:
        if text.endswith(possessive, start, end) and end - len(possessive) > start + 1:
            end -= len(possessive)
            break
    while end > start and text[end - 1] in _TRAILING:
        end -= 1
    if not any(char.isalnum() for char in text[start:end]):
        return None
    return start, end


def _capitalised(name: str) -> bool:
    return any(char.isupper() for char in name)


def _swallows(text: str, mention: Mention, hits: list[Mention]) -> bool:
    """Whether a model span only glues gazetteer names together: two or more of them,
    and nothing capitalised besides ("Rusland en China", "CIVD van de Tweede Kamer" is
    a model error, not one name; "Rotterdam The Hague Airport" is one name). ``hits``
    are the gazetteer hits that start inside the span."""
    inside = [h for h in hits if h.end <= mention.end]
    outer = [
        h
        for h in inside
        if not any(o is not h and o.start <= h.start and h.end <= o.end for o in inside)
    ]
    if len(outer) < 2:
        return False
    rest = list(text[mention.start : mention.end])
    for hit in outer:
        rest[hit.start - mention.start : hit.end - mention.start] = " " * (hit.end - hit.start)
    return not any(char.isupper() for char in "".join(rest))
