"""The leak matrix: every route, every kind of principal, over marked fixtures.

Modules register two things through hooks:

* :class:`LeakFixture` — makes one marked object carrying a secret string, through the
  module's own service (so the fixture passes the policy on the way in), and returns the
  route parameters that address it.
* :class:`LeakCase` — how to call one route (method and path template as registered,
  which fixture fills its parameters, a form or JSON body for writes).

:func:`run` then checks, for every principal and every case:

1. **Secrets** — no response (status line, headers, body: titles, counts, error pages)
   contains the secret of a fixture the principal may not read (``policy.can_read`` is
   the reference).
2. **Non-interference** — for read routes, adding objects the principal may not read
   changes nothing in the response: not a count, a facet, a page number.
3. **Reach** — every fixture's secret is seen by some principal who may read it, so a
   route that shows nothing at all cannot pass for a safe one.
4. **Coverage** — every route of the app has a case; a new route without one fails.
5. **No crash** — no route answers a server error (5xx) to any principal.
"""

from __future__ import annotations

import difflib
import re
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from baken.core import policy, sessions
from baken.core.config import Settings
from baken.core.db import transaction
from baken.core.markings import Level, Marking, Service
from baken.core.principals import Principal
from baken.core.users import UserCreate, create
from baken.web.context import CSRF_HEADER, SESSION_COOKIE

Params = dict[str, Any]


@dataclass(frozen=True)
class LeakFixture:
    """``make(session, author, marking, secret) -> params`` creates one object."""

    name: str
    kind: str
    make: Callable[[Session, Principal, Marking, str], Params]


@dataclass(frozen=True)
class LeakCase:
    method: str
    path: str
    fixture: str | None = None
    form: Callable[[Params], dict[str, Any]] | None = None
    json: Callable[[Params], Any] | None = None
    query: dict[str, str] = field(default_factory=dict)
    # Path parameters when no fixture fills them (e.g. an id that does not exist).
    params: Params = field(default_factory=dict)
    # Writes run in this order; signing out goes last.
    order: int = 0
    # Read routes are compared before and after hidden objects are added; routes whose
    # answer changes with every request (the audit log shows the harness's own reads)
    # are checked for secrets only.
    differential: bool = True


@dataclass(frozen=True)
class Seat:
    """A principal in the matrix: how to make it and what to call it in reports."""

    name: str
    data: UserCreate


PASSWORD = "leak-matrix-password-1"  # noqa: S105 - a test account in a throwaway store


def _user(
    name: str,
    clearance: Level,
    roles: set[str],
    service: Service | None = None,
    organisation: str | None = None,
    compartments: Iterable[str] = (),
) -> Seat:
    return Seat(
        name,
        UserCreate(
            username=name,
            display_name=name,
            password=PASSWORD,
            clearance=clearance,
            service=service,
            organisation=organisation,
            roles=frozenset(roles),
            compartments=frozenset(compartments),
        ),
    )


INTERNAL_ROLES = {
    "analyst",
    "planner",
    "team_lead",
    "admin",
    "screening_officer",
    "protect_officer",
}

# Each clearance level, with and without a compartment, the other service, the
# oversight, and external recipients.
SEATS: tuple[Seat, ...] = (
    *(_user(f"aivd-{lvl.name.lower()}", lvl, INTERNAL_ROLES, Service.AIVD) for lvl in Level),
    _user(
        "aivd-zg-kobalt",
        Level.STG_ZEER_GEHEIM,
        INTERNAL_ROLES,
        Service.AIVD,
        compartments={"KOBALT"},
    ),
    _user("aivd-g-kobalt", Level.STG_GEHEIM, INTERNAL_ROLES, Service.AIVD, compartments={"KOBALT"}),
    _user("mivd-zg", Level.STG_ZEER_GEHEIM, INTERNAL_ROLES, Service.MIVD),
    _user(
        "mivd-zg-kobalt",
        Level.STG_ZEER_GEHEIM,
        INTERNAL_ROLES,
        Service.MIVD,
        compartments={"KOBALT"},
    ),
    _user(
        "rubricering",
        Level.STG_ZEER_GEHEIM,
        {"classification_officer"},
        Service.AIVD,
        compartments={"KOBALT"},
    ),
    _user("ctivd", Level.STG_GEHEIM, {"overseer"}, organisation="CTIVD"),
    _user("nctv", Level.STG_ZEER_GEHEIM, {"partner_recipient"}, organisation="NCTV"),
    _user("partner-a", Level.STG_GEHEIM, {"partner_recipient"}, organisation="PARTNER-A"),
    _user(
        "werkgever",
        Level.STG_CONFIDENTIEEL,
        {"employer_security_officer"},
        organisation="EMPLOYER-A",
    ),
    _user("civd", Level.STG_GEHEIM, {"civd_member"}, organisation="CIVD"),
)

