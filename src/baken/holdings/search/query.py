"""Queries: the user's words, the read rule and the facet filters, as Tantivy queries.

User text is never handed to Tantivy's query parser. It is read as words (all of which
must match, in the title or the text) and ``"quoted phrases"``; everything else (``AND``,
``field:value``, ``*``, brackets) is just more words or nothing, so no input can raise,
name an index field, or build an expensive query.

Scoring is local to the document: each clause matched counts 1, and 1 more when it is in
the title. BM25 is deliberately not used: its statistics (how many documents hold a word,
their average length) are taken over the whole index, so the scores and the order of the
hits a principal may read would shift with documents they may not read, and a patient
user could count hidden documents that mention a name. With local scores, what a
principal sees is a function of what they may read.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

import tantivy

from baken.core.markings import Marking
from baken.core.policy_index import IndexPolicy, index_admits
from baken.holdings.search.schema import ACCESS_SEP, FACETS

MAX_QUERY_CHARS = 1000
MAX_CLAUSES = 16
TITLE_BONUS = 1.0
# Above this many admitted access terms, one term-set query beats a union of term queries.
MAX_UNION = 64

Occur = tantivy.Occur
Query = tantivy.Query


@dataclass(frozen=True, slots=True)
class Clause:
    """One required part of the user's query: a word, or a phrase of several."""

    tokens: tuple[str, ...]

    @property
    def is_phrase(self) -> bool:
        return len(self.tokens) > 1


def parse(text: str, analyzer: tantivy.TextAnalyzer) -> list[Clause]:
    """The clauses of a user query, analysed as the indexed text is.

    Text between double quotes is a phrase; an unclosed quote is ignored. At most
    :data:`MAX_CLAUSES` distinct clauses from the first :data:`MAX_QUERY_CHARS` characters.
    """
    parts = text[:MAX_QUERY_CHARS].split('"')
    clauses: list[Clause] = []
    for i, part in enumerate(parts):
        tokens = tuple(analyzer.analyze(part))
        quoted = i % 2 == 1 and i < len(parts) - 1
        if quoted and tokens:
            clauses.append(Clause(tokens))
        else:
            clauses.extend(Clause((t,)) for t in tokens)
    return list(dict.fromkeys(clauses))[:MAX_CLAUSES]


def _in_field(schema: tantivy.Schema, field: str, clause: Clause) -> Query:
    if clause.is_phrase:
        return Query.phrase_query(schema, field, list(clause.tokens))
    return Query.term_query(schema, field, clause.tokens[0])


def text_query(schema: tantivy.Schema, clauses: Sequence[Clause]) -> Query:
    """Every clause must match ``body`` (title and text); a match in the title adds a
    bonus. Only the bonus needs the title's postings, and only when scoring."""
    return Query.boolean_query(
        [(Occur.Must, Query.const_score_query(_in_field(schema, "body", c), 1.0)) for c in clauses]
        + [
            (Occur.Should, Query.const_score_query(_in_field(schema, "title", c), TITLE_BONUS))
            for c in clauses
        ]
    )


def _filter(query: Query) -> tuple[tantivy.Occur, Query]:
    # A filter adds nothing to the score.
    return (Occur.Must, Query.const_score_query(query, 0.0))


def _term(schema: tantivy.Schema, field: str, value: str) -> Query:
    return Query.term_query(schema, field, value, index_option="basic")


def _any_of(schema: tantivy.Schema, field: str, values: Iterable[str]) -> Query:
    """Documents with any of ``values`` in the raw field ``field``.

    A union of term queries rather than Tantivy's term-set query for a few values: a
    term set first collects every document of every term into a bit set, on every
    search; term postings are only read as far as the query needs.
    """
    terms = sorted(values)
    if len(terms) > MAX_UNION:
        return Query.term_set_query(schema, field, terms)
    if len(terms) == 1:
        return _term(schema, field, terms[0])
    return Query.boolean_query([(Occur.Should, _term(schema, field, v)) for v in terms])


@lru_cache(maxsize=65_536)
def _access(term: str) -> tuple[str, Marking] | None:
    kind, _, key = term.partition(ACCESS_SEP)
    try:
        return kind, Marking.from_key(key)
    except (ValueError, KeyError):
        return None  # not a term this code wrote: admitted to no one


def admitted_access(policy: IndexPolicy, access_terms: Iterable[str]) -> list[str]:
    """The access terms (kind and marking) that the policy admits."""
    out = []
    for term in access_terms:
        parsed = _access(term)
        if parsed is not None and index_admits(policy, *parsed):
            out.append(term)
    return out


def policy_query(schema: tantivy.Schema, policy: IndexPolicy, access_terms: Iterable[str]) -> Query:
    """The read rule as a query: documents whose kind and marking the rule admits.

    As the SQL filter (``marking_id IN readable_markings``), the rule is evaluated once
    per distinct kind and marking, not per document, and the query asks for the admitted
    terms only: a document with any other term, or none, is out (the rule fails closed).
    ``access_terms`` should be every access term of the index being searched, or readable
    documents go missing; the caller reads them from the same searcher's term
    dictionary.
    """
    admitted = admitted_access(policy, access_terms)
    if not admitted:
        return Query.empty_query()
    return Query.const_score_query(_any_of(schema, "access", admitted), 0.0)


def keys_query(schema: tantivy.Schema, field: str, keys: Iterable[str]) -> Query:
    """Documents with any of ``keys`` in the raw field ``field``, scored by how many they
    hold (each key counts 1, from the document alone: no corpus statistics)."""
    terms = sorted(set(keys))
    if not terms:
        return Query.empty_query()
    return Query.boolean_query(
        [(Occur.Should, Query.const_score_query(_term(schema, field, k), 1.0)) for k in terms]
    )


def values_query(schema: tantivy.Schema, field: str, values: Iterable[str]) -> Query:
    """A filter (no score): documents with any of ``values`` in the raw field ``field``."""
    terms = set(values)
    if not terms:
        return Query.empty_query()
    return Query.const_score_query(_any_of(schema, field, terms), 0.0)


def filter_queries(
    schema: tantivy.Schema, filters: Mapping[str, Sequence[str]]
) -> list[tuple[tantivy.Occur, Query]]:
    """Facet filters: any of the values within a facet, all facets together."""
    out = []
    for name, values in filters.items():
        if name not in FACETS:
            raise ValueError(f"unknown facet {name!r}")
        if values:
            out.append(_filter(_any_of(schema, FACETS[name], set(values))))
    return out
