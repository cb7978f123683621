"""Structured and bulk data: rows of CSV or Parquet through an FtM mapping into a
collection's statements (stored as Parquet too), and deleting exactly that again.

Policy and audit are here; :mod:`baken.holdings.bulk` does the work on the batch engine.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session

from baken.core import audit, policy
from baken.core.marking_store import load_one
from baken.core.principals import Principal
from baken.engines import BatchEngine
from baken.holdings import bulk
from baken.holdings.models import IndexOutbox
from baken.holdings.service import collections
from baken.holdings.vocab import ENTITY


def load(
    session: Session,
    *,
    principal: Principal,
    collection_id: int,
    source: Path,
    mapping_yaml: str,
    store_dir: Path,
    engine: BatchEngine,
    progress: bulk.BulkProgress | None = None,
) -> bulk.BulkResult:
    """Map ``source`` into the collection at its marking; all or nothing (a bad file or
    mapping raises before anything is written, and the caller's transaction holds the
    rest)."""
    collection = collections.writable(session, principal, collection_id)
    collections.check_intake(session, principal, collection)
    marking = load_one(session, collection.marking_id)
    policy.require_write(principal, ENTITY, marking)
    result = bulk.load(
        session.connection(),
        collection_id=collection.id,
        collection_name=collection.name,
        marking_id=collection.marking_id,
        source=source,
        mapping_yaml=mapping_yaml,
        store_dir=store_dir,
        engine=engine,
        progress=progress,
    )
    # One outbox row for the whole collection: the feeder re-indexes its entities.
    session.add(IndexOutbox(object_id=f"col:{collection.id}"))
    audit.record(
        session,
        principal=principal,
        action="entity.bulk_load",
        kind=ENTITY,
        object_id=collection.id,
        marking=marking,
        details={
            "source": source.name,
            "rows": result.rows,
            "entities": result.entities,
            "statements": result.statements,
        },
    )
    return result


def delete(session: Session, *, principal: Principal, collection_id: int, store_dir: Path) -> int:
    """Delete the collection's bulk statements and their Parquet copy; returns how many
    statements went (statements of other collections are untouched)."""
    collection = collections.writable(session, principal, collection_id)
    marking = load_one(session, collection.marking_id)
    policy.require_write(principal, ENTITY, marking)
    deleted = bulk.delete(session.connection(), collection.id, store_dir)
    session.add(IndexOutbox(object_id=f"col:{collection.id}"))
    audit.record(
        session,
        principal=principal,
        action="entity.bulk_delete",
        kind=ENTITY,
        object_id=collection.id,
        marking=marking,
        details={"statements": deleted},
    )
    return deleted
