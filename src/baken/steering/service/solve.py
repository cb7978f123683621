"""Solving a jaarplan: build the optimiser's problem from the plan, solve it, and keep
each answer as a numbered plan version that can be compared with another.

An infeasible plan saves nothing: the planner gets the reasons instead.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from enum import Enum
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from baken.core import audit, policy
from baken.core.i18n import N_
from baken.core.marking_store import intern, load, load_one
from baken.core.markings import Marking, summary
from baken.core.models import User
from baken.core.principals import Principal
from baken.steering import optimiser as opt
from baken.steering.models import Assignment, Capacity, PlanVersion, Requirement
from baken.steering.schemas import PlanVersionPublic, SolveRequest
from baken.steering.service.ga import SteeringError
from baken.steering.service.plans import KIND, plan_row


class SolveInfeasible(Exception):
    """No plan satisfies the constraints; ``reasons`` say which conflict."""

    def __init__(self, reasons: tuple[opt.InfeasibilityReason, ...]) -> None:
        super().__init__("infeasible")
        self.reasons = reasons


def _plain(value: Any) -> Any:
    """The optimiser's frozen dataclasses as JSON-ready data."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dict) or hasattr(value, "items"):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | frozenset | set):
        return [_plain(v) for v in value]
    return value


def problem_for(
    session: Session, principal: Principal, jaarplan_id: int, data: SolveRequest
) -> tuple[opt.PlanProblem, Marking]:
    """The optimisation problem of a plan, and the marking its answer will carry."""
    plan = plan_row(session, principal, jaarplan_id)
    rows = list(session.scalars(select(Assignment).where(Assignment.jaarplan_id == plan.id)))
    # The service's own requirements and the joint ones: what this plan can answer.
    reqs = list(
        session.scalars(
            select(Requirement).where(
                Requirement.ga_version_id == plan.ga_version_id,
                Requirement.service.in_([plan.service, "JOINT"]),
            )
        )
    )
    marks = load(
        session, {r.marking_id for r in rows} | {r.marking_id for r in reqs} | {plan.marking_id}
    )
    # The answer is derived from every assignment and requirement: all must be readable.
    if not all(policy.can_read(principal, KIND, marks[r.marking_id]) for r in rows) or not all(
        policy.can_read(principal, "ga_behoefte", marks[r.marking_id]) for r in reqs
    ):
        raise SteeringError(N_("the plan holds items beyond your clearance"))
    codes = {r.code for r in rows}
    unknown = (set(data.pins) | set(data.excludes)) - codes
    if unknown:
        raise SteeringError(N_("pinned or excluded assignments are not in the plan"))
    capacity: dict[str, float] = defaultdict(float)
    for skill, fte in session.execute(
        select(Capacity.skill, Capacity.fte).where(Capacity.jaarplan_id == plan.id)
    ):
        capacity[skill] += fte
    for skill, extra in data.extra_fte.items():
        if skill not in capacity:
            raise SteeringError(N_("extra capacity for a skill the plan does not have"))
        capacity[skill] += extra
    problem = opt.PlanProblem(
        skills=tuple(opt.Skill(code=s, fte_available=f) for s, f in sorted(capacity.items())),
        budget_meur=plan.budget_meur + data.extra_budget_meur,
        requirements=tuple(
            opt.Requirement(
                id=r.ref,
                priority_weight=opt.PRIORITY_WEIGHTS[r.priority],
                theme=r.theme,
                ministry=r.ministry,
            )
            for r in reqs
        ),
        assignments=tuple(
            opt.Assignment(
                id=a.code,
                title=a.title,
                theme=a.theme,
                min_fte=a.min_fte,
                max_fte=a.max_fte,
                skill_mix=dict(a.skill_mix),
                cost_meur_per_fte=a.cost_meur_per_fte,
                covers=dict(a.covers),
                mandatory=a.mandatory,
                # The partner of a joint assignment sits in the other service's plan, which
                # is solved on its own: the pairing is recorded, not coupled here.
                joint_with=None,
                joint_share=1.0,
            )
            for a in rows
        ),
        pins=frozenset(data.pins),
        excludes=frozenset(data.excludes),
    )
    marking = policy.derived_marking(list(marks.values()))
    return problem, marking


