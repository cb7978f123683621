"""The search index of holdings: one Tantivy index, in process, for both databases.

The index is derived data. A feeder (outside this module) upserts what was committed to
the database and may keep its bookkeeping beside the index (:meth:`SearchIndex.meta_set`);
the index can be cleared and rebuilt from the database at any time, and an index built
with another schema is reset on open (with its bookkeeping) for that reason.

Every search runs the read rule inside the query (:func:`.query.policy_query`), so a
document the principal may not read changes no total, no facet count, no snippet and no
score: they are all computed by Tantivy over the same query.

Several processes may open the same directory and search it; one writes at a time.
Writers are taken per operation and released at its end, so processes take turns;
a writer waits up to ``lock_timeout`` seconds for another to finish, then raises
:class:`IndexBusy`.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import tempfile
import threading
import time
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path

import tantivy
from markupsafe import Markup

from baken.core.policy_index import IndexPolicy
from baken.holdings.search.query import (
    Occur,
    Query,
    filter_queries,
    keys_query,
    parse,
    policy_query,
    text_query,
    values_query,
)
from baken.holdings.search.schema import (
    ANALYZER,
    FACETS,
    IndexDoc,
    ScreenFields,
    analyzer,
    build_schema,
    screen_fields,
    to_document,
)
from baken.holdings.search.snippets import snippet

log = logging.getLogger(__name__)

DEFAULT_FACETS = ("collection", "language", "country", "schema", "kind")
META_FILE = "baken-meta.json"
LOCK_FILE = "baken-meta.lock"
MAX_LIMIT = 1000
# Tantivy refuses aggregations with more buckets than this.
MAX_BUCKETS = 65_000


class IndexBusy(RuntimeError):
    """Another writer held the index for longer than the lock timeout."""


@dataclass(frozen=True, slots=True)
class Hit:
    doc_id: str
    kind: str
    title: str
    snippet: Markup  # escaped text, matched words in <mark>
    score: float
    collection: str
    language: str | None
    schema: str | None
    marking_key: str
    date: str | None = None


@dataclass(frozen=True, slots=True)
class SearchResult:
    total: int
    hits: list[Hit]
    # facet -> [(value, count)], count descending, over every readable match
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ScreenEntry:
    """One readable entity entry found for screening."""

    doc_id: str
    collection: str
    schema: str
    marking_key: str
    fields: ScreenFields
    keys: float  # how many of the asked keys it holds (0 when gathered by entity)


class SearchIndex:
    def __init__(
        self,
        path: Path | None,
        *,
        writer_heap: int = 128_000_000,
        writer_threads: int = 0,
        lock_timeout: float = 30.0,
        facet_size: int = 50,
    ) -> None:
        """Open the index in ``path`` (created if missing), or one in memory for
        ``None``. ``writer_threads=0`` lets Tantivy choose; tests pass 1 so that documents
        keep their order in one segment."""
        self.path = path
        self._schema = build_schema()
        self._analyzer = analyzer()
        self._writer_heap = writer_heap
        self._writer_threads = writer_threads
        self._lock_timeout = lock_timeout
        self._facet_size = facet_size
        self._write_lock = threading.Lock()
        self._memory_meta: dict[str, str] = {}
        if path is None:
            self._index = tantivy.Index(self._schema)
        else:
            path.mkdir(parents=True, exist_ok=True)
            with self._file_lock():
                self._index = self._open(path)
        self._index.register_tokenizer(ANALYZER, self._analyzer)

    def _open(self, path: Path) -> tantivy.Index:
        try:
            return tantivy.Index(self._schema, str(path), reuse=True)
        except ValueError as exc:
            if not tantivy.Index.exists(str(path)):
                raise
            # Another schema or index format: the index is derived data, rebuild it.
            log.warning("search index at %s does not fit this version (%s); resetting", path, exc)
            for child in path.iterdir():
                if child.is_file() and child.name != LOCK_FILE:
                    child.unlink()
            return tantivy.Index(self._schema, str(path), reuse=False)

    # -- writing --------------------------------------------------------------------

    def _acquire_writer(self) -> tantivy.IndexWriter:
        deadline = time.monotonic() + self._lock_timeout
        delay = 0.01
        while True:
            try:
                return self._index.writer(self._writer_heap, self._writer_threads)
            except ValueError as exc:
                if "LockBusy" not in str(exc):
                    raise
                if time.monotonic() >= deadline:
                    raise IndexBusy(f"search index {self.path} is being written") from exc
                time.sleep(delay)
                delay = min(delay * 2, 0.5)

    @contextlib.contextmanager
    def _writing(self) -> Iterator[tantivy.IndexWriter]:
        """A writer for one operation: committed at the end (rolled back on error) and
        released, so that other processes can write in turn."""
        with self._write_lock:
            writer = self._acquire_writer()
            try:
                yield writer
                writer.commit()
            except BaseException:
                writer.rollback()
                raise
            finally:
                writer.wait_merging_threads()  # finishes merges and drops the lock
            self._index.reload()

    def upsert(self, docs: Iterable[IndexDoc]) -> int:
        """Add or replace documents by ``doc_id``; one commit at the end. Returns how
        many were written."""
        items = iter(docs)
        first = next(items, None)
        if first is None:
            return 0
        count = 0
        with self._writing() as writer:
            for doc in chain([first], items):
                writer.delete_documents_by_term("doc_id", doc.doc_id)
                writer.add_document(to_document(doc))
                count += 1
        return count

    def delete(self, doc_ids: Iterable[str]) -> None:
        ids = list(doc_ids)
        if not ids:
            return
        with self._writing() as writer:
            for doc_id in ids:
                writer.delete_documents_by_term("doc_id", doc_id)

    def delete_collection(self, collection: str) -> None:
        with self._writing() as writer:
            writer.delete_documents_by_term("collection", collection)

    def delete_collection_kind(self, collection: str, kind: str) -> None:
        """Every entry of one kind in a collection (e.g. its entities after a bulk load)."""
        query = tantivy.Query.boolean_query(
            [
                (
                    tantivy.Occur.Must,
                    tantivy.Query.term_query(self._schema, "collection", collection),
                ),
                (tantivy.Occur.Must, tantivy.Query.term_query(self._schema, "kind", kind)),
            ]
        )
        with self._writing() as writer:
            writer.delete_documents_by_query(query)

    def clear(self) -> None:
        with self._writing() as writer:
            writer.delete_all_documents()

    # -- reading --------------------------------------------------------------------

    def count(self) -> int:
        """Documents in the index, for every principal (the feeder's and admin's view)."""
        return int(self._index.searcher().num_docs)

    def entry_ids(self, collection: str) -> list[str]:
        """The ids of every entry of a collection, for every principal: the check that a
        destroyed collection left nothing behind (oversight), never a user's view."""
        self._index.reload()
        searcher = self._index.searcher()
        total = int(searcher.num_docs)
        if not total:
            return []
        query = tantivy.Query.term_query(self._schema, "collection", collection)
        return [
            str(searcher.doc(address).to_dict().get("doc_id", [""])[0])
            for _, address in searcher.search(query, limit=total).hits
        ]

    def _policy_query(self, searcher: tantivy.Searcher, policy: IndexPolicy) -> Query:
        # Every access term (kind and marking) of this very searcher's segments, so that
        # no document can carry one the rule has not judged.
        terms = [term for term, _ in searcher.terms_with_prefix("access", "")]
        return policy_query(self._schema, policy, terms)

    def search(
        self,
        policy: IndexPolicy,
        query: str,
        *,
        filters: Mapping[str, Sequence[str]] | None = None,
        limit: int = 20,
        offset: int = 0,
        facets: Sequence[str] = DEFAULT_FACETS,
    ) -> SearchResult:
        """Documents the policy admits that match ``query`` (all its words, in title or
        text; ``"phrases"`` in order), best first, with facet counts over every match.

        ``filters`` narrows by facet values (any value within a facet, every facet); each
        facet of ``facets`` lists its ``facet_size`` most frequent values. An unknown
        facet name raises ``ValueError``, as it is the caller's mistake, not the user's.
        No user text raises: an empty or wordless query finds nothing.
        """
        names = list(dict.fromkeys(facets))
        for name in names:
            if name not in FACETS:
                raise ValueError(f"unknown facet {name!r}")
        narrowing = filter_queries(self._schema, filters or {})
        clauses = parse(query, self._analyzer)
        if not clauses or policy.admits_nothing:
            return SearchResult(0, [], {name: [] for name in names})
        self._index.reload()  # see what other processes committed
        searcher = self._index.searcher()
        full = Query.boolean_query(
            [
                (Occur.Must, text_query(self._schema, clauses)),
                (Occur.Must, self._policy_query(searcher, policy)),
                *narrowing,
            ]
        )
        limit = max(0, min(limit, MAX_LIMIT))
        offset = max(0, offset)
        # The page and the total in one pass (Tantivy needs a page of at least one).
        top = searcher.search(full, limit=max(1, limit), offset=offset, count=True)
        # SearchResult.count exists at run time; tantivy's stubs leave it out.
        total = int(getattr(top, "count", 0) or 0)
        words = frozenset(t for c in clauses for t in c.tokens)
        hits = [
            self._hit(searcher.doc(address), float(score), words)
            for score, address in (top.hits if limit else [])
        ]
        counts = self._facets(searcher, full, names) if names and total else {}
        return SearchResult(total, hits, {name: counts.get(name, []) for name in names})

    def _hit(self, doc: tantivy.Document, score: float, words: frozenset[str]) -> Hit:
        fields = doc.to_dict()

        def first(name: str) -> str | None:
            values = fields.get(name)
            return str(values[0]) if values else None

        text = fields["text"][0].decode() if fields.get("text") else ""
        return Hit(
            doc_id=first("doc_id") or "",
            kind=first("kind") or "",
            title=first("title") or "",
            snippet=snippet(text, words, self._analyzer),
            score=score,
            collection=first("collection") or "",
            language=first("language"),
            schema=first("schema"),
            marking_key=first("marking_key") or "",
            date=first("date"),
        )

    def _facets(
        self, searcher: tantivy.Searcher, query: Query, names: Sequence[str]
    ) -> dict[str, list[tuple[str, int]]]:
        """Facet counts over every match, in one pass."""
        aggs = {
            name: {
                "terms": {
                    "field": FACETS[name],
                    "size": self._facet_size,
                    # Exact counts: no per-segment pruning below what can exist.
                    "segment_size": MAX_BUCKETS,
                }
            }
            for name in names
        }
        result = searcher.aggregate(query, aggs)
        return {
            name: sorted(
                ((str(b["key"]), int(b["doc_count"])) for b in result[name]["buckets"]),
                key=lambda item: (-item[1], item[0]),
            )
            for name in names
        }

    # -- screening ------------------------------------------------------------------

    def screener(self, policy: IndexPolicy, schemata: Collection[str]) -> Screener | None:
        """A reader for screening entity entries of ``schemata`` with the read rule of
        ``policy`` in every query (None when the policy admits nothing). It reads the
        index as it is now; take one per screening or per batch."""
        if policy.admits_nothing or not schemata:
            return None
        self._index.reload()
        searcher = self._index.searcher()
        return Screener(
            self._schema,
            searcher,
            [
                (Occur.Must, self._policy_query(searcher, policy)),
                (Occur.Must, values_query(self._schema, "schema", schemata)),
            ],
        )

    def marking_counts(self, policy: IndexPolicy) -> dict[str, int]:
        """How many documents of each marking (by key) the policy admits, over the whole
        index: for audit summaries, and for the test that the compiled rule agrees
        with :func:`baken.core.policy_index.index_admits`."""
        if policy.admits_nothing:
            return {}
        searcher = self._index.searcher()
        admitted = self._policy_query(searcher, policy)
        counts = searcher.terms_with_prefix("marking_key", "", filter_query=admitted)
        return {term: int(n) for term, n in counts if n}

    # -- the feeder's bookkeeping ---------------------------------------------------

    @contextlib.contextmanager
    def _file_lock(self) -> Iterator[None]:
        assert self.path is not None
        with open(self.path / LOCK_FILE, "a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _read_meta(self) -> dict[str, str]:
        if self.path is None:
            return dict(self._memory_meta)
        try:
            data = json.loads((self.path / META_FILE).read_text("utf-8"))
        except FileNotFoundError:
            return {}
        except ValueError:
            # Bookkeeping of derived data: lost, the feeder starts again from nothing.
            log.warning("unreadable %s in %s; starting afresh", META_FILE, self.path)
            return {}
        return {str(k): str(v) for k, v in data.items()}

    def meta_get(self, key: str) -> str | None:
        """A value the feeder keeps beside the index (e.g. its high-water mark)."""
        return self._read_meta().get(key)

    def meta_set(self, key: str, value: str) -> None:
        """Set a value; written atomically (a crash leaves the old or the new file)."""
        if self.path is None:
            self._memory_meta[key] = value
            return
        with self._file_lock():
            data = self._read_meta()
            data[key] = value
            fd, tmp = tempfile.mkstemp(dir=self.path, prefix=".meta-", suffix=".tmp")
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as out:
                    json.dump(data, out, sort_keys=True, indent=1)
                    out.flush()
                    os.fsync(out.fileno())
                os.replace(tmp, self.path / META_FILE)
            except BaseException:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(tmp)
                raise


class Screener:
    """Entity entries for screening, through one searcher, with the read rule inside
    every query (as :meth:`SearchIndex.search`): an entry the principal may not read
    is neither returned nor counted, and ranks nothing."""

    def __init__(
        self,
        schema: tantivy.Schema,
        searcher: tantivy.Searcher,
        rule: list[tuple[tantivy.Occur, Query]],
    ) -> None:
        self._schema = schema
        self._searcher = searcher
        self._rule = rule

    def candidates(self, keys: Collection[str], limit: int) -> list[ScreenEntry]:
        """The ``limit`` entries holding the most of ``keys``."""
        if not keys:
            return []
        return self._run(keys_query(self._schema, "skeys", keys), max(1, min(limit, MAX_LIMIT)))

    def entries(self, entities: Collection[str], limit: int = MAX_LIMIT) -> list[ScreenEntry]:
        """Every readable entry of ``entities`` (at most ``limit``)."""
        if not entities:
            return []
        return self._run(values_query(self._schema, "entity", entities), max(1, limit))

    def _run(self, wanted: Query, limit: int) -> list[ScreenEntry]:
        full = Query.boolean_query([(Occur.Must, wanted), *self._rule])
        top = self._searcher.search(full, limit=limit, count=False)
        return [self._entry(self._searcher.doc(address), score) for score, address in top.hits]

    @staticmethod
    def _entry(doc: tantivy.Document, score: float) -> ScreenEntry:
        fields = doc.to_dict()
        return ScreenEntry(
            doc_id=str(fields["doc_id"][0]),
            collection=str(fields["collection"][0]),
            schema=str(fields["schema"][0]),
            marking_key=str(fields["marking_key"][0]),
            fields=screen_fields(str(fields["entity"][0]), bytes(fields["screen"][0])),
            keys=float(score),
        )
