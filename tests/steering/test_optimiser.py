"""The jaarplan optimiser on hand-made instances whose optimum is known by hand, bad
input, infeasibility explanations, and a property test against the greedy baseline."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import replace

import highspy
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from baken.steering.optimiser import (
    BUDGET,
    Assignment,
    Dekking,
    Infeasible,
    PlanInputError,
    PlanProblem,
    PlanSolution,
    PlanStatus,
    Requirement,
    Skill,
    generate,
    greedy,
    solve,
    validate,
)
from baken.steering.optimiser_milp import Milp, coefficients
from baken.steering.optimiser_validate import joint_groups

TOL = 1e-6


def req(rid: str, weight: float = 1.0) -> Requirement:
    return Requirement(rid, weight, theme="Rusland", ministry="BZK")


def opd(
    aid: str,
    *,
    max_fte: float,
    covers: dict[str, float],
    min_fte: float = 0.0,
    mix: dict[str, float] | None = None,
    cost: float = 0.1,
    **kw: object,
) -> Assignment:
    return Assignment(
        id=aid,
        title=f"Opdracht {aid}",
        theme="Rusland",
        min_fte=min_fte,
        max_fte=max_fte,
        skill_mix=mix or {"analyse": 1.0},
        cost_meur_per_fte=cost,
        covers=covers,
        **kw,  # type: ignore[arg-type]
    )


def problem(
    assignments: list[Assignment],
    requirements: list[Requirement],
    skills: dict[str, float] | None = None,
    budget: float = 1000.0,
    **kw: frozenset[str],
) -> PlanProblem:
    pools = skills if skills is not None else {"analyse": 10.0}
    return PlanProblem(
        skills=tuple(Skill(c, f) for c, f in pools.items()),
        budget_meur=budget,
        requirements=tuple(requirements),
        assignments=tuple(assignments),
        **kw,
    )


def plan(p: PlanProblem, **kw: float | bool) -> PlanSolution:
    result = solve(p, **kw)  # type: ignore[arg-type]
    assert isinstance(result, PlanSolution), result
    return result


def two_rivals() -> PlanProblem:
    """10 FTE analyse; A (worth 4) and B (worth 2) each need at least 6: only one fits."""
    return problem(
        [
            opd("A", min_fte=6, max_fte=10, covers={"R1": 1.0}),
            opd("B", min_fte=6, max_fte=10, covers={"R2": 1.0}),
        ],
        [req("R1", 4.0), req("R2", 2.0)],
    )


# --- optima known by hand ------------------------------------------------------------


def test_capacity_binds_and_the_lower_value_assignment_is_dropped() -> None:
    s = plan(two_rivals())
    assert s.status is PlanStatus.OPTIMAL
    assert [c.id for c in s.chosen] == ["A"]
    assert s.fte("A") == pytest.approx(10.0)
    assert s.objective == pytest.approx(4.0)
    assert s.gap == pytest.approx(0.0, abs=TOL)
    assert s.skills[0].used == pytest.approx(10.0)
    assert s.skills[0].binding
    assert {r.id: r.dekking for r in s.requirements} == {
        "R1": Dekking.GEDEKT,
        "R2": Dekking.NIET_GEDEKT,
    }


def test_budget_binds_and_spends_on_the_best_coverage_per_euro() -> None:
    p = problem(
        [
            opd("A", max_fte=10, covers={"R1": 1.0}, cost=0.1),
            opd("B", max_fte=10, covers={"R2": 1.0}, cost=0.2),
        ],
        [req("R1", 3.0), req("R2", 3.0)],
        skills={"analyse": 100.0},
        budget=1.0,
    )
    s = plan(p)
    assert s.fte("A") == pytest.approx(10.0)
    assert s.fte("B") == pytest.approx(0.0, abs=TOL)
    assert s.objective == pytest.approx(3.0)
    assert s.budget.binding
    assert s.budget.used == pytest.approx(1.0)
    assert not s.skills[0].binding
    # One more million buys 5 FTE of B: half of R2, worth 1.5.
    assert s.marginal(BUDGET).gain == pytest.approx(1.5)
    assert (s.marginal("analyse").gain, s.marginal("analyse").resolved) == (0.0, False)


def test_an_assignment_that_cannot_reach_min_fte_is_not_chosen() -> None:
    p = problem(
        [
            opd("A", min_fte=6, max_fte=8, covers={"R1": 1.0}),
            opd("B", min_fte=1, max_fte=5, covers={"R2": 1.0}),
        ],
        [req("R1", 10.0), req("R2", 1.0)],
        skills={"analyse": 5.0},
    )
    s = plan(p)
    assert [c.id for c in s.chosen] == ["B"]
    assert s.fte("B") == pytest.approx(5.0)
    assert s.objective == pytest.approx(1.0)
    assert s.coverage("R1") == 0.0


def test_mandatory_assignment_is_forced_in_at_the_cost_of_a_better_one() -> None:
    a = opd("A", min_fte=4, max_fte=10, covers={"R1": 1.0})
    b = opd("B", max_fte=10, covers={"R2": 1.0})
    reqs = [req("R1", 1.0), req("R2", 5.0)]
    free = plan(problem([a, b], reqs))
    assert free.fte("A") == 0.0
    assert free.objective == pytest.approx(5.0)
    forced = plan(problem([replace(a, mandatory=True), b], reqs))
    assert forced.fte("A") == pytest.approx(4.0)
    assert forced.fte("B") == pytest.approx(6.0)
    assert forced.objective == pytest.approx(1 * 0.4 + 5 * 0.6)
    assert next(c for c in forced.chosen if c.id == "A").forced


@pytest.mark.parametrize("kw", [{"pins": frozenset({"B"})}, {"excludes": frozenset({"A"})}])
def test_pin_and_exclude_change_the_answer(kw: dict[str, frozenset[str]]) -> None:
    base = two_rivals()
    s = plan(replace(base, **kw))
    assert [c.id for c in s.chosen] == ["B"]
    assert s.objective == pytest.approx(2.0)


def test_joint_pair_is_chosen_together_with_the_share() -> None:
    p = problem(
        [
            opd("A", min_fte=2, max_fte=10, covers={"R1": 1.0}, joint_with="B", joint_share=0.5),
            opd("B", min_fte=1, max_fte=5, covers={"R2": 1.0}, mix={"cyber": 1.0}),
        ],
        [req("R1", 4.0), req("R2", 1.0)],
        skills={"analyse": 8.0, "cyber": 10.0},
    )
    s = plan(p)
    assert s.fte("A") == pytest.approx(8.0)
    assert s.fte("B") == pytest.approx(4.0)  # 0.5 × 8
    assert s.objective == pytest.approx(4 * 0.8 + 1 * 0.8)
    # Excluding the partner takes the lead out too.
    alone = plan(replace(p, excludes=frozenset({"B"})))
    assert alone.chosen == ()
    assert alone.objective == 0.0


def test_coverage_is_capped_at_one_and_no_fte_is_wasted() -> None:
    p = problem(
        [
            opd("A", max_fte=10, covers={"R1": 1.0}),
            opd("B", max_fte=10, covers={"R1": 1.0}),
        ],
        [req("R1", 3.0)],
        skills={"analyse": 20.0},
    )
    s = plan(p)
    assert s.coverage("R1") == 1.0
    assert s.objective == pytest.approx(3.0)
    assert s.fte("A") + s.fte("B") == pytest.approx(10.0)  # the tie-break


def test_marginal_value_of_a_binding_skill_is_positive_and_of_a_slack_one_zero() -> None:
    p = problem(
        [
            opd("A", max_fte=10, covers={"R1": 1.0}),
            opd("B", max_fte=3, covers={"R2": 1.0}, mix={"cyber": 1.0}),
        ],
        [req("R1", 4.0), req("R2", 1.0)],
        skills={"analyse": 5.0, "cyber": 10.0},
    )
    s = plan(p)
    assert s.objective == pytest.approx(4 * 0.5 + 1.0)
    analyse = s.marginal("analyse")
    assert analyse.resolved
    assert analyse.gain == pytest.approx(0.4)  # one FTE of A covers a tenth of R1
    assert analyse.gain_upper == pytest.approx(0.4)
    cyber = s.marginal("cyber")
    assert (cyber.gain, cyber.resolved) == (0.0, False)
    assert s.marginal(BUDGET).gain == 0.0
    assert s.marginal_seconds >= analyse.seconds > 0


def test_marginal_value_counts_an_assignment_the_extra_fte_makes_viable() -> None:
    p = problem(
        [
            opd("A", min_fte=6, max_fte=6, covers={"R1": 1.0}),
            opd("B", min_fte=6, max_fte=6, covers={"R2": 1.0}),
        ],
        [req("R1", 4.0), req("R2", 2.0)],
        skills={"analyse": 11.0},
    )
    s = plan(p)
    assert s.objective == pytest.approx(4.0)
    assert s.marginal("analyse").gain == pytest.approx(2.0)  # B fits with 12 FTE


def test_degenerate_problems_are_optimal_with_nothing_to_gain() -> None:
    empty = plan(problem([], [req("R1")]))
    assert (empty.status, empty.objective, empty.gap, empty.chosen) == (
        PlanStatus.OPTIMAL,
        0.0,
        0.0,
        (),
    )
    weightless = plan(problem([opd("A", max_fte=5, covers={"R1": 1.0})], [req("R1", 0.0)]))
    assert weightless.status is PlanStatus.OPTIMAL
    assert weightless.chosen == ()  # the tie-break: no effort without a gain
    with pytest.raises(KeyError):
        weightless.marginal("taal-XX")


# --- infeasible ----------------------------------------------------------------------


def test_mandatory_over_skill_capacity_is_infeasible_naming_the_skill() -> None:
    p = problem(
        [
            opd("A", min_fte=4, max_fte=6, covers={"R1": 1.0}, mix={"cyber": 1.0}, mandatory=True),
            opd("B", min_fte=3, max_fte=6, covers={"R1": 1.0}, mix={"cyber": 1.0}, mandatory=True),
            opd("C", min_fte=1, max_fte=2, covers={"R1": 1.0}),
        ],
        [req("R1")],
        skills={"analyse": 10.0, "cyber": 5.0},
    )
    result = solve(p)
    assert isinstance(result, Infeasible)
    assert result.status is PlanStatus.INFEASIBLE
    (reason,) = result.reasons
    assert (reason.code, reason.subject) == ("skill_over_capacity", "cyber")
    assert reason.required == pytest.approx(7.0)
    assert reason.available == 5.0
    assert reason.assignments == ("A", "B")
    assert isinstance(greedy(p), Infeasible)


def test_mandatory_over_budget_is_infeasible_naming_the_budget() -> None:
    p = problem(
        [opd("A", min_fte=4, max_fte=6, covers={"R1": 1.0}, cost=0.2, mandatory=True)],
        [req("R1")],
        budget=0.5,
    )
    result = solve(p)
    assert isinstance(result, Infeasible)
    (reason,) = result.reasons
    assert (reason.code, reason.subject) == ("budget_exceeded", BUDGET)
    assert reason.required == pytest.approx(0.8)
    assert reason.available == 0.5


def test_forced_joint_partner_excluded_or_out_of_range_is_explained() -> None:
    a = opd("A", min_fte=2, max_fte=10, covers={"R1": 1.0}, mandatory=True, joint_with="B")
    b = opd("B", min_fte=5, max_fte=10, covers={"R1": 1.0})
    excluded = solve(problem([a, b], [req("R1")], excludes=frozenset({"B"})))
    assert isinstance(excluded, Infeasible)
    assert [(r.code, r.subject, r.assignments) for r in excluded.reasons] == [
        ("forced_but_excluded", "B", ("A",))
    ]
    # B's FTE = 0.1 × A's <= 1, below B's minimum of 5.
    empty = solve(problem([replace(a, joint_share=0.1), b], [req("R1")]))
    assert isinstance(empty, Infeasible)
    assert [(r.code, r.subject) for r in empty.reasons] == [("joint_range_empty", "A")]


def test_iis_fallback_names_the_conflicting_rows() -> None:
    """The safety net behind the capacity checks: HiGHS's IIS, read back by name."""
    p = problem(
        [opd("A", min_fte=4, max_fte=6, covers={"R1": 1.0}, mix={"cyber": 1.0})],
        [req("R1")],
        skills={"cyber": 3.0},
    )
    groups = joint_groups(p)
    milp = Milp(p, groups, coefficients(p, groups), forced={0}, blocked=set())
    milp.set_options(time_limit=5, mip_rel_gap=0.001)
    assert milp.run().status == highspy.HighsModelStatus.kInfeasible
    assert "skill:cyber" in milp.conflict()


