"""Registering items for ingest: blob first, then one document row per distinct content.

Registration is idempotent: the same content in the same collection is found by its
``source_key`` and not stored twice, so a re-run after a crash (or the same upload twice)
adds nothing. A file too large to ingest is registered unread, quarantined at once.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from baken.core import audit, policy
from baken.core.marking_store import intern, load_one
from baken.core.markings import Marking, high_water
from baken.core.principals import Principal
from baken.core.timeutil import utcnow
from baken.holdings.blobs import BlobStore
from baken.holdings.models import Blob, Collection, Document, IndexOutbox, Job
from baken.holdings.service.collections import check_intake, writable
from baken.holdings.vocab import DOCUMENT

MAX_NAME = 1000


@dataclass(frozen=True, slots=True)
class Registered:
    document_id: int
    new: bool
    state: str


def safe_name(name: str) -> str:
    """A display name for an item: no directories above it, no control characters."""
    cleaned = "".join(c for c in name.replace("\\", "/") if c.isprintable())
    parts = [p for p in cleaned.split("/") if p not in ("", ".", "..")]
    return "/".join(parts)[-MAX_NAME:] or "unnamed"


def _unread_key(name: str, size: int) -> str:
    return "unread:" + hashlib.sha256(f"{name}\x1f{size}".encode()).hexdigest()[:64]


def document_marking(session: Session, collection: Collection, floor: Marking | None) -> Marking:
    """An item carries at least its collection's marking (and the floor asked for)."""
    marking = load_one(session, collection.marking_id)
    return high_water([marking, floor]) if floor is not None else marking


def _existing(session: Session, collection_id: int, key: str) -> Document | None:
    return session.scalar(
        select(Document).where(Document.collection_id == collection_id, Document.source_key == key)
    )


def _add(
    session: Session,
    *,
    principal: Principal,
    collection: Collection,
    key: str,
    sha256: str | None,
    name: str,
    size: int,
    marking: Marking,
    parent: Document | None,
    state: str = "pending",
    reason: str | None = None,
    detail: str | None = None,
) -> Registered:
    found = _existing(session, collection.id, key)
    if found is not None:
        return Registered(found.id, False, found.state)
    if sha256 is not None and session.get(Blob, sha256) is None:
        session.add(Blob(sha256=sha256, size=size))
    doc = Document(
        collection_id=collection.id,
        parent_id=parent.id if parent else None,
        depth=parent.depth + 1 if parent else 0,
        source_key=key,
        sha256=sha256,
        name=name,
        size=size,
        state=state,
        quarantine_reason=reason,
        quarantine_detail=detail,
        marking_id=intern(session, marking),
        created_by=principal.id,
    )
    session.add(doc)
    session.flush()
    session.add(IndexOutbox(object_id=f"doc:{doc.id}"))
    audit.record(
        session,
        principal=principal,
        action="document.ingest",
        kind=DOCUMENT,
        object_id=doc.id,
        marking=marking,
        details={"collection": collection.id, "name": name, "sha256": sha256, "state": state},
    )
    return Registered(doc.id, True, state)


def register_file(
    session: Session,
    *,
    principal: Principal,
    collection_id: int,
    path: Path,
    name: str,
    blobs: BlobStore,
    max_bytes: int,
    floor: Marking | None = None,
) -> Registered:
    """Register one file from disk. Its bytes are stored before the row is written, so a
    row never points at a missing blob; a blob without a row is harmless."""
    collection = writable(session, principal, collection_id)
    check_intake(session, principal, collection)
    marking = document_marking(session, collection, floor)
    policy.require_write(principal, DOCUMENT, marking)
    name = safe_name(name)
    size = path.stat().st_size
    if size > max_bytes:
        return _add(
            session,
            principal=principal,
            collection=collection,
            key=_unread_key(name, size),
            sha256=None,
            name=name,
            size=size,
            marking=marking,
            parent=None,
            state="quarantined",
            reason="too_large",
            detail=f"{size} > {max_bytes} bytes",
        )
    sha, size = blobs.put_file(path)
    return _add(
        session,
        principal=principal,
        collection=collection,
        key=sha,
        sha256=sha,
        name=name,
        size=size,
        marking=marking,
        parent=None,
    )


def register_bytes(
    session: Session,
    *,
    principal: Principal,
    collection_id: int,
    data: bytes,
    name: str,
    blobs: BlobStore,
    max_bytes: int,
    parent: Document | None = None,
    floor: Marking | None = None,
) -> Registered:
    """Register an upload, or a member of an archive (``parent``: the member inherits
    its container's marking)."""
    collection = writable(session, principal, collection_id)
    if parent is None:
        check_intake(session, principal, collection)
    if parent is not None:
        marking = high_water([load_one(session, parent.marking_id), *([floor] if floor else [])])
    else:
        marking = document_marking(session, collection, floor)
    policy.require_write(principal, DOCUMENT, marking)
    name = safe_name(name)
    if len(data) > max_bytes:
        return _add(
            session,
            principal=principal,
            collection=collection,
            key=_unread_key(name, len(data)),
            sha256=None,
            name=name,
            size=len(data),
            marking=marking,
            parent=parent,
            state="quarantined",
            reason="too_large",
            detail=f"{len(data)} > {max_bytes} bytes",
        )
    sha = blobs.put_bytes(data)
    return _add(
        session,
        principal=principal,
        collection=collection,
        key=sha,
        sha256=sha,
        name=name,
        size=len(data),
        marking=marking,
        parent=parent,
    )


def new_job(
    session: Session,
    *,
    principal: Principal,
    collection_id: int,
    kind: str,
    args: dict[str, object] | None = None,
) -> int:
    collection = writable(session, principal, collection_id)
    job = Job(
        kind=kind,
        collection_id=collection.id,
        args=args or {},
        marking_id=collection.marking_id,
        created_by=principal.id,
    )
    session.add(job)
    session.flush()
    audit.record(
        session,
        principal=principal,
        action="job.create",
        kind="collectie",
        object_id=job.id,
        marking=load_one(session, collection.marking_id),
        details={"job": kind, "collection": collection.id, **(args or {})},
    )
    return job.id


def add_to_job(session: Session, job_id: int | None, total: int) -> None:
    if job_id is not None and total:
        session.execute(update(Job).where(Job.id == job_id).values(total=Job.total + total))


def job_progress(session: Session, job_id: int | None, done: int = 1) -> None:
    """Count finished items; the job is done when all are (in the item's transaction)."""
    if job_id is None:
        return
    session.execute(update(Job).where(Job.id == job_id).values(done=Job.done + done))
    job = session.get(Job, job_id)
    if job is not None:
        session.refresh(job)
        if job.state in ("queued", "running") and job.done >= job.total:
            job.state, job.finished_at = "done", utcnow()
        elif job.state == "queued":
            job.state, job.started_at = "running", utcnow()
