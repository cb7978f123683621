"""The index's fields, its text analyser, and what one indexed item looks like.

Text (title, body) is analysed for Dutch and English alike: split on anything that is not
a letter or digit, lowercased, folded to ASCII (``Ürümqi`` finds ``urumqi``, ``één``
finds ``een``). There is no stemming: one index holds both languages, and a Dutch
stemmer on English text (or the reverse) does more harm than good; per-language stemmed
fields are the next step if recall asks for it.

The read rule needs one field: ``access``, the document's kind and marking as one term
(``document#STG_GEHEIM|AIVD|KOBALT||``). A search evaluates the rule over the access
terms the index holds, as the SQL filter evaluates it over the markings table, and asks
for documents with an admitted term (:func:`baken.holdings.search.query.policy_query`).
Entity entries of persons and organisations also carry what screening
(:mod:`baken.resolve.screening`) needs: ``skeys``, the blocking keys of the entry's names
(:func:`baken.resolve.names.blocking_keys`) and identifiers, as raw terms; ``entity``,
the entity id, to gather an entity's readable entries; and ``screen``, the entry's names,
dates of birth, nationalities and identifiers, stored for scoring. Like every field,
they come from the statements of that one entry (one collection, one marking), so a
principal finds an entity only by what they may read.

The analyser's name carries a version: changing the analysis changes the schema, and an
index built with the old one is reset (it is derived data) rather than silently mixing
the two.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import tantivy

from baken.core.markings import Marking

ANALYZER = "baken_text_v1"
# Longer "words" are base64, hashes or binary junk: they would bloat the dictionary.
MAX_TOKEN_CHARS = 40

ACCESS_SEP = "#"  # in no kind name and no marking key

# Facet name -> field. Each is a raw (untokenised) fast field, counted by aggregation.
FACETS: dict[str, str] = {
    "collection": "collection",
    "language": "language",
    "country": "country",
    "schema": "schema",
    "kind": "kind",
}


@dataclass(frozen=True, slots=True)
class IndexDoc:
    """One searchable item: a document or an entity, with its marking."""

    doc_id: str  # unique in the index, e.g. "doc:123" or "ent:<id>"
    kind: str  # the object kind, for the role part of the read rule
    marking: Marking
    collection: str
    title: str
    text: str
    language: str | None  # "nl", "en", "other"
    countries: tuple[str, ...] = ()  # ISO 3166-1 alpha-2
    schema: str | None = None  # FollowTheMoney schema of an entity, e.g. "Person"
    date: str | None = None  # ISO date, shown with the hit
    screen: ScreenFields | None = None  # for screening: person-like entities only


@dataclass(frozen=True, slots=True)
class ScreenFields:
    """What screening finds and scores an entity entry by (from that entry's statements)."""

    entity: str  # the entity id: an entity's entries are gathered by it
    keys: tuple[str, ...]  # blocking keys of the names and identifiers
    names: tuple[str, ...]
    birth_dates: tuple[str, ...] = ()  # ISO, as precise as known
    nationalities: tuple[str, ...] = ()  # ISO 3166-1 alpha-2, lower-case
    identifiers: tuple[str, ...] = ()
    # Per name (in order), its Latin forms (baken.resolve.names.forms): computed once,
    # when indexing, not for every screening that meets the name.
    forms: tuple[tuple[str, ...], ...] = ()


def analyzer() -> tantivy.TextAnalyzer:
    return (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
        .filter(tantivy.Filter.remove_long(MAX_TOKEN_CHARS))
        .filter(tantivy.Filter.lowercase())
        .filter(tantivy.Filter.ascii_fold())
        .build()
    )


def access_term(kind: str, marking: Marking) -> str:
    if ACCESS_SEP in kind:
        raise ValueError(f"an object kind cannot contain {ACCESS_SEP!r}: {kind!r}")
    return f"{kind}{ACCESS_SEP}{marking.key()}"


def build_schema() -> tantivy.Schema:
    b = tantivy.SchemaBuilder()

    def raw(name: str, *, stored: bool = False, fast: bool = False) -> None:
        # Codes and ids: one term per value, exactly as given; no frequencies or positions.
        b.add_text_field(name, stored=stored, fast=fast, tokenizer_name="raw", index_option="basic")

    raw("doc_id", stored=True)
    raw("access")
    raw("marking_key", stored=True)
    for facet in FACETS.values():
        raw(facet, stored=True, fast=True)
    raw("date", stored=True)
    raw("entity", stored=True)
    raw("skeys")
    b.add_bytes_field("screen", stored=True)
    # Words: ``body`` (title and text) is what a query must match; a match in ``title``
    # adds to the score. The text is stored apart, unindexed, for snippets.
    b.add_text_field("title", stored=True, tokenizer_name=ANALYZER)
    b.add_text_field("body", tokenizer_name=ANALYZER)
    b.add_bytes_field("text", stored=True)
    return b.build()


def to_document(doc: IndexDoc) -> tantivy.Document:
    fields: dict[str, object] = {
        "doc_id": doc.doc_id,
        "kind": doc.kind,
        "access": access_term(doc.kind, doc.marking),
        "marking_key": doc.marking.key(),
        "collection": doc.collection,
        "country": list(doc.countries),
        "title": doc.title,
        "body": [doc.title, doc.text],
        "text": doc.text.encode(),
    }
    if doc.language:
        fields["language"] = doc.language
    if doc.schema:
        fields["schema"] = doc.schema
    if doc.date:
        fields["date"] = doc.date
    if doc.screen is not None:
        fields["entity"] = doc.screen.entity
        fields["skeys"] = list(doc.screen.keys)
        fields["screen"] = screen_bytes(doc.screen)
    return tantivy.Document(**fields)


def screen_bytes(fields: ScreenFields) -> bytes:
    return json.dumps(
        [fields.names, fields.birth_dates, fields.nationalities, fields.identifiers, fields.forms],
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode()


def screen_fields(entity: str, data: bytes) -> ScreenFields:
    """The stored ``screen`` field back (without its keys, which are not stored)."""
    names, births, nationalities, identifiers, forms = json.loads(data)
    return ScreenFields(
        entity,
        (),
        tuple(names),
        tuple(births),
        tuple(nationalities),
        tuple(identifiers),
        tuple(tuple(f) for f in forms),
    )