# --- bad input -----------------------------------------------------------------------


def _valid() -> PlanProblem:
    return problem(
        [
            opd("A", min_fte=1, max_fte=5, covers={"R1": 0.5}, joint_with="B", joint_share=2.0),
            opd("B", min_fte=1, max_fte=10, covers={"R1": 0.5}, joint_with="A", joint_share=0.5),
            opd("C", min_fte=1, max_fte=5, covers={"R1": 0.5}),
        ],
        [req("R1")],
    )


def _with(i: int, **changes: object) -> Callable[[PlanProblem], PlanProblem]:
    def change(p: PlanProblem) -> PlanProblem:
        items = list(p.assignments)
        items[i] = replace(items[i], **changes)  # type: ignore[arg-type]
        return replace(p, assignments=tuple(items))

    return change


BAD: list[tuple[str, Callable[[PlanProblem], PlanProblem], str, str]] = [
    ("negative budget", lambda p: replace(p, budget_meur=-1.0), "budget_meur", "negative"),
    (
        "negative skill",
        lambda p: replace(p, skills=(Skill("analyse", -2.0),)),
        "skills[0].fte_available",
        "negative",
    ),
    ("negative min", _with(2, min_fte=-1.0), "assignments[2].min_fte", "negative"),
    ("zero max", _with(2, max_fte=0.0), "assignments[2].max_fte", "not_positive"),
    ("min above max", _with(2, min_fte=6.0), "assignments[2].min_fte", "min_above_max"),
    ("negative cost", _with(2, cost_meur_per_fte=-0.1), "assignments[2].cost", "negative"),
    ("nan cost", _with(2, cost_meur_per_fte=math.nan), "assignments[2].cost", "negative"),
    ("mix sum", _with(2, skill_mix={"analyse": 0.9}), "assignments[2].skill_mix", "mix_not_one"),
    (
        "unknown skill",
        _with(2, skill_mix={"analyse": 0.5, "taal-XX": 0.5}),
        "assignments[2].skill_mix.taal-XX",
        "unknown_skill",
    ),
    ("unknown req", _with(2, covers={"R9": 0.5}), "assignments[2].covers.R9", "unknown_req"),
    ("cover > 1", _with(2, covers={"R1": 1.5}), "assignments[2].covers.R1", "fraction_out"),
    ("cover < 0", _with(2, covers={"R1": -0.1}), "assignments[2].covers.R1", "fraction_out"),
    ("unknown pin", lambda p: replace(p, pins=frozenset({"X"})), "pins.X", "unknown_assignment"),
    (
        "unknown exclude",
        lambda p: replace(p, excludes=frozenset({"X"})),
        "excludes.X",
        "unknown_assignment",
    ),
    (
        "pinned and excluded",
        lambda p: replace(p, pins=frozenset({"C"}), excludes=frozenset({"C"})),
        "pins.C",
        "pinned_and_excluded",
    ),
    ("joint unknown", _with(2, joint_with="X"), "assignments[2].joint_with", "unknown_assign"),
    ("joint self", _with(2, joint_with="C"), "assignments[2].joint_with", "self_link"),
    ("joint share", _with(2, joint_with="A", joint_share=0.0), "assignments[2].joint_share", "not"),
    (
        "mutual shares disagree",
        _with(0, joint_share=3.0),
        "assignments[0].joint_share",
        "joint_share_inconsistent",
    ),
    (
        "joint cycle of three",
        lambda p: _with(0, joint_with="C")(_with(2, joint_with="B")(_with(1, joint_with="A")(p))),
        "assignments[0].joint_with",
        "joint_cycle",
    ),
    (
        "duplicate id",
        lambda p: replace(p, assignments=(*p.assignments, p.assignments[0])),
        "assignments",
        "duplicate_id",
    ),
]


