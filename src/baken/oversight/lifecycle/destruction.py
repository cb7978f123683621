"""Destruction of a bulk dataset's items from every place Baken keeps them, with a record
that proves it.

What goes: the items' statements (and those of their documents), the documents, the
blobs no surviving document references (rows and files), the search-index entries (by
outbox, fed after commit), the Parquet files of the bulk load (rewritten without the
items, or removed), candidate pairs and judgements of cross-referencing that name an
entity no statement holds any more, analysis tags of the items, and the items' own
assessment rows. The record keeps only counts and hashes (statement ids and blob hashes
are hashes already; entity ids are hashed with sha256) and a sha256 over the record
itself; :func:`verify` recomputes that hash and checks every store again.

Rows go in the caller's transaction; files go at once, as :func:`baken.holdings.bulk.delete`
does: a rolled-back destruction leaves rows whose files are gone, never the reverse.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]
import pyarrow.parquet as pq  # type: ignore[import-untyped]
from sqlalchemy import Table, delete, func, select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from baken.core import audit, policy
from baken.core.config import Settings
from baken.core.db import Base
from baken.core.i18n import N_
from baken.core.marking_store import intern, load, load_one
from baken.core.markings import Marking, summary
from baken.core.principals import Principal
from baken.core.timeutil import aware, utcnow
from baken.engines import parquet_files
from baken.holdings.blobs import BlobStore
from baken.holdings.models import Blob, Collection, Document, IndexOutbox, Statement
from baken.holdings.search import SearchIndex
from baken.holdings.service import collections
from baken.oversight.lifecycle.models import Assessment, BulkDataset, DestructionRecord
from baken.oversight.lifecycle.service import (
    DESTRUCTION,
    LifecycleError,
    _dataset,
    collections_of_permission,
)
from baken.resolve.models import CandidatePair, Judgement

SCOPES = ("not_relevant", "expired", "all")
ORDERING_ROLES = frozenset({"team_lead", "tib", "overseer"})


@dataclass(frozen=True)
class Stores:
    """Where the files of holdings live (blobs and bulk Parquet)."""

    blobs: BlobStore
    bulk_dir: Path

    @classmethod
    def of(cls, settings: Settings) -> Stores:
        return cls(BlobStore(settings.blob_dir), settings.bulk_dir)

    @classmethod
    def for_session(cls, session: Session) -> Stores:
        """The stores beside the session's database, for callers without settings: the
        environment's data directory, or an SQLite file's own directory."""
        settings = Settings()
        url = make_url(str(session.get_bind().engine.url))
        if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
            db = Path(url.database).resolve()
            if str(db) not in settings.database_url:
                settings = Settings(data_dir=db.parent, database_url=f"sqlite:///{db}")
        return cls.of(settings)


def entity_hash(entity_id: str) -> str:
    return hashlib.sha256(entity_id.encode("utf-8")).hexdigest()


def _digest(values: Iterable[str]) -> str:
    digest = hashlib.sha256()
    for value in sorted(values):
        digest.update(value.encode())
        digest.update(b"\n")
    return digest.hexdigest()


def record_hash(record: DestructionRecord) -> str:
    body = {
        "collection_id": record.collection_id,
        "scope": record.scope,
        "reason": record.reason,
        "permission_id": record.permission_id,
        "counts": record.counts,
        "hashes": record.hashes,
        "marking_id": record.marking_id,
        "destroyed_by": record.destroyed_by,
        "destroyed_at": aware(record.destroyed_at).isoformat(timespec="microseconds"),
    }
    text = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def _deleted(session: Session, statement: Any) -> int:
    return int(getattr(session.execute(statement), "rowcount", 0) or 0)


def _tags() -> Table | None:
    """``analysis_tags``, when the analysis module that keeps it is installed."""
    return Base.metadata.tables.get("analysis_tags")


@dataclass
class _Plan:
    entities: set[str] = field(default_factory=set)
    documents: set[int] = field(default_factory=set)


def _descendants(session: Session, collection_id: int, roots: set[int]) -> set[int]:
    found, frontier = set(roots), set(roots)
    while frontier:
        frontier = (
            set(
                session.scalars(
                    select(Document.id).where(
                        Document.collection_id == collection_id, Document.parent_id.in_(frontier)
                    )
                )
            )
            - found
        )
        found |= frontier
    return found


def _verdicts(session: Session, collection_id: int, kind: str, verdict: str) -> set[str]:
    return set(
        session.scalars(
            select(Assessment.item_id).where(
                Assessment.collection_id == collection_id,
                Assessment.item_kind == kind,
                Assessment.verdict == verdict,
            )
        )
    )


def _plan(session: Session, collection_id: int, scope: str) -> _Plan:
    """What the scope destroys: every row, not only those the actor may read (the law
    destroys the data, not a view of it)."""
    all_entities = set(
        session.scalars(
            select(Statement.entity_id).where(Statement.collection_id == collection_id).distinct()
        )
    )
    all_docs = set(
        session.scalars(select(Document.id).where(Document.collection_id == collection_id))
    )
    if scope == "all":
        return _Plan(all_entities, all_docs)
    if scope == "not_relevant":
        entities = _verdicts(session, collection_id, "entity", "not_relevant") & all_entities
        docs = {int(d) for d in _verdicts(session, collection_id, "document", "not_relevant")}
    else:  # expired: whatever was not found relevant within the term
        entities = all_entities - _verdicts(session, collection_id, "entity", "relevant")
        keep = {int(d) for d in _verdicts(session, collection_id, "document", "relevant")}
        docs = all_docs - keep
    return _Plan(entities, _descendants(session, collection_id, docs & all_docs))


def _may_destroy(principal: Principal, marking: Marking, ordered: bool) -> None:
    if ordered and principal.roles & ORDERING_ROLES and principal.clearance >= marking.level:
        # A binding order (the TIB's unlawful finding, the CTIVD's stop order) carried out
        # on the permission's collections: the body orders, it reads nothing of the data.
        return
    policy.require_write(principal, DESTRUCTION, marking)


def destroy(
    session: Session,
    *,
    principal: Principal,
    collection_id: int,
    scope: str,
    reason: str,
    today: date,
    stores: Stores,
    permission_id: int | None = None,
) -> int:
    """Destroy the scope's items of the collection; returns the destruction record id."""
    if permission_id is None:
        collection = collections.row(session, principal, collection_id)
    else:
        # Carrying out a binding order on the collections linked to the permission: the
        # ids come from the link, not from the caller.
        found = session.get(Collection, collection_id)
        if found is None:
            raise LookupError(collection_id)
        collection = found
    marking = load_one(session, collection.marking_id)
    _may_destroy(principal, marking, ordered=permission_id is not None)
    reason = reason.strip()
    if scope not in SCOPES:
        raise LifecycleError(N_("choose what to destroy"))
    if not reason:
        raise LifecycleError(N_("a destruction needs a reason"))
    dataset = _dataset(session, collection, principal)
    if dataset.legal_hold:
        raise LifecycleError(
            N_("this dataset is under a legal hold ({reason}); nothing of it may be destroyed"),
            reason=dataset.hold_reason,
        )
    if dataset.state == "destroyed":
        raise LifecycleError(N_("this dataset was destroyed already"))
    if scope == "expired" and today <= dataset.term_until:
        raise LifecycleError(
            N_("the assessment term runs until {date}; destroy only what is not relevant"),
            date=dataset.term_until.isoformat(),
        )
    plan = _plan(session, collection.id, scope)
    if not plan.entities and not plan.documents:
        raise LifecycleError(N_("there is nothing to destroy"))
    return _execute(
        session, principal, collection, dataset, scope, reason, plan, stores, permission_id
    )


