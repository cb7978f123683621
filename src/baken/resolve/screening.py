"""Screening: which entities in the holdings match one person, within what the
requesting principal may read.

The holdings search index is the store (:mod:`baken.holdings.search`). The feeder gives
each entity entry of a person or organisation (one entity, one collection, one marking)
its *screening fields* (:func:`entry_fields`): the blocking keys of its names
(:func:`baken.resolve.names.blocking_keys`) and identifiers, and its names, dates of
birth, nationalities and identifiers for scoring. Screening then runs in two queries,
both with the read rule inside (:func:`baken.holdings.search.query.policy_query`):

1. the entries that hold any of the query's keys, ranked by how many they hold (the
   query's keys include the usual slips in a date of birth), the best
   :data:`CANDIDATES`; of their entities a :data:`SHORTLIST` is kept by a quick edit
   ratio over the stored Latin forms (so the full comparison runs a few times only);
2. every readable entry of those entities, so that an entity is scored once, on the
   union of what the principal may read of it. A batch gathers the entries of
   :data:`CHUNK` queries in one search.

An entry the principal may not read is in neither query: it is not counted, does not
rank, and adds nothing to a score or an explanation.

The score starts from the best name similarity (:func:`baken.resolve.names.similarity`)
and is moved by the date of birth, the nationality and identifiers; each step is one line
of :attr:`Match.explanation`. Public API::

    parse_query(names, birth_date=None, nationality=None, identifiers=()) -> ScreenQuery
    screen(index, policy, query, *, limit=20, threshold=THRESHOLD, schemata=PERSONS)
        -> list[Match]
    parse_csv(data: bytes) -> list[ScreenQuery]
    screen_batch(index, policy, queries, *, limit=20, threshold=THRESHOLD,
                 schemata=PERSONS, progress=None) -> list[list[Match]]
    entry_fields(entity_id, schema, values) -> ScreenFields | None   # for the feeder

``policy`` is :func:`baken.core.policy_index.index_policy` for the principal over the
entity kind (:data:`baken.holdings.vocab.ENTITY`).
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

from followthemoney import model
from followthemoney.schema import Schema
from followthemoney.types import registry
from rapidfuzz import fuzz, process

from baken.core.errors import DomainError
from baken.core.i18n import N_
from baken.core.markings import Marking, summary
from baken.core.policy_index import IndexPolicy
from baken.holdings.nlp import country_code
from baken.holdings.search import SearchIndex
from baken.holdings.search.index import ScreenEntry, Screener
from baken.holdings.search.schema import ScreenFields
from baken.resolve.names import (
    DateInputError,
    NameInputError,
    Prepared,
    best_prepared,
    blocking_keys,
    clean_name,
    forms,
    parse_date,
    prepare,
)


def _schemata(*roots: str) -> frozenset[str]:
    out: set[str] = set()
    for root in roots:
        schema = model.get(root)
        assert schema is not None, root
        out |= {root, *(s.name for s in schema.descendants)}
    return frozenset(out)


# A LegalEntity may be a person; Organization covers Company and PublicBody.
PERSONS = _schemata("Person") | {"LegalEntity"}
ORGANISATIONS = _schemata("Organization") | {"LegalEntity"}
INDEXED = _schemata("LegalEntity")

THRESHOLD = 0.7
CANDIDATES = 50  # entries taken from the key query, most keys first
SHORTLIST = 8  # entities of those, by a quick name comparison, that are scored fully
# Below this quick comparison (rapidfuzz ratio, 0..100, best over forms) an
# entity is not scored at all: far below any name similarity above the threshold.
QUICK_FLOOR = 45.0
CHUNK = 64  # queries of a batch whose entities are gathered in one index search
MAX_GATHER = 8  # entries per entity expected at most when gathering a chunk
MAX_CSV_ROWS = 100_000
CSV_COLUMNS = ("name", "birth_date", "nationality", "identifier")
CSV_REQUIRED = ("name",)
LIST_SEP = "|"  # several names or identifiers in one CSV cell

# The name similarity counts for this much; the rest of the score is evidence: an exact
# name scores 0.9, with the same date of birth 1.0.
NAME_WEIGHT = 0.9
# What each piece of evidence adds to the name score.
BIRTH_EQUAL = 0.10
BIRTH_COMPATIBLE = 0.05  # one date less precise, and they agree
BIRTH_CLOSE = 0.0  # a usual slip: day and month swapped, the year one off, another day
BIRTH_DIFFERS = -0.20
NATIONALITY_EQUAL = 0.03
NATIONALITY_DIFFERS = -0.05
IDENTIFIER_EQUAL = 0.30
IDENTIFIER_ALONE = 0.90  # a query of identifiers only: a shared one is the match
IDENTIFIER_DIFFERS = -0.05

_ID_CHARS = re.compile(r"[^0-9A-Z]")


class ScreenInputError(DomainError):
    """A screening query that cannot be run as given."""


class CsvInputError(DomainError):
    """A screening CSV that cannot be read; ``rows`` holds the bad rows' errors."""

    def __init__(
        self, message: str, *, rows: Sequence[tuple[int, DomainError]] = (), **params: object
    ) -> None:
        super().__init__(message, **params)
        self.rows = tuple(rows)


