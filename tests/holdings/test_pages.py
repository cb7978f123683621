"""Holdings in the browser: create a collection, upload, watch progress, open documents
and entities, search with facets; and the error paths of each form."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from baken.core.config import Settings
from baken.core.db import transaction
from baken.holdings.models import Collection, Document, Statement
from baken.web.app import create_app
from tests.conftest import People, login
from tests.holdings.conftest import World

NL = "De AIVD onderzocht contacten tussen Noordzee Logistiek en Rusland in Rotterdam."


@pytest.fixture
def web(world: World) -> Iterator[TestClient]:
    application: FastAPI = create_app(world.settings)
    with TestClient(application, raise_server_exceptions=False) as client:
        yield client
    rt = getattr(application.state, "holdings", None)
    if rt is not None:
        rt.close()
    application.state.engine.dispose()


def _drain(client: TestClient) -> None:
    client.app.state.holdings.drain()  # type: ignore[attr-defined]


def _form(csrf: str, **fields: str) -> dict[str, str]:
    return {"csrf_token": csrf, **fields}


def test_create_collection_upload_and_browse(web: TestClient, world: World) -> None:
    csrf = login(web, "analist")
    page = web.get("/collecties")
    assert page.status_code == 200
    assert "Nieuwe collectie" in page.text
    created = web.post(
        "/collecties",
        data=_form(
            csrf,
            name="upload-test",
            title="Uploads",
            legal_basis="open_source",
            acquired_on="2026-02-01",
            level="DEP_VERTROUWELIJK",
            owner="AIVD",
        ),
        follow_redirects=False,
    )
    assert created.status_code == 303, created.text
    url = created.headers["location"]
    uploaded = web.post(
        f"{url}/upload",
        data={"csrf_token": csrf},
        files=[
            ("files", ("notitie.txt", NL.encode(), "text/plain")),
            ("files", ("kapot.pdf", b"%PDF-1.4 kapot", "application/pdf")),
        ],
        follow_redirects=False,
    )
    assert uploaded.status_code == 303, uploaded.text
    # The form sent with no file chosen (as a browser sends it: one part, no filename) and
    # with no file part at all: the form's own message, not the generic 422 page.
    for files in ([("files", ("", b"", "application/octet-stream"))], None):
        empty = web.post(f"{url}/upload", data={"csrf_token": csrf}, files=files)
        assert empty.status_code == 422
        assert "kies een of meer bestanden" in empty.text.lower(), empty.text[-800:]
    _drain(web)
    collection = web.get(url)
    assert "notitie.txt" in collection.text
    assert "Verwerkt" in collection.text
    assert "beschadigd" in collection.text  # the quarantine reason, in Dutch
    progress = web.get(f"{url}/voortgang")
    assert progress.status_code == 200
    assert "<progress" in progress.text
    doc_id = re.search(r'href="/documenten/(\d+)">notitie', collection.text)
    assert doc_id is not None
    doc = web.get(f"/documenten/{doc_id.group(1)}")
    assert doc.status_code == 200
    assert "Noordzee" in doc.text
    assert "RU" in doc.text
    entity = re.search(r'href="/entiteiten/([^"]+)"', doc.text)
    assert entity is not None, "the document names at least one entity"
    assert web.get(f"/entiteiten/{entity.group(1)}").status_code == 200
    download = web.get(f"/documenten/{doc_id.group(1)}/bestand")
    assert download.content == NL.encode()
    found = web.get("/zoeken", params={"q": "Rotterdam"})
    assert found.status_code == 200
    assert "<mark>" in found.text
    assert "notitie" in found.text
    assert "Taal" in found.text or "language" in found.text


def test_form_errors_change_nothing(web: TestClient, world: World) -> None:
    csrf = login(web, "analist")
    with transaction(world.factory) as session:
        before = session.scalar(select(func.count()).select_from(Collection))
    bad = web.post(
        "/collecties",
        data=_form(
            csrf, name="X", title="", legal_basis="partner", acquired_on="gisteren", level="GEHEIM"
        ),
    )
    assert bad.status_code == 422
    assert 'role="alert"' in bad.text
    url = f"/collecties/{world.osint}"
    no_files = web.post(f"{url}/upload", data={"csrf_token": csrf})
    assert no_files.status_code == 422
    stage = web.post(f"{url}/herverwerken", data=_form(csrf, stage="alles"))
    assert stage.status_code == 422
    assert "onbekende fase" in stage.text
    ftm = web.post(
        f"{url}/ftm",
        data={"csrf_token": csrf},
        files={"file": ("x.json", b'{"id": "a", "schema": "Ruimteschip"}\n', "application/json")},
    )
    assert ftm.status_code == 422
    assert "regel 1" in ftm.text
    latin = web.post(
        f"{url}/ftm",
        data={"csrf_token": csrf},
        files={"file": ("x.json", b"\xff\xfe", "text/plain")},
    )
    assert latin.status_code == 422
    with transaction(world.factory) as session:
        assert session.scalar(select(func.count()).select_from(Collection)) == before
        assert session.scalar(select(func.count()).select_from(Document)) == 0
        assert session.scalar(select(func.count()).select_from(Statement)) == 0


def test_ftm_round_trip_in_the_browser_and_api(
    web: TestClient, world: World, people: People
) -> None:
    csrf = login(web, "analist")
    entity = {"id": "e-1", "schema": "Company", "properties": {"name": ["Fictief B.V."]}}
    done = web.post(
        f"/collecties/{world.osint}/ftm",
        data={"csrf_token": csrf},
        files={"file": ("e.json", (json.dumps(entity) + "\n").encode(), "application/json")},
        follow_redirects=False,
    )
    assert done.status_code == 303
    export = web.get(f"/collecties/{world.osint}/ftm")
    assert json.loads(export.text.splitlines()[0])["properties"]["name"] == ["Fictief B.V."]
    api = web.get("/api/v1/holdings/search", params={"q": "Fictief"})
    assert api.status_code == 200
    assert api.json()["total"] == 1
    assert api.json()["hits"][0]["url"] == "/entiteiten/e-1"


def test_lower_clearance_sees_less_of_the_same_entity(web: TestClient, world: World) -> None:
    with transaction(world.factory) as session:
        from baken.holdings.service import entities

        entities.import_ftm(
            session,
            principal=world.analyst,
            collection_id=world.osint,
            lines=[
                json.dumps({"id": "p", "schema": "Person", "properties": {"name": ["Jan Fictief"]}})
            ],
        )
        entities.import_ftm(
            session,
            principal=world.analyst,
            collection_id=world.secret,
            lines=[
                json.dumps(
                    {"id": "p", "schema": "Person", "properties": {"birthDate": ["1970-01-01"]}}
                )
            ],
        )
    login(web, "analist")
    assert "1970-01-01" in web.get("/entiteiten/p").text
    web.cookies.clear()
    login(web, "laag")
    low = web.get("/entiteiten/p")
    assert "Jan Fictief" in low.text
    assert "1970-01-01" not in low.text
    assert web.get(f"/collecties/{world.secret}").status_code == 404


def test_settings_limit_uploads(world: World) -> None:
    assert Settings().upload_max_bytes > Settings().max_body_bytes


@pytest.mark.parametrize("path", ["/zoeken", "/zoeken?q=x", "/collecties", "/entiteiten/x"])
def test_pages_need_sign_in(web: TestClient, path: str) -> None:
    response = web.get(path, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login")
