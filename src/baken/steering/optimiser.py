"""The jaarplan optimiser: which onderzoeksopdrachten, at how many FTE, cover the most
weighted GA I&V behoeften within skill capacity and budget. Pure: no database.

``solve`` is the exact MILP (HiGHS, see ``optimiser_milp`` and docs/adr/0005);
``greedy`` is the baseline it is measured against; ``generate`` builds a random but
realistic instance for tests and benchmarks. Input is checked by ``validate`` first;
a problem without any plan returns ``Infeasible`` with the reasons, never a half plan.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import highspy

from baken.steering.optimiser_generate import PRIORITY_WEIGHTS, generate
from baken.steering.optimiser_milp import GroupCoefficients, Milp, coefficients
from baken.steering.optimiser_types import (
    BUDGET,
    Assignment,
    ChosenAssignment,
    Dekking,
    FieldError,
    InfeasibilityReason,
    Infeasible,
    MarginalValue,
    PlanInputError,
    PlanProblem,
    PlanSolution,
    PlanStatus,
    Requirement,
    RequirementCoverage,
    ResourceUse,
    Skill,
    classify,
)
from baken.steering.optimiser_validate import JointGroup, joint_groups, validate

__all__ = [
    "BUDGET",
    "PRIORITY_WEIGHTS",
    "Assignment",
    "ChosenAssignment",
    "Dekking",
    "FieldError",
    "InfeasibilityReason",
    "Infeasible",
    "MarginalValue",
    "PlanInputError",
    "PlanProblem",
    "PlanSolution",
    "PlanStatus",
    "Requirement",
    "RequirementCoverage",
    "ResourceUse",
    "Skill",
    "generate",
    "greedy",
    "solve",
    "validate",
]

BINDING_SLACK = 1e-6
_FEASIBILITY_TOL = 1e-7  # HiGHS's primal feasibility tolerance


@dataclass(frozen=True)
class _Setup:
    groups: list[JointGroup]
    coef: list[GroupCoefficients]
    forced: set[int]  # group indices: a member is mandatory or pinned
    blocked: set[int]  # groups that can never run: excluded, or an empty joint range
    reasons: list[InfeasibilityReason]


def solve(
    problem: PlanProblem,
    *,
    time_limit: float = 30.0,
    mip_rel_gap: float = 0.001,
    marginal_values: bool = True,
    marginal_time_limit: float | None = None,
) -> PlanSolution | Infeasible:
    """The best plan (to proven optimality or ``mip_rel_gap``), or why there is none.

    Raises ``PlanInputError`` for malformed input. ``time_limit`` is for the main solve;
    ``marginal_time_limit`` caps each marginal-value re-solve (default: the smaller of 2 s
    and ``time_limit``; they start from this plan and mostly take ~0.2 s), one per
    binding resource, so the worst case is about (skills + 1) × that limit.
    """
    setup = _setup(problem)
    if setup.reasons:
        return Infeasible(tuple(setup.reasons))
    milp = Milp(problem, setup.groups, setup.coef, forced=setup.forced, blocked=setup.blocked)
    milp.set_options(time_limit=time_limit, mip_rel_gap=mip_rel_gap)
    milp.start_from(_greedy_x(problem, setup))
    out = milp.run()
    if out.status == highspy.HighsModelStatus.kInfeasible:
        # Unreachable when the checks in _setup are complete; kept as a safety net.
        return Infeasible(
            tuple(InfeasibilityReason("constraint_conflict", n) for n in milp.conflict())
        )
    if out.status == highspy.HighsModelStatus.kModelEmpty:  # nothing left to choose
        status = PlanStatus.OPTIMAL
    elif out.status == highspy.HighsModelStatus.kOptimal:
        status = PlanStatus.OPTIMAL if out.proven else PlanStatus.GAP
    elif out.status == highspy.HighsModelStatus.kTimeLimit:
        status = PlanStatus.TIME_LIMIT
    else:
        raise RuntimeError(f"HiGHS stopped with model status {out.status.name}")

    x, chosen, seconds = _polish(milp, problem, setup, out.x, out.chosen)
    objective = _objective(problem, setup.coef, x)
    if status is PlanStatus.OPTIMAL:
        bound = objective
    elif math.isfinite(out.dual_bound):
        bound = max(objective, out.dual_bound)
    else:
        bound = math.inf
    plan = _report(problem, setup, x, chosen, status, bound, out.seconds + seconds)
    if not marginal_values:
        return plan
    milp.set_options(
        time_limit=min(2.0, time_limit) if marginal_time_limit is None else marginal_time_limit,
        mip_rel_gap=mip_rel_gap,
    )
    values = [
        _marginal(milp, problem, setup, use, x, chosen, objective)
        if use.binding or _unlocks(setup, use, index, chosen)
        else MarginalValue(use.resource, 0.0, 0.0, resolved=False, seconds=0.0)
        for index, use in enumerate((*plan.skills, plan.budget))
    ]
    return replace(
        plan, marginal_values=tuple(values), marginal_seconds=sum(v.seconds for v in values)
    )


def _polish(
    milp: Milp, problem: PlanProblem, setup: _Setup, x: list[float], chosen: list[bool]
) -> tuple[list[float], list[bool], float]:
    """The tie-break, with the portfolio fixed: the best coverage (an LP), then the least
    effort (FTE, cost) that keeps it, then drop assignments that add nothing and repeat.

    Without it the FTE beyond what coverage needs, and chosen assignments whose
    requirements others already cover fully, would be placed arbitrarily by the solver.
    """
    ok = highspy.HighsModelStatus.kOptimal
    seconds = 0.0
    milp.fix_choices(chosen)
    milp.start_from(x)
    best = milp.run()
    seconds += best.seconds
    if best.status == ok and _objective(problem, setup.coef, best.x) >= _objective(
        problem, setup.coef, x
    ):
        x, chosen = best.x, best.chosen
    for _ in range(2):
        target = _objective(problem, setup.coef, x)
        floor = target - 1e-9 * max(1.0, target)
        milp.use_effort(floor)
        milp.start_from(x)
        lean = milp.run()
        milp.use_coverage()
        seconds += lean.seconds
        if lean.status == ok and _objective(problem, setup.coef, lean.x) >= floor:
            x, chosen = lean.x, lean.chosen
        dropped = _redundant(problem, setup, x, chosen)
        if not dropped:
            break
        chosen = [c and gi not in dropped for gi, c in enumerate(chosen)]
        x = [0.0 if gi in dropped else v for gi, v in enumerate(x)]
        milp.fix_choices(chosen)
    return x, chosen, seconds


def _redundant(problem: PlanProblem, setup: _Setup, x: list[float], chosen: list[bool]) -> set[int]:
    """Chosen, unforced groups whose requirements stay fully covered without them."""
    weights = [r.priority_weight for r in problem.requirements]
    totals: dict[int, float] = {}
    for gi, c in enumerate(setup.coef):
        for r, v in c.covers.items():
            totals[r] = totals.get(r, 0.0) + v * x[gi]
    dropped: set[int] = set()
    candidates = [gi for gi, c in enumerate(chosen) if c and gi not in setup.forced]
    for gi in sorted(candidates, key=lambda gi: -x[gi]):
        covers = setup.coef[gi].covers
        useful = [r for r in covers if weights[r] > 0]
        if all(totals[r] - covers[r] * x[gi] >= 1 for r in useful):
            dropped.add(gi)
            for r, v in covers.items():
                totals[r] -= v * x[gi]
    return dropped


def _unlocks(setup: _Setup, use: ResourceUse, index: int, chosen: list[bool]) -> bool:
    """Could one more unit let an unchosen group reach its minimum? (A slack resource
    still has value in a MILP when that minimum needs more than the slack.)"""
    for gi, g in enumerate(setup.groups):
        if chosen[gi] or gi in setup.blocked:
            continue
        c = setup.coef[gi]
        per_unit = c.skills.get(index, 0.0) if use.resource != BUDGET else c.cost
        if use.slack < per_unit * g.lower <= use.slack + 1:
            return True
    return False


def _marginal(
    milp: Milp,
    problem: PlanProblem,
    setup: _Setup,
    use: ResourceUse,
    x: list[float],
    chosen: list[bool],
    objective: float,
) -> MarginalValue:
    """Objective gain of ``use.available + 1``, in two re-solves from the current plan.

    First the same portfolio with the FTE re-balanced (an LP, exact), then the full MILP
    started from that, which may change the portfolio and gives the upper bound. Both
    are real plans for the larger capacity, so the gain is never negative.
    """
    milp.set_capacity(use.resource, use.available + 1)
    milp.fix_choices(chosen)
    milp.start_from(x)
    same_set = milp.run()
    milp.free_choices()
    milp.start_from(same_set.x)
    free = milp.run()
    milp.set_capacity(use.resource, use.available)
    best = max(_objective(problem, setup.coef, r.x) for r in (same_set, free))
    gain = max(0.0, best - objective)
    upper = max(gain, free.dual_bound - objective)
    return MarginalValue(use.resource, gain, upper, True, same_set.seconds + free.seconds)


def greedy(problem: PlanProblem) -> PlanSolution | Infeasible:
    """The baseline: forced assignments at min_fte first, then the rest by weighted coverage
    per FTE, each at the most FTE (up to max_fte) that still fits. No bound (NaN)."""
    setup = _setup(problem)
    if setup.reasons:
        return Infeasible(tuple(setup.reasons))
    x = _greedy_x(problem, setup)
    chosen = [gi in setup.forced or x[gi] > 0 for gi in range(len(x))]
    return _report(problem, setup, x, chosen, PlanStatus.HEURISTIC, math.nan, 0.0)


def _setup(problem: PlanProblem) -> _Setup:
    errors = validate(problem)
    if errors:
        raise PlanInputError(tuple(errors))
    groups = joint_groups(problem)
    coef = coefficients(problem, groups)
    forced: set[int] = set()
    blocked: set[int] = set()
    reasons: list[InfeasibilityReason] = []
    for gi, g in enumerate(groups):
        members = [problem.assignments[m] for m in g.members]
        forcing = tuple(a.id for a in members if a.mandatory or a.id in problem.pins)
        excluded = [a.id for a in members if a.id in problem.excludes]
        empty = g.lower > g.upper * (1 + 1e-9)
        if forcing:
            forced.add(gi)
            for aid in excluded:
                reasons.append(InfeasibilityReason("forced_but_excluded", aid, assignments=forcing))
            if empty:
                ids = tuple(a.id for a in members)
                reasons.append(
                    InfeasibilityReason("joint_range_empty", ids[0], g.lower, g.upper, ids)
                )
        elif excluded or empty:
            blocked.add(gi)
    if reasons:
        return _Setup(groups, coef, forced, blocked, reasons)

    # With every forced group at its lowest FTE and nothing else chosen, only capacity
    # can fail: that is the whole infeasibility test, and it names the resources.
    setup_parts = (groups, coef, forced)
    for s, skill in enumerate(problem.skills):
        need = sum(coef[gi].skills.get(s, 0.0) * groups[gi].lower for gi in forced)
        if need > skill.fte_available + _FEASIBILITY_TOL:
            users = _forced_ids(problem, setup_parts, skill=s)
            reasons.append(
                InfeasibilityReason(
                    "skill_over_capacity", skill.code, need, skill.fte_available, users
                )
            )
    need = sum(coef[gi].cost * groups[gi].lower for gi in forced)
    if need > problem.budget_meur + _FEASIBILITY_TOL:
        users = _forced_ids(problem, setup_parts, skill=None)
        reasons.append(
            InfeasibilityReason("budget_exceeded", BUDGET, need, problem.budget_meur, users)
        )
    return _Setup(groups, coef, forced, blocked, reasons)


def _forced_ids(
    problem: PlanProblem,
    parts: tuple[list[JointGroup], list[GroupCoefficients], set[int]],
    *,
    skill: int | None,
) -> tuple[str, ...]:
    """The forced assignments that need a skill (or, with None, money) at their minimum."""
    groups, coef, forced = parts
    return tuple(
        problem.assignments[m].id
        for gi in sorted(forced)
        if groups[gi].lower > 0
        and (coef[gi].cost > 0 if skill is None else skill in coef[gi].skills)
        for m in groups[gi].members
    )


def _greedy_x(problem: PlanProblem, setup: _Setup) -> list[float]:
    """Greedy FTE per group; always feasible when ``setup`` found no reasons."""
    groups, coef = setup.groups, setup.coef
    left = [s.fte_available for s in problem.skills]
    money = problem.budget_meur
    x = [0.0] * len(groups)

    def room(gi: int) -> float:
        c = coef[gi]
        limits = [max(0.0, left[s]) / v for s, v in c.skills.items() if v > 0]
        if c.cost > 0:
            limits.append(max(0.0, money) / c.cost)
        return min(limits, default=math.inf)

    def take(gi: int, value: float) -> None:
        nonlocal money
        extra = value - x[gi]
        for s, v in coef[gi].skills.items():
            left[s] -= v * extra
        money -= coef[gi].cost * extra
        x[gi] = value

    weights = [r.priority_weight for r in problem.requirements]

    def score(gi: int) -> float:
        top = groups[gi].upper
        value = sum(weights[r] * min(1.0, v * top) for r, v in coef[gi].covers.items())
        return value / (sum(coef[gi].skills.values()) * top)

    for gi in sorted(setup.forced):
        take(gi, groups[gi].lower)
    candidates = [gi for gi in range(len(groups)) if gi not in setup.blocked]
    for gi in sorted(candidates, key=lambda gi: -score(gi)):
        g = groups[gi]
        value = min(g.upper, x[gi] + room(gi))
        if gi in setup.forced or (value >= g.lower and value > 0):
            take(gi, max(x[gi], value))
    return x


def _objective(problem: PlanProblem, coef: list[GroupCoefficients], x: list[float]) -> float:
    totals: dict[int, float] = {}
    for gi, c in enumerate(coef):
        if x[gi] > 0:
            for r, v in c.covers.items():
                totals[r] = totals.get(r, 0.0) + v * x[gi]
    return sum(problem.requirements[r].priority_weight * min(1.0, t) for r, t in totals.items())


def _report(
    problem: PlanProblem,
    setup: _Setup,
    x: list[float],
    chosen: list[bool],
    status: PlanStatus,
    bound: float,
    seconds: float,
) -> PlanSolution:
    fte: dict[str, float] = {}
    picked: list[ChosenAssignment] = []
    for gi, g in enumerate(setup.groups):
        if not chosen[gi]:
            continue
        for m, mult in zip(g.members, g.multipliers, strict=True):
            a = problem.assignments[m]
            f = fte[a.id] = mult * x[gi]
            per_skill = {code: share * f for code, share in a.skill_mix.items() if share > 0}
            cost = a.cost_meur_per_fte * f
            picked.append(ChosenAssignment(a.id, a.title, f, per_skill, cost, gi in setup.forced))
    order = {a.id: i for i, a in enumerate(problem.assignments)}
    picked.sort(key=lambda c: order[c.id])

    coverage: dict[str, float] = {}
    covered_by: dict[str, list[str]] = {}
    for a in problem.assignments:
        f = fte.get(a.id, 0.0)
        for rid, frac in a.covers.items():
            if f > 0 and frac > 0:
                coverage[rid] = coverage.get(rid, 0.0) + frac * f / a.max_fte
                covered_by.setdefault(rid, []).append(a.id)
    requirements = []
    objective = 0.0
    for r in problem.requirements:
        cov = min(1.0, coverage.get(r.id, 0.0))
        objective += r.priority_weight * cov
        by = tuple(covered_by.get(r.id, ()))
        requirements.append(
            RequirementCoverage(
                r.id, r.theme, r.ministry, r.priority_weight, cov, classify(cov), by
            )
        )

    used = {s.code: 0.0 for s in problem.skills}
    for c in picked:
        for code, amount in c.fte_per_skill.items():
            used[code] += amount
    skills = tuple(_use(s.code, used[s.code], s.fte_available) for s in problem.skills)
    budget = _use(BUDGET, math.fsum(c.cost_meur for c in picked), problem.budget_meur)
    if math.isnan(bound):  # the greedy baseline proves nothing
        gap = math.nan
    elif bound - objective <= 1e-9:
        gap = 0.0
    else:
        gap = (bound - objective) / max(abs(objective), 1e-9)
    return PlanSolution(
        status=status,
        objective=objective,
        best_bound=bound,
        gap=gap,
        solve_seconds=seconds,
        marginal_seconds=0.0,
        chosen=tuple(picked),
        requirements=tuple(requirements),
        skills=skills,
        budget=budget,
    )


def _use(resource: str, used: float, available: float) -> ResourceUse:
    return ResourceUse(resource, used, available, binding=available - used < BINDING_SLACK)
