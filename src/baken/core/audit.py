"""The append-only, hash-chained audit log.

Each entry's hash is SHA-256 over its canonical JSON (every column but the hash) and
the previous entry's hash. The head row holds the last sequence number and hash and is
written in the same transaction, so a removed tail shows too. :func:`verify` walks the
chain and names the first entry that does not fit. A rewrite of the whole chain from
some point on is only caught against an anchor kept outside the database
(``baken audit head`` prints one; ``baken audit verify --anchor SEQ:HASH`` checks it).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from baken.core.marking_store import intern, tx_cache
from baken.core.markings import Marking
from baken.core.models import AuditEntry, AuditHead
from baken.core.principals import Principal
from baken.core.timeutil import aware, utcnow

GENESIS = "0" * 64


def _canonical(entry: AuditEntry) -> bytes:
    body = {
        "seq": entry.seq,
        "ts": aware(entry.ts).astimezone(UTC).isoformat(timespec="microseconds"),
        "actor_id": entry.actor_id,
        "actor": entry.actor,
        "on_behalf_of": entry.on_behalf_of,
        "purpose": entry.purpose,
        "action": entry.action,
        "kind": entry.kind,
        "object_id": entry.object_id,
        "marking_id": entry.marking_id,
        "outcome": entry.outcome,
        "details": entry.details or {},
        "prev_hash": entry.prev_hash,
    }
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def entry_hash(entry: AuditEntry) -> str:
    return hashlib.sha256(_canonical(entry)).hexdigest()


def record(
    session: Session,
    *,
    principal: Principal | None,
    action: str,
    kind: str | None = None,
    object_id: object | None = None,
    marking: Marking | None = None,
    outcome: str = "ok",
    purpose: str | None = None,
    on_behalf_of: str | None = None,
    details: dict[str, Any] | None = None,
    actor: str | None = None,
) -> AuditEntry:
    """Append one entry in the caller's transaction (so it commits with the work)."""
    cache = tx_cache(session, "audit_head")
    head: AuditHead | None = cache.get("head")
    if head is None or head not in session:
        # Locked for the rest of the transaction: appends are serialised.
        head = session.scalar(select(AuditHead).where(AuditHead.id == 1).with_for_update())
        if head is None:
            head = AuditHead(id=1, seq=0, hash=GENESIS)
            session.add(head)
        cache["head"] = head
    entry = AuditEntry(
        seq=head.seq + 1,
        ts=utcnow(),
        actor_id=principal.id if principal else None,
        actor=principal.username if principal else (actor or "-"),
        on_behalf_of=on_behalf_of,
        purpose=purpose,
        action=action,
        kind=kind,
        object_id=None if object_id is None else str(object_id),
        marking_id=intern(session, marking) if marking is not None else None,
        outcome=outcome,
        details=details or {},
        prev_hash=head.hash,
    )
    entry.hash = entry_hash(entry)
    session.add(entry)
    head.seq, head.hash = entry.seq, entry.hash
    session.flush()
    return entry


@dataclass(frozen=True, slots=True)
class VerifyResult:
    ok: bool
    checked: int
    bad_seq: int | None = None
    reason: str = ""


def _entries(session: Session, batch: int = 5000) -> Iterator[AuditEntry]:
    last = 0
    while True:
        rows = session.scalars(
            select(AuditEntry).where(AuditEntry.seq > last).order_by(AuditEntry.seq).limit(batch)
        ).all()
        if not rows:
            return
        yield from rows
        last = rows[-1].seq
        for row in rows:  # keep memory flat over a long chain
            session.expunge(row)


def verify(session: Session, anchor: tuple[int, str] | None = None) -> VerifyResult:
    """Walk the chain from the start; report the first entry that breaks it."""
    prev_hash, expected_seq, checked = GENESIS, 1, 0
    anchor_seen = anchor is None
    for entry in _entries(session):
        if entry.seq != expected_seq:
            missing = entry.seq > expected_seq
            return VerifyResult(
                False,
                checked,
                expected_seq if missing else entry.seq,
                "entry missing (deleted)" if missing else "sequence out of order",
            )
        if entry.prev_hash != prev_hash:
            return VerifyResult(
                False,
                checked,
                entry.seq,
                "link to the previous entry broken (inserted, removed or reordered entry)",
            )
        if entry_hash(entry) != entry.hash:
            return VerifyResult(False, checked, entry.seq, "content changed after it was written")
        if anchor is not None and entry.seq == anchor[0]:
            if entry.hash != anchor[1]:
                return VerifyResult(False, checked, entry.seq, "does not match the anchor")
            anchor_seen = True
        prev_hash, expected_seq, checked = entry.hash, expected_seq + 1, checked + 1
    head = session.get(AuditHead, 1)
    if head is not None and (head.seq, head.hash) != (expected_seq - 1, prev_hash):
        bad = min(head.seq, expected_seq - 1) + 1 if head.seq != expected_seq - 1 else head.seq
        return VerifyResult(
            False,
            checked,
            bad,
            "chain does not end at the recorded head "
            f"(head {head.seq}, last entry {expected_seq - 1})",
        )
    if head is None and checked:
        return VerifyResult(False, checked, 1, "entries exist but the head record is missing")
    if not anchor_seen:
        assert anchor is not None
        return VerifyResult(False, checked, anchor[0], "anchored entry no longer exists")
    return VerifyResult(True, checked)


def head(session: Session) -> tuple[int, str]:
    row = session.get(AuditHead, 1)
    return (row.seq, row.hash) if row else (0, GENESIS)


def entry_time(entry: AuditEntry) -> datetime:
    return aware(entry.ts)
