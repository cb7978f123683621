"""Complaints about the services: first to the minister (handled and answered), then, if
the complainant is not satisfied, to the CTIVD, which decides within two weeks whether it
takes the case (the deadline is kept and an overdue one is flagged).

The service's team lead registers a complaint on the minister's behalf (an internal
write); the answers and decisions of the minister's office and the CTIVD pass the one
rule for external decisions, :func:`baken.oversight.permissions.rules.may_decide`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from baken.core import audit, policy
from baken.core.i18n import N_
from baken.core.marking_store import intern, load, load_one
from baken.core.markings import Marking, summary
from baken.core.principals import Principal
from baken.core.references import next_reference
from baken.core.schemas import MarkingIn
from baken.core.timeutil import utcnow
from baken.oversight.permissions import rules
from baken.oversight.permissions.models import Complaint
from baken.oversight.permissions.rules import COMPLAINT_TERM_DAYS, KLACHT
from baken.oversight.permissions.schemas import MAX_TEXT, PermissionsError, refusable


class ComplaintCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    subject: str = Field(max_length=200)
    body: str = Field(max_length=MAX_TEXT)
    received_on: date
    marking: MarkingIn


@dataclass(frozen=True, slots=True)
class ComplaintView:
    id: int
    reference: str
    subject: str
    body: str
    service: str
    status: str
    received_on: date
    minister_answer: str | None
    answered_at: datetime | None
    ctivd_received_on: date | None
    ctivd_deadline: date | None
    ctivd_note: str | None
    ctivd_decided_at: datetime | None
    marking: Marking
    decider: str | None

    def overdue(self, on: date) -> bool:
        return (
            self.status == "ctivd" and self.ctivd_deadline is not None and on > self.ctivd_deadline
        )

    def days_left(self, on: date) -> int | None:
        if self.status != "ctivd" or self.ctivd_deadline is None:
            return None
        return (self.ctivd_deadline - on).days


def _readable(principal: Principal) -> Any:
    return policy.read_filter(principal, KLACHT, Complaint.marking_id)


def _view(row: Complaint, marking: Marking) -> ComplaintView:
    return ComplaintView(
        id=row.id,
        reference=row.reference,
        subject=row.subject,
        body=row.body,
        service=row.service,
        status=row.status,
        received_on=row.received_on,
        minister_answer=row.minister_answer,
        answered_at=row.answered_at,
        ctivd_received_on=row.ctivd_received_on,
        ctivd_deadline=row.ctivd_deadline,
        ctivd_note=row.ctivd_note,
        ctivd_decided_at=row.ctivd_decided_at,
        marking=marking,
        decider=rules.complaint_decider(row.status),
    )


def _row(session: Session, principal: Principal, complaint_id: int) -> Complaint:
    row = session.scalar(
        select(Complaint).where(Complaint.id == complaint_id, _readable(principal))
    )
    if row is None:
        raise LookupError(complaint_id)
    return row


def list_complaints(
    session: Session, *, principal: Principal, status: str | None = None
) -> list[ComplaintView]:
    query = select(Complaint).where(_readable(principal))
    if status:
        query = query.where(Complaint.status == status)
    rows = list(session.scalars(query.order_by(Complaint.id.desc()).limit(500)))
    marks = load(session, {r.marking_id for r in rows})
    items = [_view(r, marks[r.marking_id]) for r in rows]
    audit.record(
        session,
        principal=principal,
        action="complaint.list",
        kind=KLACHT,
        marking=summary(i.marking for i in items) if items else None,
        details={"ids": [i.id for i in items]},
    )
    return items


def get_complaint(session: Session, *, principal: Principal, complaint_id: int) -> ComplaintView:
    row = _row(session, principal, complaint_id)
    marking = load_one(session, row.marking_id)
    audit.record(
        session,
        principal=principal,
        action="complaint.read",
        kind=KLACHT,
        object_id=row.id,
        marking=marking,
    )
    return _view(row, marking)


@refusable("complaint.create", key="complaint_id", kind=KLACHT)
def create_complaint(session: Session, *, principal: Principal, data: ComplaintCreate) -> int:
    """Register a complaint addressed to the minister; returns its id."""
    if not data.subject.strip() or not data.body.strip():
        raise PermissionsError(N_("a complaint needs a subject and its text"))
    chosen = data.marking.to_marking()
    # The minister handles it: released to the minister of the owning service.
    marking = Marking(
        level=chosen.level,
        owner=chosen.owner,
        compartments=chosen.compartments,
        originators=chosen.originators,
        releasable_to=chosen.releasable_to | {rules.minister_organisation(chosen.owner.value)},
    )
    policy.require_write(principal, KLACHT, marking)
    row = Complaint(
        reference=next_reference(session, Complaint.reference, f"KL-{data.received_on.year}-", 4),
        subject=data.subject.strip(),
        body=data.body.strip(),
        service=marking.owner.value,
        status="minister",
        received_on=data.received_on,
        marking_id=intern(session, marking),
        created_by=principal.id,
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        principal=principal,
        action="complaint.create",
        kind=KLACHT,
        object_id=row.id,
        marking=marking,
    )
    return row.id


COMPLAINT_OUTCOMES = {
    "minister": ("answered",),
    "answered": ("received",),  # the complainant turned to the CTIVD
    "ctivd": ("taken", "not_taken"),
}


@refusable("complaint.decide", key="complaint_id", kind=KLACHT)
def decide_complaint(
    session: Session,
    *,
    principal: Principal,
    complaint_id: int,
    outcome: str,
    note: str = "",
    on: date | None = None,
) -> None:
    """The minister's answer, the CTIVD's receipt, and the CTIVD's decision to take the
    complaint or not."""
    row = _row(session, principal, complaint_id)
    marking = load_one(session, row.marking_id)
    if not principal.roles & {"minister_office", "overseer"}:
        raise policy.PolicyDenied(KLACHT)
    role = rules.complaint_decider(row.status)
    if role is None or role not in principal.roles:
        raise PermissionsError(
            N_("this complaint is at step {status}: a decision of yours is not expected now"),
            status=row.status,
        )
    if not rules.may_decide(principal, role=role, kind=KLACHT, marking=marking):
        raise policy.PolicyDenied(KLACHT)
    if outcome not in COMPLAINT_OUTCOMES[row.status]:
        raise PermissionsError(N_("unknown outcome {outcome}"), outcome=outcome[:40])
    today = on or utcnow().date()
    if outcome == "answered":
        if not note.strip():
            raise PermissionsError(N_("write the minister's answer"))
        row.status, row.minister_answer, row.answered_at = "answered", note.strip(), utcnow()
    elif outcome == "received":
        row.status, row.ctivd_received_on = "ctivd", today
        row.ctivd_deadline = today + timedelta(days=COMPLAINT_TERM_DAYS)
    else:
        if outcome == "not_taken" and not note.strip():
            raise PermissionsError(N_("give the reasons for not taking the complaint"))
        row.status, row.ctivd_note, row.ctivd_decided_at = outcome, note.strip(), utcnow()
    audit.record(
        session,
        principal=principal,
        action=f"complaint.{outcome}",
        kind=KLACHT,
        object_id=row.id,
        marking=marking,
    )
