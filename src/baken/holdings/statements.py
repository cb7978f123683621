"""Statement identity: one fact from one source has one id, so writing it again is a no-op
apart from ``last_seen`` (resumable, idempotent ingest)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from followthemoney import model
from followthemoney.exc import InvalidData
from followthemoney.schema import Schema


def statement_id(
    collection_id: int, document_id: int | None, entity_id: str, prop: str, value: str
) -> str:
    key = "\x1f".join(
        (
            str(collection_id),
            "" if document_id is None else str(document_id),
            entity_id,
            prop,
            value,
        )
    )
    return hashlib.sha1(key.encode("utf-8"), usedforsecurity=False).hexdigest()


def common_schema(names: Iterable[str]) -> Schema | None:
    """The most specific FtM schema that all ``names`` share (None if none is known);
    conflicting schemata fall back to the first, sorted, as nomenklatura does."""
    known = sorted({n for n in names if model.get(n) is not None})
    if not known:
        return None
    found = model.get(known[0])
    assert found is not None
    for name in known[1:]:
        try:
            found = model.common_schema(found, name)
        except InvalidData:
            continue
    return found
