"""Rate limits: sign-in attempts and bad API tokens per client address, new API tokens per
user. A refused attempt is not tried (nothing changes) and the refusal is audited."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import ValidationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from baken.core import sessions
from baken.core.config import Settings
from baken.core.db import transaction
from baken.core.models import ApiToken, AuditEntry, User, WebSession
from baken.web.app import create_app
from tests.conftest import PASSWORD, People, csrf_headers, login


@pytest.fixture
def tight(settings: Settings) -> Iterator[FastAPI]:
    strict = settings.model_copy(
        update={
            "rate_login": "3/minute",
            "rate_bad_token": "2/minute",
            "rate_token_create": "2/hour",
        }
    )
    application = create_app(strict)
    yield application
    application.state.engine.dispose()


def _attempt(client: TestClient, username: str, password: str) -> int:
    page = client.get("/login")
    marker = 'name="csrf_token" value="'
    start = page.text.index(marker) + len(marker)
    csrf = page.text[start : page.text.index('"', start)]
    return client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": csrf, "next": "/"},
        follow_redirects=False,
    ).status_code


def _refusals(factory: sessionmaker[Session], door: str) -> int:
    with transaction(factory) as session:
        rows = session.scalars(
            select(AuditEntry.details).where(
                AuditEntry.action == "request.refused", AuditEntry.outcome == "429"
            )
        )
        return sum(1 for d in rows if d and d.get("reason") == f"rate limited: {door}")


def test_sign_in_attempts_per_address(
    tight: FastAPI, people: People, factory: sessionmaker[Session]
) -> None:
    people.add("ana")
    people.add("bob")
    client = TestClient(tight, raise_server_exceptions=False)
    # Spraying: one guess each at several accounts from one address.
    assert [_attempt(client, name, "wrong") for name in ("ana", "bob", "ana")] == [401] * 3
    with transaction(factory) as session:
        before = {u: n for u, n in session.execute(select(User.username, User.failed_logins))}
    page = client.get("/login")
    marker = 'name="csrf_token" value="'
    start = page.text.index(marker) + len(marker)
    refused = client.post(
        "/login",
        data={
            "username": "bob",
            "password": PASSWORD,
            "csrf_token": page.text[start : page.text.index('"', start)],
            "next": "/",
        },
        follow_redirects=False,
    )
    # Refused even with the right password, and not tried: nothing changed.
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["retry-after"]) <= 60
    assert "Te veel aanmeldpogingen vanaf uw adres" in refused.text
    assert "baken_session" not in refused.cookies
    with transaction(factory) as session:
        after = {u: n for u, n in session.execute(select(User.username, User.failed_logins))}
        assert session.scalar(select(func.count()).select_from(WebSession)) == 0
    assert after == before
    assert _refusals(factory, "login") == 1
    # Another address is not affected.
    other = TestClient(tight, raise_server_exceptions=False, client=("192.0.2.7", 50000))
    assert _attempt(other, "bob", PASSWORD) == 303


def test_bad_tokens_per_address(
    tight: FastAPI, people: People, factory: sessionmaker[Session]
) -> None:
    ana = people.add("ana")
    with transaction(factory) as session:
        token, _ = sessions.create_token(session, principal=ana, name="script")
    api = TestClient(tight, raise_server_exceptions=False)
    good = {"Authorization": f"Bearer {token}"}
    assert api.get("/api/v1/me", headers=good).status_code == 200  # good ones do not count
    for guess in ("bkn_guess1", "bkn_guess2"):
        assert (
            api.get("/api/v1/me", headers={"Authorization": f"Bearer {guess}"}).status_code == 401
        )
    # The window is full: the address is not even checked, a good token included.
    blocked = api.get("/api/v1/me", headers=good)
    assert blocked.status_code == 429
    assert blocked.headers["content-type"] == "application/problem+json"
    assert blocked.json()["status"] == 429
    assert int(blocked.headers["retry-after"]) >= 1
    assert _refusals(factory, "bad_token") == 1
    elsewhere = TestClient(tight, raise_server_exceptions=False, client=("192.0.2.8", 50000))
    assert elsewhere.get("/api/v1/me", headers=good).status_code == 200


def test_new_tokens_per_user(
    tight: FastAPI, people: People, factory: sessionmaker[Session]
) -> None:
    people.add("ana")
    client = TestClient(tight, raise_server_exceptions=False)
    csrf = login(client, "ana")
    made = [
        client.post("/api/v1/tokens", headers=csrf_headers(csrf), json={"name": f"t{i}"})
        for i in range(2)
    ]
    assert [r.status_code for r in made] == [201, 201]
    third = client.post("/api/v1/tokens", headers=csrf_headers(csrf), json={"name": "t3"})
    assert third.status_code == 429
    page = client.post("/account/tokens", data={"name": "t4", "days": "30", "csrf_token": csrf})
    assert page.status_code == 429
    assert "te veel API-tokens" in page.text
    with transaction(factory) as session:
        assert session.scalar(select(func.count()).select_from(ApiToken)) == 2
    assert _refusals(factory, "token_create") == 2


@pytest.mark.parametrize("bad", ["twenty per minute", "20/fortnight", ""])
def test_a_bad_rate_is_refused_when_the_settings_are_read(bad: str) -> None:
    with pytest.raises(ValidationError, match="is not a rate"):
        Settings(rate_login=bad)