def _execute(
    session: Session,
    principal: Principal,
    collection: Collection,
    dataset: BulkDataset,
    scope: str,
    reason: str,
    plan: _Plan,
    stores: Stores,
    permission_id: int | None,
) -> int:
    cid = collection.id
    whole = scope == "all"
    docs = sorted(plan.documents)
    # The statements that go: the items' own, and every statement from their documents.
    st_where = (
        [Statement.collection_id == cid]
        if whole
        else [
            Statement.collection_id == cid,
            Statement.entity_id.in_(plan.entities) | Statement.document_id.in_(docs),
        ]
    )
    statement_ids: list[str] = []
    marking_ids = {collection.marking_id}
    touched_entities: set[str] = set()
    for sid, entity_id, marking_id in session.execute(
        select(Statement.id, Statement.entity_id, Statement.marking_id).where(*st_where)
    ):
        statement_ids.append(sid)
        touched_entities.add(entity_id)
        marking_ids.add(marking_id)
    doc_rows = list(
        session.execute(
            select(Document.id, Document.sha256, Document.marking_id).where(Document.id.in_(docs))
        )
    )
    marking_ids |= {m for _, _, m in doc_rows}
    counts: dict[str, int] = {}
    counts["statements"] = _deleted(session, delete(Statement).where(*st_where))
    # Entities no statement anywhere holds any more: gone from every view.
    surviving = (
        set(
            session.scalars(
                select(Statement.entity_id)
                .where(Statement.entity_id.in_(touched_entities))
                .distinct()
            )
        )
        if touched_entities
        else set()
    )
    gone = touched_entities - surviving
    counts["entities"] = len(plan.entities)
    counts.update(_xref(session, gone))
    counts["tags"] = _delete_tags(session, set(docs), touched_entities, cid)
    counts["assessments"] = _deleted(
        session,
        delete(Assessment).where(
            Assessment.collection_id == cid,
            ((Assessment.item_kind == "entity") & Assessment.item_id.in_(plan.entities))
            | (
                (Assessment.item_kind == "document")
                & Assessment.item_id.in_([str(d) for d in docs])
            ),
        ),
    )
    # Documents: children before parents (the parent key).
    depth = {
        d: dep
        for d, dep in session.execute(
            select(Document.id, Document.depth).where(Document.id.in_(docs))
        )
    }
    for level in sorted(set(depth.values()), reverse=True):
        level_ids = [d for d, v in depth.items() if v == level]
        _deleted(session, delete(Document).where(Document.id.in_(level_ids)))
    counts["documents"] = len(doc_rows)
    shas = {sha for _, sha, _ in doc_rows if sha}
    still = (
        set(session.scalars(select(Document.sha256).where(Document.sha256.in_(shas))))
        if shas
        else set()
    )
    blob_gone = sorted(shas - still)
    if blob_gone:
        _deleted(session, delete(Blob).where(Blob.sha256.in_(blob_gone)))
    session.add_all(IndexOutbox(object_id=f"doc:{d}") for d in docs)
    session.add(IndexOutbox(object_id=f"col:{cid}"))
    if whole or (
        not session.scalar(
            select(func.count()).select_from(Statement).where(Statement.collection_id == cid)
        )
        and not session.scalar(
            select(func.count()).select_from(Document).where(Document.collection_id == cid)
        )
    ):
        dataset.state = "destroyed"
    marks = load(session, marking_ids)
    record_marking = policy.derived_marking(list(marks.values()))
    record = DestructionRecord(
        collection_id=cid,
        scope=scope,
        reason=reason,
        permission_id=permission_id,
        counts=counts,
        hashes={
            "statements": _digest(statement_ids),
            "entities": sorted(entity_hash(e) for e in plan.entities | gone),
            "documents": docs,
            "blobs": blob_gone,
        },
        record_hash="",
        marking_id=intern(session, record_marking),
        destroyed_by=principal.id,
        destroyed_at=utcnow(),
    )
    session.add(record)
    session.flush()
    session.refresh(record)
    record.record_hash = record_hash(record)
    session.flush()
    # Files last, once every row is gone in this transaction.
    for sha in blob_gone:
        stores.blobs.path(sha).unlink(missing_ok=True)
    counts_files = _parquet(
        stores.bulk_dir / str(cid), plan.entities, whole or dataset.state == "destroyed"
    )
    record.counts = {**counts, **counts_files}
    record.record_hash = record_hash(record)
    session.flush()
    audit.record(
        session,
        principal=principal,
        action="destruction.execute",
        kind=DESTRUCTION,
        object_id=record.id,
        marking=record_marking,
        details={
            "collection": cid,
            "scope": scope,
            "counts": record.counts,
            "permission": permission_id,
        },
    )
    return record.id


