"""The GA I&V: versions, yearly updates as copies with a diff, and requirements."""

from __future__ import annotations

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from baken.core import audit, policy
from baken.core.errors import DomainError
from baken.core.i18n import N_
from baken.core.marking_store import intern, load, load_one
from baken.core.markings import Marking, summary
from baken.core.principals import Principal
from baken.core.timeutil import utcnow
from baken.steering.models import GaVersion, Requirement
from baken.steering.schemas import (
    Establish,
    GaDiff,
    GaUpdateCreate,
    GaVersionCreate,
    GaVersionPublic,
    RequirementCreate,
    RequirementPublic,
)

KIND = "ga_behoefte"


class SteeringError(DomainError):
    """A steering action that is not allowed as asked; the message says why."""


def _visible_versions(principal: Principal) -> ColumnElement[bool]:
    return policy.read_filter(principal, KIND, GaVersion.marking_id)


def _visible_requirements(principal: Principal) -> ColumnElement[bool]:
    return policy.read_filter(principal, KIND, Requirement.marking_id)


def _requirement(row: Requirement, marking: Marking) -> RequirementPublic:
    return RequirementPublic(
        id=row.id,
        ref=row.ref,
        question=row.question,
        theme=row.theme,
        ministry=row.ministry,
        priority=row.priority,
        service=row.service,
        task=row.task,
        marking=marking,
    )


def _version(row: GaVersion, marking: Marking, count: int) -> GaVersionPublic:
    return GaVersionPublic(
        id=row.id,
        label=row.label,
        period_start=row.period_start,
        period_end=row.period_end,
        update_year=row.update_year,
        status=row.status,
        staatscourant_ref=row.staatscourant_ref,
        based_on_id=row.based_on_id,
        marking=marking,
        created_at=row.created_at,
        requirement_count=count,
    )


def _counts(session: Session, principal: Principal, ids: list[int]) -> dict[int, int]:
    rows = session.execute(
        select(Requirement.ga_version_id, func.count())
        .where(Requirement.ga_version_id.in_(ids), _visible_requirements(principal))
        .group_by(Requirement.ga_version_id)
    )
    return {version_id: int(n) for version_id, n in rows}


def list_versions(session: Session, *, principal: Principal) -> list[GaVersionPublic]:
    rows = list(
        session.scalars(
            select(GaVersion)
            .where(_visible_versions(principal))
            .order_by(GaVersion.update_year.desc(), GaVersion.id.desc())
        )
    )
    marks = load(session, {r.marking_id for r in rows})
    counts = _counts(session, principal, [r.id for r in rows])
    items = [_version(r, marks[r.marking_id], counts.get(r.id, 0)) for r in rows]
    audit.record(
        session,
        principal=principal,
        action="ga.list",
        kind=KIND,
        marking=summary(i.marking for i in items) if items else None,
        details={"ids": [i.id for i in items]},
    )
    return items


def _get_row(session: Session, principal: Principal, version_id: int) -> GaVersion:
    row = session.scalar(
        select(GaVersion).where(GaVersion.id == version_id, _visible_versions(principal))
    )
    if row is None:
        raise LookupError(version_id)
    return row


def requirements(
    session: Session, principal: Principal, version_id: int
) -> list[RequirementPublic]:
    rows = list(
        session.scalars(
            select(Requirement)
            .where(Requirement.ga_version_id == version_id, _visible_requirements(principal))
            .order_by(Requirement.priority, Requirement.ref)
        )
    )
    marks = load(session, {r.marking_id for r in rows})
    return [_requirement(r, marks[r.marking_id]) for r in rows]


def get_version(
    session: Session, *, principal: Principal, version_id: int
) -> tuple[GaVersionPublic, list[RequirementPublic], GaDiff | None]:
    """A version, the requirements the principal may read, and the diff with the
    version it was copied from (over requirements readable in both)."""
    row = _get_row(session, principal, version_id)
    items = requirements(session, principal, version_id)
    version = _version(row, load_one(session, row.marking_id), len(items))
    diff = None
    if row.based_on_id is not None:
        base = session.scalar(
            select(GaVersion.id).where(
                GaVersion.id == row.based_on_id, _visible_versions(principal)
            )
        )
        if base is not None:
            diff = _diff(requirements(session, principal, base), items)
    audit.record(
        session,
        principal=principal,
        action="ga.read",
        kind=KIND,
        object_id=row.id,
        marking=summary([version.marking, *(i.marking for i in items)]),
        details={"requirements": [i.id for i in items]},
    )
    return version, items, diff


FIELDS = ("question", "theme", "ministry", "priority", "service", "task", "marking")


def _diff(old: list[RequirementPublic], new: list[RequirementPublic]) -> GaDiff:
    before, after = {r.ref: r for r in old}, {r.ref: r for r in new}
    changed = []
    for ref in sorted(before.keys() & after.keys()):
        fields = [f for f in FIELDS if getattr(before[ref], f) != getattr(after[ref], f)]
        if fields:
            changed.append((before[ref], after[ref], fields))
    return GaDiff(
        added=[after[r] for r in sorted(after.keys() - before.keys())],
        removed=[before[r] for r in sorted(before.keys() - after.keys())],
        changed=changed,
    )