def test_the_valid_base_case_is_valid() -> None:
    assert validate(_valid()) == []
    s = plan(_valid())
    assert s.fte("B") == pytest.approx(2.0 * s.fte("A"))  # A: partner B gets 2 × A's FTE


@pytest.mark.parametrize(("case", "change", "field", "code"), BAD, ids=[b[0] for b in BAD])
def test_bad_input_is_rejected_before_solving_with_the_field_named(
    case: str, change: Callable[[PlanProblem], PlanProblem], field: str, code: str
) -> None:
    bad = change(_valid())
    errors = validate(bad)
    assert any(e.field.startswith(field) and e.code.startswith(code) for e in errors), errors
    for run in (solve, greedy):
        with pytest.raises(PlanInputError) as caught:
            run(bad)
        assert caught.value.errors == tuple(errors)


# --- generator, baseline, time limit -------------------------------------------------


def test_generate_is_deterministic_valid_and_tight() -> None:
    p = generate(11, 200, 100, 8)
    assert p == generate(11, 200, 100, 8)
    assert p != generate(12, 200, 100, 8)
    assert validate(p) == []
    assert (len(p.skills), len(p.requirements), len(p.assignments)) == (8, 200, 100)
    assert all(2 <= len(a.covers) <= 8 and 2 <= len(a.skill_mix) <= 4 for a in p.assignments)
    assert any(a.mandatory for a in p.assignments)
    assert sum(a.joint_with is not None for a in p.assignments) == 2
    demand = sum(a.max_fte for a in p.assignments)
    assert sum(s.fte_available for s in p.skills) == pytest.approx(0.6 * demand, rel=0.01)