def _xref(session: Session, gone: set[str]) -> dict[str, int]:
    if not gone:
        return {"xref_pairs": 0, "xref_judgements": 0}
    ids = list(gone)
    pairs = list(
        session.scalars(
            select(CandidatePair.id).where(
                CandidatePair.left_id.in_(ids) | CandidatePair.right_id.in_(ids)
            )
        )
    )
    judged = _deleted(
        session,
        delete(Judgement).where(
            Judgement.left_id.in_(ids) | Judgement.right_id.in_(ids) | Judgement.pair_id.in_(pairs)
        ),
    )
    _deleted(session, delete(CandidatePair).where(CandidatePair.id.in_(pairs)))
    return {"xref_pairs": len(pairs), "xref_judgements": int(judged)}


def _delete_tags(session: Session, docs: set[int], entities: set[str], collection_id: int) -> int:
    tags = _tags()
    if tags is None:
        return 0
    cond = tags.c.collection_id == collection_id
    which = tags.c.document_id.in_(docs) | tags.c.entity_id.in_(entities)
    return _deleted(session, delete(tags).where(cond, which))


def _parquet(home: Path, entities: set[str], whole: bool) -> dict[str, int]:
    """Remove the bulk load's Parquet copy, or rewrite its statements without the
    destroyed entities. The source copy holds their rows as read: it goes entirely."""
    if not home.exists():
        return {"parquet_files": 0}
    files = len(list(home.rglob("*.parquet")))
    if whole:
        shutil.rmtree(home, ignore_errors=True)
        return {"parquet_files": files}
    shutil.rmtree(home / "source", ignore_errors=True)
    keep = pa.array(sorted(entities), type=pa.string())
    for file in parquet_files(home / "statements") if (home / "statements").exists() else []:
        table = pq.read_table(file)
        mask = pc.invert(pc.is_in(table.column("entity_id"), value_set=keep))
        pq.write_table(table.filter(mask), file)
    return {"parquet_files": files}