def create_update(
    session: Session, *, principal: Principal, version_id: int, data: GaUpdateCreate
) -> int:
    """Start a yearly update as a copy of ``version_id`` (draft, same requirements)."""
    base = _get_row(session, principal, version_id)
    marking = load_one(session, base.marking_id)
    policy.require_write(principal, KIND, marking)
    if not base.period_start <= data.update_year <= base.period_end:
        raise SteeringError(N_("the update year lies outside the GA's period"))
    if session.scalar(
        select(GaVersion.id).where(
            GaVersion.based_on_id == base.id, GaVersion.update_year == data.update_year
        )
    ):
        raise SteeringError(N_("an update for this year already exists"))
    rows = list(session.scalars(select(Requirement).where(Requirement.ga_version_id == base.id)))
    readable = load(session, {r.marking_id for r in rows})
    if not all(policy.can_read(principal, KIND, readable[r.marking_id]) for r in rows):
        # Copying what one may not read would be writing it: a cleared planner must.
        raise SteeringError(N_("this version holds requirements beyond your clearance"))
    copy = GaVersion(
        label=f"{base.label.split(' — ')[0]} — actualisatie {data.update_year}",
        period_start=base.period_start,
        period_end=base.period_end,
        update_year=data.update_year,
        status="draft",
        based_on_id=base.id,
        marking_id=base.marking_id,
    )
    session.add(copy)
    session.flush()
    for r in rows:
        session.add(
            Requirement(
                ga_version_id=copy.id,
                ref=r.ref,
                question=r.question,
                theme=r.theme,
                ministry=r.ministry,
                priority=r.priority,
                service=r.service,
                task=r.task,
                marking_id=r.marking_id,
            )
        )
    audit.record(
        session,
        principal=principal,
        action="ga.update.create",
        kind=KIND,
        object_id=copy.id,
        marking=marking,
        details={"from": base.id},
    )
    return copy.id


def establish(session: Session, *, principal: Principal, version_id: int, data: Establish) -> None:
    """Vaststellen: the version becomes final, with its Staatscourant reference."""
    row = _get_row(session, principal, version_id)
    marking = load_one(session, row.marking_id)
    policy.require_write(principal, KIND, marking)
    if row.status != "draft":
        raise SteeringError(N_("this version has already been established"))
    if not session.scalar(
        select(func.count()).select_from(Requirement).where(Requirement.ga_version_id == row.id)
    ):
        raise SteeringError(N_("a version without requirements cannot be established"))
    row.status, row.staatscourant_ref, row.established_at = (
        "vastgesteld",
        data.staatscourant_ref,
        utcnow(),
    )
    audit.record(
        session,
        principal=principal,
        action="ga.establish",
        kind=KIND,
        object_id=row.id,
        marking=marking,
        details={"ref": data.staatscourant_ref},
    )


def _draft(session: Session, principal: Principal, version_id: int) -> GaVersion:
    row = _get_row(session, principal, version_id)
    if row.status != "draft":
        raise SteeringError(N_("an established version cannot be changed; start an update"))
    return row


def add_requirement(
    session: Session, *, principal: Principal, version_id: int, data: RequirementCreate
) -> RequirementPublic:
    version = _draft(session, principal, version_id)
    marking = data.marking.to_marking()
    policy.require_write(principal, KIND, marking)
    if session.scalar(
        select(Requirement.id).where(
            Requirement.ga_version_id == version.id, Requirement.ref == data.ref
        )
    ):
        raise SteeringError(N_("this code is already used in this version"))
    row = Requirement(
        ga_version_id=version.id,
        ref=data.ref,
        question=data.question,
        theme=data.theme,
        ministry=data.ministry,
        priority=data.priority,
        service=data.service,
        task=data.task,
        marking_id=intern(session, marking),
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        principal=principal,
        action="ga.requirement.create",
        kind=KIND,
        object_id=row.id,
        marking=marking,
        details={"version": version.id},
    )
    return _requirement(row, marking)


def _own_requirement(session: Session, principal: Principal, requirement_id: int) -> Requirement:
    row = session.scalar(
        select(Requirement).where(
            Requirement.id == requirement_id, _visible_requirements(principal)
        )
    )
    if row is None:
        raise LookupError(requirement_id)
    return row


def update_requirement(
    session: Session, *, principal: Principal, requirement_id: int, data: RequirementCreate
) -> RequirementPublic:
    row = _own_requirement(session, principal, requirement_id)
    _draft(session, principal, row.ga_version_id)
    old = load_one(session, row.marking_id)
    new = data.marking.to_marking()
    policy.check_remark(old, new)  # lowering a marking is a sanitisation, not an edit
    policy.require_write(principal, KIND, new)
    if data.ref != row.ref:
        raise SteeringError(N_("the code of a requirement cannot change"))
    row.question, row.theme, row.ministry, row.priority = (
        data.question,
        data.theme,
        data.ministry,
        data.priority,
    )
    row.service, row.task, row.marking_id = data.service, data.task, intern(session, new)
    audit.record(
        session,
        principal=principal,
        action="ga.requirement.update",
        kind=KIND,
        object_id=row.id,
        marking=new,
    )
    return _requirement(row, new)


def remove_requirement(session: Session, *, principal: Principal, requirement_id: int) -> None:
    row = _own_requirement(session, principal, requirement_id)
    _draft(session, principal, row.ga_version_id)
    marking = load_one(session, row.marking_id)
    policy.require_write(principal, KIND, marking)
    session.delete(row)
    audit.record(
        session,
        principal=principal,
        action="ga.requirement.delete",
        kind=KIND,
        object_id=requirement_id,
        marking=marking,
    )


def create_version(session: Session, *, principal: Principal, data: GaVersionCreate) -> int:
    """A new four-year GA, as a draft to fill with requirements and then establish."""
    marking = data.marking.to_marking()
    policy.require_write(principal, KIND, marking)
    row = GaVersion(
        label=data.label,
        period_start=data.period_start,
        period_end=data.period_end,
        update_year=data.period_start,
        status="draft",
        marking_id=intern(session, marking),
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        principal=principal,
        action="ga.create",
        kind=KIND,
        object_id=row.id,
        marking=marking,
    )
    return row.id
