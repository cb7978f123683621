"""Voortgangsrapportages: per period and per assignment, status, narrative, indicators.

A report carries the jaarplan's marking (released to the CIVD in the demo); each entry
the high-water mark of the report and its assignment. The CIVD reads the assembled
report through the same policy as everyone else.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from baken.core import audit, policy
from baken.core.i18n import N_
from baken.core.marking_store import intern, load, load_one
from baken.core.markings import summary
from baken.core.principals import Principal
from baken.steering import vocab
from baken.steering.models import Assignment, ProgressEntry, ProgressReport
from baken.steering.schemas import (
    ProgressEntryCreate,
    ProgressEntryPublic,
    ProgressReportPublic,
)
from baken.steering.service.ga import SteeringError
from baken.steering.service.plans import plan_row

KIND = "voortgang"


def _report_row(session: Session, principal: Principal, report_id: int) -> ProgressReport:
    row = session.scalar(
        select(ProgressReport).where(
            ProgressReport.id == report_id,
            policy.read_filter(principal, KIND, ProgressReport.marking_id),
        )
    )
    if row is None:
        raise LookupError(report_id)
    return row


def list_reports(
    session: Session, *, principal: Principal, jaarplan_id: int
) -> list[ProgressReportPublic]:
    rows = list(
        session.scalars(
            select(ProgressReport)
            .where(
                ProgressReport.jaarplan_id == jaarplan_id,
                policy.read_filter(principal, KIND, ProgressReport.marking_id),
            )
            .order_by(ProgressReport.period)
        )
    )
    items = [_assemble(session, principal, r) for r in rows]
    audit.record(
        session,
        principal=principal,
        action="voortgang.list",
        kind=KIND,
        marking=summary(i.marking for i in items) if items else None,
        details={"jaarplan": jaarplan_id, "ids": [i.id for i in items]},
    )
    return items


def create_report(session: Session, *, principal: Principal, jaarplan_id: int, period: int) -> int:
    plan = plan_row(session, principal, jaarplan_id)
    marking = load_one(session, plan.marking_id)
    policy.require_write(principal, KIND, marking)
    if not 1 <= period <= int(vocab.data()["periods_per_year"]):
        raise SteeringError(N_("there is no such reporting period"))
    if session.scalar(
        select(ProgressReport.id).where(
            ProgressReport.jaarplan_id == plan.id, ProgressReport.period == period
        )
    ):
        raise SteeringError(N_("a report for this period already exists"))
    row = ProgressReport(jaarplan_id=plan.id, period=period, marking_id=plan.marking_id)
    session.add(row)
    session.flush()
    audit.record(
        session,
        principal=principal,
        action="voortgang.create",
        kind=KIND,
        object_id=row.id,
        marking=marking,
        details={"period": period},
    )
    return row.id


def record_entry(
    session: Session, *, principal: Principal, report_id: int, data: ProgressEntryCreate
) -> None:
    report = _report_row(session, principal, report_id)
    if report.status != "draft":
        raise SteeringError(N_("a report that has been sent cannot be changed"))
    assignment = session.scalar(
        select(Assignment).where(
            Assignment.id == data.assignment_id,
            Assignment.jaarplan_id == report.jaarplan_id,
            policy.read_filter(principal, "jaarplan", Assignment.marking_id),
        )
    )
    if assignment is None:
        raise LookupError(data.assignment_id)
    marking = policy.derived_marking(
        [load_one(session, report.marking_id), load_one(session, assignment.marking_id)]
    )
    policy.require_write(principal, KIND, marking)
    entry = session.scalar(
        select(ProgressEntry).where(
            ProgressEntry.report_id == report.id, ProgressEntry.assignment_id == assignment.id
        )
    )
    # Intern first: its query would otherwise flush a half-filled new entry.
    marking_id = intern(session, marking)
    if entry is None:
        entry = ProgressEntry(report_id=report.id, assignment_id=assignment.id)
    entry.status, entry.narrative, entry.indicators = data.status, data.narrative, data.indicators
    entry.marking_id = marking_id
    session.add(entry)
    session.flush()
    audit.record(
        session,
        principal=principal,
        action="voortgang.entry",
        kind=KIND,
        object_id=report.id,
        marking=marking,
        details={"assignment": assignment.id, "status": data.status},
    )


def send_report(session: Session, *, principal: Principal, report_id: int) -> None:
    """Mark the report as sent to the CIVD; it cannot change afterwards."""
    report = _report_row(session, principal, report_id)
    marking = load_one(session, report.marking_id)
    policy.require_write(principal, KIND, marking)
    if report.status != "draft":
        raise SteeringError(N_("this report has already been sent"))
    if not session.scalar(select(ProgressEntry.id).where(ProgressEntry.report_id == report.id)):
        raise SteeringError(N_("an empty report cannot be sent"))
    report.status = "sent"
    audit.record(
        session,
        principal=principal,
        action="voortgang.send",
        kind=KIND,
        object_id=report.id,
        marking=marking,
    )


def _assemble(
    session: Session, principal: Principal, report: ProgressReport
) -> ProgressReportPublic:
    rows = session.execute(
        select(ProgressEntry, Assignment)
        .join(Assignment, Assignment.id == ProgressEntry.assignment_id)
        .where(
            ProgressEntry.report_id == report.id,
            policy.read_filter(principal, KIND, ProgressEntry.marking_id),
        )
        .order_by(Assignment.theme, Assignment.code)
    ).all()
    marks = load(session, {e.marking_id for e, _ in rows} | {report.marking_id})
    entries = [
        ProgressEntryPublic(
            assignment_id=a.id,
            assignment_code=a.code,
            assignment_title=a.title,
            theme=a.theme,
            status=e.status,
            narrative=e.narrative,
            indicators=dict(e.indicators),
            marking=marks[e.marking_id],
        )
        for e, a in rows
    ]
    return ProgressReportPublic(
        id=report.id,
        jaarplan_id=report.jaarplan_id,
        period=report.period,
        status=report.status,
        marking=marks[report.marking_id],
        entries=entries,
    )


def get_report(session: Session, *, principal: Principal, report_id: int) -> ProgressReportPublic:
    report = _assemble(session, principal, _report_row(session, principal, report_id))
    audit.record(
        session,
        principal=principal,
        action="voortgang.read",
        kind=KIND,
        object_id=report.id,
        marking=summary([report.marking, *(e.marking for e in report.entries)]),
    )
    return report
