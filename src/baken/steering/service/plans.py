"""Jaarplannen: reading a plan with its assignments, capacity, budget and targets.

The plan's own rows (capacity, budget lines, targets) carry no marking of their own:
they are read through a join on the jaarplan, whose marking filters them.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from baken.core import audit, policy
from baken.core.i18n import N_
from baken.core.marking_store import intern, load, load_one
from baken.core.markings import summary
from baken.core.principals import Principal
from baken.steering.models import (
    Assignment,
    BudgetLine,
    Capacity,
    GaVersion,
    Jaarplan,
    Requirement,
    TaskTarget,
)
from baken.steering.schemas import (
    AssignmentCreate,
    AssignmentPublic,
    BudgetLinePublic,
    CapacityIn,
    CapacityPublic,
    JaarplanCreate,
    JaarplanPublic,
    JaarplanSummary,
)
from baken.steering.service.ga import SteeringError

KIND = "jaarplan"


def visible(principal: Principal) -> ColumnElement[bool]:
    return policy.read_filter(principal, KIND, Jaarplan.marking_id)


def list_plans(session: Session, *, principal: Principal) -> list[JaarplanSummary]:
    rows = list(
        session.scalars(
            select(Jaarplan)
            .where(visible(principal))
            .order_by(Jaarplan.year.desc(), Jaarplan.service)
        )
    )
    marks = load(session, {r.marking_id for r in rows})
    items = [
        JaarplanSummary(
            id=r.id, service=r.service, year=r.year, title=r.title, marking=marks[r.marking_id]
        )
        for r in rows
    ]
    audit.record(
        session,
        principal=principal,
        action="jaarplan.list",
        kind=KIND,
        marking=summary(i.marking for i in items) if items else None,
        details={"ids": [i.id for i in items]},
    )
    return items


def plan_row(session: Session, principal: Principal, jaarplan_id: int) -> Jaarplan:
    row = session.scalar(select(Jaarplan).where(Jaarplan.id == jaarplan_id, visible(principal)))
    if row is None:
        raise LookupError(jaarplan_id)
    return row


def assignments(session: Session, principal: Principal, jaarplan_id: int) -> list[AssignmentPublic]:
    rows = list(
        session.scalars(
            select(Assignment)
            .where(
                Assignment.jaarplan_id == jaarplan_id,
                policy.read_filter(principal, KIND, Assignment.marking_id),
            )
            .order_by(Assignment.code)
        )
    )
    marks = load(session, {r.marking_id for r in rows})
    return [
        AssignmentPublic(
            id=r.id,
            code=r.code,
            title=r.title,
            description=r.description,
            theme=r.theme,
            min_fte=r.min_fte,
            max_fte=r.max_fte,
            skill_mix=dict(r.skill_mix),
            cost_meur_per_fte=r.cost_meur_per_fte,
            mandatory=r.mandatory,
            joint_with=r.joint_with,
            joint_share=r.joint_share,
            covers=dict(r.covers),
            marking=marks[r.marking_id],
        )
        for r in rows
    ]


def get_plan(session: Session, *, principal: Principal, jaarplan_id: int) -> JaarplanPublic:
    row = plan_row(session, principal, jaarplan_id)
    marking = load_one(session, row.marking_id)
    items = assignments(session, principal, row.id)
    capacity = [
        CapacityPublic(unit=c.unit, skill=c.skill, fte=c.fte)
        for c in session.scalars(
            select(Capacity)
            .where(Capacity.jaarplan_id == row.id)
            .order_by(Capacity.skill, Capacity.unit)
        )
    ]
    budget = [
        BudgetLinePublic(label=b.label, amount_meur=b.amount_meur)
        for b in session.scalars(
            select(BudgetLine).where(BudgetLine.jaarplan_id == row.id).order_by(BudgetLine.id)
        )
    ]
    targets = {
        t.task: t.target
        for t in session.scalars(select(TaskTarget).where(TaskTarget.jaarplan_id == row.id))
    }
    plan = JaarplanPublic(
        id=row.id,
        service=row.service,
        year=row.year,
        ga_version_id=row.ga_version_id,
        title=row.title,
        budget_meur=row.budget_meur,
        marking=marking,
        assignments=items,
        capacity=capacity,
        budget_lines=budget,
        targets=targets,
    )
    audit.record(
        session,
        principal=principal,
        action="jaarplan.read",
        kind=KIND,
        object_id=row.id,
        marking=summary([marking, *(a.marking for a in items)]),
        details={"assignments": [a.id for a in items]},
    )
    return plan


def create_plan(session: Session, *, principal: Principal, data: JaarplanCreate) -> int:
    """A jaarplan for a service and year, with its capacity, budget lines and targets."""
    marking = data.marking.to_marking()
    policy.require_write(principal, KIND, marking)
    if (
        session.scalar(
            select(GaVersion.id).where(
                GaVersion.id == data.ga_version_id,
                policy.read_filter(principal, "ga_behoefte", GaVersion.marking_id),
            )
        )
        is None
    ):
        raise LookupError(data.ga_version_id)
    if session.scalar(
        select(Jaarplan.id).where(Jaarplan.service == data.service, Jaarplan.year == data.year)
    ):
        raise SteeringError(N_("this service already has a plan for that year"))
    pools = {(c.unit, c.skill) for c in data.capacity}
    if len(pools) != len(data.capacity):
        raise SteeringError(N_("each unit and skill appears once in the capacity"))
    row = Jaarplan(
        service=data.service,
        year=data.year,
        ga_version_id=data.ga_version_id,
        title=data.title,
        budget_meur=data.budget_meur,
        marking_id=intern(session, marking),
    )
    session.add(row)
    session.flush()
    session.add_all(
        Capacity(jaarplan_id=row.id, unit=c.unit, skill=c.skill, fte=c.fte) for c in data.capacity
    )
    session.add_all(
        BudgetLine(jaarplan_id=row.id, label=b.label, amount_meur=b.amount_meur)
        for b in data.budget_lines
    )
    session.add_all(
        TaskTarget(jaarplan_id=row.id, task=t, target=n) for t, n in data.targets.items()
    )
    session.flush()
    audit.record(
        session,
        principal=principal,
        action="jaarplan.create",
        kind=KIND,
        object_id=row.id,
        marking=marking,
    )
    return row.id


def add_assignment(
    session: Session, *, principal: Principal, jaarplan_id: int, data: AssignmentCreate
) -> int:
    plan = plan_row(session, principal, jaarplan_id)
    marking = policy.derived_marking(
        [load_one(session, plan.marking_id)], data.marking.to_marking()
    )
    policy.require_write(principal, KIND, marking)
    if session.scalar(
        select(Assignment.id).where(Assignment.jaarplan_id == plan.id, Assignment.code == data.code)
    ):
        raise SteeringError(N_("this code is already used in this plan"))
    if data.joint_with:
        _check_joint(session, principal, plan, data.code, data.joint_with)
    skills = {
        c for c in session.scalars(select(Capacity.skill).where(Capacity.jaarplan_id == plan.id))
    }
    if set(data.skill_mix) - skills:
        raise SteeringError(N_("the skill mix names a skill the plan has no capacity for"))
    refs = set(
        session.scalars(
            select(Requirement.ref).where(Requirement.ga_version_id == plan.ga_version_id)
        )
    )
    if set(data.covers) - refs:
        raise SteeringError(N_("the assignment covers a requirement that is not in the GA"))
    row = Assignment(
        jaarplan_id=plan.id,
        code=data.code,
        title=data.title,
        description=data.description,
        theme=data.theme,
        min_fte=data.min_fte,
        max_fte=data.max_fte,
        skill_mix=dict(data.skill_mix),
        cost_meur_per_fte=data.cost_meur_per_fte,
        mandatory=data.mandatory,
        joint_with=data.joint_with,
        joint_share=data.joint_share,
        covers=dict(data.covers),
        marking_id=intern(session, marking),
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        principal=principal,
        action="jaarplan.assignment.create",
        kind=KIND,
        object_id=row.id,
        marking=marking,
        details={"jaarplan": plan.id},
    )
    return row.id


def _check_joint(
    session: Session, principal: Principal, plan: Jaarplan, code: str, partner_code: str
) -> None:
    """A joint assignment pairs with one assignment of the other service's plan for the
    same year; the partner points back to it or to nothing. Chains and cycles (A→B→C,
    A→B→A via a third) are refused: shared effort is between exactly two assignments."""
    other = "MIVD" if plan.service == "AIVD" else "AIVD"
    partner = session.scalar(
        select(Assignment)
        .join(Jaarplan, Jaarplan.id == Assignment.jaarplan_id)
        .where(
            Jaarplan.service == other,
            Jaarplan.year == plan.year,
            Assignment.code == partner_code,
            # Only a partner the planner may read: otherwise the answer would tell
            # whether an assignment exists in a plan they cannot see.
            policy.read_filter(principal, KIND, Assignment.marking_id),
        )
    )
    if partner is None:
        raise SteeringError(
            N_("the joint partner is not an assignment of the other service's plan")
        )
    taken = session.scalar(
        select(Assignment.id)
        .join(Jaarplan, Jaarplan.id == Assignment.jaarplan_id)
        .where(
            Jaarplan.service == plan.service,
            Jaarplan.year == plan.year,
            Assignment.joint_with == partner_code,
            Assignment.code != code,
        )
    )
    if partner.joint_with not in (None, code) or taken is not None:
        raise SteeringError(N_("the joint partner is already joint with another assignment"))


def set_capacity(
    session: Session, *, principal: Principal, jaarplan_id: int, data: CapacityIn
) -> None:
    """Set the FTE of one unit's skill pool (0 removes nothing: the pool stays, empty)."""
    plan = plan_row(session, principal, jaarplan_id)
    marking = load_one(session, plan.marking_id)
    policy.require_write(principal, KIND, marking)
    row = session.scalar(
        select(Capacity).where(
            Capacity.jaarplan_id == plan.id,
            Capacity.unit == data.unit,
            Capacity.skill == data.skill,
        )
    )
    if row is None:
        row = Capacity(jaarplan_id=plan.id, unit=data.unit, skill=data.skill, fte=data.fte)
        session.add(row)
    row.fte = data.fte
    session.flush()
    audit.record(
        session,
        principal=principal,
        action="jaarplan.capacity",
        kind=KIND,
        object_id=plan.id,
        marking=marking,
        details={"unit": data.unit, "skill": data.skill, "fte": data.fte},
    )
