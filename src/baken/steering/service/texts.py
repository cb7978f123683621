"""The jaarplan's texts and their public versions.

A planner writes each section of the plan at its (classified) marking. A public version
exists only as the product of a sanitisation (core.sanitise): requested with the public
wording, approved by a classification officer, and then immutable. The public letter
is assembled from those rows alone — :func:`public_sections` is the only way in.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from baken.core import audit, policy
from baken.core.i18n import N_
from baken.core.marking_store import intern, load, load_one
from baken.core.markings import Marking, summary
from baken.core.models import Sanitisation
from baken.core.principals import Principal
from baken.core.sanitise import Sanitiser
from baken.steering.models import PlanText
from baken.steering.schemas import PlanTextCreate, PlanTextPublic
from baken.steering.service.ga import SteeringError
from baken.steering.service.plans import plan_row

KIND = "plantekst"


def _public(row: PlanText, marking: Marking) -> PlanTextPublic:
    return PlanTextPublic(
        id=row.id,
        jaarplan_id=row.jaarplan_id,
        section=row.section,
        heading=row.heading,
        body=row.body,
        marking=marking,
        sanitised_from_id=row.sanitised_from_id,
        public=row.sanitised_from_id is not None and marking.is_public(),
    )


def list_texts(session: Session, *, principal: Principal, jaarplan_id: int) -> list[PlanTextPublic]:
    plan_row(session, principal, jaarplan_id)
    rows = list(
        session.scalars(
            select(PlanText)
            .where(
                PlanText.jaarplan_id == jaarplan_id,
                policy.read_filter(principal, KIND, PlanText.marking_id),
            )
            .order_by(PlanText.section, PlanText.id)
        )
    )
    marks = load(session, {r.marking_id for r in rows})
    items = [_public(r, marks[r.marking_id]) for r in rows]
    audit.record(
        session,
        principal=principal,
        action="plantekst.list",
        kind=KIND,
        marking=summary(i.marking for i in items) if items else None,
        details={"jaarplan": jaarplan_id, "ids": [i.id for i in items]},
    )
    return items


def get_text(session: Session, *, principal: Principal, text_id: int) -> PlanTextPublic:
    row = session.scalar(
        select(PlanText).where(
            PlanText.id == text_id, policy.read_filter(principal, KIND, PlanText.marking_id)
        )
    )
    if row is None:
        raise LookupError(text_id)
    marking = load_one(session, row.marking_id)
    audit.record(
        session,
        principal=principal,
        action="plantekst.read",
        kind=KIND,
        object_id=row.id,
        marking=marking,
    )
    return _public(row, marking)


def create_text(
    session: Session, *, principal: Principal, jaarplan_id: int, data: PlanTextCreate
) -> PlanTextPublic:
    plan_row(session, principal, jaarplan_id)
    marking = data.marking.to_marking()
    policy.require_write(principal, KIND, marking)
    row = PlanText(
        jaarplan_id=jaarplan_id,
        section=data.section,
        heading=data.heading,
        body=data.body,
        marking_id=intern(session, marking),
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        principal=principal,
        action="plantekst.create",
        kind=KIND,
        object_id=row.id,
        marking=marking,
    )
    return _public(row, marking)


def update_text(
    session: Session, *, principal: Principal, text_id: int, data: PlanTextCreate
) -> PlanTextPublic:
    row = session.scalar(
        select(PlanText).where(
            PlanText.id == text_id, policy.read_filter(principal, KIND, PlanText.marking_id)
        )
    )
    if row is None:
        raise LookupError(text_id)
    if row.sanitised_from_id is not None:
        raise SteeringError(N_("a public version cannot be edited; request a new sanitisation"))
    old, new = load_one(session, row.marking_id), data.marking.to_marking()
    policy.check_remark(old, new)
    policy.require_write(principal, KIND, new)
    row.section, row.heading, row.body = data.section, data.heading, data.body
    row.marking_id = intern(session, new)
    audit.record(
        session,
        principal=principal,
        action="plantekst.update",
        kind=KIND,
        object_id=row.id,
        marking=new,
    )
    return _public(row, new)


def public_sections(session: Session, jaarplan_id: int) -> list[PlanTextPublic]:
    """The newest public version of each section: unmarked rows made by an approved
    sanitisation. Public by construction, so no principal is needed to read them."""
    rows = list(
        session.scalars(
            select(PlanText)
            .join(
                Sanitisation, (Sanitisation.kind == KIND) & (Sanitisation.target_id == PlanText.id)
            )
            .where(
                PlanText.jaarplan_id == jaarplan_id,
                PlanText.sanitised_from_id.is_not(None),
                Sanitisation.status == "approved",
            )
            .order_by(PlanText.id)
        )
    )
    marks = load(session, {r.marking_id for r in rows})
    newest: dict[str, PlanTextPublic] = {}
    for row in rows:
        if marks[row.marking_id].is_public():
            newest[row.section] = _public(row, marks[row.marking_id])
    return list(newest.values())


def _source_marking(session: Session, text_id: int) -> Marking | None:
    marking_id = session.scalar(select(PlanText.marking_id).where(PlanText.id == text_id))
    return None if marking_id is None else load_one(session, marking_id)


def _create_public(
    session: Session, principal: Principal, fields: dict[str, str], marking: Marking, source_id: int
) -> int:
    source = session.get(PlanText, source_id)
    assert source is not None
    row = PlanText(
        jaarplan_id=source.jaarplan_id,
        section=source.section,
        heading=fields["heading"],
        body=fields["body"],
        marking_id=intern(session, marking),
        sanitised_from_id=source.id,
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        principal=principal,
        action="plantekst.create",
        kind=KIND,
        object_id=row.id,
        marking=marking,
        details={"sanitised_from": source.id},
    )
    return row.id


SANITISER = Sanitiser(
    kind=KIND,
    fields=("heading", "body"),
    source_marking=_source_marking,
    create=_create_public,
    url="/sturing/teksten/{id}",
)
