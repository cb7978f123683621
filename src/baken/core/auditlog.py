"""Reading the audit log: for administrators and the CTIVD, through the policy.

Entries about marked objects carry that object's marking, so an entry is shown only to
whom the object itself may be shown. Reading the log is itself audited.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from baken.core import audit, policy
from baken.core.marking_store import load
from baken.core.markings import Marking
from baken.core.models import AuditEntry
from baken.core.principals import Principal
from baken.core.timeutil import aware

KIND = "audit"
PAGE = 50


def entries(
    session: Session, *, principal: Principal, page: int = 1, action: str | None = None
) -> tuple[list[AuditEntry], int, dict[int, Marking]]:
    if not policy.role_may_read(principal, KIND):
        raise policy.PolicyDenied(KIND)
    where = [
        or_(
            AuditEntry.marking_id.is_(None),
            AuditEntry.marking_id.in_(policy.readable_markings(principal)),
        )
    ]
    if action:
        where.append(AuditEntry.action == action)
    total = int(session.scalar(select(func.count()).select_from(AuditEntry).where(*where)) or 0)
    rows = list(
        session.scalars(
            select(AuditEntry)
            .where(*where)
            .order_by(AuditEntry.seq.desc())
            .limit(PAGE)
            .offset((page - 1) * PAGE)
        )
    )
    marks = load(session, {r.marking_id for r in rows if r.marking_id is not None})
    audit.record(
        session,
        principal=principal,
        action="audit.read",
        details={"page": page, "action": action, "shown": len(rows)},
    )
    return rows, total, marks


def verify(session: Session, *, principal: Principal) -> audit.VerifyResult:
    if not principal.has_permission("audit.verify"):
        raise policy.PolicyDenied("audit.verify")
    result = audit.verify(session)
    audit.record(
        session,
        principal=principal,
        action="audit.verify",
        outcome="ok" if result.ok else "broken",
        details={"checked": result.checked, "bad_seq": result.bad_seq},
    )
    return result


def as_dict(entry: AuditEntry, marks: dict[int, Marking], locale: str) -> dict[str, Any]:
    marking = marks.get(entry.marking_id) if entry.marking_id is not None else None
    return {
        "seq": entry.seq,
        "ts": aware(entry.ts).isoformat(),
        "actor": entry.actor,
        "action": entry.action,
        "kind": entry.kind,
        "object_id": entry.object_id,
        "outcome": entry.outcome,
        "purpose": entry.purpose,
        "on_behalf_of": entry.on_behalf_of,
        "marking": marking.banner(locale) if marking else None,
        "details": entry.details,
        "hash": entry.hash,
    }
