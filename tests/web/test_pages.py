"""Pages as people see them: navigation per role, the marking banner, both languages."""

from __future__ import annotations

from fastapi.testclient import TestClient

from baken.core.markings import Level
from tests.conftest import People, csrf_headers, login


def _notice(client: TestClient, csrf: str, level: str, **marking: object) -> int:
    response = client.post(
        "/api/v1/notices",
        headers=csrf_headers(csrf),
        json={"title": f"Bericht {level}", "body": "tekst", "marking": {"level": level, **marking}},
    )
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


def test_banner_shows_the_highest_marking_on_the_page(client: TestClient, people: People) -> None:
    people.add("anna", Level.STG_ZEER_GEHEIM, {"analyst"}, compartments={"KOBALT"})
    csrf = login(client, "anna")
    low = _notice(client, csrf, "DEP_VERTROUWELIJK", owner="AIVD")
    _notice(client, csrf, "STG_ZEER_GEHEIM", owner="AIVD", compartments=["KOBALT"])
    listing = client.get("/mededelingen")
    assert 'class="banner level-4"' in listing.text
    assert "STG. ZEER GEHEIM // KOBALT // AIVD" in listing.text
    detail = client.get(f"/mededelingen/{low}")
    assert 'class="banner level-1"' in detail.text
    assert "[DEPV]" in detail.text  # in the window title too
    empty = client.get("/account")
    assert "ONGERUBRICEERD" in empty.text


def test_navigation_follows_the_role(client: TestClient, people: People) -> None:
    people.add("beheer", roles={"admin"})
    people.add("anna", roles={"analyst"})
    csrf = login(client, "beheer")
    assert 'href="/beheer/gebruikers"' in client.get("/").text
    client.post("/logout", data={"csrf_token": csrf})
    login(client, "anna")
    home = client.get("/").text
    assert 'href="/beheer/gebruikers"' not in home
    assert 'href="/mededelingen"' in home


def test_language_switch(client: TestClient, people: People) -> None:
    people.add("anna")
    csrf = login(client, "anna")
    assert "Uitloggen" in client.get("/").text
    switched = client.post(
        "/taal",
        data={"lang": "en", "next": "/mededelingen", "csrf_token": csrf},
        follow_redirects=False,
    )
    assert switched.status_code == 303
    assert switched.headers["location"] == "/mededelingen"
    page = client.get("/mededelingen")
    assert "Sign out" in page.text
    assert '<html lang="en">' in page.text
    bad = client.post("/taal", data={"lang": "fr", "csrf_token": csrf})
    assert bad.status_code == 422


def test_anonymous_language_switch_needs_the_prelogin_token(client: TestClient) -> None:
    page = client.get("/login")
    assert "Inloggen" in page.text
    refused = client.post("/taal", data={"lang": "en", "next": "/login"})
    assert refused.status_code == 403
    csrf = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    ok = client.post("/taal", data={"lang": "en", "next": "/login", "csrf_token": csrf})
    assert "Sign in to Baken" in ok.text


def test_htmx_is_served_from_the_installed_package(client: TestClient) -> None:
    response = client.get("/static/lib/htmx.min.js")
    assert response.status_code == 200
    assert "htmx" in response.text[:2000]


def test_signed_in_pages_follow_the_users_choice_not_the_browser(
    client: TestClient, people: People
) -> None:
    people.add("anna")
    client.headers["accept-language"] = "en-US,en;q=0.9"
    assert "Sign in to Baken" in client.get("/login").text  # before sign-in: the browser
    csrf = login(client, "anna")
    assert "Uitloggen" in client.get("/").text  # signed in: Dutch, the saved default
    client.post("/taal", data={"lang": "en", "next": "/", "csrf_token": csrf})
    client.cookies.delete("baken_lang")
    assert "Sign out" in client.get("/").text  # the choice is saved with the account
