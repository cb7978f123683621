"""Input and output shapes of the jaarplan optimiser (see ``optimiser``).

Everything is a frozen dataclass of plain values so a service can build a problem from
database rows and hand the result to a template or the API without touching HiGHS.
Message ids (``code`` fields) are English and stable; the numbers travel as fields so
the UI can translate and format them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

BUDGET = "budget"
"""Resource name of the budget in ``ResourceUse``, ``MarginalValue`` and reasons."""


# --- input -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Skill:
    """A pool of people with one skill, in FTE available for the plan year."""

    code: str
    fte_available: float


@dataclass(frozen=True)
class Requirement:
    """A behoefte from the GA I&V, weighted by its priority."""

    id: str
    priority_weight: float
    theme: str
    ministry: str


@dataclass(frozen=True)
class Assignment:
    """An onderzoeksopdracht that can be put in the jaarplan.

    ``covers[r]`` is the fraction of requirement ``r`` delivered at ``max_fte``; it scales
    linearly with the FTE. When chosen the assignment runs at ``min_fte..max_fte``.
    ``joint_with``/``joint_share``: a joint AIVD–MIVD assignment; choosing one chooses the
    partner, and the partner's FTE is exactly ``joint_share`` × this FTE.
    """

    id: str
    title: str
    theme: str
    min_fte: float
    max_fte: float
    skill_mix: Mapping[str, float]
    cost_meur_per_fte: float
    covers: Mapping[str, float]
    mandatory: bool = False
    joint_with: str | None = None
    joint_share: float = 1.0


@dataclass(frozen=True)
class PlanProblem:
    skills: tuple[Skill, ...]
    budget_meur: float
    requirements: tuple[Requirement, ...]
    assignments: tuple[Assignment, ...]
    pins: frozenset[str] = frozenset()
    excludes: frozenset[str] = frozenset()


@dataclass(frozen=True)
class FieldError:
    """One bad input value: ``field`` is a path such as ``assignments[3].skill_mix.cyber``."""

    field: str
    code: str
    message: str


class PlanInputError(ValueError):
    """The problem is malformed; nothing was solved."""

    def __init__(self, errors: tuple[FieldError, ...]) -> None:
        self.errors = errors
        super().__init__("; ".join(f"{e.field}: {e.message}" for e in errors))


# --- output ------------------------------------------------------------------------------


class PlanStatus(StrEnum):
    OPTIMAL = "optimal"  # proven optimal (gap ~ 0)
    GAP = "gap"  # within the requested relative gap (default 0.1%)
    TIME_LIMIT = "time_limit"  # stopped by the time limit; the best plan found so far
    INFEASIBLE = "infeasible"
    HEURISTIC = "heuristic"  # the greedy baseline: no bound, no proof


class Dekking(StrEnum):
    """The "scherpe keuzes": how far the plan covers a requirement."""

    GEDEKT = "gedekt"
    DEELS_GEDEKT = "deels gedekt"
    NIET_GEDEKT = "niet gedekt"


GEDEKT_FROM = 0.999
NIET_GEDEKT_BELOW = 0.001


def classify(coverage: float) -> Dekking:
    if coverage >= GEDEKT_FROM:
        return Dekking.GEDEKT
    if coverage < NIET_GEDEKT_BELOW:
        return Dekking.NIET_GEDEKT
    return Dekking.DEELS_GEDEKT


@dataclass(frozen=True)
class ChosenAssignment:
    id: str
    title: str
    fte: float
    fte_per_skill: Mapping[str, float]
    cost_meur: float
    forced: bool  # mandatory, pinned, or the joint partner of one of those


@dataclass(frozen=True)
class RequirementCoverage:
    id: str
    theme: str
    ministry: str
    weight: float
    coverage: float  # 0..1
    dekking: Dekking
    covered_by: tuple[str, ...]  # chosen assignments contributing to it


@dataclass(frozen=True)
class ResourceUse:
    resource: str  # a skill code, or BUDGET
    used: float
    available: float
    binding: bool  # slack below 1e-6

    @property
    def slack(self) -> float:
        return self.available - self.used


@dataclass(frozen=True)
class MarginalValue:
    """Objective gain of one more FTE of a skill, or one more million euro.

    Found by re-solving from the current plan with that capacity raised: first with the
    same assignments (an LP), then the full MILP, which may change the portfolio.
    ``gain`` is the better of the two minus this plan's objective, so never negative;
    ``gain_upper`` is the MILP re-solve's proven bound minus this plan's objective. They
    agree when both solves are proven optimal; within the 0.1% gap the true value lies
    between them (gain can also include plain improvement the gap left open).
    A resource is re-solved (``resolved``) when it binds, or when one more unit could
    let an unchosen assignment reach its ``min_fte``; otherwise its value is 0.
    """

    resource: str
    gain: float
    gain_upper: float
    resolved: bool
    seconds: float


@dataclass(frozen=True)
class PlanSolution:
    status: PlanStatus
    objective: float  # Σ weight × coverage of this plan, without the tie-break
    best_bound: float  # proven upper bound on the objective; NaN for the greedy baseline
    gap: float  # relative: (best_bound - objective) / objective; NaN for greedy
    solve_seconds: float  # the main solve only
    marginal_seconds: float  # all marginal-value re-solves together
    chosen: tuple[ChosenAssignment, ...]
    requirements: tuple[RequirementCoverage, ...]
    skills: tuple[ResourceUse, ...]
    budget: ResourceUse
    marginal_values: tuple[MarginalValue, ...] = field(default=())

    def coverage(self, requirement_id: str) -> float:
        for r in self.requirements:
            if r.id == requirement_id:
                return r.coverage
        raise KeyError(requirement_id)

    def fte(self, assignment_id: str) -> float:
        """FTE of an assignment in the plan, 0 when it is not chosen."""
        return next((c.fte for c in self.chosen if c.id == assignment_id), 0.0)

    def marginal(self, resource: str) -> MarginalValue:
        for m in self.marginal_values:
            if m.resource == resource:
                return m
        raise KeyError(resource)


@dataclass(frozen=True)
class InfeasibilityReason:
    """Why no plan exists, for the UI to translate by ``code``.

    Codes: ``skill_over_capacity`` (subject = skill), ``budget_exceeded`` (subject =
    BUDGET): ``required`` is what the forced assignments need at their minimum viable
    effort, ``available`` the capacity. ``forced_but_excluded`` (subject = assignment):
    an excluded assignment is mandatory, pinned or joint with one. ``joint_range_empty``
    (subject = assignment): its joint share makes min/max FTE of the pair incompatible,
    yet it is forced. ``constraint_conflict`` (subject = a model row, from HiGHS's IIS):
    the fallback when none of the above explains it.
    """

    code: str
    subject: str
    required: float | None = None
    available: float | None = None
    assignments: tuple[str, ...] = ()


@dataclass(frozen=True)
class Infeasible:
    reasons: tuple[InfeasibilityReason, ...]
    status: PlanStatus = PlanStatus.INFEASIBLE