def test_milp_beats_greedy_on_a_generated_instance() -> None:
    p = generate(5, 300, 80, 8)
    s = plan(p, marginal_values=False)
    g = greedy(p)
    assert isinstance(g, PlanSolution)
    assert g.status is PlanStatus.HEURISTIC
    assert math.isnan(g.best_bound)
    assert s.status in (PlanStatus.OPTIMAL, PlanStatus.GAP)
    assert s.gap <= 0.001
    assert s.objective > g.objective


def test_time_limit_still_returns_a_whole_plan() -> None:
    p = generate(3, 2000, 500, 40)
    s = plan(p, time_limit=0.0, marginal_values=False)
    g = greedy(p)
    assert isinstance(g, PlanSolution)
    assert s.status is PlanStatus.TIME_LIMIT
    assert s.objective >= g.objective - TOL  # at worst the greedy start
    _assert_feasible(p, s)


# --- property: exact >= greedy, and every constraint holds ---------------------------


def _assert_feasible(p: PlanProblem, s: PlanSolution) -> None:
    for use in (*s.skills, s.budget):
        assert use.used <= use.available + TOL, use
    by_id = {a.id: a for a in p.assignments}
    chosen = {c.id: c.fte for c in s.chosen}
    for a in p.assignments:
        if a.id in chosen:
            assert a.min_fte - TOL <= chosen[a.id] <= a.max_fte + TOL
            assert a.id not in p.excludes
            if a.joint_with is not None:
                assert chosen.get(a.joint_with, -1.0) == pytest.approx(a.joint_share * chosen[a.id])
        else:
            assert not a.mandatory
            assert a.id not in p.pins
    total = sum(r.weight * r.coverage for r in s.requirements)
    assert s.objective == pytest.approx(total)
    for r in s.requirements:
        raw = sum(by_id[a].covers.get(r.id, 0.0) * f / by_id[a].max_fte for a, f in chosen.items())
        assert r.coverage == pytest.approx(min(1.0, raw), abs=TOL)


