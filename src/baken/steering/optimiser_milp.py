"""The jaarplan MILP in HiGHS: build, solve, re-solve with a capacity raised, IIS.

Columns, per joint group g (see ``optimiser_validate.JointGroup``; FTE of member a is
``multiplier_a × x_g``): ``x_g`` continuous, and a binary ``y_g`` only where a choice
with a minimum viable effort is left (group neither forced nor excluded, lower > 0).
Forced groups get ``x_g ∈ [lower, upper]`` without a binary; groups with lower = 0
get ``x_g ∈ [0, upper]`` and count as chosen when ``x_g > 0``. Per requirement r with
a positive weight and at least one cover, ``c_r ∈ [0, 1]``. Rows::

    x_g - upper·y_g <= 0,  x_g - lower·y_g >= 0      (semi-continuous FTE)
    Σ_g skill_gs · x_g <= fte_available_s            (one row per skill)
    Σ_g cost_g · x_g <= budget_meur
    c_r - Σ_g cover_gr · x_g <= 0                    (coverage, capped at 1 by c_r's bound)

    maximise Σ_r weight_r · c_r - Σ_g tie_g · x_g
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import highspy
from highspy._core import _Highs  # the plain solver: highspy.Highs prints a banner

from baken.steering.optimiser_types import BUDGET, PlanProblem
from baken.steering.optimiser_validate import JointGroup

TIE_BREAK = 1e-6
"""Penalty per FTE, in units of the mean requirement weight: see ``tie_break``."""

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


def tie_break(problem: PlanProblem, coef: list[GroupCoefficients]) -> list[float]:
    """Penalty per unit x_g: half for its FTE, half for its cost relative to the mean.

    Without it, FTE that adds no coverage (a requirement already at 1) is placed
    arbitrarily. At 1e-6 × the mean weight per FTE it stays above HiGHS's dual
    tolerance (1e-7) and far below the 0.1% gap, so it never buys coverage away.
    """
    weights = [r.priority_weight for r in problem.requirements if r.priority_weight > 0]
    mean_w = sum(weights) / len(weights) if weights else 1.0
    costs = [a.cost_meur_per_fte for a in problem.assignments if a.cost_meur_per_fte > 0]
    mean_c = sum(costs) / len(costs) if costs else 0.0
    out = []
    for c in coef:
        fte = sum(c.skills.values())
        rel_cost = c.cost / mean_c if mean_c > 0 else fte
        out.append(TIE_BREAK * mean_w * (fte + rel_cost) / 2)
    return out


@dataclass(frozen=True)
class SolveOutcome:
    status: highspy.HighsModelStatus
    x: list[float]  # per group; 0 for groups not in the model
    chosen: list[bool]  # per group
    dual_bound: float  # on the penalised objective
    mip_gap: float
    seconds: float


class Milp:
    """One HiGHS model of a problem; re-solvable with one capacity changed."""

    def __init__(
        self,
        problem: PlanProblem,
        groups: list[JointGroup],
        coef: list[GroupCoefficients],
        *,
        forced: set[int],
        blocked: set[int],
    ) -> None:
        self.problem = problem
        self.groups = groups
        self.forced = forced
        self.row_names: list[str] = []
        cols: list[list[tuple[int, float]]] = []  # column -> (row, value)
        cost: list[float] = []
        lower: list[float] = []
        upper: list[float] = []
        integer: list[bool] = []
        row_lo: list[float] = []
        row_hi: list[float] = []

        self.col_names: list[str] = []

        def add_col(name: str, c: float, lo: float, hi: float, is_int: bool) -> int:
            self.col_names.append(name)
            cols.append([])
            cost.append(c)
            lower.append(lo)
            upper.append(hi)
            integer.append(is_int)
            return len(cols) - 1

        def add_row(name: str, lo: float, hi: float, entries: list[tuple[int, float]]) -> int:
            row = len(row_lo)
            self.row_names.append(name)
            row_lo.append(lo)
            row_hi.append(hi)
            for col, value in entries:
                cols[col].append((row, value))
            return row

        penalty = tie_break(problem, coef)
        self.x_col: dict[int, int] = {}
        self.y_col: dict[int, int] = {}
        for gi, g in enumerate(groups):
            if gi in blocked:
                continue
            first = problem.assignments[g.members[0]].id
            if gi in forced:
                self.x_col[gi] = add_col(f"fte:{first}", -penalty[gi], g.lower, g.upper, False)
            elif g.lower > 0:
                x = self.x_col[gi] = add_col(f"fte:{first}", -penalty[gi], 0.0, g.upper, False)
                y = self.y_col[gi] = add_col(f"choose:{first}", 0.0, 0.0, 1.0, True)
                add_row(f"max_fte:{first}", -_INF, 0.0, [(x, 1.0), (y, -g.upper)])
                add_row(f"min_fte:{first}", 0.0, _INF, [(x, 1.0), (y, -g.lower)])
            else:
                self.x_col[gi] = add_col(f"fte:{first}", -penalty[gi], 0.0, g.upper, False)

        self.capacity_row: dict[str, int] = {}
        for s, skill in enumerate(problem.skills):
            entries = [
                (col, coef[gi].skills[s]) for gi, col in self.x_col.items() if s in coef[gi].skills
            ]
            self.capacity_row[skill.code] = add_row(
                f"skill:{skill.code}", -_INF, skill.fte_available, entries
            )
        budget = [(col, coef[gi].cost) for gi, col in self.x_col.items() if coef[gi].cost > 0]
        self.capacity_row[BUDGET] = add_row(BUDGET, -_INF, problem.budget_meur, budget)

        covering: dict[int, list[tuple[int, float]]] = {}
        for gi, col in self.x_col.items():
            for r, v in coef[gi].covers.items():
                covering.setdefault(r, []).append((col, -v))
        self.coverage_col: dict[int, int] = {}  # column -> requirement index
        for r, entries in sorted(covering.items()):
            req = problem.requirements[r]
            if req.priority_weight > 0:
                cov = add_col(f"coverage:{req.id}", req.priority_weight, 0.0, 1.0, False)
                self.coverage_col[cov] = r
                add_row(f"coverage:{req.id}", -_INF, 0.0, [(cov, 1.0), *entries])

        starts, index, value = [0], [], []
        for entries in cols:
            for row, v in entries:
                index.append(row)
                value.append(v)
            starts.append(len(index))
        lp = highspy.HighsLp()
        lp.num_col_ = len(cols)
        lp.num_row_ = len(row_lo)
        lp.col_cost_ = cost
        lp.col_lower_ = lower
        lp.col_upper_ = upper
        lp.row_lower_ = row_lo
        lp.row_upper_ = row_hi
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_ = starts
        lp.a_matrix_.index_ = index
        lp.a_matrix_.value_ = value
        lp.sense_ = highspy.ObjSense.kMaximize
        kinds = highspy.HighsVarType
        lp.integrality_ = [kinds.kInteger if i else kinds.kContinuous for i in integer]
        self.num_col = len(cols)
        self.penalty = penalty
        self.coef = coef
        self.highs = _Highs()
        self.highs.setOptionValue("output_flag", False)
        # Measured on the benchmark instances (ADR 0005): this root heuristic costs more
        # time than it saves here; RENS/RINS find the good plans.
        self.highs.setOptionValue("mip_heuristic_run_root_reduced_cost", False)
        self.highs.passModel(lp)
        self.max_penalty = sum(penalty[gi] * groups[gi].upper for gi in self.x_col)
        self._bounds = (lower, upper)

    def set_options(self, *, time_limit: float, mip_rel_gap: float) -> None:
        self.highs.setOptionValue("time_limit", float(time_limit))
        self.highs.setOptionValue("mip_rel_gap", float(mip_rel_gap))

    def start_from(self, x: list[float]) -> None:
        """Give HiGHS a feasible plan (x per group) to start from."""
        values = [0.0] * self.num_col
        for gi, col in self.x_col.items():
            values[col] = x[gi]
        for gi, col in self.y_col.items():
            values[col] = 1.0 if x[gi] > 0 else 0.0
        cov = self._coverage_of(x)
        for col, r in self.coverage_col.items():
            values[col] = cov.get(r, 0.0)
        sol = highspy.HighsSolution()
        sol.col_value = values
        self.highs.setSolution(sol)

    def _coverage_of(self, x: list[float]) -> dict[int, float]:
        totals: dict[int, float] = {}
        for gi, c in enumerate(self.coef):
            if x[gi] > 0:
                for r, v in c.covers.items():
                    totals[r] = totals.get(r, 0.0) + v * x[gi]
        return {r: min(1.0, t) for r, t in totals.items()}

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
                x[gi] = max(0.0, values[col])
                y = self.y_col.get(gi)
                if gi in self.forced:
                    chosen[gi] = True
                elif y is not None:
                    chosen[gi] = values[y] > 0.5
                else:
                    chosen[gi] = x[gi] > 1e-9
                if not chosen[gi]:
                    x[gi] = 0.0
        bound = info.mip_dual_bound if math.isfinite(info.mip_dual_bound) else _INF
        return SolveOutcome(status, x, chosen, bound, info.mip_gap, seconds)

    def fix_choices(self, chosen: list[bool]) -> None:
        """Keep the portfolio: only the FTE of the chosen groups can move (an LP)."""
        for gi, col in self.x_col.items():
            y = self.y_col.get(gi)
            if y is not None:
                self.highs.changeColBounds(y, float(chosen[gi]), float(chosen[gi]))
            elif gi not in self.forced and not chosen[gi]:
                self.highs.changeColBounds(col, 0.0, 0.0)

    def free_choices(self) -> None:
        lower, upper = self._bounds
        for gi, col in self.x_col.items():
            self.highs.changeColBounds(col, lower[col], upper[col])
            y = self.y_col.get(gi)
            if y is not None:
                self.highs.changeColBounds(y, 0.0, 1.0)

    def set_capacity(self, resource: str, value: float) -> None:
        """Change a skill's FTE (or the budget, resource BUDGET) for the next run."""
        self.highs.changeRowBounds(self.capacity_row[resource], -_INF, value)

    def conflict(self) -> list[str]:
        """Names of the rows and column bounds in HiGHS's IIS of an infeasible model."""
        status, iis = self.highs.getIis()
        if status == highspy.HighsStatus.kError or not iis.valid_:
            return []
        rows = [self.row_names[i] for i in iis.row_index_]
        return rows + [self.col_names[j] for j in iis.col_index_]
