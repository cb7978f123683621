"""Resolve in the browser and over the API: start a run, watch it, judge pairs (htmx),
undo, open the merged entity; screen a person and a CSV; and the error paths."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from baken.core.db import transaction
from baken.core.markings import Marking, Service
from baken.resolve.models import Judgement, XrefRun
from baken.web.app import create_app
from tests.conftest import csrf_headers, login
from tests.holdings.conftest import World
from tests.resolve.test_xref import load, population


@pytest.fixture
def web(world: World) -> Iterator[TestClient]:
    application: FastAPI = create_app(world.settings)
    with TestClient(application, raise_server_exceptions=False) as client:
        yield client
    runner = getattr(application.state, "resolve_runner", None)
    if runner is not None:
        runner.shutdown(wait=True)
    rt = getattr(application.state, "holdings", None)
    if rt is not None:
        rt.close()
    application.state.engine.dispose()


@pytest.fixture
def register(world: World) -> int:
    left, right, _ = population()
    other = world.collection("register", Marking.of("DEP_VERTROUWELIJK", Service.AIVD))
    load(world, world.osint, left)
    load(world, other, right)
    return other


def _wait(web: TestClient, run_url: str) -> str:
    for _ in range(600):
        page = web.get(f"{run_url}/voortgang")
        assert page.status_code == 200
        if "Bezig" not in page.text and "In de wachtrij" not in page.text:
            return page.text
        time.sleep(0.2)
    raise AssertionError("the run did not finish")


def test_run_judge_undo_and_merge_in_the_browser(
    web: TestClient, world: World, register: int
) -> None:
    csrf = login(web, "analist")
    page = web.get("/kruisverwijzingen")
    assert page.status_code == 200
    assert "Nieuwe run" in page.text
    started = web.post(
        "/kruisverwijzingen",
        data={
            "csrf_token": csrf,
            "left": str(world.osint),
            "right": str(register),
            "threshold": "0,3",
            "engine": "local",
        },
        follow_redirects=False,
    )
    assert started.status_code == 303, started.text
    url = started.headers["location"]
    state = _wait(web, url)
    assert "Klaar" in state, state
    run = web.get(url)
    assert "Kandidaatparen" in run.text
    assert "习明哲" in run.text  # a cross-script pair is on the page
    pair_id = int(run.text.split('id="pair-', 1)[1].split('"', 1)[0])
    judged = web.post(
        f"/kandidaten/{pair_id}/oordeel",
        data={"verdict": "same"},
        headers={**csrf_headers(csrf), "HX-Request": "true"},
    )
    assert judged.status_code == 200
    assert "Samengevoegde weergave" in judged.text
    assert "Herstel" in judged.text or "Ongedaan maken" in judged.text
    pair = web.get(f"/api/v1/resolve/runs/{url.rsplit('/', 1)[1]}/pairs").json()["items"]
    left_id = next(p["left_id"] for p in pair if p["id"] == pair_id)
    merged = web.get(f"/entiteiten/{left_id}/samengevoegd")
    assert merged.status_code == 200
    assert "Oordelen" in merged.text
    undone = web.post(
        f"/kandidaten/{pair_id}/herstel", data={"csrf_token": csrf}, follow_redirects=False
    )
    assert undone.status_code == 303
    again = web.post(f"/kandidaten/{pair_id}/herstel", data={"csrf_token": csrf})
    assert again.status_code == 422  # nothing left to undo
    assert "geen oordeel" in again.text.lower()
    with transaction(world.factory) as session:
        assert session.scalar(select(func.count()).select_from(Judgement)) == 1


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"left": "", "right": ""}, "kies een eerste collectie"),
        ({"threshold": "hoog"}, "getal"),
        ({"threshold": "1,5"}, "drempel"),
        ({"same": "1"}, "twee verschillende"),
    ],
)
def test_bad_run_forms_say_why_and_store_nothing(
    web: TestClient, world: World, register: int, form: dict[str, str], message: str
) -> None:
    csrf = login(web, "analist")
    data = {
        "csrf_token": csrf,
        "left": str(world.osint),
        "right": str(register),
        "threshold": "0.3",
        "engine": "local",
    }
    if form.pop("same", None):
        data["right"] = data["left"]
    data.update(form)
    answer = web.post("/kruisverwijzingen", data=data)
    assert answer.status_code == 422
    assert message in answer.text
    with transaction(world.factory) as session:
        assert session.scalar(select(func.count()).select_from(XrefRun)) == 0


def test_api_run_and_judge(web: TestClient, world: World, register: int) -> None:
    csrf = login(web, "analist")
    started = web.post(
        "/api/v1/resolve/runs",
        json={"left_collection_id": world.osint, "right_collection_id": register},
        headers=csrf_headers(csrf),
    )
    assert started.status_code == 202, started.text
    run_url = started.json()["url"]
    for _ in range(600):
        if web.get(run_url).json()["state"] in ("done", "failed"):
            break
        time.sleep(0.2)
    assert web.get(run_url).json()["state"] == "done"
    items = web.get(f"{run_url}/pairs").json()["items"]
    assert items
    assert all(i["explanation"] for i in items)
    bad = web.post(
        f"/api/v1/resolve/pairs/{items[0]['id']}/judgement",
        json={"verdict": "misschien"},
        headers=csrf_headers(csrf),
    )
    assert bad.status_code == 422
    ok = web.post(
        f"/api/v1/resolve/pairs/{items[0]['id']}/judgement",
        json={"verdict": "same", "note": "zelfde paspoort"},
        headers=csrf_headers(csrf),
    )
    assert ok.status_code == 201
    merged = web.get(f"/api/v1/resolve/entities/{items[0]['left_id']}/merged").json()
    assert set(merged["members"]) == {items[0]["left_id"], items[0]["right_id"]}


def test_screening_page_and_api(web: TestClient, world: World, register: int) -> None:
    csrf = login(web, "analist")
    page = web.get("/screening")
    assert page.status_code == 200
    found = web.post(
        "/screening",
        data={"csrf_token": csrf, "names": "Xi Mingzhe", "birth_date": "1980-11-23"},
    )
    assert found.status_code == 200, found.text
    assert "习明哲" in found.text or "Xi Mingzhe" in found.text
    bad = web.post("/screening", data={"csrf_token": csrf, "names": "!!!"})
    assert bad.status_code == 422
    impossible = web.post(
        "/screening", data={"csrf_token": csrf, "names": "Jan Jansen", "birth_date": "1980-02-30"}
    )
    assert impossible.status_code == 422
    api = web.post(
        "/api/v1/resolve/screening",
        json={"names": ["Павел Орлов"], "birth_date": "1971-03-02"},
        headers=csrf_headers(csrf),
    )
    assert api.status_code == 200
    assert any("Pavel Orlov" in m["names"] for m in api.json()["matches"])
    csv = "name,birth_date,nationality,identifier\nXi Mingzhe,1980-11-23,,\nNiemand Bekend,,,\n"
    batch = web.post(
        "/screening/batch",
        data={"csrf_token": csrf},
        files={"file": ("lijst.csv", csv.encode(), "text/csv")},
    )
    assert batch.status_code == 200, batch.text
    wrong = web.post(
        "/screening/batch",
        data={"csrf_token": csrf},
        files={"file": ("lijst.csv", b"naam;geboren\nx;y\n", "text/csv")},
    )
    assert wrong.status_code == 422
    empty = web.post(
        "/screening/batch", data={"csrf_token": csrf}, files={"file": ("leeg.csv", b"", "text/csv")}
    )
    assert empty.status_code == 422


def test_screening_sees_only_what_the_principal_may_read(
    web: TestClient, world: World, register: int
) -> None:
    # "laag" (Dep. Vertrouwelijk) may read the osint and register collections; the same
    # person in the Stg. Geheim collection stays invisible to it.
    load(
        world,
        world.secret,
        [
            {
                "id": "geheim-1",
                "schema": "Person",
                "properties": {"name": ["Xi Mingzhe"], "birthDate": ["1980-11-23"]},
            }
        ],
    )
    csrf = login(web, "laag")
    answer = web.post(
        "/api/v1/resolve/screening",
        json={"names": ["习明哲"], "birth_date": "1980-11-23"},
        headers=csrf_headers(csrf),
    )
    assert answer.status_code == 200
    ids = {m["entity_id"] for m in answer.json()["matches"]}
    assert "geheim-1" not in ids
    assert ids  # the readable ones are found


def test_a_polling_page_reloads_when_its_run_ends(
    web: TestClient, world: World, register: int
) -> None:
    csrf = login(web, "analist")
    started = web.post(
        "/kruisverwijzingen",
        data={"csrf_token": csrf, "left": str(world.osint), "right": str(register)},
        follow_redirects=False,
    )
    url = started.headers["location"]
    _wait(web, url)
    polled = web.get(f"{url}/voortgang", headers={"HX-Request": "true"})
    assert polled.headers.get("HX-Refresh") == "true"
    assert "HX-Refresh" not in web.get(f"{url}/voortgang").headers
