"""The case and the VGB as their reader may see them: the status row for every reader of
the case, the file (checklist, partner, suspensions, decision steps, officers) only for
the officers on the case and the oversight. Every read is filtered in the query and
audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from baken.core import audit, policy
from baken.core.marking_store import load_one
from baken.core.markings import Marking
from baken.core.models import User
from baken.core.principals import Principal
from baken.vetting import access
from baken.vetting.positions.models import Position
from baken.vetting.screenings import file
from baken.vetting.screenings.models import CaseOfficer, Screening, Step, Suspension, Vgb
from baken.vetting.screenings.service import (
    FILE,
    KIND,
    Row,
    file_ids,
    mandated_only,
    row,
    to_row,
    visible,
)


def _vgb_visible(principal: Principal) -> list[ColumnElement[bool]]:
    conds: list[ColumnElement[bool]] = [policy.read_filter(principal, KIND, Vgb.marking_id)]
    if mandated_only(principal):
        conds.append(Vgb.screening_id.in_(select(Screening.id).where(*visible(principal))))
    return conds


def vgb_row(session: Session, principal: Principal, vgb_id: int) -> Vgb:
    found = session.scalar(select(Vgb).where(Vgb.id == vgb_id, *_vgb_visible(principal)))
    if found is None:
        raise LookupError(vgb_id)
    return found


@dataclass(frozen=True)
class VgbView:
    id: int
    ref: str
    screening_id: int
    person_name: str
    level: str
    scope: str
    position_id: int
    location_id: int | None
    employer: str
    issued_on: date
    status: str
    ended_on: date | None
    end_reason: str
    marking: Marking


def _vgb_view(session: Session, vgb: Vgb) -> VgbView:
    return VgbView(
        vgb.id, vgb.ref, vgb.screening_id, vgb.person_name, vgb.level, vgb.scope,
        vgb.position_id, vgb.location_id, vgb.employer, vgb.issued_on, vgb.status,
        vgb.ended_on, vgb.end_reason, load_one(session, vgb.marking_id),
    )  # fmt: skip


def get_vgb(session: Session, principal: Principal, *, vgb_id: int) -> VgbView:
    view = _vgb_view(session, vgb_row(session, principal, vgb_id))
    audit.record(
        session, principal=principal, action="vgb.read", kind=KIND, object_id=vgb_id,
        marking=view.marking,
    )  # fmt: skip
    return view


@dataclass(frozen=True)
class StepView:
    step: str
    on: date
    outcome: str | None
    reasons: str


@dataclass(frozen=True)
class SuspensionView:
    reason: str
    since: date
    until: date | None


@dataclass(frozen=True)
class CaseFile:
    checks: list[file.Check]
    partner: file.PartnerView | None
    suspensions: list[SuspensionView]
    steps: list[StepView]
    officers: list[str]


@dataclass(frozen=True)
class Case:
    row: Row
    position_ref: str
    vgb: VgbView | None
    file: CaseFile | None  # None: the reader is not on the case
    can_write: bool


def _file(session: Session, principal: Principal, screening_id: int) -> CaseFile | None:
    allowed = session.scalar(
        select(Screening.id).where(
            Screening.id == screening_id, Screening.id.in_(file_ids(principal))
        )
    )
    if allowed is None:
        return None
    ids = file_ids(principal)
    rf = policy.read_filter
    suspensions = session.scalars(
        select(Suspension)
        .where(Suspension.screening_id == screening_id, Suspension.screening_id.in_(ids),
               rf(principal, FILE, Suspension.marking_id))
        .order_by(Suspension.since, Suspension.id)
    )  # fmt: skip
    steps = session.scalars(
        select(Step)
        .where(Step.screening_id == screening_id, Step.screening_id.in_(ids),
               rf(principal, FILE, Step.marking_id))
        .order_by(Step.on, Step.id)
    )  # fmt: skip
    officers = session.scalars(
        select(User.display_name)
        .join(CaseOfficer, CaseOfficer.user_id == User.id)
        .where(CaseOfficer.screening_id == screening_id)
        .order_by(User.display_name)
    )
    found = CaseFile(
        checks=file.checklist(session, principal, screening_id),
        partner=file.partner(session, principal, screening_id),
        suspensions=[SuspensionView(s.reason, s.since, s.until) for s in suspensions],
        steps=[StepView(s.step, s.on, s.outcome, s.reasons) for s in steps],
        officers=list(officers),
    )
    audit.record(
        session, principal=principal, action="screening.file.read", kind=FILE,
        object_id=screening_id, marking=access.file_marking(),
    )  # fmt: skip
    return found


def get_case(session: Session, principal: Principal, *, screening_id: int, today: date) -> Case:
    """The case as the principal may see it: the status row for every reader, the file
    only for the officers on the case (and the oversight)."""
    screening = row(session, principal, screening_id)
    marking = load_one(session, screening.marking_id)
    audit.record(
        session, principal=principal, action="screening.read", kind=KIND,
        object_id=screening.id, marking=marking,
    )  # fmt: skip
    position = session.get(Position, screening.position_id)
    vgb = session.scalar(
        select(Vgb).where(Vgb.screening_id == screening.id, *_vgb_visible(principal))
    )
    return Case(
        row=to_row(screening, marking, today),
        position_ref=position.ref if position else "",
        vgb=_vgb_view(session, vgb) if vgb else None,
        file=_file(session, principal, screening.id),
        can_write=policy.can_write(principal, KIND, marking),
    )