# One seat for each reason the rule refuses: clearance (low and middle), compartment,
# the other service, oversight, a partner, a foreign partner, an employer. The full matrix
# reads every route as every seat; its write and non-interference passes, which cost as
# much again, run as these seats (each a different branch of the rule's SQL).
REASON_SEATS: tuple[str, ...] = (
    "aivd-ongerubriceerd",
    "aivd-stg_geheim",
    "aivd-g-kobalt",
    "mivd-zg",
    "ctivd",
    "nctv",
    "partner-a",
    "werkgever",
)

AUTHOR = _user(
    "leak-author",
    Level.STG_ZEER_GEHEIM,
    {"analyst", "planner", "team_lead", "admin"},
    Service.AIVD,
    compartments={"KOBALT", "SCHADUW"},
)
MIVD_AUTHOR = _user(
    "leak-author-mivd",
    Level.STG_ZEER_GEHEIM,
    {"analyst", "planner", "team_lead", "admin"},
    Service.MIVD,
    compartments={"KOBALT", "SCHADUW"},
)

# The markings fixtures are made at: every level, a compartment, both owners and joint,
# releasability to the other service, to partners and to an employer, a third party's
# material.
MARKINGS: tuple[Marking, ...] = (
    Marking.of("ONGERUBRICEERD", "JOINT"),
    Marking.of("DEP_VERTROUWELIJK", "AIVD"),
    Marking.of("STG_CONFIDENTIEEL", "JOINT"),
    Marking.of("STG_GEHEIM", "AIVD"),
    Marking.of("STG_GEHEIM", "AIVD", compartments={"KOBALT"}),
    Marking.of("STG_ZEER_GEHEIM", "AIVD"),
    Marking.of("STG_ZEER_GEHEIM", "JOINT", compartments={"KOBALT"}),
    Marking.of("STG_GEHEIM", "MIVD"),
    Marking.of("STG_GEHEIM", "MIVD", releasable_to={"AIVD"}),
    Marking.of("STG_CONFIDENTIEEL", "AIVD", releasable_to={"NCTV"}),
    Marking.of("DEP_VERTROUWELIJK", "JOINT", releasable_to={"EMPLOYER-A"}),
    Marking.of("STG_GEHEIM", "AIVD", originators={"PARTNER-A"}),
    Marking.of("STG_GEHEIM", "AIVD", originators={"PARTNER-A"}, releasable_to={"PARTNER-A"}),
)

# One marking for each branch of the rule's SQL: joint and the lowest level, a level of one
# service, a compartment (alone and with a joint top level), the other service, released
# to the other service, to a partner and to an employer, and a third party's material
# (not released, and released to it). The PostgreSQL pass of `make test` runs these (the
# full set runs on SQLite, and the rule's SQL agrees with its Python form on both stores).
REASON_MARKINGS: tuple[Marking, ...] = tuple(
    m
    for m in MARKINGS
    if m.key()
    not in {
        Marking.of("DEP_VERTROUWELIJK", "AIVD").key(),
        Marking.of("STG_CONFIDENTIEEL", "JOINT").key(),
        Marking.of("STG_ZEER_GEHEIM", "AIVD").key(),
    }
)

# Objects only the authors may read: what the non-interference pass adds.
HIDDEN = Marking.of("STG_ZEER_GEHEIM", "AIVD", compartments={"SCHADUW"})

# Parts of a response that differ per request without carrying data.
VOLATILE = re.compile(
    r'(name="csrf_token" value=")[^"]*|("X-CSRF-Token": ")[^"]*|(csrf_token=)[^&"]*'
)
SKIPPED_PATH_PREFIXES = ("/static",)


class LeakFound(AssertionError):
    pass


@dataclass
class Secret:
    text: str
    fixture: str
    kind: str
    marking: Marking
    params: Params
    seen_by_reader: bool = False