def destroy_permission(
    session: Session,
    *,
    principal: Principal,
    permission_id: int,
    reason: str,
    stores: Stores | None = None,
    today: date | None = None,
) -> list[int]:
    found = stores or Stores.for_session(session)
    records = []
    for cid in collections_of_permission(session, permission_id):
        dataset = session.get(BulkDataset, cid)
        if dataset is not None and dataset.state == "destroyed":
            continue
        records.append(
            destroy(
                session,
                principal=principal,
                collection_id=cid,
                scope="all",
                reason=reason,
                today=today or utcnow().date(),
                stores=found,
                permission_id=permission_id,
            )
        )
    return records


# --- reading and checking records -------------------------------------------------------------


@dataclass(frozen=True)
class RecordView:
    id: int
    collection_id: int
    collection: str
    scope: str
    reason: str
    permission_id: int | None
    counts: dict[str, Any]
    hashes: dict[str, Any]
    record_hash: str
    marking: Marking
    destroyed_by: int
    destroyed_at: Any


def _visible(principal: Principal) -> Any:
    return policy.read_filter(principal, DESTRUCTION, DestructionRecord.marking_id)


def _record_view(session: Session, row: DestructionRecord, names: dict[int, str]) -> RecordView:
    return RecordView(
        id=row.id,
        collection_id=row.collection_id,
        collection=names.get(row.collection_id, "—"),
        scope=row.scope,
        reason=row.reason,
        permission_id=row.permission_id,
        counts=dict(row.counts),
        hashes=dict(row.hashes),
        record_hash=row.record_hash,
        marking=load_one(session, row.marking_id),
        destroyed_by=row.destroyed_by,
        destroyed_at=row.destroyed_at,
    )


def list_records(
    session: Session, *, principal: Principal, collection_id: int | None = None
) -> list[RecordView]:
    query = (
        select(DestructionRecord).where(_visible(principal)).order_by(DestructionRecord.id.desc())
    )
    if collection_id is not None:
        query = query.where(DestructionRecord.collection_id == collection_id)
    rows = list(session.scalars(query))
    names = collections.names(session, principal, {r.collection_id for r in rows})
    items = [_record_view(session, r, names) for r in rows]
    audit.record(
        session,
        principal=principal,
        action="destruction.list",
        kind=DESTRUCTION,
        marking=summary(i.marking for i in items) if items else None,
        details={"ids": [i.id for i in items]},
    )
    return items


