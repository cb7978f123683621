"""The search index of holdings: indexing, querying, snippets, and the read rule inside
the query (non-interference: what a principal may not read changes nothing they see)."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
import tantivy

from baken.core import policy
from baken.core.markings import Level, Marking, Service
from baken.core.policy_index import IndexPolicy, index_policy
from baken.core.principals import ObjectKind, Principal
from baken.holdings.search import IndexBusy, IndexDoc, SearchIndex, SearchResult
from baken.holdings.search.query import admitted_access
from baken.plugins import BUILTIN, Registry, hookimpl

# Kinds of this test's own, so that the role tables of the modules do not matter here.
DOSSIER = "zoektest-dossier"
PERSOON = "zoektest-persoon"  # not for analysts: only team leads and overseers
KINDS = (DOSSIER, PERSOON)


class _Kinds:
    @hookimpl
    def baken_object_kinds(self) -> list[ObjectKind]:
        everyone = frozenset({"analyst", "team_lead", "overseer", "partner_recipient"})
        return [
            ObjectKind(DOSSIER, "Dossier", "Dossier", everyone, frozenset({"analyst"})),
            ObjectKind(
                PERSOON, "Persoon", "Person", frozenset({"team_lead", "overseer"}), frozenset()
            ),
        ]


@pytest.fixture(autouse=True)
def _test_kinds(monkeypatch: pytest.MonkeyPatch) -> None:
    reg = Registry(BUILTIN, extra=(_Kinds(),))
    monkeypatch.setattr(policy, "registry", lambda: reg)


def _principal(
    clearance: Level,
    roles: set[str],
    service: Service | None = Service.AIVD,
    organisation: str | None = None,
    compartments: Sequence[str] = (),
) -> Principal:
    return Principal(
        1,
        "p",
        "P",
        clearance,
        service,
        organisation,
        compartments=frozenset(compartments),
        roles=frozenset(roles),
    )


ANALYST = _principal(Level.STG_GEHEIM, {"analyst"}, compartments=["KOBALT"])
PARTNER = _principal(Level.STG_GEHEIM, {"partner_recipient"}, None, "NCTV")
OVERSEER = _principal(Level.STG_GEHEIM, {"overseer"}, None, "CTIVD")
PLANNER = _principal(Level.STG_ZEER_GEHEIM, {"planner"})
# Reads everything below: proves that hidden documents do match the queries.
ALL_SEEING = _principal(Level.STG_ZEER_GEHEIM, {"overseer"}, None, "CTIVD")

TEXT = (
    "Verslag van operatie Nachtwacht in de haven van Rotterdam. Het schip werd gevolgd; "
    "de bemanning had contact met een tussenpersoon."
)


def _doc(
    doc_id: str,
    marking: Marking,
    *,
    title: str = "Operatie Nachtwacht",
    text: str = TEXT,
    collection: str = "1",
    language: str | None = "nl",
    countries: tuple[str, ...] = ("NL",),
    kind: str = DOSSIER,
    schema: str | None = None,
) -> IndexDoc:
    return IndexDoc(
        doc_id, kind, marking, collection, title, text, language, countries, schema, "2026-01-05"
    )


def _index(docs: Sequence[IndexDoc], path: Path | None = None) -> SearchIndex:
    # One writer thread: one segment, documents in their order (ties rank by it).
    index = SearchIndex(path, writer_threads=1)
    index.upsert(docs)
    return index


def _everything(p: Principal) -> IndexPolicy:
    return index_policy(p, KINDS)


def m(level: str = "STG_GEHEIM", owner: str = "AIVD", **kw: list[str]) -> Marking:
    return Marking.of(level, owner, **kw)


# -- indexing and querying ----------------------------------------------------------


def test_upsert_replaces_and_delete_removes() -> None:
    index = _index([_doc("doc:1", m()), _doc("doc:2", m(), text="een ander bericht")])
    clause = _everything(ANALYST)
    assert index.count() == 2
    assert [h.doc_id for h in index.search(clause, "nachtwacht").hits] == ["doc:1", "doc:2"]
    assert index.upsert([_doc("doc:1", m(), title="Herzien", text="nieuwe tekst")]) == 1
    assert index.count() == 2
    assert index.search(clause, "tussenpersoon").total == 0
    assert [h.doc_id for h in index.search(clause, "nieuwe").hits] == ["doc:1"]
    index.delete(["doc:2", "doc:404"])
    assert index.count() == 1
    assert index.upsert([]) == 0
    index.delete([])


def test_delete_collection_and_clear() -> None:
    index = _index([_doc(f"doc:{i}", m(), collection=str(i % 2)) for i in range(6)])
    index.delete_collection("0")
    assert index.count() == 3
    assert {h.collection for h in index.search(_everything(ANALYST), "haven").hits} == {"1"}
    index.clear()
    assert index.count() == 0


def test_hits_carry_their_fields_and_title_matches_rank_first() -> None:
    index = _index(
        [
            _doc("doc:1", m(), title="Havenbericht", schema="Document"),
            _doc("doc:2", m("STG_CONFIDENTIEEL", "JOINT"), title="Nachtwacht in Rotterdam"),
        ]
    )
    hits = index.search(_everything(ANALYST), "nachtwacht rotterdam").hits
    assert [h.doc_id for h in hits] == ["doc:2", "doc:1"]
    assert hits[0].score > hits[1].score
    assert hits[0].marking_key == m("STG_CONFIDENTIEEL", "JOINT").key()
    assert (hits[1].kind, hits[1].collection, hits[1].language) == (DOSSIER, "1", "nl")
    assert (hits[1].schema, hits[1].date, hits[1].title) == (
        "Document",
        "2026-01-05",
        "Havenbericht",
    )


def test_facets_count_every_match_not_only_the_page() -> None:
    docs = [
        _doc(
            f"doc:{i}",
            m(),
            collection=str(i % 3),
            language="nl" if i % 2 else "en",
            countries=("NL", "BE") if i % 5 == 0 else ("DE",),
        )
        for i in range(30)
    ]
    result = _index(docs).search(_everything(ANALYST), "haven", limit=5)
    assert result.total == 30
    assert len(result.hits) == 5
    assert result.facets["collection"] == [("0", 10), ("1", 10), ("2", 10)]
    assert result.facets["language"] == [("en", 15), ("nl", 15)]
    assert result.facets["country"] == [("DE", 24), ("BE", 6), ("NL", 6)]
    assert result.facets["kind"] == [(DOSSIER, 30)]
    assert result.facets["schema"] == []
    only = _index(docs).search(_everything(ANALYST), "haven", facets=("language",))
    assert set(only.facets) == {"language"}


def test_filters_narrow_within_and_across_facets() -> None:
    docs = [
        _doc("doc:1", m(), collection="1", language="nl", countries=("NL",)),
        _doc("doc:2", m(), collection="2", language="en", countries=("RU",)),
        _doc("doc:3", m(), collection="3", language="nl", countries=("RU", "BY")),
    ]
    index = _index(docs)
    clause = _everything(ANALYST)

    def ids(**filters: list[str]) -> list[str]:
        return [h.doc_id for h in index.search(clause, "haven", filters=filters).hits]

    assert ids(collection=["1", "3"]) == ["doc:1", "doc:3"]
    assert ids(country=["RU"], language=["nl"]) == ["doc:3"]
    assert ids(collection=[]) == ["doc:1", "doc:2", "doc:3"]
    filtered = index.search(clause, "haven", filters={"country": ["RU"]})
    assert filtered.total == 2
    assert filtered.facets["collection"] == [("2", 1), ("3", 1)]
    with pytest.raises(ValueError, match="unknown facet"):
        index.search(clause, "haven", filters={"level": ["0"]})
    with pytest.raises(ValueError, match="unknown facet"):
        index.search(clause, "haven", facets=("owner",))


def test_words_are_folded_and_phrases_kept_in_order() -> None:
    index = _index(
        [
            _doc("doc:1", m(), title="Ürümqi", text="Het café in Ürümqi; één bron."),
            _doc("doc:2", m(), title="Omgekeerd", text="de haven van Rotterdam is groot"),
        ]
    )
    clause = _everything(ANALYST)
    assert [h.doc_id for h in index.search(clause, "URUMQI cafe een").hits] == ["doc:1"]
    assert index.search(clause, '"haven van rotterdam"').total == 1
    assert index.search(clause, '"rotterdam haven"').total == 0
    assert index.search(clause, '"haven').total == 1  # an unclosed quote is a word


@pytest.mark.parametrize(
    "query",
    [
        '"AND OR ((',
        ":",
        "*",
        "title:",
        "level:0",
        "access:*",
        "kind:zoektest-dossier",
        "(((",
        "a" * 10_000,
        "haven " * 5_000,
        "\x00\x01\x7f",
        "🙂 ‮",
        '"" "" ""',
        "~1 ^2 [a TO z] {0 TO 1}",
        "-haven +haven !haven",
    ],
)
def test_no_query_text_raises(query: str) -> None:
    index = _index([_doc("doc:1", m()), _doc("doc:2", m("STG_ZEER_GEHEIM"))])
    result = index.search(_everything(ANALYST), query)
    assert isinstance(result, SearchResult)
    assert result.total <= 1  # never the document above the analyst's clearance


def test_field_syntax_is_just_words() -> None:
    index = _index([_doc("doc:1", m(), text="level 0 in the report")])
    clause = _everything(ANALYST)
    assert index.search(clause, "level:0").total == 1  # the words "level" and "0"
    assert index.search(clause, "doc_id:doc").total == 0


@pytest.mark.parametrize("query", ["", "   ", "!!! ... ---", '""'])
def test_an_empty_query_finds_nothing(query: str) -> None:
    result = _index([_doc("doc:1", m())]).search(_everything(ANALYST), query)
    assert result == SearchResult(0, [], {f: [] for f in result.facets})
    assert set(result.facets) == {"collection", "language", "country", "schema", "kind"}


def test_paging() -> None:
    index = _index([_doc(f"doc:{i:02}", m()) for i in range(25)])
    clause = _everything(ANALYST)
    first = index.search(clause, "haven", limit=10)
    second = index.search(clause, "haven", limit=10, offset=10)
    last = index.search(clause, "haven", limit=10, offset=20)
    pages = [h.doc_id for r in (first, second, last) for h in r.hits]
    assert pages == [f"doc:{i:02}" for i in range(25)]
    assert {first.total, second.total, last.total} == {25}
    none = index.search(clause, "haven", limit=0, offset=-5)
    assert (none.total, none.hits) == (25, [])
    assert index.search(clause, "haven", offset=100).hits == []


# -- snippets -------------------------------------------------------------------------

TAG = re.compile(r"<[^>]*>")


def test_snippets_are_escaped_html_with_only_mark_tags() -> None:
    text = (
        'Bericht <script>alert("x")</script> over de haven & <mark>nep</mark> <b>vet</b> '
        "<img src=x onerror=alert(1)>"
    )
    index = _index(
        [
            _doc("doc:1", m(), text=text),
            _doc("doc:2", m(), title="Haven <i>", text="<script>niets</script> " * 30),
        ]
    )
    hits = {h.doc_id: h for h in index.search(_everything(ANALYST), "haven").hits}
    first = str(hits["doc:1"].snippet)
    assert set(TAG.findall(first)) == {"<mark>", "</mark>"}
    assert "<mark>haven</mark>" in first
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in first
    assert "&lt;mark&gt;nep&lt;/mark&gt;" in first
    assert "&amp;" in first
    assert "&lt;img src=x onerror=alert(1)&gt;" in first
    # Matched in the title only: the start of the text, escaped, no marks.
    second = str(hits["doc:2"].snippet)
    assert TAG.findall(second) == []
    assert second.startswith("&lt;script&gt;niets")
    assert second.endswith("…")


def test_the_snippet_shows_the_window_with_most_query_words() -> None:
    filler = " ".join(["woord"] * 60)
    text = f"alfa begin. {filler} bravo en alfa samen. {filler} einde bravo."
    hit = _index([_doc("doc:1", m(), text=text)]).search(_everything(ANALYST), "alfa bravo").hits[0]
    snippet = str(hit.snippet)
    assert snippet.startswith("…")
    assert snippet.endswith("…")
    assert "<mark>bravo</mark> en <mark>alfa</mark> samen" in snippet
    assert len(TAG.sub("", snippet)) <= 260


def test_snippets_of_long_and_unicode_texts() -> None:
    text = "😀 Ünïcode " * 20 + "haven " + "x" * 100_000
    hit = _index([_doc("doc:1", m(), text=text)]).search(_everything(ANALYST), "haven").hits[0]
    assert "<mark>haven</mark>" in hit.snippet
    late = "woord " * 10_000 + "haven"
    hit = _index([_doc("doc:1", m(), text=late)]).search(_everything(ANALYST), "haven").hits[0]
    assert "<mark>" not in hit.snippet  # beyond the scanned start: the lead is shown


# -- non-interference -------------------------------------------------------------------


def _interleave(visible: Sequence[IndexDoc], hidden: Sequence[IndexDoc]) -> Iterator[IndexDoc]:
    for i in range(max(len(visible), len(hidden))):
        yield from hidden[i : i + 1]
        yield from visible[i : i + 1]


def _hidden(i: int, marking: Marking, kind: str = DOSSIER) -> IndexDoc:
    """A document the principal may not read, full of the query's words and with facet
    values of its own: it would change totals, facets, ranks and snippets if it leaked."""
    return _doc(
        f"hidden:{i}",
        marking,
        kind=kind,
        title="Nachtwacht Rotterdam haven",
        text=("nachtwacht in de haven van rotterdam, schip " * 30) + "geheim",
        collection="99",
        language="en",
        countries=("RU", "IR"),
        schema="Person",
    )


QUERIES = [
    ("nachtwacht", {}),
    ("haven rotterdam", {}),
    ('"haven van rotterdam" schip', {}),
    ("nachtwacht", {"collection": ["1", "99"]}),
    ("haven", {"country": ["RU", "NL"], "language": ["en", "nl"]}),
    ("geheim", {}),
]

SCENARIOS = {
    "clearance": (
        ANALYST,
        [m(), m("STG_CONFIDENTIEEL")],
        [m("STG_ZEER_GEHEIM"), m("STG_ZEER_GEHEIM", "JOINT")],
    ),
    "compartments": (
        ANALYST,
        [m(compartments=["KOBALT"]), m()],
        [m(compartments=["ZEPHYR"]), m(compartments=["KOBALT", "ZEPHYR"])],
    ),
    "service owner": (
        ANALYST,
        [m(owner="JOINT"), m(owner="MIVD", releasable_to=["AIVD"])],
        [m(owner="MIVD"), m(owner="MIVD", releasable_to=["NCTV"])],
    ),
    "releasability to an external organisation": (
        PARTNER,
        [m(owner="JOINT", releasable_to=["NCTV"]), m(releasable_to=["NCTV", "OM"])],
        [m(owner="JOINT"), m(releasable_to=["OM"]), m(releasable_to=["MIVD"])],
    ),
    "overseer (compartments and service waived, clearance not)": (
        OVERSEER,
        [m(owner="MIVD", compartments=["ZEPHYR"]), m(releasable_to=["OM"])],
        [m("STG_ZEER_GEHEIM"), m("STG_ZEER_GEHEIM", "MIVD", compartments=["SCHADUW"])],
    ),
    "role without the kind": (PLANNER, [], [m("ONGERUBRICEERD", "JOINT"), m()]),
}


@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_what_a_principal_may_not_read_changes_nothing_they_see(scenario: str) -> None:
    principal, visible_markings, hidden_markings = SCENARIOS[scenario]
    visible = [
        _doc(f"doc:{i}", mk, collection=str(i % 2 + 1)) for i, mk in enumerate(visible_markings)
    ]
    hidden = [_hidden(i, mk) for i, mk in enumerate(hidden_markings)]
    if not policy.role_may_read(principal, PERSOON):
        # One more: a kind the principal's role may not read, marked low.
        low = m("ONGERUBRICEERD", "JOINT", releasable_to=["NCTV"])
        hidden.append(_hidden(len(hidden), low, PERSOON))
    for d in visible:
        assert policy.can_read(principal, d.kind, d.marking)
    for d in hidden:
        assert not policy.can_read(principal, d.kind, d.marking)
    with_hidden = _index(list(_interleave(visible, hidden)))
    without = _index(visible)
    clause = _everything(principal)
    for query, filters in QUERIES:
        seen = with_hidden.search(clause, query, filters=filters)
        assert seen == without.search(clause, query, filters=filters), query
        assert {h.doc_id for h in seen.hits} <= {d.doc_id for d in visible}
        # The hidden documents do match: someone who may read them finds them.
        everyone = with_hidden.search(_everything(ALL_SEEING), query, filters=filters, limit=50)
        assert {d.doc_id for d in hidden} <= {h.doc_id for h in everyone.hits}
    assert with_hidden.marking_counts(clause) == without.marking_counts(clause)


def test_the_snippet_window_does_not_depend_on_hidden_documents() -> None:
    # Tantivy's own snippet generator prefers the rarer word's window, counted over the
    # whole index: hidden documents full of "alfa" would move this snippet to "bravo".
    filler = " ".join(["woord"] * 60)
    visible = [_doc("doc:1", m(), text=f"alfa voorop. {filler} en dan bravo. {filler}")]
    hidden = [_hidden(i, m("STG_ZEER_GEHEIM")) for i in range(3)]
    hidden = [
        IndexDoc(h.doc_id, h.kind, h.marking, h.collection, h.title, "alfa " * 50, "nl")
        for h in hidden
    ]
    clause = _everything(ANALYST)
    seen = _index([*hidden, *visible]).search(clause, "alfa bravo")
    assert seen == _index(visible).search(clause, "alfa bravo")
    assert "<mark>alfa</mark> voorop" in seen.hits[0].snippet


def test_marking_counts() -> None:
    index = _index(
        [
            _doc("doc:1", m()),
            _doc("doc:2", m()),
            _doc("doc:3", m("STG_ZEER_GEHEIM")),
            _doc("doc:4", m(owner="JOINT"), kind=PERSOON),
        ]
    )
    assert index.marking_counts(_everything(ANALYST)) == {m().key(): 2}
    assert index.marking_counts(_everything(PLANNER)) == {}
    assert sum(index.marking_counts(_everything(ALL_SEEING)).values()) == 4


def test_access_terms_this_code_did_not_write_are_admitted_to_no_one() -> None:
    clause = _everything(ALL_SEEING)
    good = f"{DOSSIER}#{m().key()}"
    assert admitted_access(clause, [good, "rommel", f"{DOSSIER}#GEEN|NIVEAU", "#||||"]) == [good]
    index = _index([_doc("doc:1", m())])
    with pytest.raises(ValueError, match="cannot contain"):
        index.upsert([_doc("doc:2", m()), _doc("doc:3", m(), kind="a#b")])
    assert index.count() == 1  # the failed batch was rolled back as a whole
    index.upsert([_doc("doc:2", m())])
    assert index.count() == 2


# -- storage ----------------------------------------------------------------------------


def test_the_index_and_its_meta_persist_across_reopening(tmp_path: Path) -> None:
    path = tmp_path / "index"
    index = _index([_doc("doc:1", m()), _doc("doc:2", m(), title="Tweede")], path)
    assert index.meta_get("feed.high_water") is None
    index.meta_set("feed.high_water", "41")
    index.meta_set("feed.high_water", "42")
    index.meta_set("other", "x")
    del index
    again = SearchIndex(path)
    assert again.count() == 2
    assert again.search(_everything(ANALYST), "tweede").total == 1
    assert again.meta_get("feed.high_water") == "42"
    assert again.meta_get("other") == "x"
    assert not [p for p in path.iterdir() if p.name.endswith(".tmp")]


def test_meta_in_memory() -> None:
    index = SearchIndex(None)
    assert index.meta_get("k") is None
    index.meta_set("k", "v")
    assert index.meta_get("k") == "v"


def test_a_second_writer_waits_then_gives_up(tmp_path: Path) -> None:
    path = tmp_path / "index"
    index = _index([_doc("doc:1", m())], path)
    holder = tantivy.Index.open(str(path)).writer(15_000_000, 1)  # another writer
    try:
        with pytest.raises(IndexBusy):
            SearchIndex(path, lock_timeout=0.2).upsert([_doc("doc:2", m())])
        # Reading goes on meanwhile.
        assert SearchIndex(path).search(_everything(ANALYST), "haven").total == 1
    finally:
        holder.wait_merging_threads()  # releases the lock
    index.upsert([_doc("doc:2", m())])
    assert index.count() == 2


def test_another_instance_sees_commits(tmp_path: Path) -> None:
    path = tmp_path / "index"
    writer = _index([_doc("doc:1", m())], path)
    reader = SearchIndex(path)
    writer.upsert([_doc("doc:2", m())])
    deadline = time.monotonic() + 10
    while reader.count() < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert reader.search(_everything(ANALYST), "haven").total == 2


def test_an_index_of_another_schema_is_reset(tmp_path: Path) -> None:
    path = tmp_path / "index"
    path.mkdir()
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("old", stored=True)
    old = tantivy.Index(builder.build(), str(path))
    writer = old.writer(15_000_000, 1)
    writer.add_document(tantivy.Document(old="x"))
    writer.commit()
    writer.wait_merging_threads()
    (path / "baken-meta.json").write_text('{"feed.high_water": "7"}')
    index = SearchIndex(path)
    assert index.count() == 0
    assert index.meta_get("feed.high_water") is None  # the feeder starts from zero
    index.upsert([_doc("doc:1", m())])
    assert SearchIndex(path).count() == 1
