"""The resilience pages and API through the browser's path: create from /weerbaarheid/nieuw
and continue on the product's page, a refused form shown again with what was typed, the
victim's acknowledgement from their list, and 404 for a record one may not read."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from baken.core.config import Settings
from baken.web.app import create_app
from tests.conftest import login
from tests.protect.resilience.conftest import World


@pytest.fixture(scope="module")
def client(msettings: Settings, world: World) -> Iterator[TestClient]:
    app = create_app(msettings)
    with TestClient(app, raise_server_exceptions=False) as entered:
        yield entered
    app.state.engine.dispose()


def _as(client: TestClient, username: str) -> dict[str, str]:
    client.cookies.clear()
    return {"csrf_token": login(client, username)}


def test_the_author_creates_and_reaches_the_product(client: TestClient, world: World) -> None:
    form = _as(client, "bewaking")
    page = client.get("/weerbaarheid/nieuw")
    assert page.status_code == 200
    assert 'name="audience"' in page.text
    made = client.post(
        "/weerbaarheid/nieuw",
        data={
            **form,
            "type": "slachtoffernotificatie",
            "title": "Notificatie via het formulier (fictief)",
            "summary": "Kort.",
            "level": "1",
            "audience": ["vitale_sectoren", "bedrijfsleven"],
            "topic": "Spionage",
            "victim": "VICTIM-A",
            "incident": "Verdacht verkeer.",
            "observed_on": "2026-10-01",
            "channel": "brief",
        },
        follow_redirects=False,
    )
    assert made.status_code == 303, made.text
    href = made.headers["location"]
    record = client.get(href)
    assert record.status_code == 200
    product = re.search(r'href="/producten/(\d+)"', record.text)
    assert product is not None
    assert "Spionage" in record.text
    assert "Per brief" in record.text
    assert client.get(f"/producten/{product.group(1)}").status_code == 200
    index = client.get("/weerbaarheid")
    assert href in index.text
    assert "Vitale sectoren" in index.text
    api = client.get(f"/api/v1/protect/resilience/{href.rsplit('/', 1)[1]}")
    assert api.status_code == 200
    assert api.json()["audience"] == ["bedrijfsleven", "vitale_sectoren"]


def test_a_refused_form_keeps_what_was_typed(client: TestClient, world: World) -> None:
    before = world.counts()
    form = _as(client, "bewaking")
    refused = client.post(
        "/weerbaarheid/nieuw",
        data={
            **form,
            "type": "slachtoffernotificatie",
            "title": "Getypte titel",
            "topic": "Getypt onderwerp",
            "audience": ["vitale_sectoren"],
            "victim": "",
        },
    )
    assert refused.status_code == 422
    assert "Getypte titel" in refused.text
    assert "Getypt onderwerp" in refused.text
    assert 'role="alert"' in refused.text
    bad_date = client.post(
        "/weerbaarheid/nieuw",
        data={**form, "type": "weerbaarheidsadvies", "title": "x", "observed_on": "gisteren"},
    )
    assert bad_date.status_code == 422
    assert world.counts() == before


def test_the_victim_confirms_receipt_from_their_list(client: TestClient, world: World) -> None:
    record_id, product_id = world.notification()
    release_id = world.release_to(product_id, "VICTIM-A")
    form = _as(client, "slachtoffer")
    mine = client.get("/weerbaarheid")
    action = f"/weerbaarheid/meldingen/{release_id}/ontvangst"
    assert mine.status_code == 200
    assert action in mine.text
    assert client.get(f"/weerbaarheid/{record_id}").status_code == 404
    done = client.post(action, data=form, follow_redirects=False)
    assert done.status_code == 303
    after = client.get("/weerbaarheid/meldingen")
    assert action not in after.text
    again = client.post(action, data=form)
    assert again.status_code == 422
    assert 'role="alert"' in again.text
    listed = client.get("/api/v1/protect/resilience").json()["received"]
    assert any(i["release_id"] == release_id and i["acknowledged_at"] for i in listed)


def test_a_record_one_may_not_read_is_not_found(client: TestClient, world: World) -> None:
    _as(client, "analist.mivd")
    assert client.get(f"/weerbaarheid/{world.secret}").status_code == 404
    assert client.get(f"/api/v1/protect/resilience/{world.secret}").status_code == 404
    assert client.get("/weerbaarheid/999999").status_code == 404
    listed = client.get("/api/v1/protect/resilience").json()
    assert world.secret not in [p["id"] for p in listed["products"]]
    _as(client, "ctivd")  # the oversight reads everything and writes nothing
    assert client.get("/weerbaarheid/nieuw").status_code == 403
    assert client.get(f"/weerbaarheid/{world.secret}").status_code == 200
    assert "Geheim product (fictief)" in client.get("/weerbaarheid").text
