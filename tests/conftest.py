"""Fixtures on a real database: SQLite by default, PostgreSQL when
``BAKEN_TEST_DATABASE_URL`` points at the server ``make test`` starts.

The schema is built once per run by the real migrations into a template; each test gets
its own copy (a file copy on SQLite, ``CREATE DATABASE … TEMPLATE`` on PostgreSQL).
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from baken.core.config import Settings
from baken.core.db import make_engine, make_sessionmaker, transaction
from baken.core.markings import Level, Service
from baken.core.principals import Principal
from baken.core.users import UserCreate, create, to_principal
from baken.migrations import upgrade
from baken.web.app import create_app
from baken.web.context import CSRF_HEADER

PG_URL = os.environ.get("BAKEN_TEST_DATABASE_URL", "")
PASSWORD = "correct horse battery"


def pytest_report_header() -> str:
    if PG_URL:
        return (
            f"baken database backend: PostgreSQL at {make_url(PG_URL).host}:{make_url(PG_URL).port}"
        )
    return "baken database backend: SQLite (embedded)"


def _pg_admin(statement: str, *names: str) -> None:
    """DDL on databases takes no bound parameters: compose identifiers with psycopg."""
    from psycopg import sql

    engine = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    try:
        raw = engine.raw_connection()
        try:
            with raw.cursor() as cur:
                cur.execute(sql.SQL(statement).format(*(sql.Identifier(n) for n in names)))
        finally:
            raw.close()
    finally:
        engine.dispose()


def _pg_url(database: str) -> str:
    return make_url(PG_URL).set(database=database).render_as_string(hide_password=False)


def _fast(settings_kwargs: dict[str, object]) -> Settings:
    # argon2 at its cheapest: the tests log in hundreds of times, all from one address
    # ("testclient"), so the rate limits are wide open unless a test sets them
    # (tests/web/test_rate_limits.py).
    kwargs: dict[str, object] = {
        "argon2_time_cost": 1,
        "argon2_memory_kib": 64,
        "rate_login": "100000/minute",
        "rate_bad_token": "100000/minute",
        "rate_token_create": "100000/minute",
    }
    return Settings(**(kwargs | settings_kwargs))  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if not PG_URL:
        path = tmp_path_factory.mktemp("template") / "baken.sqlite"
        settings = _fast({"database_url": f"sqlite:///{path}"})
        engine = make_engine(settings)
        upgrade(settings, engine=engine)
        engine.dispose()  # the last connection to close folds the WAL into the file
        yield str(path)
        return
    name = f"baken_tpl_{uuid.uuid4().hex[:8]}"
    _pg_admin("CREATE DATABASE {}", name)
    settings = _fast({"database_url": _pg_url(name)})
    engine = make_engine(settings)
    upgrade(settings, engine=engine)
    engine.dispose()
    yield name
    _pg_admin("DROP DATABASE IF EXISTS {} WITH (FORCE)", name)


@contextmanager
def database(template: str, tmp: Path, prefix: str = "baken_t") -> Iterator[Settings]:
    """Settings on a fresh copy of the migrated template (a file copy on SQLite,
    ``CREATE DATABASE … TEMPLATE`` on PostgreSQL, dropped afterwards)."""
    if not PG_URL:
        target = tmp / "baken.sqlite"
        shutil.copy(template, target)
        yield _fast({"data_dir": tmp, "database_url": f"sqlite:///{target}"})
        return
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    _pg_admin("CREATE DATABASE {} TEMPLATE {}", name, template)
    try:
        yield _fast({"data_dir": tmp, "database_url": _pg_url(name)})
    finally:
        _pg_admin("DROP DATABASE IF EXISTS {} WITH (FORCE)", name)


@pytest.fixture
def settings(template: str, tmp_path: Path) -> Iterator[Settings]:
    with database(template, tmp_path) as found:
        yield found


@pytest.fixture(scope="module")
def msettings(template: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    """One database for all tests of a module, for worlds built once per module (each
    test then makes the objects it changes)."""
    with database(template, tmp_path_factory.mktemp("module"), "baken_m") as found:
        yield found


@pytest.fixture(scope="module")
def mfactory(msettings: Settings) -> Iterator[sessionmaker[Session]]:
    engine = make_engine(msettings)
    yield make_sessionmaker(engine)
    engine.dispose()


@pytest.fixture
def factory(settings: Settings) -> Iterator[sessionmaker[Session]]:
    engine = make_engine(settings)
    yield make_sessionmaker(engine)
    engine.dispose()


@pytest.fixture
def app(settings: Settings) -> Iterator[FastAPI]:
    application = create_app(settings)
    yield application
    application.state.engine.dispose()


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    # Entered, the client keeps one event loop and thread pool for all its requests.
    with TestClient(app, raise_server_exceptions=False) as entered:
        yield entered


class People:
    """Make users through the real service and sign them in."""

    def __init__(self, settings: Settings, factory: sessionmaker[Session]) -> None:
        self.settings, self.factory = settings, factory

    def add(
        self,
        username: str,
        clearance: Level = Level.STG_GEHEIM,
        roles: set[str] | None = None,
        service: Service | None = Service.AIVD,
        organisation: str | None = None,
        compartments: set[str] | None = None,
    ) -> Principal:
        data = UserCreate(
            username=username,
            display_name=username.title(),
            password=PASSWORD,
            clearance=clearance,
            service=service,
            organisation=organisation,
            roles=frozenset(roles or {"analyst"}),
            compartments=frozenset(compartments or ()),
        )
        with transaction(self.factory) as session:
            public = create(session, settings=self.settings, principal=None, data=data)
            from baken.core.models import User

            user = session.get(User, public.id)
            assert user is not None
            return to_principal(user)


@pytest.fixture
def people(settings: Settings, factory: sessionmaker[Session]) -> People:
    return People(settings, factory)


def login(client: TestClient, username: str, password: str = PASSWORD) -> str:
    """Sign in through the login form as a browser would; return the CSRF token."""
    page = client.get("/login")
    csrf = _csrf_from(page.text)
    response = client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": csrf, "next": "/"},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    home = client.get("/")
    return _csrf_from(home.text)


def _csrf_from(html: str) -> str:
    marker = 'name="csrf_token" value="'
    start = html.index(marker) + len(marker)
    return html[start : html.index('"', start)]


def csrf_headers(token: str) -> dict[str, str]:
    return {CSRF_HEADER: token}