@dataclass(frozen=True, slots=True)
class ScreenQuery:
    names: tuple[str, ...]  # clean names, in any script
    birth_date: str | None = None  # ISO, as precise as known
    nationality: str | None = None  # ISO 3166-1 alpha-2, lower-case
    identifiers: tuple[str, ...] = ()  # normalised: upper-case letters and digits

    @property
    def prepared(self) -> list[Prepared]:
        return [prepare(n) for n in self.names]


@dataclass(frozen=True, slots=True)
class Match:
    entity_id: str
    score: float  # 0..1
    schema: str
    collections: tuple[str, ...]  # collection ids of the readable entries
    marking_keys: tuple[str, ...]  # the markings of those entries
    marking: Marking  # their high-water mark (markings.summary): the match is shown at it
    names: tuple[str, ...]
    birth_dates: tuple[str, ...]
    nationalities: tuple[str, ...]
    identifiers: tuple[str, ...]
    # What made the score, in order: the name similarity, then what each piece of
    # evidence added (negative: took away); the score is their sum, within 0..1.
    explanation: tuple[tuple[str, float], ...]


# -- the index side -------------------------------------------------------------------


def normalise_identifier(raw: str) -> str:
    return _ID_CHARS.sub("", raw.upper())


def _iso_date(raw: str) -> str | None:
    """A stored date value as ISO (as precise as given), or None if it is not one."""
    text = raw.strip()[:10]
    try:
        return parse_date(text)
    except DateInputError:
        return None


def entry_fields(
    entity_id: str, schema: Schema | None, values: Iterable[tuple[str, str]]
) -> ScreenFields | None:
    """The screening fields of one entity entry from its ``(property, value)`` pairs,
    or None when the entry is not of a person or organisation, or holds nothing that
    screening uses. An entry without names or identifiers has no keys: it is found
    only with the other entries of its entity (a date of birth known at another
    marking)."""
    if schema is None or schema.name not in INDEXED:
        return None
    names: list[str] = []
    births: list[str] = []
    nationalities: list[str] = []
    identifiers: list[str] = []
    parts: dict[str, str] = {}
    for prop_name, value in values:
        prop = schema.get(prop_name)
        if prop is None or not value:
            continue
        if prop.type == registry.name:
            names.append(value)
        elif prop_name in ("firstName", "lastName"):
            parts.setdefault(prop_name, value)
        elif prop_name == "birthDate":
            if (iso := _iso_date(value)) is not None:
                births.append(iso)
        elif prop_name in ("nationality", "citizenship"):
            nationalities.append(value.lower())
        elif prop.type == registry.identifier and (norm := normalise_identifier(value)):
            identifiers.append(norm)
    if parts and not names:
        names.append(" ".join(parts[p] for p in ("firstName", "lastName") if p in parts))
    names = list(dict.fromkeys(names))
    if not (names or identifiers or births or nationalities):
        return None
    keys: set[str] = {f"i:{i}" for i in identifiers}
    for name in names:
        for birth in births or [""]:
            keys |= blocking_keys(name, birth or None)
    return ScreenFields(
        entity=entity_id,
        keys=tuple(sorted(keys)),
        names=tuple(names),
        birth_dates=tuple(dict.fromkeys(births)),
        nationalities=tuple(dict.fromkeys(nationalities)),
        identifiers=tuple(dict.fromkeys(identifiers)),
        forms=tuple(forms(n) for n in names),
    )


