"""Reading permission requests: every query carries the policy filter, every read is
audited (the CTIVD's too)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from baken.core import audit, policy
from baken.core.marking_store import load, load_one
from baken.core.markings import Marking, summary
from baken.core.models import User
from baken.core.principals import Principal
from baken.oversight.permissions import rules
from baken.oversight.permissions.models import Permission, PermissionStep
from baken.oversight.permissions.rules import TOESTEMMING
from baken.oversight.permissions.schemas import PermissionView, StepView

# --- reading -----------------------------------------------------------------------------


def readable(principal: Principal) -> Any:
    return policy.read_filter(principal, TOESTEMMING, Permission.marking_id)


def _row(session: Session, principal: Principal, permission_id: int) -> Permission:
    row = session.scalar(
        select(Permission).where(Permission.id == permission_id, readable(principal))
    )
    if row is None:
        raise LookupError(permission_id)
    return row


def _names(session: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = session.execute(select(User.id, User.display_name).where(User.id.in_(ids)))
    return {user_id: name for user_id, name in rows}


def _view(
    row: Permission, marking: Marking, names: dict[int, str], steps: tuple[StepView, ...] = ()
) -> PermissionView:
    return PermissionView(
        id=row.id,
        reference=row.reference,
        power=row.power,
        status=row.status,
        regime=row.regime,
        urgent=row.urgent,
        reviewed=row.reviewed,
        service=row.service,
        title=row.title,
        targets=tuple(row.targets or ()),
        country=row.country,
        assignment_id=row.assignment_id,
        assignment_code=row.assignment_code,
        assignment_title=row.assignment_title,
        necessity=row.necessity,
        proportionality=row.proportionality,
        subsidiarity=row.subsidiarity,
        targeting=row.targeting,
        term_months=row.term_months,
        valid_from=row.valid_from,
        valid_until=row.valid_until,
        renews_id=row.renews_id,
        renewal_count=row.renewal_count,
        destruction_ordered=row.destruction_ordered,
        destruction_reason=row.destruction_reason,
        marking=marking,
        created_by=names.get(row.created_by, "?"),
        created_by_id=row.created_by,
        created_at=row.created_at,
        decided_at=row.decided_at,
        steps=steps,
        decider=rules.permission_decider(row.status, row.regime, row.reviewed),
    )


def _views(session: Session, rows: list[Permission]) -> list[PermissionView]:
    marks = load(session, {r.marking_id for r in rows})
    names = _names(session, {r.created_by for r in rows})
    return [_view(r, marks[r.marking_id], names) for r in rows]


def list_permissions(
    session: Session,
    *,
    principal: Principal,
    status: str | None = None,
    mine: bool = False,
) -> list[PermissionView]:
    query = select(Permission).where(readable(principal))
    if status:
        query = query.where(Permission.status == status)
    if mine:
        query = query.where(Permission.created_by == principal.id)
    rows = list(session.scalars(query.order_by(Permission.id.desc()).limit(500)))
    items = _views(session, rows)
    audit.record(
        session,
        principal=principal,
        action="permission.list",
        kind=TOESTEMMING,
        marking=summary(i.marking for i in items) if items else None,
        details={"ids": [i.id for i in items]},
    )
    return items


def get(session: Session, *, principal: Principal, permission_id: int) -> PermissionView:
    row = _row(session, principal, permission_id)
    marking = load_one(session, row.marking_id)
    steps = list(
        session.scalars(
            select(PermissionStep)
            .where(
                PermissionStep.permission_id == row.id,
                policy.read_filter(principal, TOESTEMMING, PermissionStep.marking_id),
            )
            .order_by(PermissionStep.id)
        )
    )
    names = _names(session, {row.created_by, *(s.decided_by for s in steps)})
    view = _view(
        row,
        marking,
        names,
        tuple(
            StepView(s.step, s.outcome, s.note, names.get(s.decided_by, "?"), s.decided_at)
            for s in steps
        ),
    )
    audit.record(
        session,
        principal=principal,
        action="permission.read",
        kind=TOESTEMMING,
        object_id=row.id,
        marking=marking,
    )
    return view


def reviews(
    session: Session, *, principal: Principal, limit: int = 100
) -> list[tuple[str, StepView]]:
    """The latest binding reviews and decisions (minister, TIB, CTIVD) the reader may read,
    with the reference of their request."""
    s, p = PermissionStep, Permission
    rows = session.execute(
        select(p.reference, s, p.id)
        .join(p, p.id == s.permission_id)
        .where(
            s.step.in_(("minister", "tib", "ctivd", "oral")),
            policy.read_filter(principal, TOESTEMMING, s.marking_id),
        )
        .order_by(s.id.desc())
        .limit(limit)
    ).all()
    names = _names(session, {r[1].decided_by for r in rows})
    marks = load(session, {r[1].marking_id for r in rows})
    audit.record(
        session,
        principal=principal,
        action="permission.reviews",
        kind=TOESTEMMING,
        marking=summary(marks.values()) if marks else None,
        details={"ids": [r[2] for r in rows]},
    )
    return [
        (
            f"{ref}#{pid}",
            StepView(st.step, st.outcome, st.note, names.get(st.decided_by, "?"), st.decided_at),
        )
        for ref, st, pid in rows
    ]


# --- terms -------------------------------------------------------------------------------


def expiring(
    session: Session, *, principal: Principal, on: date, mine: bool = False
) -> list[PermissionView]:
    """Permissions in use that end within their power's reminder lead time."""
    longest = max(p.reminder_days for p in rules.powers().values())
    query = select(Permission).where(
        readable(principal),
        Permission.status == "in_use",
        Permission.valid_until >= on,
        Permission.valid_until <= on + timedelta(days=longest),
    )
    if mine:
        query = query.where(Permission.created_by == principal.id)
    rows = list(session.scalars(query.order_by(Permission.valid_until)))
    items = [v for v in _views(session, rows) if v.expiring(on)]
    audit.record(
        session,
        principal=principal,
        action="permission.expiring",
        kind=TOESTEMMING,
        marking=summary(i.marking for i in items) if items else None,
        details={"ids": [i.id for i in items], "on": on.isoformat()},
    )
    return items