@dataclass
class World:
    client: TestClient
    factory: sessionmaker[Session]
    principals: dict[str, Principal] = field(default_factory=dict)
    cookies: dict[str, tuple[str, str]] = field(default_factory=dict)  # session, csrf
    tokens: dict[str, str] = field(default_factory=dict)
    secrets: list[Secret] = field(default_factory=list)
    authors: dict[Service, Principal] = field(default_factory=dict)


def _seat_in(session: Session, settings: Settings, seat: Seat) -> tuple[Principal, str, str, str]:
    create(session, settings=settings, principal=None, data=seat.data)
    new = sessions.login(session, settings=settings, username=seat.data.username, password=PASSWORD)
    token, _ = sessions.create_token(session, principal=new.principal, name="leak matrix")
    return new.principal, new.token, new.csrf_token, token


def build_world(
    app: FastAPI,
    fixtures: list[LeakFixture],
    seats: Iterable[Seat] = SEATS,
    markings: Iterable[Marking] = MARKINGS,
) -> World:
    settings: Settings = app.state.settings
    world = World(
        client=TestClient(app, raise_server_exceptions=False), factory=app.state.sessionmaker
    )
    with transaction(world.factory) as session:
        for seat in seats:
            p, cookie, csrf, token = _seat_in(session, settings, seat)
            world.principals[seat.name] = p
            world.cookies[seat.name] = (cookie, csrf)
            world.tokens[seat.name] = token
        for seat, service in ((AUTHOR, Service.AIVD), (MIVD_AUTHOR, Service.MIVD)):
            create(session, settings=settings, principal=None, data=seat.data)
            world.authors[service] = sessions.login(
                session, settings=settings, username=seat.data.username, password=PASSWORD
            ).principal
    add_fixtures(world, fixtures, markings)
    return world


def add_fixtures(
    world: World, fixtures: list[LeakFixture], markings: Iterable[Marking], record: bool = True
) -> None:
    with transaction(world.factory) as session:
        for fixture in fixtures:
            for marking in markings:
                author = world.authors[
                    Service.MIVD if marking.owner is Service.MIVD else Service.AIVD
                ]
                text = f"LEAK{secrets.token_hex(6).upper()}"
                params = fixture.make(session, author, marking, text)
                if record:
                    world.secrets.append(Secret(text, fixture.name, fixture.kind, marking, params))


def route_keys(app: FastAPI) -> set[tuple[str, str]]:
    """Every (method, path) the app answers, through included routers too. FastAPI keeps
    included routers nested; ``iter_route_contexts`` is its public way to flatten them."""
    keys = set()
    for ctx in iter_route_contexts(app.routes):
        path, methods = ctx.path, ctx.methods
        if path is None or methods is None or path.startswith(SKIPPED_PATH_PREFIXES):
            continue
        keys |= {(m, path) for m in methods if m != "HEAD"}
    return keys


def check_coverage(app: FastAPI, cases: list[LeakCase]) -> None:
    covered = {(c.method, c.path) for c in cases}
    missing = sorted(route_keys(app) - covered)
    if missing:
        raise LeakFound(
            "routes without a leak-matrix case: " + ", ".join(f"{m} {p}" for m, p in missing)
        )


def _expand(case: LeakCase, world: World) -> list[Params]:
    if case.fixture is None:
        return [dict(case.params)]
    found = [s.params for s in world.secrets if s.fixture == case.fixture]
    if not found:
        raise LeakFound(f"case {case.method} {case.path} names unknown fixture {case.fixture}")
    return found


def _call(world: World, seat: str, case: LeakCase, params: Params) -> str:
    path = case.path.format(**params)
    headers: dict[str, str] = {}
    api = path.startswith("/api/")
    if api:
        headers["Authorization"] = f"Bearer {world.tokens[seat]}"
    else:
        cookie, csrf = world.cookies[seat]
        world.client.cookies.clear()
        world.client.cookies.set(SESSION_COOKIE, cookie)
        if case.method != "GET":
            headers[CSRF_HEADER] = csrf
    kwargs: dict[str, Any] = {"headers": headers, "params": case.query or None}
    if case.form is not None:
        kwargs["data"] = case.form(params)
    if case.json is not None:
        kwargs["json"] = case.json(params)
    response = world.client.request(case.method, path, follow_redirects=False, **kwargs)
    head = "\n".join(f"{k}: {v}" for k, v in response.headers.items() if k.lower() != "set-cookie")
    return f"{response.status_code}\n{head}\n{response.text}"