# -- queries --------------------------------------------------------------------------


def parse_query(
    names: Sequence[str] | str,
    birth_date: str | None = None,
    nationality: str | None = None,
    identifiers: Sequence[str] = (),
) -> ScreenQuery:
    """A checked query: every name clean (:func:`~baken.resolve.names.clean_name`),
    the date read by :func:`~baken.resolve.names.parse_date`, the nationality a country
    (name or code, Dutch or English). Raises a :class:`DomainError` saying what is
    wrong."""
    given = [names] if isinstance(names, str) else list(names)
    cleaned = tuple(dict.fromkeys(clean_name(n) for n in given if n.strip()))
    ids = []
    for raw in identifiers:
        if not raw.strip():
            continue
        norm = normalise_identifier(raw)
        if not norm:
            raise ScreenInputError(
                N_("The identifier {value} has no letters or digits."), value=raw.strip()
            )
        ids.append(norm)
    if not cleaned and not ids:
        raise ScreenInputError(N_("Give at least one name (or an identifier) to screen."))
    birth = parse_date(birth_date) if birth_date and birth_date.strip() else None
    country = None
    if nationality and nationality.strip():
        text = nationality.strip()
        code = country_code(text) or (country_code(text.upper()) if len(text) <= 3 else None)
        if code is None:
            raise ScreenInputError(N_("{value} is not a known country."), value=text)
        country = code.lower()
    return ScreenQuery(cleaned, birth, country, tuple(dict.fromkeys(ids)))


def query_keys(query: ScreenQuery) -> frozenset[str]:
    keys: set[str] = {f"i:{i}" for i in query.identifiers}
    for name in query.names:
        keys |= blocking_keys(name, query.birth_date, query=True)
    return frozenset(keys)


# -- scoring --------------------------------------------------------------------------


def _birth(query: str | None, known: Sequence[str]) -> tuple[str, float] | None:
    if not query or not known:
        return None
    best: tuple[str, float] | None = None
    for value in known:
        found = _birth_one(query, value)
        if best is None or found[1] > best[1]:
            best = found
    return best


def _birth_one(a: str, b: str) -> tuple[str, float]:
    if a == b:
        return (f"birth date equal: {a}", BIRTH_EQUAL)
    short, long = sorted((a, b), key=len)
    if len(short) < len(long) and long.startswith(short):
        return (f"birth date agrees: {a} ~ {b}", BIRTH_COMPATIBLE)
    if len(a) == len(b) == 10:
        ya, ma, da = a.split("-")
        yb, mb, db = b.split("-")
        if (
            (ya == yb and ma == db and da == mb)
            or (ma == mb and da == db and abs(int(ya) - int(yb)) == 1)
            or (ya == yb and ma == mb)
        ):
            return (f"birth date close: {a} ~ {b}", BIRTH_CLOSE)
    return (f"birth date differs: {a} / {b}", BIRTH_DIFFERS)


