"""The jaarplan MILP in HiGHS: build, solve, re-solve with a capacity raised, IIS.

Columns, per joint group g (see ``optimiser_validate.JointGroup``; FTE of member a is
``multiplier_a × x_g``): ``x_g`` continuous, and a binary ``y_g`` only where a choice
with a minimum viable effort is left (group neither forced nor excluded, lower > 0).
Forced groups get ``x_g ∈ [lower, upper]`` without a binary; groups with lower = 0
get ``x_g ∈ [0, upper]`` and count as chosen when ``x_g > 0``; blocked groups get no
columns. Per requirement r with a positive weight and a cover, ``c_r ∈ [0, 1]``. Rows::

    x_g - upper·y_g <= 0,  x_g - lower·y_g >= 0      (semi-continuous FTE)
    Σ_g skill_gs · x_g <= fte_available_s            (one row per skill)
    Σ_g cost_g · x_g <= budget_meur
    c_r - Σ_g cover_gr · x_g <= 0                    (coverage; c_r <= 1 by its bound)
    Σ_r weight_r · c_r >= floor                      (free, except in the tie-break)

    maximise Σ_r weight_r · c_r

The tie-break is lexicographic, not a penalty: with the portfolio fixed, an LP
minimises effort (FTE plus cost) subject to the coverage found (``use_effort``).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import highspy
from highspy._core import _Highs  # highspy.Highs() prints a banner and hooks callbacks

from baken.steering.optimiser_types import BUDGET, PlanProblem
from baken.steering.optimiser_validate import JointGroup

_INF = highspy.kHighsInf


@dataclass(frozen=True)
class GroupCoefficients:
    """Per joint group, everything per unit of ``x_g``."""

    skills: dict[int, float]  # skill index -> FTE of that skill
    cost: float  # million euro
    covers: dict[int, float]  # requirement index -> coverage fraction


def coefficients(problem: PlanProblem, groups: list[JointGroup]) -> list[GroupCoefficients]:
    skill_index = {s.code: i for i, s in enumerate(problem.skills)}
    req_index = {r.id: i for i, r in enumerate(problem.requirements)}
    out: list[GroupCoefficients] = []
    for g in groups:
        skills: dict[int, float] = {}
        covers: dict[int, float] = {}
        cost = 0.0
        for m, mult in zip(g.members, g.multipliers, strict=True):
            a = problem.assignments[m]
            cost += mult * a.cost_meur_per_fte
            for code, share in a.skill_mix.items():
                if share > 0:
                    s = skill_index[code]
                    skills[s] = skills.get(s, 0.0) + mult * share
            for rid, frac in a.covers.items():
                if frac > 0:
                    r = req_index[rid]
                    covers[r] = covers.get(r, 0.0) + mult * frac / a.max_fte
        out.append(GroupCoefficients(skills, cost, covers))
    return out


def effort(problem: PlanProblem, coef: list[GroupCoefficients]) -> list[float]:
    """What the tie-break minimises per unit x_g: its FTE plus its cost in "mean FTE"."""
    costs = [a.cost_meur_per_fte for a in problem.assignments if a.cost_meur_per_fte > 0]
    mean_cost = sum(costs) / len(costs) if costs else 0.0
    return [sum(c.skills.values()) + (c.cost / mean_cost if mean_cost > 0 else 0.0) for c in coef]


@dataclass(frozen=True)
class SolveOutcome:
    status: highspy.HighsModelStatus
    x: list[float]  # per group; 0 for groups not chosen or not in the model
    chosen: list[bool]  # per group
    dual_bound: float  # proven upper bound on the coverage objective (MILP runs)
    proven: bool  # optimal to HiGHS's tolerances, not just within mip_rel_gap
    seconds: float


class _Columns:
    """Column-wise assembly of the model, with a name per row and column for the IIS."""

    def __init__(self) -> None:
        self.entries: list[list[tuple[int, float]]] = []
        self.cost: list[float] = []
        self.lower: list[float] = []
        self.upper: list[float] = []
        self.integer: list[bool] = []
        self.names: list[str] = []
        self.row_lower: list[float] = []
        self.row_upper: list[float] = []
        self.row_names: list[str] = []

    def col(self, name: str, cost: float, lo: float, hi: float, integer: bool = False) -> int:
        self.entries.append([])
        self.cost.append(cost)
        self.lower.append(lo)
        self.upper.append(hi)
        self.integer.append(integer)
        self.names.append(name)
        return len(self.entries) - 1

    def row(self, name: str, lo: float, hi: float, terms: list[tuple[int, float]]) -> int:
        row = len(self.row_lower)
        self.row_lower.append(lo)
        self.row_upper.append(hi)
        self.row_names.append(name)
        for col, value in terms:
            self.entries[col].append((row, value))
        return row

    def lp(self) -> highspy.HighsLp:
        starts, index, value = [0], [], []
        for entries in self.entries:
            for row, v in entries:
                index.append(row)
                value.append(v)
            starts.append(len(index))
        lp = highspy.HighsLp()
        lp.num_col_ = len(self.entries)
        lp.num_row_ = len(self.row_lower)
        lp.col_cost_ = self.cost
        lp.col_lower_ = self.lower
        lp.col_upper_ = self.upper
        lp.row_lower_ = self.row_lower
        lp.row_upper_ = self.row_upper
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_ = starts
        lp.a_matrix_.index_ = index
        lp.a_matrix_.value_ = value
        lp.sense_ = highspy.ObjSense.kMaximize
        kinds = highspy.HighsVarType
        lp.integrality_ = [kinds.kInteger if i else kinds.kContinuous for i in self.integer]
        return lp


class Milp:
    """One HiGHS model of a problem, re-solvable with choices fixed or a capacity changed."""

    def __init__(
        self,
        problem: PlanProblem,
        groups: list[JointGroup],
        coef: list[GroupCoefficients],
        *,
        forced: set[int],
        blocked: set[int],
    ) -> None:
        self.groups = groups
        self.coef = coef
        self.forced = forced
        m = self._m = _Columns()
        self.x_col: dict[int, int] = {}
        self.y_col: dict[int, int] = {}
        for gi, g in enumerate(groups):
            if gi in blocked:
                continue
            first = problem.assignments[g.members[0]].id
            if gi in forced:
                self.x_col[gi] = m.col(f"fte:{first}", 0.0, g.lower, g.upper)
            elif g.lower > 0:
                x = self.x_col[gi] = m.col(f"fte:{first}", 0.0, 0.0, g.upper)
                y = self.y_col[gi] = m.col(f"choose:{first}", 0.0, 0.0, 1.0, integer=True)
                m.row(f"max_fte:{first}", -_INF, 0.0, [(x, 1.0), (y, -g.upper)])
                m.row(f"min_fte:{first}", 0.0, _INF, [(x, 1.0), (y, -g.lower)])
            else:
                self.x_col[gi] = m.col(f"fte:{first}", 0.0, 0.0, g.upper)

        self.capacity_row: dict[str, int] = {}
        for s, skill in enumerate(problem.skills):
            terms = [(col, coef[gi].skills.get(s, 0.0)) for gi, col in self.x_col.items()]
            self.capacity_row[skill.code] = m.row(
                f"skill:{skill.code}", -_INF, skill.fte_available, [t for t in terms if t[1]]
            )
        money = [(col, coef[gi].cost) for gi, col in self.x_col.items() if coef[gi].cost > 0]
        self.capacity_row[BUDGET] = m.row(BUDGET, -_INF, problem.budget_meur, money)

        covering: dict[int, list[tuple[int, float]]] = {}
        for gi, col in self.x_col.items():
            for r, v in coef[gi].covers.items():
                covering.setdefault(r, []).append((col, -v))
        self.coverage_col: dict[int, int] = {}  # column -> requirement index
        for r, terms in sorted(covering.items()):
            req = problem.requirements[r]
            if req.priority_weight > 0:
                c = m.col(f"coverage:{req.id}", req.priority_weight, 0.0, 1.0)
                self.coverage_col[c] = r
                m.row(f"coverage:{req.id}", -_INF, 0.0, [(c, 1.0), *terms])
        self.floor_row = m.row(
            "coverage_floor", -_INF, _INF, [(c, m.cost[c]) for c in self.coverage_col]
        )

        per_unit = effort(problem, coef)
        self._coverage_cost = list(m.cost)
        self._effort_cost = [0.0] * len(m.cost)
        for gi, col in self.x_col.items():
            self._effort_cost[col] = -per_unit[gi]  # the sense stays "maximise"
        self.highs = _Highs()
        self.highs.setOptionValue("output_flag", False)
        # Measured on the benchmark instances (ADR 0005): this root heuristic costs more
        # time than it saves here; RINS/RENS find the good plans.
        self.highs.setOptionValue("mip_heuristic_run_root_reduced_cost", False)
        self.highs.setOptionValue("mip_abs_gap", 1e-7)
        self.highs.passModel(m.lp())

    def set_options(self, *, time_limit: float, mip_rel_gap: float) -> None:
        self.highs.setOptionValue("time_limit", float(time_limit))
        self.highs.setOptionValue("mip_rel_gap", float(mip_rel_gap))

    def start_from(self, x: list[float]) -> None:
        """Give HiGHS a feasible plan (x per group) to start from."""
        values = [0.0] * len(self._m.cost)
        for gi, col in self.x_col.items():
            values[col] = x[gi]
        for gi, col in self.y_col.items():
            values[col] = 1.0 if x[gi] > 0 else 0.0
        totals: dict[int, float] = {}
        for gi in self.x_col:
            for r, v in self.coef[gi].covers.items():
                totals[r] = totals.get(r, 0.0) + v * x[gi]
        for col, r in self.coverage_col.items():
            values[col] = min(1.0, totals.get(r, 0.0))
        sol = highspy.HighsSolution()
        sol.col_value = values
        self.highs.setSolution(sol)

    def run(self) -> SolveOutcome:
        t0 = time.perf_counter()
        self.highs.run()
        seconds = time.perf_counter() - t0
        status = self.highs.getModelStatus()
        info = self.highs.getInfo()
        sol = self.highs.getSolution()
        x = [0.0] * len(self.groups)
        chosen = [False] * len(self.groups)
        if sol.value_valid:
            values = sol.col_value
            for gi, col in self.x_col.items():
                y = self.y_col.get(gi)
                if gi in self.forced:
                    chosen[gi] = True
                elif y is not None:
                    chosen[gi] = values[y] > 0.5
                else:
                    chosen[gi] = values[col] > 1e-9
                x[gi] = max(0.0, values[col]) if chosen[gi] else 0.0
        bound = info.mip_dual_bound if math.isfinite(info.mip_dual_bound) else _INF
        # The relative gap is undefined at objective 0; compare absolutely there.
        proven = info.mip_gap <= 1e-6 or bound - info.objective_function_value <= 1e-9
        return SolveOutcome(status, x, chosen, bound, proven, seconds)

    def fix_choices(self, chosen: list[bool]) -> None:
        """Keep the portfolio: only the FTE of the chosen groups can move (an LP)."""
        for gi, col in self.x_col.items():
            y = self.y_col.get(gi)
            if y is not None:
                self.highs.changeColBounds(y, float(chosen[gi]), float(chosen[gi]))
            elif gi not in self.forced:
                upper = self._m.upper[col] if chosen[gi] else 0.0
                self.highs.changeColBounds(col, 0.0, upper)

    def free_choices(self) -> None:
        for gi, col in self.x_col.items():
            self.highs.changeColBounds(col, self._m.lower[col], self._m.upper[col])
            y = self.y_col.get(gi)
            if y is not None:
                self.highs.changeColBounds(y, 0.0, 1.0)

    def use_effort(self, floor: float) -> None:
        """Minimise effort subject to Σ weight·coverage >= floor (the tie-break)."""
        self._set_costs(self._effort_cost)
        self.highs.changeRowBounds(self.floor_row, floor, _INF)

    def use_coverage(self) -> None:
        self._set_costs(self._coverage_cost)
        self.highs.changeRowBounds(self.floor_row, -_INF, _INF)

    def _set_costs(self, costs: list[float]) -> None:
        self.highs.changeColsCost(len(costs), list(range(len(costs))), costs)

    def set_capacity(self, resource: str, value: float) -> None:
        """Change a skill's FTE (or the budget, resource BUDGET) for the next run."""
        self.highs.changeRowBounds(self.capacity_row[resource], -_INF, value)

    def conflict(self) -> list[str]:
        """Names of the rows and column bounds in HiGHS's IIS of an infeasible model."""
        status, iis = self.highs.getIis()
        if status == highspy.HighsStatus.kError or not iis.valid_:
            return []
        rows = [self._m.row_names[i] for i in iis.row_index_]
        return rows + [self._m.names[j] for j in iis.col_index_]