@st.composite
def small_problems(draw: st.DrawFn) -> PlanProblem:
    codes = [f"s{i}" for i in range(draw(st.integers(1, 3)))]
    rids = [f"R{i}" for i in range(draw(st.integers(1, 5)))]
    n = draw(st.integers(1, 6))
    fte = st.floats(0.5, 10, allow_nan=False).map(lambda v: round(v, 2))
    assignments = []
    for i in range(n):
        mix_codes = draw(st.lists(st.sampled_from(codes), min_size=1, unique=True))
        raw = [draw(st.floats(0.1, 1.0)) for _ in mix_codes]
        top = draw(fte)
        joint = i + 1 < n and draw(st.booleans()) and draw(st.booleans())
        assignments.append(
            Assignment(
                id=f"A{i}",
                title=f"A{i}",
                theme="Cyber",
                min_fte=round(top * draw(st.floats(0, 1)), 2),
                max_fte=top,
                skill_mix={c: v / sum(raw) for c, v in zip(mix_codes, raw, strict=True)},
                cost_meur_per_fte=draw(st.floats(0, 0.3)),
                covers={
                    r: draw(st.floats(0, 1))
                    for r in draw(st.lists(st.sampled_from(rids), min_size=1, unique=True))
                },
                mandatory=draw(st.integers(0, 9)) == 0,
                joint_with=f"A{i + 1}" if joint else None,
                joint_share=draw(st.floats(0.3, 2.0)) if joint else 1.0,
            )
        )
    return PlanProblem(
        skills=tuple(Skill(c, draw(st.floats(0, 15))) for c in codes),
        budget_meur=draw(st.floats(0, 3)),
        requirements=tuple(Requirement(r, draw(st.floats(0, 16)), "Cyber", "AZ") for r in rids),
        assignments=tuple(assignments),
        excludes=frozenset(draw(st.lists(st.sampled_from([a.id for a in assignments]))))
        if draw(st.integers(0, 4)) == 0
        else frozenset(),
    )


@settings(max_examples=150, deadline=None)
@given(small_problems())
def test_milp_is_at_least_greedy_and_respects_every_constraint(p: PlanProblem) -> None:
    exact = solve(p, marginal_values=False, mip_rel_gap=0.0)
    base = greedy(p)
    if isinstance(exact, Infeasible):
        assert isinstance(base, Infeasible)
        assert exact.reasons
        return
    assert isinstance(base, PlanSolution)
    _assert_feasible(p, exact)
    _assert_feasible(p, base)
    assert exact.objective >= base.objective - TOL
