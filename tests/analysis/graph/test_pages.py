"""The graph in the browser and over the API: the pages, the script the CSP allows, the
neighbour API the script calls, saving and reopening a view, and 404 for the unreadable."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from baken.core.db import transaction
from baken.holdings.service import entities
from baken.web.app import create_app
from tests.conftest import login
from tests.holdings.conftest import World


@pytest.fixture
def web(world: World) -> Iterator[TestClient]:
    application: FastAPI = create_app(world.settings)
    with TestClient(application, raise_server_exceptions=False) as client:
        yield client
    application.state.engine.dispose()


@pytest.fixture
def net(world: World) -> World:
    items = [
        {"id": "anna", "schema": "Person", "properties": {"name": ["Anna Jansen"]}},
        {"id": "bakkerij", "schema": "Company", "properties": {"name": ["Bakkerij BV"]}},
        {
            "id": "own-1",
            "schema": "Ownership",
            "properties": {"owner": ["anna"], "asset": ["bakkerij"]},
        },
    ]
    secret = [
        {"id": "cor", "schema": "Person", "properties": {"name": ["Cor Geheim"]}},
        {
            "id": "fam-1",
            "schema": "Family",
            "properties": {"person": ["anna"], "relative": ["cor"]},
        },
    ]
    with transaction(world.factory) as session:
        for collection, lines in ((world.osint, items), (world.secret, secret)):
            entities.import_ftm(
                session,
                principal=world.analyst,
                collection_id=collection,
                lines=[json.dumps(i) for i in lines],
            )
    return world


def test_explore_save_and_reopen_in_the_browser(web: TestClient, net: World) -> None:
    csrf = login(web, "laag")
    entity = web.get("/entiteiten/anna")
    assert 'href="/graaf/entiteit/anna"' in entity.text
    start = web.get("/graaf", params={"entiteit": "anna"}, follow_redirects=False)
    assert start.headers["location"] == "/graaf/entiteit/anna"
    page = web.get("/graaf/entiteit/anna")
    assert page.status_code == 200
    assert "Bakkerij BV" in page.text
    assert "Cor" not in page.text
    assert '<script src="/graaf/graaf.js" defer></script>' in page.text
    assert "<script>" not in page.text  # the CSP allows no inline script
    script = web.get("/graaf/graaf.js")
    assert script.headers["content-type"].startswith("text/javascript")
    assert "cytoscape" in script.text
    data = web.get("/api/v1/analysis/graph/entities/bakkerij/neighbours").json()
    assert {n["id"] for n in data["nodes"]} == {"anna", "bakkerij"}
    assert data["edges"][0]["label"] == "eigenaar van"
    saved = web.post(
        "/graaf/weergaven",
        data={
            "csrf_token": csrf,
            "title": "Bakkerij en eigenaar",
            "center": "anna",
            "nodes": json.dumps(["anna", "bakkerij"]),
            "layout": json.dumps({"anna": {"x": 5, "y": 6}}),
        },
        follow_redirects=False,
    )
    assert saved.status_code == 303, saved.text
    url = saved.headers["location"]
    view = web.get(url)
    assert "Bakkerij en eigenaar" in view.text
    view_id = int(url.rsplit("/", 1)[1])
    api = web.get(f"/api/v1/analysis/graph/views/{view_id}").json()
    assert api["layout"] == {"anna": {"x": 5.0, "y": 6.0}}
    assert "Bakkerij en eigenaar" in web.get("/graaf").text


def test_a_bad_view_is_refused_at_the_form(web: TestClient, net: World) -> None:
    csrf = login(web, "laag")
    response = web.post(
        "/graaf/weergaven",
        data={"csrf_token": csrf, "title": "t", "center": "anna", "nodes": "[", "layout": "{}"},
    )
    assert response.status_code == 422
    assert re.search(r"indeling van de weergave is ongeldig", response.text, re.I)
    refused = web.post(
        "/graaf/weergaven",
        data={
            "csrf_token": csrf,
            "title": "t",
            "center": "anna",
            "nodes": json.dumps(["anna", "cor"]),
            "layout": "{}",
        },
    )
    assert refused.status_code == 422
    assert "Cor" not in refused.text


def test_the_unreadable_answers_like_the_unknown(web: TestClient, net: World) -> None:
    login(web, "laag")
    for entity in ("cor", "niemand"):
        assert web.get(f"/graaf/entiteit/{entity}").status_code == 404
        api = web.get(f"/api/v1/analysis/graph/entities/{entity}/neighbours")
        assert api.status_code == 404
    assert web.get("/graaf/weergaven/999").status_code == 404
