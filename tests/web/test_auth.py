"""Authentication: argon2id, sessions, cookies, lockout with back-off, logout, tokens."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from baken.core import sessions
from baken.core.config import Settings
from baken.core.db import transaction
from baken.core.markings import Level
from baken.core.models import ApiToken, User, WebSession
from baken.core.timeutil import aware, utcnow
from baken.web.app import create_app
from tests.conftest import PASSWORD, People, csrf_headers, login


def test_passwords_are_argon2id(people: People, factory: sessionmaker[Session]) -> None:
    people.add("ana")
    with transaction(factory) as session:
        stored = session.scalar(select(User.password_hash).where(User.username == "ana"))
    assert stored is not None
    assert stored.startswith("$argon2id$")
    assert PASSWORD not in stored


def test_session_cookie_flags(client: TestClient, people: People) -> None:
    people.add("ana")
    page = client.get("/login")
    csrf = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    response = client.post(
        "/login",
        data={"username": "ana", "password": PASSWORD, "csrf_token": csrf},
        follow_redirects=False,
    )
    cookie = response.headers["set-cookie"].lower()
    assert "baken_session=" in cookie
    assert "httponly" in cookie
    assert "samesite=strict" in cookie
    assert "secure" not in cookie.split("baken_session=")[1].split(",")[0]


def test_secure_flag_under_tls(settings: Settings, people: People) -> None:
    people.add("ana")
    app = create_app(settings.model_copy(update={"secure_cookies": True}))
    client = TestClient(app, base_url="https://testserver")
    page = client.get("/login")
    csrf = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    response = client.post(
        "/login",
        data={"username": "ana", "password": PASSWORD, "csrf_token": csrf},
        follow_redirects=False,
    )
    assert "secure" in response.headers["set-cookie"].lower()
    assert "max-age=31536000" in response.headers["strict-transport-security"]
    app.state.engine.dispose()


def test_session_fixation(client: TestClient, people: People) -> None:
    people.add("ana")
    client.cookies.set("baken_session", "chosen-by-the-attacker", domain="testserver.local")
    login(client, "ana")
    values = [c.value for c in client.cookies.jar if c.name == "baken_session"]
    assert values
    assert "chosen-by-the-attacker" not in values


def test_logout_ends_the_session(client: TestClient, people: People) -> None:
    people.add("ana")
    token = login(client, "ana")
    cookie = client.cookies.get("baken_session")
    assert client.get("/", follow_redirects=False).status_code == 200
    assert (
        client.post("/logout", data={"csrf_token": token}, follow_redirects=False).status_code
        == 303
    )
    client.cookies.set("baken_session", cookie or "")
    again = client.get("/", follow_redirects=False)
    assert again.status_code == 303
    assert again.headers["location"].startswith("/login")


def test_lockout_with_back_off(
    client: TestClient, people: People, settings: Settings, factory: sessionmaker[Session]
) -> None:
    people.add("ana")

    def attempt(password: str) -> int:
        page = client.get("/login")
        csrf = page.text.split('name="csrf_token" value="')[1].split('"')[0]
        return client.post(
            "/login",
            data={"username": "ana", "password": password, "csrf_token": csrf},
            follow_redirects=False,
        ).status_code

    for _ in range(settings.lockout_threshold):
        assert attempt("wrong") == 401
    # Locked: even the right password is refused, with the lockout message.
    page = client.get("/login")
    csrf = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    locked = client.post(
        "/login", data={"username": "ana", "password": PASSWORD, "csrf_token": csrf}
    )
    assert locked.status_code == 401
    assert "geblokkeerd" in locked.text
    with transaction(factory) as session:
        user = session.scalar(select(User).where(User.username == "ana"))
        assert user is not None
        assert user.locked_until is not None
        first = aware(user.locked_until) - utcnow()
        assert timedelta(seconds=20) < first <= timedelta(seconds=settings.lockout_base_seconds)
        user.locked_until = utcnow() - timedelta(seconds=1)
    # One more failure after the lock: the lock doubles.
    assert attempt("wrong") == 401
    with transaction(factory) as session:
        user = session.scalar(select(User).where(User.username == "ana"))
        assert user is not None
        assert user.locked_until is not None
        second = aware(user.locked_until) - utcnow()
        assert second > timedelta(seconds=settings.lockout_base_seconds * 2 - 10)
        user.locked_until = utcnow() - timedelta(seconds=1)
    assert attempt(PASSWORD) == 303
    with transaction(factory) as session:
        user = session.scalar(select(User).where(User.username == "ana"))
        assert user is not None
        assert user.failed_logins == 0


def test_disabled_user_cannot_sign_in_and_loses_sessions(
    client: TestClient, people: People, settings: Settings, factory: sessionmaker[Session]
) -> None:
    people.add("ana")
    people.add("beheer", roles={"admin"})
    login(client, "ana")
    with transaction(factory) as session:
        from baken.core.users import set_disabled

        set_disabled(session, principal=None, username="ana")
        open_sessions = session.scalars(
            select(WebSession).where(WebSession.ended_at.is_(None))
        ).all()
        assert open_sessions == []
    assert client.get("/", follow_redirects=False).status_code == 303


def test_api_tokens(client: TestClient, people: People, factory: sessionmaker[Session]) -> None:
    people.add("ana", Level.STG_GEHEIM)
    csrf = login(client, "ana")
    made = client.post(
        "/api/v1/tokens", headers=csrf_headers(csrf), json={"name": "script", "days": 30}
    )
    assert made.status_code == 201
    token = made.json()["token"]
    with transaction(factory) as session:
        row = session.scalar(select(ApiToken))
        assert row is not None
        assert row.token_hash not in token
        assert token not in row.token_hash
    api = TestClient(client.app)
    me = api.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200
    assert me.json()["username"] == "ana"
    # A bearer token needs no CSRF token: browsers never send it by themselves.
    write = api.post(
        "/api/v1/notices",
        headers={"Authorization": f"Bearer {token}"},
        json={"title": "t", "body": "b", "marking": {"level": 0}},
    )
    assert write.status_code == 201
    for bad in (token[:-2] + "xx", "bkn_nothing", "garbage"):
        refused = api.get("/api/v1/me", headers={"Authorization": f"Bearer {bad}"})
        assert refused.status_code == 401
    with transaction(factory) as session:
        session.execute(update(ApiToken).values(expires_at=utcnow() - timedelta(seconds=1)))
    assert api.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_revoked_token_is_refused(
    people: People, settings: Settings, factory: sessionmaker[Session]
) -> None:
    principal = people.add("ana")
    with transaction(factory) as session:
        token, public = sessions.create_token(session, principal=principal, name="t")
    with transaction(factory) as session:
        assert sessions.resolve_token(session, bearer=token) is not None
        sessions.revoke_token(session, principal=principal, token_id=public.id)
    with transaction(factory) as session:
        assert sessions.resolve_token(session, bearer=token) is None


def test_open_redirect_after_login_is_refused(client: TestClient, people: People) -> None:
    people.add("ana")
    page = client.get("/login?next=//evil.example/x")
    csrf = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    response = client.post(
        "/login",
        data={
            "username": "ana",
            "password": PASSWORD,
            "csrf_token": csrf,
            "next": "https://evil.example",
        },
        follow_redirects=False,
    )
    assert response.headers["location"] == "/"


def test_security_headers(client: TestClient) -> None:
    response = client.get("/login")
    assert "default-src 'self'" in response.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["cache-control"] == "no-store"
