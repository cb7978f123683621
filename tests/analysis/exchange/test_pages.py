"""Exchange in the browser and over the API: upload a STIX bundle, see it refused with
a clear message when bad, download a collection as FtM and a cyber product as STIX and
MISP; products the user may not read answer 404 like products that do not exist."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
import stix2
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pymisp import MISPEvent
from sqlalchemy import func, select

from baken.analysis.products import service as products
from baken.core.db import transaction
from baken.core.markings import Level
from baken.holdings.models import Statement
from baken.web.app import create_app
from tests.analysis.exchange.test_import import ACTOR, bundle, raw
from tests.conftest import login
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


def _product(world: World, level: Level) -> int:
    with transaction(world.factory) as session:
        product_id = products.create(
            session,
            principal=world.analyst,
            type="slachtoffernotificatie",
            title=f"Notificatie {level.name}",
            summary_text="Kwaadaardige bijlage.",
            level=level,
        )
        products.add_observable(
            session,
            principal=world.analyst,
            product_id=product_id,
            type="domain-name",
            value="update-check.example",
        )
    return product_id


def _count(world: World) -> int:
    with transaction(world.factory) as session:
        return session.scalar(select(func.count()).select_from(Statement)) or 0


def test_upload_a_bundle_and_export_the_collection(web: TestClient, world: World) -> None:
    csrf = login(web, "analist")
    page = web.get("/uitwisseling")
    assert page.status_code == 200
    assert 'enctype="multipart/form-data"' in page.text
    done = web.post(
        "/uitwisseling",
        data={"csrf_token": csrf, "collection": str(world.osint)},
        files={"file": ("bundel.json", raw(bundle()), "application/json")},
    )
    assert done.status_code == 200, done.text
    assert "6" in done.text
    assert f'href="/collecties/{world.osint}"' in done.text
    ftm = web.get(f"/uitwisseling/collecties/{world.osint}/ftm")
    assert ftm.status_code == 200
    rows = [json.loads(line) for line in ftm.text.splitlines()]
    assert ACTOR in {r["id"] for r in rows}
    assert "DEPARTMENTAL CONFIDENTIAL" in ftm.headers["x-baken-marking"]
    api = web.get(f"/api/v1/analysis/exchange/collections/{world.osint}/ftm")
    assert api.text == ftm.text


def test_a_bad_upload_is_refused_with_a_message_and_stores_nothing(
    web: TestClient, world: World
) -> None:
    csrf = login(web, "analist")
    missing = bundle(
        {
            "type": "relationship",
            "spec_version": "2.1",
            "id": "relationship--00000000-0000-4000-8000-000000000009",
            "created": "2026-02-01T10:00:00.000Z",
            "modified": "2026-02-01T10:00:00.000Z",
            "relationship_type": "targets",
            "source_ref": ACTOR,
            "target_ref": "identity--9d3bd0a6-ab2e-4a2b-9a4c-4b8ab1b1a8a1",
        }
    )
    for data, status in ((b"{nee", 422), (raw(missing), 422)):
        response = web.post(
            "/uitwisseling",
            data={"csrf_token": csrf, "collection": str(world.osint)},
            files={"file": ("bundel.json", data, "application/json")},
        )
        assert response.status_code == status
        assert 'role="alert"' in response.text
    assert _count(world) == 0
    nothing = web.post("/uitwisseling", data={"csrf_token": csrf, "collection": "x"})
    assert nothing.status_code == 422


def test_an_unwritable_collection_is_refused_like_an_unknown_one(
    web: TestClient, world: World
) -> None:
    csrf = login(web, "laag")
    answers = []
    for collection in (world.secret, 9999):
        response = web.post(
            "/uitwisseling",
            data={"csrf_token": csrf, "collection": str(collection)},
            files={"file": ("bundel.json", raw(bundle()), "application/json")},
        )
        assert response.status_code == 422
        answers.append(response.text.count('role="alert"'))
    assert answers[0] == answers[1] == 1
    assert _count(world) == 0


def test_download_a_product_as_stix_and_misp(web: TestClient, world: World) -> None:
    product_id = _product(world, Level.DEP_VERTROUWELIJK)
    login(web, "laag")
    stix = web.get(f"/producten/{product_id}/stix")
    assert stix.status_code == 200, stix.text
    assert stix.headers["content-type"].startswith("application/stix+json")
    parsed = stix2.parse(stix.text, allow_custom=False, version="2.1")
    assert any(o["type"] == "domain-name" for o in parsed.objects)
    misp = web.get(f"/producten/{product_id}/misp")
    event = MISPEvent()
    event.load(misp.text)
    assert [a.value for a in event.attributes if a.type == "domain"] == ["update-check.example"]
    api = web.get(f"/api/v1/analysis/products/{product_id}/stix")
    assert api.status_code == 200
    assert json.loads(api.text)["type"] == "bundle"
    assert web.get(f"/api/v1/analysis/products/{product_id}/misp").status_code == 200


def test_an_unreadable_product_answers_like_a_missing_one(web: TestClient, world: World) -> None:
    secret = _product(world, Level.STG_GEHEIM)
    login(web, "laag")
    for product_id in (secret, 99999):
        for fmt in ("stix", "misp"):
            assert web.get(f"/producten/{product_id}/{fmt}").status_code == 404
            assert web.get(f"/api/v1/analysis/products/{product_id}/{fmt}").status_code == 404
