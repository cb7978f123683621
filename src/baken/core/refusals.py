"""Refusals on record: undo the work that was refused, then audit the refusal with its
reason (outcome ``refused`` for a domain reason, ``denied`` for the policy).

Two shapes of the same job: :func:`attempt` runs the work in a unit of work of its own
and audits the refusal in a fresh one; :func:`savepoint` runs a block inside the
caller's transaction, which then decides whether to commit the audit entry.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from sqlalchemy.orm import Session, sessionmaker

from baken.core import audit, policy
from baken.core.db import transaction
from baken.core.errors import DomainError
from baken.core.principals import Principal

T = TypeVar("T")
REFUSALS = (DomainError, policy.PolicyDenied)


def details(exc: Exception) -> dict[str, Any]:
    """What the audit entry of a refusal says: the reason and its parameters."""
    found: dict[str, Any] = {"reason": getattr(exc, "message", str(exc))}
    params = getattr(exc, "params", None)
    if params:
        found["params"] = {k: str(v) for k, v in params.items()}
    return found


def record(
    session: Session,
    exc: Exception,
    *,
    principal: Principal | None,
    action: str,
    kind: str,
    object_id: object | None = None,
) -> None:
    audit.record(
        session,
        principal=principal,
        action=action,
        kind=kind,
        object_id=object_id,
        outcome="denied" if isinstance(exc, policy.PolicyDenied) else "refused",
        details=details(exc),
    )


def attempt(
    factory: sessionmaker[Session],
    principal: Principal,
    action: str,
    kind: str,
    work: Callable[[Session], T],
    *,
    object_id: object | None = None,
) -> T:
    """Run ``work`` in one unit of work. A refusal rolls all of it back and is then
    audited on its own; the refusal is raised again for the caller to show."""
    try:
        with transaction(factory) as session:
            return work(session)
    except REFUSALS as exc:
        with transaction(factory) as session:
            record(session, exc, principal=principal, action=action, kind=kind, object_id=object_id)
        raise


@contextmanager
def savepoint(
    session: Session,
    *,
    principal: Principal | None,
    action: str,
    kind: str,
    object_id: object | None = None,
) -> Iterator[None]:
    """Run the block in a savepoint of the caller's transaction. On a refusal the block's
    work is undone (the per-transaction caches forget it too, see
    :func:`baken.core.marking_store.tx_cache`), the refusal is audited in the caller's
    transaction, and the refusal is raised again."""
    try:
        with session.begin_nested():
            yield
    except REFUSALS as exc:
        record(session, exc, principal=principal, action=action, kind=kind, object_id=object_id)
        raise


__all__ = ["attempt", "details", "record", "savepoint"]
