"""Capacity scenarios through the service on a real database: stored, run and answered
with an audit trail; bad input refused with a clear message and nothing stored; the read
rule in the query."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from baken.core.db import transaction
from baken.core.models import AuditEntry
from baken.core.policy import PolicyDenied
from baken.vetting.capacity import service
from baken.vetting.capacity.models import Scenario
from baken.vetting.capacity.service import CapacityError
from tests.vetting.capacity.conftest import CWorld, small


def _count(cw: CWorld) -> int:
    with transaction(cw.factory) as session:
        return int(session.scalar(select(func.count()).select_from(Scenario)) or 0)


def _refusals(cw: CWorld) -> int:
    with transaction(cw.factory) as session:
        return int(
            session.scalar(
                select(func.count())
                .select_from(AuditEntry)
                .where(AuditEntry.action == "capacity.create", AuditEntry.outcome == "refused")
            )
            or 0
        )


def test_find_the_fte_stores_the_answer_and_audits(cw: CWorld) -> None:
    heard: list[tuple[int, int, str]] = []
    sid = service.run_now(
        cw.factory,
        principal=cw.officer,
        data_in=small(),
        on_progress=lambda d, t, s: heard.append((d, t, s)),
    )
    with transaction(cw.factory) as session:
        view = service.get(session, principal=cw.officer, scenario_id=sid)
        actions = list(
            session.scalars(select(AuditEntry.action).where(AuditEntry.object_id == str(sid)))
        )
    assert view.state == "done"
    assert view.answer_fte is not None
    assert view.answer_fte > 0
    assert view.result is not None
    assert view.result["share_within_term"] >= 0.9
    ftes = [point[0] for point in view.results["curve"]]
    assert ftes == sorted(ftes)
    assert view.params["term_weeks"] == 8  # from the screenings part's clock
    assert heard
    assert all(d <= t for d, t, _ in heard)
    assert {"capacity.create", "capacity.run", "capacity.read"} <= set(actions)


def test_one_simulation_at_a_given_fte(cw: CWorld) -> None:
    sid = service.run_now(cw.factory, principal=cw.officer, data_in=small(mode="simulate", fte=4))
    with transaction(cw.factory) as session:
        view = service.get(session, principal=cw.officer, scenario_id=sid)
    assert view.answer_fte == 4
    result = view.result
    assert result is not None
    assert view.results["curve"] == [[4, result["share_within_term"], result["utilisation"]]]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"volume": 0}, "the volume must be a whole number of screenings above zero"),
        ({"volume": -5}, "the volume must be a whole number of screenings above zero"),
        ({"volume": 10_000_000}, "the volume may be at most {max} screenings a year"),
        ({"mix": (20.0, 50.0, 20.0)}, "the mix of levels A, B and C must add up to 100%"),
        ({"mix": (120.0, -10.0, -10.0)}, "each share of the mix lies between 0% and 100%"),
        ({"mode": "simulate", "fte": 0}, "the FTE must be a whole number above zero"),
        ({"mode": "simulate", "fte": -3}, "the FTE must be a whole number above zero"),
        ({"mode": "simulate", "fte": None}, "the FTE must be a whole number above zero"),
        ({"mode": "simulate", "fte": 1_000_000}, "the FTE may be at most {max}"),
        ({"target": 0.0}, "the target share must lie above 0% and at most 100%"),
        ({"target": 1.5}, "the target share must lie above 0% and at most 100%"),
        ({"target": float("nan")}, "the target share must lie above 0% and at most 100%"),
        ({"hours": (24.0, 0.0, 1.0)}, "the hours per screening must be above 0"),
        ({"hours": (9999.0, 5.0, 1.0)}, "the hours per screening must be above 0"),
        ({"hours_per_week": 0.0}, "the productive hours per FTE"),
        ({"term_weeks": 0}, "the term must be 1 to {max} weeks"),
        ({"term_weeks": 500}, "the term must be 1 to {max} weeks"),
        ({"seed": -1}, "the seed is a whole number"),
        ({"title": "  "}, "give the scenario a title"),
        ({"marking": "STG_GEHEIM"}, "choose a marking"),
        ({"mode": "guess"}, "choose one simulation or the search for the FTE"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_stored(
    cw: CWorld, changes: dict[str, object], message: str
) -> None:
    with pytest.raises(CapacityError) as caught:
        service.run_now(cw.factory, principal=cw.officer, data_in=small(**changes))
    assert caught.value.message.startswith(message)
    assert _count(cw) == 0
    assert _refusals(cw) == 1  # the refusal is on record


def test_only_the_roles_of_the_kind_may_ask(cw: CWorld) -> None:
    for who in (cw.analyst, cw.employer):
        with pytest.raises(PolicyDenied):
            service.run_now(cw.factory, principal=who, data_in=small())
    assert _count(cw) == 0
    assert not service.may_create(cw.employer)
    assert service.may_create(cw.planner)


def test_readers_see_only_what_the_rule_allows(cw: CWorld) -> None:
    sid = service.run_now(cw.factory, principal=cw.officer, data_in=small())
    with transaction(cw.factory) as session:
        assert [v.id for v in service.list_scenarios(session, principal=cw.planner)] == [sid]
        for who in (cw.analyst, cw.employer):
            assert service.list_scenarios(session, principal=who) == []
            with pytest.raises(LookupError):
                service.get(session, principal=who, scenario_id=sid)
        with pytest.raises(LookupError):
            service.get(session, principal=cw.officer, scenario_id=sid + 100)


def test_a_scenario_runs_once(cw: CWorld) -> None:
    sid = service.run_now(cw.factory, principal=cw.officer, data_in=small())
    with pytest.raises(CapacityError):
        service.execute(cw.factory, principal=cw.officer, scenario_id=sid)
