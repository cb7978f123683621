"""The NBIV dashboard: assignments by status and protected-interest level, the open
ones, the declarations due for their periodic review, and the Defence assignments still
under ABDO 2019 - all counted and listed through the read filter."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from baken.core import audit, policy
from baken.core.principals import Principal
from baken.protect.industrial.models import Assignment, Declaration, Event
from baken.protect.industrial.service import (
    ABDO,
    ASSIGNMENT,
    CLOSED,
    DECLARED,
    OPEN_STATUSES,
    PAGE,
    REVIEW_BEFORE_EXPIRY,
    REVIEW_EVERY,
)


@dataclass(frozen=True)
class Due:
    assignment: Assignment
    valid_until: date
    review_by: date


@dataclass(frozen=True)
class Dashboard:
    by_status: dict[str, int]
    by_tbb: dict[str, int]
    investigations: list[Assignment]
    due: list[Due]
    abdo: list[Assignment]


def _count_by(
    session: Session, principal: Principal, column: InstrumentedAttribute[str]
) -> dict[str, int]:
    rows = session.execute(
        select(column, func.count())
        .where(policy.read_filter(principal, ASSIGNMENT, Assignment.marking_id))
        .group_by(column)
    )
    return {str(k): int(n) for k, n in rows}


def due_for_review(session: Session, principal: Principal, today: date) -> list[Due]:
    """Declared assignments whose periodic review is due (a year after the declaration or
    the last review) or whose declaration expires within 90 days, soonest first."""
    readable_assignment = policy.read_filter(principal, ASSIGNMENT, Assignment.marking_id)
    last_review = (
        select(Event.assignment_id, func.max(Event.on).label("last"))
        .where(Event.kind == "review", policy.read_filter(principal, ASSIGNMENT, Event.marking_id))
        .group_by(Event.assignment_id)
        .subquery()
    )
    rows = session.execute(
        select(Assignment, Declaration.valid_until, Declaration.declared_on, last_review.c.last)
        .join(Declaration, Declaration.assignment_id == Assignment.id)
        .outerjoin(last_review, last_review.c.assignment_id == Assignment.id)
        .where(
            readable_assignment,
            policy.read_filter(principal, ASSIGNMENT, Declaration.marking_id),
            Assignment.status.in_(DECLARED),
        )
    )
    found = []
    for row, valid_until, declared_on, last in rows:
        review_by = max(declared_on, last or declared_on) + REVIEW_EVERY
        if review_by <= today or valid_until - REVIEW_BEFORE_EXPIRY <= today:
            found.append(Due(row, valid_until, min(review_by, valid_until)))
    return sorted(found, key=lambda d: (d.review_by, d.assignment.id))


def dashboard(session: Session, principal: Principal, today: date) -> Dashboard:
    """The NBIV's figures at a glance, all through the read filter (audited)."""
    readable_assignment = policy.read_filter(principal, ASSIGNMENT, Assignment.marking_id)
    investigations = list(
        session.scalars(
            select(Assignment)
            .where(readable_assignment, Assignment.status.in_(OPEN_STATUSES))
            .order_by(Assignment.tbb, Assignment.status_on, Assignment.id)
            .limit(PAGE)
        )
    )
    abdo = list(
        session.scalars(
            select(Assignment)
            .where(
                readable_assignment,
                Assignment.regime == ABDO,
                Assignment.status.not_in(CLOSED),
            )
            .order_by(Assignment.id)
            .limit(PAGE)
        )
    )
    found = Dashboard(
        by_status=_count_by(session, principal, Assignment.status),
        by_tbb=_count_by(session, principal, Assignment.tbb),
        investigations=investigations,
        due=due_for_review(session, principal, today),
        abdo=abdo,
    )
    audit.record(
        session,
        principal=principal,
        action="assignment.dashboard",
        kind=ASSIGNMENT,
        details={
            "investigations": len(investigations),
            "due": len(found.due),
            "abdo": len(abdo),
        },
    )
    return found
