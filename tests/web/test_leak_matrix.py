"""The leak matrix over every registered route, and its self-test."""

from __future__ import annotations

import os
from typing import Any

import pytest
from fastapi import APIRouter, FastAPI
from sqlalchemy import select

from baken.core.config import Settings
from baken.notices.models import Notice
from baken.plugins import BUILTIN, Registry, hookimpl
from baken.testing.leakmatrix import (
    MARKINGS,
    REASON_MARKINGS,
    REASON_SEATS,
    SEATS,
    LeakCase,
    LeakFound,
    check_coverage,
    run,
)
from baken.web.app import create_app
from baken.web.context import CtxDep


def _matrix(reg: Registry) -> tuple[list[Any], list[Any]]:
    fixtures = reg.collect(reg.hook.baken_leak_fixtures)
    cases = reg.collect(reg.hook.baken_leak_cases)
    return fixtures, cases


@pytest.mark.timeout(1800)
def test_every_route_leaks_nothing(app: FastAPI) -> None:
    fixtures, cases = _matrix(app.state.registry)
    only = [p for p in os.environ.get("BAKEN_LEAK_ONLY", "").split(",") if p]
    if only:
        # A developer's quicker run over the routes under some path prefixes (CI never
        # sets it): only their cases and fixtures, no coverage check;
        # BAKEN_LEAK_FIXTURES names more fixtures than the cases use.
        cases = [c for c in cases if any(c.path.startswith(p) for p in only)]
        used = {c.fixture for c in cases} | set(
            os.environ.get("BAKEN_LEAK_FIXTURES", "").split(",")
        )
        fixtures = [f for f in fixtures if f.name in used]
        run(app, fixtures, cases, coverage=False)
        return
    # The PostgreSQL pass of `make test` runs as the seats in REASON_SEATS
    # (BAKEN_LEAK_SEATS=reasons), which still span every part of the rule (each is a
    # different reason to refuse): the full set runs on SQLite, and the policy's SQL agrees
    # with its Python rule on both stores (tests/core/test_policy_properties.py).
    names = {n for n in os.environ.get("BAKEN_LEAK_SEATS", "").split(",") if n}
    if names == {"reasons"}:
        names = set(REASON_SEATS)
    seats = [s for s in SEATS if s.name in names] if names else list(SEATS)
    assert len(seats) == len(names) or not names, "BAKEN_LEAK_SEATS names an unknown seat"
    # BAKEN_LEAK_MARKINGS=reasons: fixtures at one marking per branch of the rule's SQL.
    markings = REASON_MARKINGS if os.environ.get("BAKEN_LEAK_MARKINGS") == "reasons" else MARKINGS
    # Every seat reads every route; the write and non-interference passes run as one seat
    # for each reason the rule refuses (REASON_SEATS).
    world = run(app, fixtures, cases, seats, markings, probes=REASON_SEATS)
    # The matrix really ran: many principals, every fixture reached by a reader.
    assert len(world.principals) >= (8 if names else 14)
    assert all(s.seen_by_reader for s in world.secrets if s.marking.level == 0)


class Unfiltered:
    """A plugin with a route that forgets the policy filter: the harness must catch it."""

    router = APIRouter()

    @staticmethod
    @router.get("/lek")
    def leak(ctx: CtxDep) -> dict[str, list[str]]:
        ctx.user()
        with ctx.db() as session:
            return {"titles": list(session.scalars(select(Notice.title)))}

    @hookimpl
    def baken_routers(self) -> list[APIRouter]:
        return [self.router]

    @hookimpl
    def baken_leak_cases(self) -> list[LeakCase]:
        return [LeakCase("GET", "/lek")]


class CountLeak:
    """A route that filters rows but counts all of them: only non-interference sees it."""

    router = APIRouter()

    @staticmethod
    @router.get("/telling")
    def count(ctx: CtxDep) -> dict[str, int]:
        ctx.user()
        with ctx.db() as session:
            return {"notices": len(list(session.scalars(select(Notice.id))))}

    @hookimpl
    def baken_routers(self) -> list[APIRouter]:
        return [self.router]

    @hookimpl
    def baken_leak_cases(self) -> list[LeakCase]:
        return [LeakCase("GET", "/telling")]


class Uncovered:
    router = APIRouter()

    @staticmethod
    @router.get("/vergeten")
    def forgotten() -> dict[str, str]:
        return {}

    @hookimpl
    def baken_routers(self) -> list[APIRouter]:
        return [self.router]


# A small matrix for the self-tests: one reader, one who may read little, one partner; and
# the notices' cases only (with the bad route's): the harness is the same for every route,
# and the full matrix above runs every module's.
FEW_SEATS = [s for s in SEATS if s.name in {"aivd-stg_zeer_geheim", "aivd-ongerubriceerd", "nctv"}]
FEW_MARKINGS = [MARKINGS[0], MARKINGS[3], MARKINGS[9]]
FEW_PATHS = ("/mededelingen", "/api/v1/notices", "/lek", "/telling")


def _small(app: FastAPI, *, coverage: bool = False) -> None:
    fixtures, cases = _matrix(app.state.registry)
    try:
        if coverage:
            check_coverage(app, cases)
        cases = [c for c in cases if c.path.startswith(FEW_PATHS)]
        used = {c.fixture for c in cases}
        fixtures = [f for f in fixtures if f.name in used]
        run(app, fixtures, cases, FEW_SEATS, FEW_MARKINGS, coverage=False)
    finally:
        app.state.engine.dispose()


def test_small_matrix_passes_without_the_bad_routes(settings: Settings) -> None:
    """The self-tests below fail for the bad route alone, not for the small matrix."""
    _small(create_app(settings))


def _app_with(settings: Settings, plugin: object) -> FastAPI:
    return create_app(settings, Registry(BUILTIN, extra=(plugin,)))


def test_harness_catches_an_unfiltered_route(settings: Settings) -> None:
    with pytest.raises(LeakFound, match=r"GET /lek shows notice"):
        _small(_app_with(settings, Unfiltered()))


def test_harness_catches_a_count_of_hidden_rows(settings: Settings) -> None:
    with pytest.raises(LeakFound, match=r"GET /telling answers .* differently"):
        _small(_app_with(settings, CountLeak()))


def test_harness_fails_on_a_route_without_a_case(settings: Settings) -> None:
    with pytest.raises(LeakFound, match=r"routes without a leak-matrix case: GET /vergeten"):
        _small(_app_with(settings, Uncovered()), coverage=True)