def score(query: ScreenQuery, fields: ScreenFields) -> tuple[float, tuple[tuple[str, float], ...]]:
    """The score of one entity (the union of its readable entries) and its explanation."""
    explanation: list[tuple[str, float]] = []
    if query.names and fields.names:
        stored = (
            fields.forms if len(fields.forms) == len(fields.names) else [None] * len(fields.names)
        )
        sim, asked, found = best_prepared(
            query.prepared, [prepare(n, f) for n, f in zip(fields.names, stored, strict=True)]
        )
        explanation.append((f"name: {asked} ≈ {found}", round(sim * NAME_WEIGHT, 3)))
    if birth := _birth(query.birth_date, fields.birth_dates):
        explanation.append(birth)
    if query.nationality and fields.nationalities:
        if query.nationality in fields.nationalities:
            explanation.append((f"nationality equal: {query.nationality}", NATIONALITY_EQUAL))
        else:
            found_nat = ", ".join(fields.nationalities)
            explanation.append(
                (f"nationality differs: {query.nationality} / {found_nat}", NATIONALITY_DIFFERS)
            )
    if query.identifiers and fields.identifiers:
        shared = sorted(set(query.identifiers) & set(fields.identifiers))
        if shared:
            weight = IDENTIFIER_EQUAL if query.names else IDENTIFIER_ALONE
            explanation.append((f"identifier equal: {', '.join(shared)}", weight))
        else:
            explanation.append(("identifiers differ", IDENTIFIER_DIFFERS))
    total = sum(weight for _, weight in explanation)
    return max(0.0, min(1.0, total)), tuple(explanation)


def _union(entity: str, entries: Sequence[ScreenEntry]) -> ScreenFields:
    def merged(get: Callable[[ScreenFields], tuple[str, ...]]) -> tuple[str, ...]:
        return tuple(dict.fromkeys(v for e in entries for v in get(e.fields)))

    names: dict[str, tuple[str, ...]] = {}
    for e in entries:
        known = e.fields.forms if len(e.fields.forms) == len(e.fields.names) else ()
        for i, name in enumerate(e.fields.names):
            if name not in names or (known and not names[name]):
                names[name] = known[i] if known else ()
    return ScreenFields(
        entity=entity,
        keys=(),
        names=tuple(names),
        birth_dates=merged(lambda f: f.birth_dates),
        nationalities=merged(lambda f: f.nationalities),
        identifiers=merged(lambda f: f.identifiers),
        forms=tuple(f or forms(n) for n, f in names.items()),
    )


def _matches(
    query: ScreenQuery,
    entries: Iterable[ScreenEntry],
    *,
    limit: int,
    threshold: float,
) -> list[Match]:
    groups: dict[str, list[ScreenEntry]] = defaultdict(list)
    for entry in entries:
        groups[entry.fields.entity].append(entry)
    out = []
    for entity, group in groups.items():
        group.sort(key=lambda e: e.doc_id)
        fields = _union(entity, group)
        value, explanation = score(query, fields)
        if value < threshold:
            continue
        keys = tuple(dict.fromkeys(e.marking_key for e in group))
        out.append(
            Match(
                entity_id=entity,
                score=round(value, 4),
                schema=group[0].schema,
                collections=tuple(dict.fromkeys(e.collection for e in group)),
                marking_keys=keys,
                marking=summary(Marking.from_key(k) for k in keys),
                names=fields.names,
                birth_dates=fields.birth_dates,
                nationalities=fields.nationalities,
                identifiers=fields.identifiers,
                explanation=explanation,
            )
        )
    out.sort(key=lambda m: (-m.score, m.entity_id))
    return out[: max(0, limit)]


