"""Feeding the search index from the database, after commit.

Every change that the index must see adds an :class:`IndexOutbox` row in the same
transaction as the change. The feeder reads the outbox in order, rebuilds the index
entries of those objects from the database, and deletes the rows it handled. A crash
between the two leaves the rows, so the entries are rebuilt again (idempotent upserts):
the index is derived data and ``rebuild`` makes it again from nothing.

Index entries:

* ``doc:<id>`` — a document's title and text, at the document's marking;
* ``ent:<entity>|<collection>|<marking>`` — an entity's names and values from one
  collection at one marking: a principal finds an entity only by what they may read.
  Entries of persons and organisations also carry their screening fields (blocking
  keys, names, dates of birth, nationalities, identifiers: :mod:`baken.resolve.screening`),
  from the same statements.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from collections.abc import Iterable

from followthemoney.types import registry
from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker

from baken.core.db import transaction
from baken.core.marking_store import load
from baken.holdings.models import Collection, Document, IndexOutbox, Statement
from baken.holdings.pipeline import SCHEMA_BY_MIME
from baken.holdings.search import IndexDoc, SearchIndex
from baken.holdings.statements import common_schema
from baken.holdings.vocab import DOCUMENT, ENTITY
from baken.resolve.screening import entry_fields

BATCH = 500
NUDGE_SECONDS = 2.0


def entity_doc_id(entity_id: str, collection_id: int, marking_id: int) -> str:
    return f"ent:{entity_id}|{collection_id}|{marking_id}"


class Feeder:
    def __init__(self, factory: sessionmaker[Session], index: SearchIndex) -> None:
        self.factory = factory
        self.index = index
        self._lock = threading.Lock()
        self._last = 0.0
        self._markings: dict[int, list[int]] = {}

    def sync(self) -> int:
        """Index everything in the outbox; returns the number of objects handled."""
        with self._lock:
            return self._sync()

    def try_sync(self, batches: int | None = None) -> int:
        """As :meth:`sync`, unless another thread is at it (it will see our rows); at most
        ``batches`` batches of the outbox when given (a request does not wait for a
        backlog another process left: the rest goes with the next call)."""
        if not self._lock.acquire(blocking=False):
            return 0
        try:
            return self._sync(batches)
        finally:
            self._lock.release()

    def nudge(self) -> None:
        """Sync if the last sync is a while ago (called after each task)."""
        if time.monotonic() - self._last >= NUDGE_SECONDS:
            self.try_sync()

    def _sync(self, batches: int | None = None) -> int:
        handled = 0
        while batches is None or batches > 0:
            if batches is not None:
                batches -= 1
            with transaction(self.factory) as session:
                rows = list(
                    session.execute(
                        select(IndexOutbox.id, IndexOutbox.object_id)
                        .order_by(IndexOutbox.id)
                        .limit(BATCH)
                    )
                )
                if not rows:
                    break
                objects = list(dict.fromkeys(object_id for _, object_id in rows))
                upserts, deletes = self._entries(session, objects)
            if deletes:
                self.index.delete(deletes)
            if upserts:
                self.index.upsert(upserts)
            with transaction(self.factory) as session:
                session.execute(delete(IndexOutbox).where(IndexOutbox.id <= rows[-1][0]))
            handled += len(objects)
        self._last = time.monotonic()
        return handled

    def rebuild(self) -> int:
        """Clear the index and index every document and entity again."""
        with self._lock:
            self.index.clear()
            with transaction(self.factory) as session:
                session.execute(delete(IndexOutbox))
                docs = session.scalars(select(Document.id)).all()
                session.add_all(IndexOutbox(object_id=f"doc:{d}") for d in docs)
                pairs = session.execute(
                    select(Statement.entity_id, Statement.collection_id).distinct()
                ).all()
                session.add_all(IndexOutbox(object_id=f"ent:{e}|{c}") for e, c in pairs)
            return self._sync()

    def _entries(
        self, session: Session, objects: Iterable[str]
    ) -> tuple[list[IndexDoc], list[str]]:
        upserts: list[IndexDoc] = []
        deletes: list[str] = []
        self._markings = {}  # per batch: markings per collection
        doc_ids = [int(o[4:]) for o in objects if o.startswith("doc:")]
        entities = [o[4:] for o in objects if o.startswith("ent:")]
        for collection in (o[4:] for o in objects if o.startswith("col:")):
            # A whole collection's entities (after a bulk load or delete): drop its
            # entity entries and index the entities it has now.
            self.index.delete_collection_kind(collection, ENTITY)
            entities += [
                f"{e}|{collection}"
                for e in session.scalars(
                    select(Statement.entity_id)
                    .distinct()
                    .where(Statement.collection_id == int(collection))
                )
            ]
        for doc_id in doc_ids:
            entry = self._document(session, doc_id)
            if entry is None:
                deletes.append(f"doc:{doc_id}")
            else:
                upserts.append(entry)
        for key in entities:
            entity_id, _, collection = key.rpartition("|")
            if not entity_id:  # an outbox row for a whole entity: every collection
                entity_id, collection = key, ""
            new, stale = self._entity(session, entity_id, collection)
            upserts.extend(new)
            deletes.extend(stale)
        return upserts, deletes

    def _document(self, session: Session, doc_id: int) -> IndexDoc | None:
        doc = session.get(Document, doc_id)
        if doc is None or doc.state != "done":
            return None
        marking = load(session, [doc.marking_id])[doc.marking_id]
        return IndexDoc(
            doc_id=f"doc:{doc.id}",
            kind=DOCUMENT,
            marking=marking,
            collection=str(doc.collection_id),
            title=doc.title or doc.name.rsplit("/", 1)[-1],
            text=doc.text or "",
            language=doc.language,
            countries=tuple(doc.countries or ()),
            schema=SCHEMA_BY_MIME.get(doc.mime or "", "Document"),
            date=doc.created_at.date().isoformat(),
        )

    def _entity(
        self, session: Session, entity_id: str, collection: str
    ) -> tuple[list[IndexDoc], list[str]]:
        if entity_id.startswith("doc-"):
            return [], []  # a document's own entity: the document entry finds it
        query = select(Statement).where(Statement.entity_id == entity_id)
        collections: list[int] = []
        if collection:
            query = query.where(Statement.collection_id == int(collection))
            collections = [int(collection)]
        groups: dict[tuple[int, int], list[Statement]] = defaultdict(list)
        for stmt in session.scalars(query):
            groups[(stmt.collection_id, stmt.marking_id)].append(stmt)
        if not collections:
            collections = sorted({c for c, _ in groups})
        # Entries that may exist for markings no statement has any more: every marking
        # used in those collections (a handful) is a candidate to delete.
        stale = [
            entity_doc_id(entity_id, c, m)
            for c in collections
            for m in self._collection_markings(session, c)
            if (c, m) not in groups
        ]
        marks = load(session, {m for _, m in groups})
        entries = []
        for (collection_id, marking_id), stmts in groups.items():
            schema = common_schema(s.schema for s in stmts)
            names: list[str] = []
            others: list[str] = []
            for s in stmts:
                prop = schema.get(s.prop) if schema else None
                if not s.value or (prop is not None and prop.type == registry.entity):
                    continue  # references to other entities are ids, not text
                (names if prop is not None and prop.type == registry.name else others).append(
                    s.value
                )
            if not names and not others:
                stale.append(entity_doc_id(entity_id, collection_id, marking_id))
                continue
            entries.append(
                IndexDoc(
                    doc_id=entity_doc_id(entity_id, collection_id, marking_id),
                    kind=ENTITY,
                    marking=marks[marking_id],
                    collection=str(collection_id),
                    # Without a name in this group, the schema and a value stand in.
                    title=names[0] if names else f"{schema.label if schema else '?'}: {others[0]}",
                    text="\n".join(dict.fromkeys([*names, *others])),
                    language=None,
                    schema=schema.name if schema else None,
                    screen=entry_fields(entity_id, schema, ((s.prop, s.value) for s in stmts)),
                )
            )
        return entries, stale

    def _collection_markings(self, session: Session, collection_id: int) -> list[int]:
        if collection_id not in self._markings:
            self._markings[collection_id] = _collection_markings(session, collection_id)
        return self._markings[collection_id]


def _collection_markings(session: Session, collection_id: int) -> list[int]:
    found = set(
        session.scalars(
            select(Document.marking_id).distinct().where(Document.collection_id == collection_id)
        )
    )
    own = session.scalar(select(Collection.marking_id).where(Collection.id == collection_id))
    if own is not None:
        found.add(own)
    found.update(
        session.scalars(
            select(Statement.marking_id)
            .distinct()
            .where(Statement.collection_id == collection_id, Statement.document_id.is_(None))
        )
    )
    return sorted(found)
