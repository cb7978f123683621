"""Intern markings as rows and load them back. Marked tables store only ``marking_id``."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import event, select
from sqlalchemy.orm import Session, SessionTransaction

from baken.core.markings import Marking
from baken.core.models import (
    MarkingCompartment,
    MarkingOriginator,
    MarkingReleasability,
    MarkingRow,
)


def intern(session: Session, marking: Marking) -> int:
    """Return the id of ``marking``, creating its row the first time it is used."""
    key = marking.key()
    cache = tx_cache(session, "marking_ids")
    if key in cache:
        return int(cache[key])
    found = session.scalar(select(MarkingRow.id).where(MarkingRow.key == key))
    if found is not None:
        cache[key] = found
        return found
    row = MarkingRow(key=key, level=int(marking.level), owner=marking.owner.value)
    session.add(row)
    session.flush()
    session.add_all(
        MarkingCompartment(marking_id=row.id, compartment=c) for c in marking.compartments
    )
    session.add_all(MarkingOriginator(marking_id=row.id, originator=o) for o in marking.originators)
    session.add_all(
        MarkingReleasability(marking_id=row.id, recipient=r) for r in marking.releasable_to
    )
    session.flush()
    cache[key] = row.id
    return row.id


TX_CACHES = "tx_caches"


def tx_cache(session: Session, name: str) -> dict[str, Any]:
    """A cache that lives as long as the current transaction: what a rolled-back
    transaction or savepoint created is never remembered (see :func:`_forget`)."""
    tx = session.get_transaction()
    held = session.info.get(name)
    if held is None or held[0] is not tx:
        held = (tx, {})
        session.info[name] = held
        session.info.setdefault(TX_CACHES, set()).add(name)
    cache: dict[str, Any] = held[1]
    return cache


@event.listens_for(Session, "after_soft_rollback")
def _forget(session: Session, _previous: SessionTransaction) -> None:
    """A rollback, of a savepoint too, may undo rows a cache holds: forget them all."""
    for name in session.info.pop(TX_CACHES, ()):
        session.info.pop(name, None)


def load(session: Session, ids: Iterable[int]) -> dict[int, Marking]:
    wanted = set(ids)
    if not wanted:
        return {}
    rows = session.execute(select(MarkingRow.id, MarkingRow.key).where(MarkingRow.id.in_(wanted)))
    return {row_id: Marking.from_key(key) for row_id, key in rows}


def load_one(session: Session, marking_id: int) -> Marking:
    return load(session, [marking_id])[marking_id]


__all__ = ["intern", "load", "load_one"]