def _shortlist(query: ScreenQuery, found: Sequence[ScreenEntry]) -> list[str]:
    """The entities of ``found`` worth scoring in full: the :data:`SHORTLIST` whose forms
    come closest to the query's (one quick edit ratio per form, also with the tokens
    reversed), most keys first among equals; an entity sharing an identifier first."""
    best: dict[str, tuple[float, float]] = {}
    # Each form as written and with its tokens reversed (swapped first and last names);
    # plain edit ratio, not a token-sorted one: sorting moves a typo in a first letter.
    query_forms = list(
        dict.fromkeys(
            text
            for p in query.prepared
            for f in p.forms
            for text in (" ".join(f), " ".join(reversed(f)))
        )
    )
    ids = set(query.identifiers)
    for entry in found:
        strings = [f for fs in entry.fields.forms for f in fs]
        quick = 0.0
        if ids & set(entry.fields.identifiers):
            quick = 200.0
        elif query_forms and strings:
            for text in query_forms:
                hit = process.extractOne(text, strings, scorer=fuzz.ratio)
                if hit is not None:
                    quick = max(quick, float(hit[1]))
        old = best.get(entry.fields.entity, (-1.0, 0.0))
        best[entry.fields.entity] = max(old, (quick, entry.keys))
    ranked = sorted(
        (e for e in best if best[e][0] >= QUICK_FLOOR), key=lambda e: (-best[e][0], -best[e][1], e)
    )
    return ranked[:SHORTLIST]


def _screen_one(
    screener: Screener, query: ScreenQuery, *, limit: int, threshold: float
) -> list[Match]:
    entities = _shortlist(query, screener.candidates(query_keys(query), CANDIDATES))
    if not entities:
        return []
    return _matches(query, screener.entries(entities), limit=limit, threshold=threshold)


def _screen_chunk(
    screener: Screener, queries: Sequence[ScreenQuery], *, limit: int, threshold: float
) -> list[list[Match]]:
    """Several queries with one gathering query for all their shortlisted entities:
    the same results as :func:`_screen_one` for each, with fewer index searches."""
    shortlists = [_shortlist(q, screener.candidates(query_keys(q), CANDIDATES)) for q in queries]
    wanted = {e for short in shortlists for e in short}
    by_entity: dict[str, list[ScreenEntry]] = defaultdict(list)
    if wanted:
        # An entity has a few entries (collections x markings); if a chunk's entities
        # have more than the limit, fall back to one query at a time.
        cap = MAX_GATHER * len(wanted)
        entries = screener.entries(wanted, limit=cap + 1)
        if len(entries) > cap:
            return [_screen_one(screener, q, limit=limit, threshold=threshold) for q in queries]
        for entry in entries:
            by_entity[entry.fields.entity].append(entry)
    return [
        _matches(
            q, [e for entity in short for e in by_entity[entity]], limit=limit, threshold=threshold
        )
        for q, short in zip(queries, shortlists, strict=True)
    ]


def screen(
    index: SearchIndex,
    policy: IndexPolicy,
    query: ScreenQuery,
    *,
    limit: int = 20,
    threshold: float = THRESHOLD,
    schemata: frozenset[str] = PERSONS,
) -> list[Match]:
    """The entities matching ``query`` that the policy lets the principal read, best
    first: at most ``limit`` (and at most :data:`SHORTLIST`: only that many candidates
    are scored in full), each scoring at least ``threshold``."""
    screener = index.screener(policy, schemata)
    if screener is None:
        return []
    return _screen_one(screener, query, limit=limit, threshold=threshold)


def screen_batch(
    index: SearchIndex,
    policy: IndexPolicy,
    queries: Sequence[ScreenQuery],
    *,
    limit: int = 20,
    threshold: float = THRESHOLD,
    schemata: frozenset[str] = PERSONS,
    progress: Callable[[int, int], None] | None = None,
) -> list[list[Match]]:
    """:func:`screen` for each query, in order, all against one view of the index;
    ``progress(done, total)`` is called as the work goes on."""
    screener = index.screener(policy, schemata)
    results: list[list[Match]] = []
    for start in range(0, len(queries), CHUNK):
        chunk = queries[start : start + CHUNK]
        if screener is None:
            results.extend([] for _ in chunk)
        else:
            results.extend(_screen_chunk(screener, chunk, limit=limit, threshold=threshold))
        if progress is not None:
            progress(len(results), len(queries))
    return results


