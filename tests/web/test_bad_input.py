"""Bad input gets a clear 4xx, changes nothing, shows nothing internal, and is audited."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, sessionmaker

from baken.core.db import transaction
from baken.core.markings import Level
from baken.core.models import AuditEntry, WebSession
from baken.core.timeutil import utcnow
from baken.notices.models import Notice
from tests.conftest import People, csrf_headers, login

NOTICE = {"title": "Test", "body": "Tekst", "level": "ONGERUBRICEERD", "owner": "JOINT"}


def _count(factory: sessionmaker[Session], model: type) -> int:
    with transaction(factory) as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def _last_refusal(factory: sessionmaker[Session]) -> AuditEntry:
    with transaction(factory) as session:
        entry = session.scalar(
            select(AuditEntry)
            .where(AuditEntry.action == "request.refused")
            .order_by(AuditEntry.seq.desc())
        )
        assert entry is not None, "the refusal was not audited"
        return entry


def _clean(text: str) -> None:
    for marker in ("Traceback", "site-packages", "/work/", 'File "', "sqlalchemy"):
        assert marker not in text


@pytest.fixture
def analyst(people: People) -> str:
    people.add("ana", Level.STG_GEHEIM, {"analyst"})
    return "ana"


def test_wrong_password(client: TestClient, factory: sessionmaker[Session], analyst: str) -> None:
    page = client.get("/login")
    token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    response = client.post(
        "/login", data={"username": analyst, "password": "nope", "csrf_token": token}
    )
    assert response.status_code == 401
    assert "Onjuiste gebruikersnaam of wachtwoord" in response.text
    assert "baken_session" not in response.headers.get("set-cookie", "")
    assert _count(factory, WebSession) == 0
    with transaction(factory) as session:
        entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "auth.login"))
        assert entry is not None
        assert entry.outcome == "denied"


def test_login_form_without_csrf_is_refused(
    client: TestClient, analyst: str, factory: sessionmaker[Session]
) -> None:
    client.get("/login")
    response = client.post("/login", data={"username": analyst, "password": "x"})
    assert response.status_code == 403
    assert _count(factory, WebSession) == 0
    assert _last_refusal(factory).details["reason"] == "csrf"


def test_missing_and_wrong_csrf_token(
    client: TestClient, factory: sessionmaker[Session], analyst: str
) -> None:
    token = login(client, analyst)
    missing = client.post("/mededelingen", data=NOTICE)
    wrong = client.post("/mededelingen", data={**NOTICE, "csrf_token": "x" * 43})
    for response in (missing, wrong):
        assert response.status_code == 403
        assert "niet vanuit Baken verstuurd" in response.text
        _clean(response.text)
    assert _count(factory, Notice) == 0
    assert _last_refusal(factory).details["reason"] == "csrf"
    ok = client.post("/mededelingen", data={**NOTICE, "csrf_token": token}, follow_redirects=False)
    assert ok.status_code == 303
    assert _count(factory, Notice) == 1


def test_expired_session(client: TestClient, factory: sessionmaker[Session], analyst: str) -> None:
    token = login(client, analyst)
    with transaction(factory) as session:
        session.execute(update(WebSession).values(last_seen_at=utcnow() - timedelta(hours=2)))
    response = client.post(
        "/mededelingen", data={**NOTICE, "csrf_token": token}, follow_redirects=False
    )
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login?next=/mededelingen&expired=1")
    assert _count(factory, Notice) == 0
    assert _last_refusal(factory).details["reason"] == "session expired"
    page = client.get(response.headers["location"])
    assert "sessie is verlopen" in page.text
    api = client.get("/api/v1/me")
    assert api.status_code == 401
    assert api.headers["content-type"].startswith("application/problem+json")


def test_oversized_body(client: TestClient, factory: sessionmaker[Session], analyst: str) -> None:
    token = login(client, analyst)
    response = client.post(
        "/mededelingen", data={**NOTICE, "body": "x" * 2_000_000, "csrf_token": token}
    )
    assert response.status_code == 413
    _clean(response.text)
    assert _count(factory, Notice) == 0
    assert _last_refusal(factory).outcome == "413"
    api = client.post(
        "/api/v1/notices",
        content=b"{" + b" " * 2_000_000 + b"}",
        headers={**csrf_headers(token), "content-type": "application/json"},
    )
    assert api.status_code == 413
    assert api.json()["status"] == 413


def test_unknown_route(client: TestClient, factory: sessionmaker[Session], analyst: str) -> None:
    login(client, analyst)
    page = client.get("/bestaat-niet")
    assert page.status_code == 404
    assert "Niet gevonden" in page.text
    _clean(page.text)
    client.cookies.set("baken_lang", "en")
    english = client.get("/bestaat-niet")
    client.cookies.delete("baken_lang")
    assert "Not found" in english.text
    api = client.get("/api/v1/bestaat-niet")
    assert api.status_code == 404
    assert api.json() == {
        "type": "about:blank",
        "title": "Not found",
        "status": 404,
        "detail": "Not found",
    }
    assert _last_refusal(factory).details["path"] == "/api/v1/bestaat-niet"


def test_unreadable_object_is_not_found(
    client: TestClient, people: People, factory: sessionmaker[Session]
) -> None:
    people.add("zeer", Level.STG_ZEER_GEHEIM, {"analyst"})
    people.add("low", Level.DEP_VERTROUWELIJK, {"analyst"})
    token = login(client, "zeer")
    created = client.post(
        "/api/v1/notices",
        headers=csrf_headers(token),
        json={
            "title": "Geheim",
            "body": "x",
            "marking": {"level": "STG_ZEER_GEHEIM", "owner": "AIVD"},
        },
    )
    assert created.status_code == 201
    notice_id = created.json()["id"]
    client.post("/logout", data={"csrf_token": token})
    login(client, "low")
    hidden = client.get(f"/mededelingen/{notice_id}")
    missing = client.get("/mededelingen/999999")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.text.replace(f"/mededelingen/{notice_id}", "X") == missing.text.replace(
        "/mededelingen/999999", "X"
    )


def test_malformed_api_json(
    client: TestClient, factory: sessionmaker[Session], analyst: str
) -> None:
    token = login(client, analyst)
    bad_syntax = client.post(
        "/api/v1/notices",
        content=b'{"title": ',
        headers={**csrf_headers(token), "content-type": "application/json"},
    )
    bad_shape = client.post(
        "/api/v1/notices",
        headers=csrf_headers(token),
        json={"title": "x", "body": "y", "marking": {"level": 9}},
    )
    for response in (bad_syntax, bad_shape):
        assert response.status_code == 422
        assert response.headers["content-type"].startswith("application/problem+json")
        body = response.json()
        assert body["status"] == 422
        assert body["errors"]
        _clean(response.text)
    assert _count(factory, Notice) == 0
    assert _last_refusal(factory).outcome == "422"


def test_invalid_form_is_refused_at_the_field(
    client: TestClient, analyst: str, factory: sessionmaker[Session]
) -> None:
    token = login(client, analyst)
    response = client.post(
        "/mededelingen",
        data={
            **NOTICE,
            "level": "GEHEIMER",
            "compartments": "kobalt!",
            "title": "",
            "csrf_token": token,
        },
    )
    assert response.status_code == 422
    assert 'class="error"' in response.text
    assert _count(factory, Notice) == 0


def test_user_without_the_role(
    client: TestClient, people: People, factory: sessionmaker[Session]
) -> None:
    people.add("nctv", Level.STG_GEHEIM, {"partner_recipient"}, service=None, organisation="NCTV")
    token = login(client, "nctv")
    admin = client.get("/beheer/gebruikers")
    assert admin.status_code == 403
    assert _last_refusal(factory).details["reason"] == "missing permission user.manage"
    write = client.post(
        "/api/v1/notices",
        headers=csrf_headers(token),
        json={"title": "x", "body": "y", "marking": {"level": 0, "owner": "JOINT"}},
    )
    assert write.status_code == 403
    assert write.json()["title"] == "You may not do this"
    assert _count(factory, Notice) == 0


def test_writing_above_ones_clearance_is_refused(
    client: TestClient, people: People, factory: sessionmaker[Session]
) -> None:
    people.add("dep", Level.DEP_VERTROUWELIJK, {"analyst"})
    token = login(client, "dep")
    response = client.post(
        "/api/v1/notices",
        headers=csrf_headers(token),
        json={"title": "x", "body": "y", "marking": {"level": "STG_GEHEIM", "owner": "AIVD"}},
    )
    assert response.status_code == 403
    assert _count(factory, Notice) == 0


def test_a_number_past_64_bits_is_refused_not_a_crash(
    client: TestClient, factory: sessionmaker[Session], analyst: str
) -> None:
    """Found by tests/hostile: SQLite cannot bind it, PostgreSQL finds it out of range,
    and the API answered 500."""
    login(client, analyst)
    big = "99999999999999999999"
    for path in (f"/api/v1/notices/{big}", f"/api/v1/protect/rooms?page={big}"):
        response = client.get(path)
        assert response.status_code in {404, 422}, path
        assert response.headers["content-type"].startswith("application/problem+json")
        _clean(response.text)
    assert _last_refusal(factory).outcome in {"404", "422"}


def test_the_api_document_names_its_refusals_and_media_types(client: TestClient) -> None:
    """Found by tests/hostile: the document promised FastAPI's 422 shape as JSON and
    JSON for the JSON-lines and STIX downloads; the answers are problem details and
    those media types."""
    paths = client.get("/api/openapi.json").json()["paths"]
    for path, operations in paths.items():
        if not path.startswith("/api/"):
            continue
        for operation in operations.values():
            for status in ("401", "403", "404", "422"):
                assert list(operation["responses"][status]["content"]) == [
                    "application/problem+json"
                ], (path, status)
    for path, media_type in (
        ("/api/v1/holdings/collections/{collection_id}/entities", "application/x-ndjson"),
        ("/api/v1/analysis/exchange/collections/{collection_id}/ftm", "application/x-ndjson"),
        ("/api/v1/analysis/products/{product_id}/stix", "application/stix+json"),
    ):
        assert list(paths[path]["get"]["responses"]["200"]["content"]) == [media_type]
