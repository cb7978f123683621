"""Capacity in the browser and over the API: the form with its seeded scenarios, a
search for the FTE that runs in the background with its progress polled, the answer with
its charts, bad input re-rendered with the message and the values typed, and 404 for
those who may not read a scenario."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from markupsafe import escape
from sqlalchemy import func, select

from baken.core.db import transaction
from baken.core.i18n import gettext
from baken.vetting.capacity.models import Scenario
from baken.vetting.capacity.service import CapacityError
from baken.web.app import create_app
from tests.conftest import csrf_headers, login
from tests.vetting.capacity.conftest import CWorld

FORM = {
    "title": "Piek 2026",
    "mode": "find",
    "volume": "1500",
    "mix_a": "20",
    "mix_b": "50",
    "mix_c": "30",
    "hours_a": "24",
    "hours_b": "5",
    "hours_c": "1,5",
    "check_a": "21",
    "check_b": "14",
    "check_c": "7",
    "fte": "",
    "target": "90",
    "term_weeks": "8",
    "hours_per_week": "28",
    "external_share": "10",
    "external_days": "35",
    "seasonality": "20",
    "seed": "11",
    "marking": "DEP_VERTROUWELIJK",
}


@pytest.fixture
def web(cw: CWorld) -> Iterator[TestClient]:
    application: FastAPI = create_app(cw.settings)
    with TestClient(application, raise_server_exceptions=False) as client:
        yield client
    runner = getattr(application.state, "capacity_runner", None)
    if runner is not None:
        runner.shutdown(wait=True)
    application.state.engine.dispose()


def _count(cw: CWorld) -> int:
    with transaction(cw.factory) as session:
        return int(session.scalar(select(func.count()).select_from(Scenario)) or 0)


def _wait(web: TestClient, url: str) -> str:
    for _ in range(600):
        page = web.get(f"{url}/voortgang", headers={"HX-Request": "true"})
        assert page.status_code == 200
        if "hx-trigger" not in page.text:
            return page.text
        time.sleep(0.1)
    raise AssertionError("the scenario did not finish")


def test_find_the_fte_in_the_browser(cw: CWorld, web: TestClient) -> None:
    csrf = login(web, "uvo")
    page = web.get("/capaciteit?voorinstelling=total_2026&stijging=20")
    assert page.status_code == 200
    assert 'value="61625"' in page.text  # 51,354 + 20%
    assert re.search(r"26[.,]438", page.text)  # the public volume it is seeded with
    assert re.search(r"fictional|fictief", page.text, re.IGNORECASE)  # and says what is not
    started = web.post("/capaciteit", data={"csrf_token": csrf, **FORM}, follow_redirects=False)
    assert started.status_code == 303, started.text
    url = started.headers["location"]
    assert re.fullmatch(r"/capaciteit/\d+", url)
    running = web.get(url)
    assert running.status_code == 200
    state = _wait(web, url)
    assert "run-state" in state
    done = web.get(url)
    assert done.status_code == 200
    with transaction(cw.factory) as session:
        row = session.scalar(select(Scenario))
        assert row is not None
        assert row.state == "done"
        fte, share = row.results["fte"], row.results["result"]["share_within_term"]
    text = re.sub(r"\s+", " ", done.text)
    assert re.search(rf"\b{fte} (FTE|fte)\b", text)
    assert f"{share * 100:.1f}".replace(".", ",") in text
    assert text.count("<svg") >= 2  # the FTE curve and the backlog
    listing = web.get("/capaciteit")
    assert "Piek 2026" in listing.text
    assert url in listing.text


def test_bad_input_rerenders_the_form_and_stores_nothing(cw: CWorld, web: TestClient) -> None:
    csrf = login(web, "uvo")
    above_zero = "the volume must be a whole number of screenings above zero"
    fte = "the FTE must be a whole number above zero"
    target = "the target share must lie above 0% and at most 100%"
    cases: list[tuple[dict[str, str], CapacityError]] = [
        ({"volume": "-5"}, CapacityError(above_zero)),
        ({"volume": "0"}, CapacityError(above_zero)),
        (
            {"volume": "veel"},
            CapacityError("give a number for {what}", what=gettext("nl", "volume")),
        ),
        (
            {"volume": "inf"},
            CapacityError("give a number for {what}", what=gettext("nl", "volume")),
        ),
        (
            {"hours_b": "nan"},
            CapacityError(
                "give a number for {what}", what=gettext("nl", "hours per screening") + " B"
            ),
        ),
        (
            {"mix_c": "40"},
            CapacityError(
                "the mix of levels A, B and C must add up to 100% (it adds up to {total}%)",
                total="110",
            ),
        ),
        ({"mode": "simulate", "fte": "0"}, CapacityError(fte)),
        ({"mode": "simulate", "fte": ""}, CapacityError(fte)),
        ({"target": "0"}, CapacityError(target)),
        ({"target": "120"}, CapacityError(target)),
        (
            {"volume": "9999999"},
            CapacityError("the volume may be at most {max} screenings a year", max=200000),
        ),
        (
            {"hours_a": "100000"},
            CapacityError("the hours per screening must be above 0 and at most {max}", max=400),
        ),
    ]
    for changes, error in cases:
        form = {"csrf_token": csrf, **FORM, **changes}
        page = web.post("/capaciteit", data=form, follow_redirects=False)
        assert page.status_code == 422, changes
        assert 'role="alert"' in page.text
        assert str(escape(error.translate("nl"))) in page.text, changes  # the message, in Dutch
        for name, value in changes.items():
            if value and name != "mode":
                assert f'name="{name}" value="{value}"' in page.text  # the value typed
    assert _count(cw) == 0


def test_the_api_asks_and_answers(cw: CWorld, web: TestClient) -> None:
    csrf = login(web, "uvo")
    headers = csrf_headers(csrf)
    body = {"title": "API", "mode": "simulate", "volume": 1200, "mix": [20, 50, 30], "fte": 5}
    made = web.post("/api/v1/vetting/capacity", json=body, headers=headers)
    assert made.status_code == 202, made.text
    url = made.json()["url"]
    for _ in range(300):
        found = web.get(url).json()
        if found["state"] not in ("queued", "running"):
            break
        time.sleep(0.1)
    assert found["state"] == "done"
    assert found["answer_fte"] == 5
    assert 0 <= found["results"]["result"]["share_within_term"] <= 1
    assert [s["id"] for s in web.get("/api/v1/vetting/capacity").json()] == [found["id"]]
    bad = web.post("/api/v1/vetting/capacity", json={**body, "mix": [20, 50, 50]}, headers=headers)
    assert bad.status_code == 422
    assert "100%" in bad.text
    assert _count(cw) == 1


def test_others_get_404_and_no_form(cw: CWorld, web: TestClient) -> None:
    csrf = login(web, "uvo")
    made = web.post("/capaciteit", data={"csrf_token": csrf, **FORM}, follow_redirects=False)
    url = made.headers["location"]
    _wait(web, url)
    web.cookies.clear()
    login(web, "werkgever")
    page = web.get("/capaciteit")
    assert page.status_code == 200
    assert 'action="/capaciteit"' not in page.text
    assert "Piek 2026" not in page.text
    assert web.get(url).status_code == 404
    assert web.get(f"{url}/voortgang").status_code == 404
    assert web.get("/capaciteit/999999").status_code == 404
