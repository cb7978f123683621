"""The ingest pipeline: extract (with OCR) → language → NER → index, per document.

Each document is processed by a task ``(document_id, stages, job_id)``. The slow work
(extraction, NER) runs outside any transaction; its results are written in one
transaction together with the document's new state, its statements, its archive members
and the index outbox, so a crash at any point leaves the document either as it was
(``pending``/``processing``: it is processed again on resume) or finished. Statements
have content ids, so writing them again changes nothing.

A document that crashed the worker ``MAX_ATTEMPTS`` times is marked failed rather than
retried forever (a poison file must not stop a collection).

Stages can be re-run over a collection on their own: a stage runs with every stage after
it (NER again does not OCR again; it reads the stored text).
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from followthemoney import model
from followthemoney.proxy import EntityProxy
from sqlalchemy import and_, delete, or_, select
from sqlalchemy.orm import Session, sessionmaker

from baken.core.db import transaction
from baken.core.models import User
from baken.core.timeutil import utcnow
from baken.core.users import to_principal
from baken.holdings.blobs import BlobStore
from baken.holdings.extract import Limits, extract
from baken.holdings.lang import identify
from baken.holdings.models import Collection, Document, IndexOutbox, Statement
from baken.holdings.service.ingest import add_to_job, job_progress, register_bytes
from baken.holdings.statements import statement_id
from baken.holdings.types import Extracted, Mention, Quarantined
from baken.plugins import registry

log = logging.getLogger(__name__)

STAGES: tuple[str, ...] = ("extract", "language", "ner", "index")
MAX_ATTEMPTS = 3
MAX_TEXT_NER = 200_000  # characters of a document given to NER

# FtM schema of a document by its MIME type (as Aleph's ingestors choose them).
SCHEMA_BY_MIME = {
    "application/pdf": "Pages",
    "message/rfc822": "Email",
    "text/html": "HyperText",
    "text/plain": "PlainText",
    "text/csv": "Table",
    "application/zip": "Package",
    "application/mbox": "Folder",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Workbook",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Pages",
}
ISO639_3 = {"nl": "nld", "en": "eng"}
MENTION_SCHEMA = {"person": "Person", "organisation": "Organization"}
MENTION_PROP = {
    "person": "peopleMentioned",
    "organisation": "companiesMentioned",
    "location": "locationMentioned",
}


@dataclass(frozen=True, slots=True)
class Task:
    document_id: int
    stages: tuple[str, ...] = STAGES
    job_id: int | None = None


class Recogniser(Protocol):
    """What the pipeline needs of :class:`baken.holdings.nlp.Recogniser`."""

    def recognise(self, text: str, language: str) -> list[Mention]: ...

    def status(self) -> dict[str, str]: ...


@dataclass
class Pipeline:
    """What a worker needs to process documents. One per process, shared by threads."""

    factory: sessionmaker[Session]
    blobs: BlobStore
    limits: Limits
    recogniser_factory: Callable[[], Recogniser]
    max_bytes: int
    submit: Callable[[Task], None] = lambda task: None
    _recogniser: Recogniser | None = field(default=None, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def recogniser(self) -> Recogniser:
        with self._lock:
            if self._recogniser is None:
                self._recogniser = self.recogniser_factory()
            return self._recogniser

    def engine_label(self) -> str:
        status = self.recogniser.status()
        return "; ".join(f"{k}: {v}" for k, v in sorted(status.items()))[:200]

    # -- one task ------------------------------------------------------------------

    def run(self, task: Task) -> str:
        """Process one document; returns its state afterwards."""
        stages = tuple(s for s in STAGES if s in task.stages)
        claimed = self._claim(task, stages)
        if claimed is None:
            return "skipped"
        doc, data = claimed
        try:
            result = self._work(doc, data, stages)
        except Quarantined as q:
            with transaction(self.factory) as session:
                self._finish_quarantined(session, task, q)
            return "quarantined"
        except Exception as exc:  # a bug or a library failure: recorded, batch goes on
            log.exception("document %s failed", task.document_id)
            with transaction(self.factory) as session:
                row = session.get(Document, task.document_id)
                if row is not None:
                    row.state, row.error = "failed", f"{type(exc).__name__}: {exc}"[:2000]
                    row.updated_at = utcnow()
                    job_progress(session, task.job_id)
            return "failed"
        children = self._store(task, doc, result, stages)
        for child in children:
            self.submit(Task(child, STAGES, task.job_id))
        return "done"

    def _claim(self, task: Task, stages: tuple[str, ...]) -> tuple[Document, bytes | None] | None:
        with transaction(self.factory) as session:
            doc = session.get(Document, task.document_id)
            if doc is None:
                return None
            rerun = stages != STAGES
            if doc.state == "quarantined" or (doc.state == "done" and not rerun):
                return None
            if rerun and doc.state != "done":
                return None  # a re-run touches finished documents only
            doc.attempts += 1
            if doc.attempts > MAX_ATTEMPTS and not rerun:
                doc.state = "failed"
                doc.error = f"stopped the worker {MAX_ATTEMPTS} times; not retried"
                job_progress(session, task.job_id)
                return None
            doc.state = "processing"
            doc.updated_at = utcnow()
            session.flush()
            session.expunge(doc)
        data = None
        if "extract" in stages and doc.sha256 is not None:
            data = self.blobs.read(doc.sha256)
        return doc, data

    # -- the work, outside any transaction ----------------------------------------------

    def _work(self, doc: Document, data: bytes | None, stages: tuple[str, ...]) -> _Result:
        result = _Result(text=doc.text or "", language=doc.language or "other")
        if "extract" in stages:
            if data is None:
                raise Quarantined("corrupt", "the stored content is missing")
            result.extracted = extract(data, doc.name, self.limits, depth=doc.depth)
            result.text = result.extracted.text
        if "language" in stages:
            result.language = identify(result.text)
        if "ner" in stages:
            result.mentions = self.recogniser.recognise(result.text[:MAX_TEXT_NER], result.language)
            result.engine = self.engine_label()
        return result

    # -- the results, in one transaction --------------------------------------------------

    def _store(
        self, task: Task, doc: Document, result: _Result, stages: tuple[str, ...]
    ) -> list[int]:
        now = utcnow()
        children: list[int] = []
        with transaction(self.factory) as session:
            # Locked: of two processes that both worked on this document (each web worker
            # resumes what a killed one left), the first stores and the second finds it
            # no longer "processing" and stores nothing (no second set of statements).
            row = session.get(Document, doc.id, with_for_update=True)
            if row is None:
                return []
            if row.state != "processing":
                job_progress(session, task.job_id)
                return []
            collection = session.get(Collection, row.collection_id)
            assert collection is not None
            if result.extracted is not None:
                ex = result.extracted
                row.mime, row.text, row.title = ex.mime, ex.text, ex.title
                row.pages, row.ocr, row.extracted_at = ex.pages, ex.ocr, now
                children = self._children(session, row, ex)
            if "language" in stages:
                row.language, row.language_at = result.language, now
            if "ner" in stages:
                row.countries = sorted(
                    {m.normalised for m in result.mentions if m.normalised and m.label == "country"}
                )
                row.ner_at, row.ner_engine = now, result.engine
            if stages[0] in ("extract", "language", "ner"):
                write_statements(session, row, collection, result.mentions, now)
            row.state, row.error, row.updated_at = "done", None, now
            row.attempts = 0
            announce_stored(session, row.id)
            session.add(IndexOutbox(object_id=f"doc:{row.id}"))
            add_to_job(session, task.job_id, len(children))
            job_progress(session, task.job_id)
        return children

    def _children(self, session: Session, row: Document, ex: Extracted) -> list[int]:
        user = session.get(User, row.created_by)
        assert user is not None
        owner = to_principal(user)
        new: list[int] = []
        for child in ex.children:
            registered = register_bytes(
                session,
                principal=owner,
                collection_id=row.collection_id,
                data=child.data,
                name=f"{row.name}/{child.name}",
                blobs=self.blobs,
                max_bytes=self.max_bytes,
                parent=row,
            )
            if registered.new and registered.state == "pending":
                new.append(registered.document_id)
        return new

    def _finish_quarantined(self, session: Session, task: Task, q: Quarantined) -> None:
        row = session.get(Document, task.document_id)
        if row is None:
            return
        row.state, row.quarantine_reason = "quarantined", q.reason
        row.quarantine_detail = q.detail[:2000] or None
        row.updated_at = utcnow()
        session.add(IndexOutbox(object_id=f"doc:{row.id}"))
        job_progress(session, task.job_id)


@dataclass
class _Result:
    text: str
    language: str
    extracted: Extracted | None = None
    mentions: list[Mention] = field(default_factory=list)
    engine: str | None = None


def announce_stored(session: Session, document_id: int) -> None:
    """Tell the modules that listen (analysis tags it) that a document is stored. A
    listener's failure must not lose the document: it is logged and its savepoint rolled
    back (``baken tag`` can tag the document later)."""
    for impl in registry().hook.baken_document_stored.get_hookimpls():
        try:
            with session.begin_nested():
                impl.function(session=session, document_id=document_id)
        except Exception:
            log.exception("%s on document %s failed", impl.plugin_name, document_id)


def document_entity_id(document_id: int) -> str:
    return f"doc-{document_id}"


def mention_entity_id(collection: str, label: str, name: str) -> str:
    """One entity per distinct name and type in a collection (resolution links them
    across collections later)."""
    key = " ".join(name.casefold().split())
    digest = hashlib.sha1(f"{label}\x1f{key}".encode(), usedforsecurity=False).hexdigest()
    return f"{collection}-{label[:3]}-{digest[:20]}"


def _document_proxy(row: Document, mentions: Sequence[Mention]) -> EntityProxy:
    proxy = model.make_entity(SCHEMA_BY_MIME.get(row.mime or "", "Document"))
    proxy.id = document_entity_id(row.id)
    proxy.add("fileName", row.name.rsplit("/", 1)[-1])
    proxy.add("title", row.title)
    proxy.add("mimeType", row.mime)
    proxy.add("fileSize", str(row.size))
    proxy.add("contentHash", row.sha256)
    if row.language in ISO639_3:
        proxy.add("detectedLanguage", ISO639_3[row.language])
    for m in mentions:
        if m.label == "country" and m.normalised:
            proxy.add("detectedCountry", m.normalised.lower())
        elif m.label in MENTION_PROP:
            proxy.add(MENTION_PROP[m.label], m.text)
    return proxy


def write_statements(
    session: Session,
    row: Document,
    collection: Collection,
    mentions: Sequence[Mention],
    now: datetime,
) -> int:
    """Replace the document's extracted statements: the document entity itself and one
    entity per named person or organisation, each value linked to the document."""
    previous = set(
        session.scalars(
            select(Statement.entity_id).where(
                Statement.document_id == row.id, Statement.origin == "ner"
            )
        )
    )
    session.execute(
        delete(Statement).where(Statement.document_id == row.id, Statement.origin == "ner")
    )
    proxies = [_document_proxy(row, mentions)]
    for m in mentions:
        schema = MENTION_SCHEMA.get(m.label)
        if schema is None:
            continue
        proxy = model.make_entity(schema)
        proxy.id = mention_entity_id(collection.name, m.label, m.text)
        proxy.add("name", m.text)
        proxies.append(proxy)
    rows: dict[str, Statement] = {}
    for proxy in proxies:
        assert proxy.id is not None
        values = [("id", ""), *((p.name, v) for p, v in proxy.itervalues())]
        for name, value in values:
            sid = statement_id(collection.id, row.id, proxy.id, name, value)
            rows[sid] = Statement(
                id=sid,
                entity_id=proxy.id,
                schema=proxy.schema.name,
                prop=name,
                value=value,
                collection_id=collection.id,
                document_id=row.id,
                origin="ner",
                marking_id=row.marking_id,
                first_seen=now,
                last_seen=now,
            )
    session.add_all(rows.values())
    # The index entries of every entity the document named, before and now.
    for entity_id in sorted(previous | {p.id for p in proxies[1:] if p.id}):
        session.add(IndexOutbox(object_id=f"ent:{entity_id}|{collection.id}"))
    return len(rows)


def pending(session: Session, collection_id: int) -> list[int]:
    """Documents a resume must (re)process: never finished, or failed fewer than
    ``MAX_ATTEMPTS`` times (a failure may have been the machine's, not the file's)."""
    return list(
        session.scalars(
            select(Document.id)
            .where(
                Document.collection_id == collection_id,
                or_(
                    Document.state.in_(("pending", "processing")),
                    and_(Document.state == "failed", Document.attempts < MAX_ATTEMPTS),
                ),
            )
            .order_by(Document.id)
        )
    )
