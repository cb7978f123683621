"""Solving a jaarplan through the service: versions, scherpe keuzes, infeasibility,
progress reports and what the CIVD may read."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from baken.core.db import transaction
from baken.steering.models import PlanVersion
from baken.steering.schemas import ProgressEntryCreate, SolveRequest
from baken.steering.service import ga, plans, progress, solve
from tests.steering.conftest import World, assignment


def _versions(factory: sessionmaker[Session]) -> int:
    with transaction(factory) as session:
        return int(session.scalar(select(func.count()).select_from(PlanVersion)) or 0)


def test_solve_makes_the_hard_choices(world: World, factory: sessionmaker[Session]) -> None:
    with transaction(factory) as session:
        version_id = solve.solve(
            session,
            principal=world.planner,
            jaarplan_id=world.plan_id,
            data=SolveRequest(note="eerste"),
        )
        version = solve.get_version(session, principal=world.planner, version_id=version_id)
    chosen = {c["id"]: c["fte"] for c in version.result["chosen"]}
    # 12 FTE analyse: A-1 (priority 1) at its full 10 FTE, A-2 gets the remaining 2.
    assert chosen["A-1"] == pytest.approx(10)
    assert chosen["A-2"] == pytest.approx(2)
    cover = {r["id"]: r["dekking"] for r in version.result["requirements"]}
    assert cover == {"BH-0001": "gedekt", "BH-0002": "deels gedekt", "BH-0003": "gedekt"}
    binding = {s["resource"] for s in version.result["skills"] if s["binding"]}
    assert binding == {"analyse"}
    marginals = {m["resource"]: m["gain"] for m in version.result["marginal_values"]}
    assert marginals["analyse"] > 0
    assert version.number == 1


def test_pins_and_excludes_change_the_answer(world: World, factory: sessionmaker[Session]) -> None:
    with transaction(factory) as session:
        first = solve.solve(
            session, principal=world.planner, jaarplan_id=world.plan_id, data=SolveRequest()
        )
        second = solve.solve(
            session,
            principal=world.planner,
            jaarplan_id=world.plan_id,
            data=SolveRequest(excludes=["A-1"], note="zonder A-1"),
        )
        a = solve.get_version(session, principal=world.planner, version_id=first)
        b = solve.get_version(session, principal=world.planner, version_id=second)
    diff = solve.compare(a, b)
    assert diff["dropped"] == ["A-1"]
    assert ("BH-0001", "gedekt", "niet gedekt") in diff["coverage"]
    assert b.number == 2


def test_what_if_extra_capacity(world: World, factory: sessionmaker[Session]) -> None:
    with transaction(factory) as session:
        version_id = solve.solve(
            session,
            principal=world.planner,
            jaarplan_id=world.plan_id,
            data=SolveRequest(extra_fte={"analyse": 4}),
        )
        version = solve.get_version(session, principal=world.planner, version_id=version_id)
    assert {r["dekking"] for r in version.result["requirements"]} == {"gedekt"}


def test_infeasible_plan_saves_nothing_and_says_why(
    world: World, factory: sessionmaker[Session]
) -> None:
    with transaction(factory) as session:
        plans.add_assignment(
            session,
            principal=world.planner,
            jaarplan_id=world.plan_id,
            data=assignment(
                "A-9", {"BH-0001": 0.5}, min_fte=9, max_fte=9, mandatory=True, skill="cyber"
            ),
        )
    with transaction(factory) as session, pytest.raises(solve.SolveInfeasible) as caught:
        solve.solve(
            session, principal=world.planner, jaarplan_id=world.plan_id, data=SolveRequest()
        )
    reasons = caught.value.reasons
    assert [(r.code, r.subject) for r in reasons] == [("skill_over_capacity", "cyber")]
    assert reasons[0].required == pytest.approx(9)
    assert reasons[0].available == pytest.approx(5)
    assert _versions(factory) == 0


@pytest.mark.parametrize(
    "data",
    [
        SolveRequest(pins=["GEEN"]),
        SolveRequest(excludes=["GEEN"]),
        SolveRequest(extra_fte={"vliegen": 1}),
    ],
)
def test_bad_solve_requests(
    world: World, factory: sessionmaker[Session], data: SolveRequest
) -> None:
    with transaction(factory) as session, pytest.raises(ga.SteeringError):
        solve.solve(session, principal=world.planner, jaarplan_id=world.plan_id, data=data)
    assert _versions(factory) == 0


def test_bad_assignments_are_refused(world: World, factory: sessionmaker[Session]) -> None:
    with transaction(factory) as session, pytest.raises(ga.SteeringError, match="skill"):
        plans.add_assignment(
            session,
            principal=world.planner,
            jaarplan_id=world.plan_id,
            data=assignment("A-7", {"BH-0001": 1.0}, skill="duiken"),
        )
    with transaction(factory) as session, pytest.raises(ga.SteeringError, match="requirement"):
        plans.add_assignment(
            session,
            principal=world.planner,
            jaarplan_id=world.plan_id,
            data=assignment("A-8", {"BH-9999": 1.0}),
        )
    with pytest.raises(ValueError, match="minimum"):
        assignment("A-6", {}, min_fte=5, max_fte=2)
    with pytest.raises(ValueError, match=r"negative|greater"):
        assignment("A-6", {}, min_fte=-1)


def test_progress_reaches_the_civd_and_not_the_uncleared(
    world: World, factory: sessionmaker[Session]
) -> None:
    with transaction(factory) as session:
        report_id = progress.create_report(
            session, principal=world.planner, jaarplan_id=world.plan_id, period=1
        )
        first = plans.assignments(session, world.planner, world.plan_id)[0]
        progress.record_entry(
            session,
            principal=world.planner,
            report_id=report_id,
            data=ProgressEntryCreate(
                assignment_id=first.id,
                status="vertraagd",
                narrative="Vertraagd door werving",
                indicators={"producten": 2},
            ),
        )
        progress.send_report(session, principal=world.planner, report_id=report_id)
    with transaction(factory) as session:
        report = progress.get_report(session, principal=world.civd, report_id=report_id)
        assert [e.narrative for e in report.entries] == ["Vertraagd door werving"]
        with pytest.raises(LookupError):
            progress.get_report(session, principal=world.low, report_id=report_id)
        with pytest.raises(ga.SteeringError, match="sent"):
            progress.record_entry(
                session,
                principal=world.planner,
                report_id=report_id,
                data=ProgressEntryCreate(assignment_id=first.id, status="op_koers", narrative="x"),
            )
    with transaction(factory) as session, pytest.raises(ga.SteeringError, match="period"):
        progress.create_report(
            session, principal=world.planner, jaarplan_id=world.plan_id, period=7
        )
    with transaction(factory) as session, pytest.raises(ga.SteeringError, match="already"):
        progress.create_report(
            session, principal=world.planner, jaarplan_id=world.plan_id, period=1
        )
    with transaction(factory) as session:
        empty = progress.create_report(
            session, principal=world.planner, jaarplan_id=world.plan_id, period=2
        )
    with transaction(factory) as session, pytest.raises(ga.SteeringError, match="empty"):
        progress.send_report(session, principal=world.planner, report_id=empty)


def test_joint_assignments_pair_and_refuse_chains(
    world: World, factory: sessionmaker[Session], people: object
) -> None:
    from baken.core.markings import Level, Service
    from baken.core.schemas import MarkingIn
    from baken.steering.schemas import CapacityIn, JaarplanCreate
    from tests.steering.conftest import SECRET

    mivd = people.add("mivd.planner", Level.STG_GEHEIM, {"planner"}, Service.MIVD)  # type: ignore[attr-defined]
    shared = SECRET.__class__.of("STG_GEHEIM", "JOINT", releasable_to={"CIVD"})
    with transaction(factory) as session:
        mivd_plan = plans.create_plan(
            session,
            principal=mivd,
            data=JaarplanCreate(
                service="MIVD",
                year=2026,
                ga_version_id=world.version_id,
                title="MIVD 2026",
                budget_meur=10,
                marking=MarkingIn.of(shared),
                capacity=[CapacityIn(unit="INL", skill="analyse", fte=10)],
            ),
        )
        for code, marking in (
            ("M-1", shared),
            ("M-2", shared),
            ("M-3", SECRET.__class__.of("STG_GEHEIM", "MIVD")),
        ):
            plans.add_assignment(
                session,
                principal=mivd,
                jaarplan_id=mivd_plan,
                data=assignment(code, {"BH-0001": 0.5}).model_copy(
                    update={"marking": MarkingIn.of(marking)}
                ),
            )

    def pair(code: str, partner: str) -> None:
        with transaction(factory) as session:
            plans.add_assignment(
                session,
                principal=world.planner,
                jaarplan_id=world.plan_id,
                data=assignment(code, {"BH-0001": 0.5}).model_copy(update={"joint_with": partner}),
            )

    pair("A-4", "M-1")
    # M-1 is taken by A-4: a second AIVD assignment on it would make a chain.
    with pytest.raises(ga.SteeringError, match="already joint"):
        pair("A-5", "M-1")
    pair("A-5", "M-2")
    # An MIVD-only assignment the AIVD planner may not read answers as one that does not
    # exist: the refusal tells nothing about the other service's plan.
    for partner in ("M-3", "M-404"):
        with pytest.raises(ga.SteeringError, match="not an assignment"):
            pair("A-6", partner)
    with pytest.raises(ValueError, match="itself"):
        assignment("A-6", {}).model_copy(update={"joint_with": "A-6"}).model_validate(
            {**assignment("A-6", {}).model_dump(), "joint_with": "A-6"}
        )


def test_every_read_is_audited(world: World, factory: sessionmaker[Session]) -> None:
    from baken.core.models import AuditEntry

    with transaction(factory) as session:
        solve.solve(
            session, principal=world.planner, jaarplan_id=world.plan_id, data=SolveRequest()
        )
    with transaction(factory) as session:
        last = int(session.scalar(select(func.max(AuditEntry.seq))) or 0)
        plans.get_plan(session, principal=world.planner, jaarplan_id=world.plan_id)
        solve.list_versions(session, principal=world.planner, jaarplan_id=world.plan_id)
        progress.list_reports(session, principal=world.planner, jaarplan_id=world.plan_id)
    with transaction(factory) as session:
        actions = list(
            session.scalars(
                select(AuditEntry.action).where(AuditEntry.seq > last).order_by(AuditEntry.seq)
            )
        )
    assert actions == ["jaarplan.read", "jaarplan.version.list", "voortgang.list"]