def _key(seat: str, case: LeakCase, params: Params) -> tuple[str, str, str, str]:
    """One answer of the first pass: the same path asked with another query is another."""
    query = "&".join(f"{k}={v}" for k, v in sorted((case.query or {}).items()))
    return (seat, case.path.format(**params), case.method, query)


def _diff(before: str, after: str, lines: int = 6) -> str:
    """The first lines that differ, to show what a route gave away."""
    changed = [
        line
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), n=0, lineterm="")
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]
    return "\n".join(f"    {line[:200]}" for line in changed[:lines])


def _normal(text: str) -> str:
    return VOLATILE.sub(lambda m: m.group(1) or m.group(2) or m.group(3), text)


def _check_secrets(world: World, seat: str, case: LeakCase, text: str, problems: list[str]) -> None:
    principal = world.principals[seat]
    if text.startswith("5"):
        # A crash leaks nothing here, but it is a route that fails some reader.
        problems.append(f"{case.method} {case.path} answers {text[:3]} to {seat}")
    for secret in world.secrets:
        if secret.text not in text:
            continue
        if policy.can_read(principal, secret.kind, secret.marking):
            secret.seen_by_reader = True
        else:
            problems.append(
                f"{case.method} {case.path} shows {secret.fixture} at "
                f"[{secret.marking.key()}] to {seat}"
            )


def run(
    app: FastAPI,
    fixtures: list[LeakFixture],
    cases: list[LeakCase],
    seats: Iterable[Seat] = SEATS,
    markings: Iterable[Marking] = MARKINGS,
    coverage: bool = True,
    probes: Iterable[str] | None = None,
) -> World:
    """Run the matrix; raise :class:`LeakFound` listing every problem. The defaults are
    the full matrix; a smaller one serves the harness's own self-tests (and a developer's
    run over some routes, without the coverage check). ``probes`` names the seats that
    run the non-interference and write passes (all seats when None)."""
    if coverage:
        check_coverage(app, cases)
    world = build_world(app, fixtures, seats, markings)
    # One event loop and thread pool for all requests (entering the client starts its
    # portal): without it every request starts a thread and an event loop of its own.
    with world.client:
        problems: list[str] = []
        reads = [c for c in cases if c.method == "GET"]
        writes = sorted((c for c in cases if c.method != "GET"), key=lambda c: c.order)
        before: dict[tuple[str, str, str, str], str] = {}
        # A list route named with a fixture expands to one request per fixture object, all
        # alike (the path has no parameter): each seat asks it once, as every answer is
        # checked for every secret anyway.
        asked: set[tuple[str, str, str, str]] = set()
        for seat in world.principals:
            for case in reads:
                for params in _expand(case, world):
                    key = _key(seat, case, params)
                    if key in asked:
                        continue
                    asked.add(key)
                    text = _call(world, seat, case, params)
                    _check_secrets(world, seat, case, text, problems)
                    if case.differential:
                        before[key] = _normal(text)
        # Non-interference: add objects no seat may read, then every read must answer alike.
        add_fixtures(world, fixtures, [HIDDEN], record=False)
        probing = set(world.principals) if probes is None else set(probes)
        for seat, principal in world.principals.items():
            if seat not in probing:
                continue
            if any(policy.can_read(principal, f.kind, HIDDEN) for f in fixtures):
                continue
            again: set[tuple[str, str, str, str]] = set()
            for case in reads:
                if not case.differential:
                    continue
                for params in _expand(case, world):
                    key = _key(seat, case, params)
                    if key in again:
                        continue
                    again.add(key)
                    after = _normal(_call(world, seat, case, params))
                    if after != before[key]:
                        problems.append(
                            f"{case.method} {key[1]} answers {seat} differently once "
                            f"objects it may not read exist:\n{_diff(before[key], after)}"
                        )
        for seat in world.principals:
            if seat not in probing:
                continue
            for case in writes:
                for params in _expand(case, world):
                    _check_secrets(world, seat, case, _call(world, seat, case, params), problems)
        unseen = [
            s
            for s in world.secrets
            if not s.seen_by_reader
            and any(policy.can_read(p, s.kind, s.marking) for p in world.principals.values())
        ]
        for secret in unseen:
            problems.append(
                f"no route showed {secret.fixture} [{secret.marking.key()}] even to "
                "a principal who may read it: is the fixture reachable?"
            )
    if problems:
        raise LeakFound(f"{len(problems)} problem(s):\n" + "\n".join(sorted(set(problems))))
    return world
