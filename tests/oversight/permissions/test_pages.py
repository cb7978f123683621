"""Permission requests in the browser: every path (normal, urgency with an unlawful
finding, Tijdelijke wet with a CTIVD stop order) clicked through by each role, refusals
shown at the form, complaints, the CTIVD's landing page and the dashboard."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from baken.web.app import create_app
from tests.conftest import login
from tests.oversight.permissions.conftest import PWorld


@pytest.fixture
def app_(pw: PWorld) -> Iterator[FastAPI]:
    application = create_app(pw.settings)
    yield application
    application.state.engine.dispose()


class Browser:
    def __init__(self, app: FastAPI, username: str) -> None:
        self.client = TestClient(app, raise_server_exceptions=False)
        self.csrf = login(self.client, username)

    def get(self, path: str) -> str:
        page = self.client.get(path)
        assert page.status_code == 200, page.text
        return page.text

    def post(self, path: str, status: int = 303, **form: str) -> str:
        response = self.client.post(
            path, data={"csrf_token": self.csrf, **form}, follow_redirects=False
        )
        assert response.status_code == status, response.text
        return response.headers.get("location", "") if status == 303 else response.text


@pytest.fixture
def people(app_: FastAPI) -> dict[str, Browser]:
    return {
        name: Browser(app_, name) for name in ("analist", "teamleider", "minister", "tib", "ctivd")
    }


def _draft(b: Browser, pw: PWorld, **changes: str) -> str:
    form = {
        "power": "interceptie",
        "title": "Tap op doelwit Y",
        "targets": "doelwit Y\n+31 6 1111 1111",
        "assignment_id": str(pw.assignment),
        "necessity": "n",
        "proportionality": "p",
        "subsidiarity": "s",
        "targeting": "t",
        "term_months": "3",
        "level": "STG_GEHEIM",
        "owner": "AIVD",
        **changes,
    }
    location = b.post("/toestemmingen", **form)
    assert re.fullmatch(r"/toestemmingen/\d+", location)
    return location


def _to_minister(people: dict[str, Browser], pw: PWorld, **changes: str) -> str:
    url = _draft(people["analist"], pw, **changes)
    assert "Opdracht cyber" in people["analist"].get("/toestemmingen/nieuw")
    people["analist"].post(f"{url}/indienen")
    assert "/teamleider" in people["teamleider"].get(url)
    people["teamleider"].post(f"{url}/teamleider", outcome="forwarded", note="akkoord")
    return url


def test_the_normal_path_in_the_browser(people: dict[str, Browser], pw: PWorld) -> None:
    url = _to_minister(people, pw)
    # The TIB cannot decide before the minister: no form, and a post is refused (422).
    assert "/besluit" not in people["tib"].get(url)
    page = people["tib"].post(f"{url}/besluit", status=422, outcome="lawful")
    assert "a decision of yours is not expected now" in page or "niet verwacht" in page
    assert "/besluit" in people["minister"].get(url)
    people["minister"].post(f"{url}/besluit", outcome="permitted")
    people["tib"].post(f"{url}/besluit", outcome="lawful")
    page = people["analist"].get(url)
    assert "In gebruik" in page
    assert "/verlengen" in page
    new = people["analist"].post(f"{url}/verlengen")
    assert new != url
    assert "Concept" in people["analist"].get(new)
    listing = people["ctivd"].get("/toestemmingen")
    assert "Tap op doelwit Y" in listing


def test_urgency_with_an_unlawful_finding_in_the_browser(
    people: dict[str, Browser], pw: PWorld
) -> None:
    url = _draft(people["analist"], pw, urgent="1")
    people["analist"].post(f"{url}/indienen")
    page = people["teamleider"].post(f"{url}/teamleider", status=422, outcome="oral")
    assert "oral permission" in page or "mondelinge" in page
    people["teamleider"].post(f"{url}/teamleider", outcome="oral", note="Minister, 03:00")
    assert "/besluit" in people["tib"].get(url)
    page = people["tib"].post(f"{url}/besluit", status=422, outcome="unlawful")  # no reasons
    people["tib"].post(f"{url}/besluit", outcome="unlawful", note="Geen spoed.")
    page = people["analist"].get(url)
    assert "Onrechtmatig" in page
    assert "Geen spoed." in page
    assert "/bulkdatasets" in page  # the destruction order links to the records


def test_tijdelijke_wet_with_a_ctivd_stop_order_in_the_browser(
    people: dict[str, Browser], pw: PWorld
) -> None:
    url = _to_minister(people, pw, power="hacken", country="CN")
    people["minister"].post(f"{url}/besluit", outcome="permitted")
    assert "/besluit" not in people["tib"].get(url)
    overview = people["ctivd"].get("/toezicht")
    assert "Tap op doelwit Y" in overview
    assert "/audit" in overview
    assert "/bulkdatasets" in overview
    people["ctivd"].post(f"{url}/besluit", outcome="stop", note="Buiten het programma.")
    page = people["ctivd"].get(url)
    assert "Gestopt" in page
    assert "Buiten het programma." in page


def test_a_request_without_justification_is_shown_again_with_the_reason(
    people: dict[str, Browser], pw: PWorld
) -> None:
    response = people["analist"].client.post(
        "/toestemmingen",
        data={
            "csrf_token": people["analist"].csrf,
            "power": "interceptie",
            "title": "Zonder grond",
            "targets": "x",
            "assignment_id": str(pw.assignment),
            "necessity": "",
            "proportionality": "p",
            "subsidiarity": "s",
            "targeting": "t",
            "term_months": "3",
            "level": "STG_GEHEIM",
            "owner": "AIVD",
        },
    )
    assert response.status_code == 422
    assert "necessity" in response.text
    assert "Zonder grond" in response.text  # the form keeps what was typed
    assert "Zonder grond" not in people["analist"].get("/toestemmingen")


def test_complaints_through_the_minister_and_the_ctivd(
    people: dict[str, Browser], pw: PWorld
) -> None:
    url = people["teamleider"].post(
        "/toezicht/klachten",
        subject="Klacht over observatie",
        body="Ik werd gevolgd.",
        received_on="2026-05-01",
        level="DEP_VERTROUWELIJK",
        owner="AIVD",
    )
    assert "/besluit" not in people["ctivd"].get(url)
    people["minister"].post(f"{url}/besluit", outcome="answered", note="Ongegrond.")
    people["ctivd"].post(f"{url}/besluit", outcome="received")
    page = people["ctivd"].get(url)
    assert "Ongegrond." in page
    assert "14" in page  # days left of the two-week term
    assert "Klacht over observatie" in people["ctivd"].get("/toezicht/dashboard")
    people["ctivd"].post(f"{url}/besluit", outcome="taken")
    assert "In behandeling bij de CTIVD" in people["ctivd"].get(url)


def test_the_dashboard_charts_unlawful_shares(people: dict[str, Browser], pw: PWorld) -> None:
    for outcome in ("lawful", "unlawful"):
        url = _to_minister(people, pw)
        people["minister"].post(f"{url}/besluit", outcome="permitted")
        people["tib"].post(f"{url}/besluit", outcome=outcome, note="r")
    page = people["ctivd"].get("/toezicht/dashboard")
    assert "<svg" in page
    assert "(1/2)" in page
    assert "50%" in page or "50 %" in page
    api = people["ctivd"].client.get("/api/v1/oversight/dashboard").json()
    assert api["unlawful_shares"][0]["reviewed"] == 2


def test_the_api_takes_a_request_through_and_refuses_with_problem_details(
    people: dict[str, Browser], pw: PWorld
) -> None:
    analyst, tib = people["analist"].client, people["tib"].client
    headers = {"X-CSRF-Token": people["analist"].csrf}
    body = {
        "power": "interceptie",
        "title": "Via de API",
        "targets": ["Z"],
        "assignment_id": pw.assignment,
        "necessity": "n",
        "proportionality": "p",
        "subsidiarity": "s",
        "targeting": "t",
        "term_months": 9,
        "marking": {"level": "STG_GEHEIM", "owner": "AIVD"},
    }
    refused = analyst.post("/api/v1/oversight/permissions", json=body, headers=headers)
    assert refused.status_code == 422
    assert "9" in refused.json()["detail"]
    created = analyst.post(
        "/api/v1/oversight/permissions", json={**body, "term_months": 3}, headers=headers
    )
    assert created.status_code == 201, created.text
    pid = created.json()["id"]
    usable = analyst.get(f"/api/v1/oversight/permissions/{pid}/usable?on=2026-03-02")
    assert usable.status_code == 422
    got = analyst.get(f"/api/v1/oversight/permissions/{pid}").json()
    assert got["status"] == "draft"
    assert got["steps"][0]["step"] == "created"
    tib_headers = {"X-CSRF-Token": people["tib"].csrf}
    early = tib.post(
        f"/api/v1/oversight/permissions/{pid}/decision",
        json={"outcome": "lawful"},
        headers=tib_headers,
    )
    assert early.status_code == 422
    assert tib.get(f"/api/v1/oversight/permissions/{pid + 100}").status_code == 404