@dataclass(frozen=True)
class Check:
    record_id: int
    ok: bool
    problems: list[str]


def verify(
    session: Session,
    *,
    principal: Principal,
    record_id: int,
    stores: Stores,
    index: SearchIndex | None = None,
) -> Check:
    """Check a record: its hash, and that nothing it destroyed is anywhere again."""
    row = session.scalar(
        select(DestructionRecord).where(DestructionRecord.id == record_id, _visible(principal))
    )
    if row is None:
        raise LookupError(record_id)
    problems: list[str] = []
    if record_hash(row) != row.record_hash:
        problems.append(N_("the record was changed after it was written"))
    cid = row.collection_id
    hashed = set(row.hashes.get("entities", []))
    docs = [int(d) for d in row.hashes.get("documents", [])]
    blobs = list(row.hashes.get("blobs", []))
    left = [
        e
        for e in session.scalars(
            select(Statement.entity_id).where(Statement.collection_id == cid).distinct()
        )
        if entity_hash(e) in hashed
    ]
    if left:
        problems.append(N_("statements of destroyed entities are in the database"))
    if docs and session.scalar(
        select(func.count()).select_from(Document).where(Document.id.in_(docs))
    ):
        problems.append(N_("destroyed documents are in the database"))
    if docs and session.scalar(
        select(func.count()).select_from(Statement).where(Statement.document_id.in_(docs))
    ):
        problems.append(N_("statements of destroyed documents are in the database"))
    if blobs and (
        session.scalar(select(func.count()).select_from(Blob).where(Blob.sha256.in_(blobs)))
        or any(stores.blobs.exists(b) for b in blobs)
    ):
        problems.append(N_("destroyed files are in the blob store"))
    if _in_xref(session, hashed):
        problems.append(N_("cross-referencing results name destroyed entities"))
    tags = _tags()
    if tags is not None:
        found = session.execute(
            select(tags.c.document_id, tags.c.entity_id).where(tags.c.collection_id == cid)
        )
        if any((d in docs) or (e is not None and entity_hash(e) in hashed) for d, e in found):
            problems.append(N_("analysis tags of destroyed items remain"))
    if _in_parquet(stores.bulk_dir / str(cid), hashed):
        problems.append(N_("the Parquet files hold destroyed entities"))
    if index is not None and _in_index(index, cid, hashed, docs):
        problems.append(N_("the search index holds destroyed items"))
    marking = load_one(session, row.marking_id)
    audit.record(
        session,
        principal=principal,
        action="destruction.verify",
        kind=DESTRUCTION,
        object_id=row.id,
        marking=marking,
        outcome="ok" if not problems else "failed",
        details={"problems": problems},
    )
    return Check(row.id, not problems, problems)


def _in_xref(session: Session, hashed: set[str]) -> bool:
    for left, right in session.execute(select(CandidatePair.left_id, CandidatePair.right_id)):
        if entity_hash(left) in hashed or entity_hash(right) in hashed:
            return True
    for left, right in session.execute(select(Judgement.left_id, Judgement.right_id)):
        if entity_hash(left) in hashed or entity_hash(right) in hashed:
            return True
    return False


def _in_parquet(home: Path, hashed: set[str]) -> bool:
    if not home.exists():
        return False
    for file in home.rglob("*.parquet"):
        table = pq.read_table(file)
        if "entity_id" not in table.column_names:
            return True  # a source copy that outlived the destruction
        if any(entity_hash(str(e)) in hashed for e in table.column("entity_id").to_pylist()):
            return True
    return False


def _in_index(index: SearchIndex, collection_id: int, hashed: set[str], docs: list[int]) -> bool:
    """Any index entry of the collection that is a destroyed document or entity."""
    wanted = {f"doc:{d}" for d in docs}
    for doc_id in index.entry_ids(str(collection_id)):
        if doc_id in wanted:
            return True
        if doc_id.startswith("ent:") and entity_hash(doc_id[4:].split("|", 1)[0]) in hashed:
            return True
    return False
