"""Nothing secret in the logs: no passwords or tokens in any log record or audit entry,
and no query strings (search terms, BSNs) in the web server's access log."""

from __future__ import annotations

import logging

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from baken.core.config import Settings
from baken.core.db import transaction
from baken.core.models import AuditEntry
from baken.web.accesslog import ACCESS_LOGGER, DropQueryString, install
from baken.web.app import create_app
from tests.conftest import PASSWORD, People, csrf_headers, login


def _uvicorn_line(path: str) -> logging.LogRecord:
    # As uvicorn's h11/httptools protocols log a response.
    return logging.LogRecord(
        ACCESS_LOGGER,
        logging.INFO,
        __file__,
        1,
        '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5555", "GET", path, "1.1", 200),
        None,
    )


def test_the_access_log_drops_query_strings() -> None:
    record = _uvicorn_line("/register?bsn=123456782&page=2")
    assert DropQueryString().filter(record)
    line = record.getMessage()
    assert "123456782" not in line
    assert line == '127.0.0.1:5555 - "GET /register?… HTTP/1.1" 200'
    plain = _uvicorn_line("/zoeken")
    DropQueryString().filter(plain)
    assert plain.getMessage() == '127.0.0.1:5555 - "GET /zoeken HTTP/1.1" 200'


def test_the_filter_is_installed_once_by_the_app(client: TestClient) -> None:
    install()
    found = [f for f in logging.getLogger(ACCESS_LOGGER).filters if isinstance(f, DropQueryString)]
    assert len(found) == 1


def test_passwords_and_tokens_are_never_logged_or_audited(
    client: TestClient,
    people: People,
    factory: sessionmaker[Session],
    caplog: pytest.LogCaptureFixture,
) -> None:
    people.add("ana")
    wrong = "Verkeerd-wachtwoord-4711"
    caplog.set_level(logging.DEBUG)
    page = client.get("/login")
    marker = 'name="csrf_token" value="'
    start = page.text.index(marker) + len(marker)
    csrf = page.text[start : page.text.index('"', start)]
    failed = client.post(
        "/login",
        data={"username": "ana", "password": wrong, "csrf_token": csrf, "next": "/"},
        follow_redirects=False,
    )
    assert failed.status_code == 401
    csrf = login(client, "ana")
    session_cookie = client.cookies.get("baken_session")
    assert session_cookie
    made = client.post("/api/v1/tokens", headers=csrf_headers(csrf), json={"name": "script"})
    token = made.json()["token"]
    api = TestClient(client.app)
    assert api.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    bad = token[:-3] + "xyz"
    assert api.get("/api/v1/me", headers={"Authorization": f"Bearer {bad}"}).status_code == 401
    secrets = (PASSWORD, wrong, token, bad, session_cookie, csrf)
    assert caplog.records, "the flows above log nothing at all: the check would prove nothing"
    for secret in secrets:
        assert secret not in caplog.text
    with transaction(factory) as session:
        audited = " ".join(str(d) for d in session.scalars(select(AuditEntry.details)))
    # The failed sign-in and the new token are audited (by name and prefix, not value).
    assert "'failures': 1" in audited
    assert "'name': 'script'" in audited
    for secret in secrets:
        assert secret not in audited


def test_a_crash_logs_its_traceback_and_shows_nothing_of_it(
    settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    application = create_app(settings)

    @application.get("/api/v1/boom-for-the-test")
    def boom() -> None:
        raise RuntimeError("detail-only-for-the-log")

    with TestClient(application, raise_server_exceptions=False) as client:
        answer = client.get("/api/v1/boom-for-the-test")
    application.state.engine.dispose()
    assert answer.status_code == 500
    assert "detail-only-for-the-log" not in answer.text
    assert "Traceback" in caplog.text
    assert "RuntimeError: detail-only-for-the-log" in caplog.text
