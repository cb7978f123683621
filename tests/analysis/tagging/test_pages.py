"""Tagging in the browser and over the API: the review queue with filters, confirming
and rejecting with htmx, tagging by hand and its errors, a requirement's feed, and the
material coverage on steering's GA page."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from baken.analysis.tagging.models import Tag
from baken.core.db import transaction
from baken.web.app import create_app
from tests.analysis.tagging.conftest import CRIME_REF, CYBER_REF, GA
from tests.analysis.tagging.test_service import _ingest, _tags
from tests.conftest import csrf_headers, login
from tests.holdings.conftest import World


@pytest.fixture
def web(world: World) -> Iterator[TestClient]:
    application: FastAPI = create_app(world.settings)
    with TestClient(application, raise_server_exceptions=False) as client:
        yield client
    rt = getattr(application.state, "holdings", None)
    if rt is not None:
        rt.close()
    application.state.engine.dispose()


def _count(world: World) -> int:
    with transaction(world.factory) as session:
        return session.scalar(select(func.count()).select_from(Tag)) or 0


def test_review_confirm_and_feed_in_the_browser(
    web: TestClient, world: World, ga_world: GA, tmp_path: Path
) -> None:
    docs = _ingest(world, tmp_path)
    csrf = login(web, "analist")
    page = web.get("/labels")
    assert page.status_code == 200
    assert CYBER_REF in page.text
    assert "ransomware" in page.text  # the matched terms explain the proposal
    assert 'href="/labels"' in web.get("/").text  # reachable from the navigation
    filtered = web.get("/labels", params={"thema": "CN"})
    assert CRIME_REF in filtered.text
    assert f'href="/documenten/{docs["phishing"]}"' not in filtered.text
    cyber = next(t for t in _tags(world) if t.requirement_ref == CYBER_REF)
    row = web.post(
        f"/labels/{cyber.id}/oordeel",
        data={"decision": "confirmed", "csrf_token": csrf},
        headers={"HX-Request": "true", **csrf_headers(csrf)},
    )
    assert row.status_code == 200
    assert f'id="tag-{cyber.id}"' in row.text
    assert "Bevestigd" in row.text
    twice = web.post(
        f"/labels/{cyber.id}/oordeel",
        data={"decision": "rejected", "csrf_token": csrf},
        headers=csrf_headers(csrf),
    )
    assert twice.status_code == 422
    assert "al beslist" in twice.text, twice.text
    feed = web.get(f"/labels/behoeften/{CYBER_REF}")
    assert feed.status_code == 200
    assert "ransomware" in feed.text.lower()
    assert f'href="/documenten/{docs["cyber"]}"' in feed.text
    assert web.get("/labels/behoeften/BH-9999").status_code == 404
    detail = web.get(f"/labels/{cyber.id}")
    assert detail.status_code == 200
    assert "similarity" not in detail.text  # shown as figures, not raw keys
    # The material coverage on the steering GA page links to the feed.
    ga_page = web.get(f"/sturing/ga/{ga_world.version_id}")
    assert ga_page.status_code == 200
    assert f'<a href="/labels/behoeften/{CYBER_REF}">1</a>' in ga_page.text


def test_tag_by_hand_and_its_errors_in_the_browser(
    web: TestClient, world: World, ga_world: GA, tmp_path: Path
) -> None:
    docs = _ingest(world, tmp_path)
    csrf = login(web, "analist")
    before = _count(world)
    # (messages in English until the catalogs carry the Dutch; either is accepted)
    for form, messages in (
        ({"document": "abc", "theme": "CYB"}, ("geheel getal", "whole number")),
        ({"document": str(docs["canteen"]), "theme": "XYZ"}, ("XYZ",)),
        (
            {"document": str(docs["canteen"]), "theme": "CYB", "requirement": "BH-9999"},
            ("BH-9999",),
        ),
        ({"theme": "CYB"}, ("document of een entiteit", "either a document or an entity")),
    ):
        answer = web.post("/labels", data={**form, "csrf_token": csrf}, headers=csrf_headers(csrf))
        assert answer.status_code == 422, form
        assert any(m in answer.text for m in messages), (form, answer.text[-2000:])
    assert (
        web.post(
            "/labels",
            data={"document": "999999", "theme": "CYB", "csrf_token": csrf},
            headers=csrf_headers(csrf),
        ).status_code
        == 404
    )
    assert _count(world) == before
    made = web.post(
        "/labels",
        data={
            "document": str(docs["canteen"]),
            "theme": "CYB",
            "requirement": CYBER_REF,
            "note": "dekmantel",
            "csrf_token": csrf,
        },
        headers=csrf_headers(csrf),
        follow_redirects=False,
    )
    assert made.status_code == 303
    assert _count(world) == before + 1
    assert "dekmantel" in web.get(made.headers["location"]).text


def test_the_api_lists_decides_and_hides(
    web: TestClient, world: World, ga_world: GA, tmp_path: Path
) -> None:
    _ingest(world, tmp_path)
    csrf = login(web, "analist")
    listing = web.get("/api/v1/analysis/tags", params={"status": "proposed"}).json()
    assert listing["total"] == len(listing["items"]) > 0
    cyber = next(t for t in listing["items"] if t["requirement_ref"] == CYBER_REF)
    assert cyber["explanation"]["terms"]
    decided = web.post(
        f"/api/v1/analysis/tags/{cyber['id']}/decision",
        json={"decision": "confirmed"},
        headers=csrf_headers(csrf),
    )
    assert decided.status_code == 200
    assert decided.json()["status"] == "confirmed"
    again = web.post(
        f"/api/v1/analysis/tags/{cyber['id']}/decision",
        json={"decision": "rejected"},
        headers=csrf_headers(csrf),
    )
    assert again.status_code == 422
    assert web.get("/api/v1/analysis/tags/coverage").json()["requirements"] == {CYBER_REF: 1}
    feed = web.get(f"/api/v1/analysis/tags/requirements/{CYBER_REF}/feed").json()
    assert feed["requirement"]["ref"] == CYBER_REF
    bad = web.get("/api/v1/analysis/tags", params={"theme": "XYZ"})
    assert bad.status_code == 422
    web.post("/logout", headers=csrf_headers(csrf))
    login(web, "laag")
    assert web.get(f"/api/v1/analysis/tags/{cyber['id']}").status_code == 404
    assert web.get("/api/v1/analysis/tags/coverage").json()["requirements"] == {}
    low = web.get("/api/v1/analysis/tags").json()
    assert all(t["requirement_ref"] is None for t in low["items"])
