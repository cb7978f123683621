"""Intern markings as rows and load them back. Marked tables store only ``marking_id``."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

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


def tx_cache(session: Session, name: str) -> dict[str, Any]:
    """A cache that lives as long as the current transaction: what a rolled-back
    transaction created is never remembered."""
    tx = session.get_transaction()
    held = session.info.get(name)
    if held is None or held[0] is not tx:
        held = (tx, {})
        session.info[name] = held
    cache: dict[str, Any] = held[1]
    return cache


def load(session: Session, ids: Iterable[int]) -> dict[int, Marking]:
    wanted = set(ids)
    if not wanted:
        return {}
    rows = session.execute(select(MarkingRow.id, MarkingRow.key).where(MarkingRow.id.in_(wanted)))
    return {row_id: Marking.from_key(key) for row_id, key in rows}


def load_one(session: Session, marking_id: int) -> Marking:
    return load(session, [marking_id])[marking_id]


__all__ = ["intern", "load", "load_one"]