def solve(session: Session, *, principal: Principal, jaarplan_id: int, data: SolveRequest) -> int:
    """Solve and save a new plan version; raise :class:`SolveInfeasible` otherwise."""
    problem, marking = problem_for(session, principal, jaarplan_id, data)
    policy.require_write(principal, KIND, marking)
    try:
        answer = opt.solve(problem, time_limit=20.0)
    except opt.PlanInputError as exc:
        raise SteeringError(str(exc)) from None
    if isinstance(answer, opt.Infeasible):
        audit.record(
            session,
            principal=principal,
            action="jaarplan.solve",
            kind=KIND,
            object_id=jaarplan_id,
            marking=marking,
            outcome="infeasible",
            details={"reasons": [r.code for r in answer.reasons]},
        )
        raise SolveInfeasible(answer.reasons)
    number = 1 + int(
        session.scalar(
            select(func.max(PlanVersion.number)).where(PlanVersion.jaarplan_id == jaarplan_id)
        )
        or 0
    )
    result = _plain(answer)
    result["extra_fte"] = dict(data.extra_fte)
    result["extra_budget_meur"] = data.extra_budget_meur
    row = PlanVersion(
        jaarplan_id=jaarplan_id,
        number=number,
        created_by=principal.id,
        note=data.note,
        pins=sorted(data.pins),
        excludes=sorted(data.excludes),
        status=answer.status.value,
        objective=answer.objective,
        result=result,
        marking_id=intern(session, marking),
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        principal=principal,
        action="jaarplan.solve",
        kind=KIND,
        object_id=jaarplan_id,
        marking=marking,
        details={"version": row.id, "objective": answer.objective},
    )
    return row.id


def _public(session: Session, row: PlanVersion, marking: Marking) -> PlanVersionPublic:
    author = session.scalar(select(User.display_name).where(User.id == row.created_by)) or "?"
    return PlanVersionPublic(
        id=row.id,
        jaarplan_id=row.jaarplan_id,
        number=row.number,
        created_at=row.created_at,
        created_by=author,
        note=row.note,
        pins=list(row.pins),
        excludes=list(row.excludes),
        status=row.status,
        objective=row.objective,
        result=dict(row.result),
        marking=marking,
    )


def list_versions(
    session: Session, *, principal: Principal, jaarplan_id: int
) -> list[PlanVersionPublic]:
    rows = list(
        session.scalars(
            select(PlanVersion)
            .where(
                PlanVersion.jaarplan_id == jaarplan_id,
                policy.read_filter(principal, KIND, PlanVersion.marking_id),
            )
            .order_by(PlanVersion.number.desc())
        )
    )
    marks = load(session, {r.marking_id for r in rows})
    items = [_public(session, r, marks[r.marking_id]) for r in rows]
    audit.record(
        session,
        principal=principal,
        action="jaarplan.version.list",
        kind=KIND,
        object_id=jaarplan_id,
        marking=summary(i.marking for i in items) if items else None,
        details={"ids": [i.id for i in items]},
    )
    return items


def get_version(session: Session, *, principal: Principal, version_id: int) -> PlanVersionPublic:
    row = session.scalar(
        select(PlanVersion).where(
            PlanVersion.id == version_id,
            policy.read_filter(principal, KIND, PlanVersion.marking_id),
        )
    )
    if row is None:
        raise LookupError(version_id)
    marking = load_one(session, row.marking_id)
    audit.record(
        session,
        principal=principal,
        action="jaarplan.version.read",
        kind=KIND,
        object_id=row.id,
        marking=marking,
    )
    return _public(session, row, marking)


def compare(a: PlanVersionPublic, b: PlanVersionPublic) -> dict[str, Any]:
    """What changed from plan version ``a`` to ``b``: assignments in and out, FTE
    changes, and requirements whose coverage class changed."""
    fte_a = {c["id"]: c["fte"] for c in a.result["chosen"]}
    fte_b = {c["id"]: c["fte"] for c in b.result["chosen"]}
    cov_a = {r["id"]: r for r in a.result["requirements"]}
    cov_b = {r["id"]: r for r in b.result["requirements"]}
    return {
        "added": sorted(fte_b.keys() - fte_a.keys()),
        "dropped": sorted(fte_a.keys() - fte_b.keys()),
        "resized": sorted(
            (k, fte_a[k], fte_b[k])
            for k in fte_a.keys() & fte_b.keys()
            if abs(fte_a[k] - fte_b[k]) > 0.05
        ),
        "coverage": sorted(
            (k, cov_a[k]["dekking"], cov_b[k]["dekking"])
            for k in cov_a.keys() & cov_b.keys()
            if cov_a[k]["dekking"] != cov_b[k]["dekking"]
        ),
        "objective": (a.objective, b.objective),
    }