# -- CSV ------------------------------------------------------------------------------


def _csv_rows(reader: Iterator[list[str]]) -> Iterator[list[str]]:
    """The reader's rows; what the csv module cannot read is the file's fault."""
    try:
        yield from reader
    except csv.Error as exc:
        raise CsvInputError(
            N_("Line {line} of the file is not valid CSV ({reason})."),
            line=getattr(reader, "line_num", 0),
            reason=str(exc),
        ) from None


def parse_csv(data: bytes) -> list[ScreenQuery]:
    """The queries of a screening CSV: a header with ``name`` and any of
    ``birth_date``, ``nationality``, ``identifier`` (comma or semicolon separated);
    several names or identifiers in one cell separated by ``|``.

    Every row is checked before anything is returned; a :class:`CsvInputError` lists
    every bad row by its line number (``rows`` has each row's own error).
    """
    if not data.strip():
        raise CsvInputError(N_("The file is empty."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CsvInputError(
            N_("The file is not UTF-8 text (byte {position})."), position=exc.start
        ) from None
    if not text.strip():  # a byte-order mark or Unicode spaces only
        raise CsvInputError(N_("The file is empty."))
    first = text.lstrip().splitlines()[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    # newline="": the csv module reads line ends itself (a lone \r too), as its docs ask.
    reader = csv.reader(io.StringIO(text.lstrip("\r\n"), newline=""), delimiter=delimiter)
    rows = _csv_rows(reader)
    header = [h.strip().lower() for h in next(rows)]
    unknown = [h for h in header if h not in CSV_COLUMNS]
    missing = [c for c in CSV_REQUIRED if c not in header]
    doubled = sorted({h for h in header if header.count(h) > 1})
    if unknown or missing or doubled:
        raise CsvInputError(
            N_(
                "The header of the file is wrong (unknown columns: {unknown}; missing: "
                "{missing}; repeated: {doubled}). The columns are {columns}."
            ),
            unknown=", ".join(unknown) or "-",
            missing=", ".join(missing) or "-",
            doubled=", ".join(doubled) or "-",
            columns=", ".join(CSV_COLUMNS),
        )
    queries: list[ScreenQuery] = []
    bad: list[tuple[int, DomainError]] = []
    for row in rows:
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(queries) + len(bad) >= MAX_CSV_ROWS:
            raise CsvInputError(N_("The file has more than {limit} rows."), limit=MAX_CSV_ROWS)
        if len(row) != len(header):
            bad.append(
                (
                    line,
                    CsvInputError(
                        N_("{found} fields where the header has {expected}."),
                        found=len(row),
                        expected=len(header),
                    ),
                )
            )
            continue
        cells = dict(zip(header, (c.strip() for c in row), strict=True))
        try:
            queries.append(
                parse_query(
                    [n for n in cells.get("name", "").split(LIST_SEP) if n.strip()],
                    cells.get("birth_date") or None,
                    cells.get("nationality") or None,
                    [i for i in cells.get("identifier", "").split(LIST_SEP) if i.strip()],
                )
            )
        except (NameInputError, DateInputError, ScreenInputError) as exc:
            bad.append((line, exc))
    if bad:
        raise CsvInputError(
            N_("{count} rows of the file are wrong; nothing was screened. {details}"),
            rows=bad,
            count=len(bad),
            details=" ".join(f"Line {line}: {exc}" for line, exc in bad[:20]),
        )
    if not queries:
        raise CsvInputError(N_("The file has a header but no rows."))
    return queries


__all__ = [
    "INDEXED",
    "ORGANISATIONS",
    "PERSONS",
    "THRESHOLD",
    "CsvInputError",
    "Match",
    "ScreenInputError",
    "ScreenQuery",
    "entry_fields",
    "parse_csv",
    "parse_query",
    "query_keys",
    "score",
    "screen",
    "screen_batch",
]
