"""Input validation and joint groups for the jaarplan optimiser."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from baken.steering.optimiser_types import Assignment, FieldError, PlanProblem

SUM_TOLERANCE = 1e-6

_Err = Callable[[str, str, str], None]  # (field path, code, message)


def _finite(value: float) -> bool:
    return isinstance(value, int | float) and math.isfinite(value)


def _duplicates(ids: Iterable[str]) -> set[str]:
    seen: set[str] = set()
    dups: set[str] = set()
    for i in ids:
        (dups if i in seen else seen).add(i)
    return dups


def validate(problem: PlanProblem) -> list[FieldError]:
    """Every field-level error in ``problem``; empty when it can be solved."""
    errors: list[FieldError] = []

    def err(path: str, code: str, message: str) -> None:
        errors.append(FieldError(path, code, message))

    if not _finite(problem.budget_meur) or problem.budget_meur < 0:
        err("budget_meur", "negative_or_not_finite", "budget must be a finite number >= 0")

    skill_codes = {s.code for s in problem.skills}
    for code in sorted(_duplicates(s.code for s in problem.skills)):
        err("skills", "duplicate_id", f"skill {code!r} appears more than once")
    for i, s in enumerate(problem.skills):
        if not _finite(s.fte_available) or s.fte_available < 0:
            err(f"skills[{i}].fte_available", "negative_or_not_finite", "must be >= 0")

    requirement_ids = {r.id for r in problem.requirements}
    for rid in sorted(_duplicates(r.id for r in problem.requirements)):
        err("requirements", "duplicate_id", f"requirement {rid!r} appears more than once")
    for i, r in enumerate(problem.requirements):
        if not _finite(r.priority_weight) or r.priority_weight < 0:
            err(f"requirements[{i}].priority_weight", "negative_or_not_finite", "must be >= 0")

    by_id = {a.id: a for a in problem.assignments}
    for aid in sorted(_duplicates(a.id for a in problem.assignments)):
        err("assignments", "duplicate_id", f"assignment {aid!r} appears more than once")
    for i, a in enumerate(problem.assignments):
        _validate_assignment(f"assignments[{i}]", a, skill_codes, requirement_ids, by_id, err)
    _validate_joint_cycles(problem.assignments, err)

    for name, ids in (("pins", problem.pins), ("excludes", problem.excludes)):
        for aid in sorted(ids - by_id.keys()):
            err(f"{name}.{aid}", "unknown_assignment", f"no assignment {aid!r}")
    for aid in sorted(problem.pins & problem.excludes):
        err(f"pins.{aid}", "pinned_and_excluded", f"{aid!r} is both pinned and excluded")
    return errors


def _validate_assignment(
    path: str,
    a: Assignment,
    skill_codes: set[str],
    requirement_ids: set[str],
    by_id: dict[str, Assignment],
    err: _Err,
) -> None:
    if not _finite(a.min_fte) or a.min_fte < 0:
        err(f"{path}.min_fte", "negative_or_not_finite", "must be >= 0")
    if not _finite(a.max_fte) or a.max_fte <= 0:
        err(f"{path}.max_fte", "not_positive", "must be > 0")
    elif _finite(a.min_fte) and a.min_fte > a.max_fte:
        err(f"{path}.min_fte", "min_above_max", "min_fte is above max_fte")
    if not _finite(a.cost_meur_per_fte) or a.cost_meur_per_fte < 0:
        err(f"{path}.cost_meur_per_fte", "negative_or_not_finite", "must be >= 0")

    for code, share in a.skill_mix.items():
        if code not in skill_codes:
            err(f"{path}.skill_mix.{code}", "unknown_skill", f"no skill {code!r}")
        if not _finite(share) or not 0 <= share <= 1:
            err(f"{path}.skill_mix.{code}", "fraction_out_of_range", "must be in [0, 1]")
    total = sum(v for v in a.skill_mix.values() if _finite(v))
    if abs(total - 1) > SUM_TOLERANCE:
        err(f"{path}.skill_mix", "mix_not_one", f"fractions sum to {total:g}, not 1")

    for rid, frac in a.covers.items():
        if rid not in requirement_ids:
            err(f"{path}.covers.{rid}", "unknown_requirement", f"no requirement {rid!r}")
        if not _finite(frac) or not 0 <= frac <= 1:
            err(f"{path}.covers.{rid}", "fraction_out_of_range", "must be in [0, 1]")

    if a.joint_with is None:
        return
    partner = by_id.get(a.joint_with)
    if a.joint_with == a.id:
        err(f"{path}.joint_with", "self_link", "an assignment cannot be joint with itself")
    elif partner is None:
        err(f"{path}.joint_with", "unknown_assignment", f"no assignment {a.joint_with!r}")
    if not _finite(a.joint_share) or a.joint_share <= 0:
        err(f"{path}.joint_share", "not_positive", "must be > 0")
    elif (
        partner is not None
        and partner.joint_with == a.id
        and _finite(partner.joint_share)
        and abs(a.joint_share * partner.joint_share - 1) > SUM_TOLERANCE
    ):
        err(
            f"{path}.joint_share",
            "joint_share_inconsistent",
            f"linked both ways with {partner.id!r}: the two shares must multiply to 1",
        )


def _validate_joint_cycles(assignments: tuple[Assignment, ...], err: _Err) -> None:
    """Joint links form a functional graph; only 2-cycles (a mutual pair) are allowed."""
    index = {a.id: i for i, a in enumerate(assignments)}
    link = {a.id: a.joint_with for a in assignments if a.joint_with in index}
    reported: set[str] = set()
    for start in link:
        path: list[str] = []
        node: str | None = start
        while node is not None and node in link and node not in path:
            path.append(node)
            node = link[node]
        if node is None or node not in path:
            continue
        cycle = path[path.index(node) :]
        if len(cycle) > 2 and not reported & set(cycle):
            reported |= set(cycle)
            first = min(cycle, key=index.__getitem__)
            err(
                f"assignments[{index[first]}].joint_with",
                "joint_cycle",
                "joint links form a cycle: " + " -> ".join([*cycle, cycle[0]]),
            )


@dataclass(frozen=True)
class JointGroup:
    """Assignments that are chosen together, with FTE_a = multiplier_a × x.

    ``x`` is the FTE of the first member. ``lower``/``upper`` bound ``x`` so every member
    stays within its own min/max; ``lower > upper`` means the group can never run.
    """

    members: tuple[int, ...]  # indices into problem.assignments, in input order
    multipliers: tuple[float, ...]
    lower: float
    upper: float


def joint_groups(problem: PlanProblem) -> list[JointGroup]:
    """Partition a *valid* problem's assignments into joint groups (singletons mostly)."""
    assignments = problem.assignments
    index = {a.id: i for i, a in enumerate(assignments)}
    # Undirected edges carrying the factor fte[j] = factor × fte[i].
    edges: dict[int, list[tuple[int, float]]] = {i: [] for i in range(len(assignments))}
    for i, a in enumerate(assignments):
        if a.joint_with is not None:
            j = index[a.joint_with]
            edges[i].append((j, a.joint_share))
            edges[j].append((i, 1 / a.joint_share))
    seen: set[int] = set()
    groups: list[JointGroup] = []
    for root in range(len(assignments)):
        if root in seen:
            continue
        mult = {root: 1.0}
        stack = [root]
        while stack:
            i = stack.pop()
            for j, factor in edges[i]:
                if j not in mult:
                    mult[j] = mult[i] * factor
                    stack.append(j)
        seen |= mult.keys()
        members = tuple(sorted(mult))
        groups.append(
            JointGroup(
                members=members,
                multipliers=tuple(mult[m] for m in members),
                lower=max(assignments[m].min_fte / mult[m] for m in members),
                upper=min(assignments[m].max_fte / mult[m] for m in members),
            )
        )
    return groups
