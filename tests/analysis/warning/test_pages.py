"""Early warning in the browser and over the API: record an event (and the refusals),
follow a region, run the detector from the page, read and mark signals; the dashboard
and the series page with their parameters."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from baken.analysis.warning import service
from baken.analysis.warning.models import Alert, Event
from baken.core.db import transaction
from baken.web.app import create_app
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


def _events(world: World) -> int:
    with transaction(world.factory) as session:
        return int(session.scalar(select(func.count()).select_from(Event)) or 0)


def _form(csrf: str, **fields: str) -> dict[str, str]:
    base = {
        "csrf_token": csrf,
        "occurred_on": (service.today() - timedelta(days=1)).isoformat(),
        "country": "UA",
        "event_type": "cyberincident",
        "theme": "CYB",
        "actor": "Groep Noordster",
        "description": "Storing bij een energiebedrijf",
        "level": "STG_CONFIDENTIEEL",
        "owner": "JOINT",
    }
    return base | fields


def test_record_an_event_and_read_it_back(web: TestClient, world: World) -> None:
    csrf = login(web, "analist")
    page = web.get("/vroegsignalering/gebeurtenissen")
    assert page.status_code == 200
    assert "gebeurtenis vastleggen" in page.text.lower()
    made = web.post("/vroegsignalering/gebeurtenissen", data=_form(csrf), follow_redirects=False)
    assert made.status_code == 303, made.text
    event = web.get(made.headers["location"])
    assert event.status_code == 200
    assert "Groep Noordster" in event.text
    assert "Storing bij een energiebedrijf" in event.text
    listed = web.get("/vroegsignalering/gebeurtenissen")
    assert "Groep Noordster" in listed.text


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"occurred_on": "2999-01-01"}, "2999-01-01"),
        ({"occurred_on": "gisteren"}, "YYYY-MM-DD"),
        ({"country": "XX"}, "XX"),
        ({"event_type": "ufo"}, "ufo"),
        ({"theme": "NOPE"}, "NOPE"),
        ({"actor": "", "actor_entity_id": ""}, "actor"),
        ({"actor_entity_id": "bad id!"}, "entity"),
        ({"level": "TOPGEHEIM"}, ""),
    ],
)
def test_bad_events_are_refused_and_nothing_is_stored(
    web: TestClient, world: World, fields: dict[str, str], message: str
) -> None:
    csrf = login(web, "analist")
    before = _events(world)
    web.cookies.set("baken_lang", "en")
    refused = web.post("/vroegsignalering/gebeurtenissen", data=_form(csrf, **fields))
    assert refused.status_code == 422
    assert 'role="alert"' in refused.text
    assert message in refused.text
    assert _events(world) == before


def test_an_event_above_the_authors_clearance_is_refused(web: TestClient, world: World) -> None:
    csrf = login(web, "analist")  # Stg. Geheim
    before = _events(world)
    refused = web.post(
        "/vroegsignalering/gebeurtenissen", data=_form(csrf, level="STG_ZEER_GEHEIM")
    )
    assert refused.status_code in (403, 404)
    assert _events(world) == before


def test_the_api_refuses_a_future_date_in_english(web: TestClient, world: World) -> None:
    csrf = login(web, "analist")
    body = {
        "occurred_on": "2999-01-01",
        "country": "NL",
        "event_type": "overig",
        "theme": "CYB",
        "actor": "x",
        "marking": {"level": "ONGERUBRICEERD"},
    }
    web.cookies.set("baken_lang", "en")
    answer = web.post("/api/v1/analysis/warning/events", json=body, headers=csrf_headers(csrf))
    assert answer.status_code == 422
    assert "lies in the future" in answer.text
    assert _events(world) == 0


def test_follow_detect_and_read_a_signal_in_the_browser(web: TestClient, world: World) -> None:
    # Two years of quiet cyber incidents in Ukraine, then a surge this week.
    with transaction(world.factory) as session:
        today = service.today()
        for weeks_back in range(1, 110):
            day = today - timedelta(weeks=weeks_back)
            _event(session, world, day, count=1 + weeks_back % 2)
        _event(session, world, today, count=14)
    csrf = login(web, "analist")
    refused = web.post(
        "/vroegsignalering/volgen",
        data={"csrf_token": csrf, "target_kind": "place", "target": "ATLANTIS"},
    )
    assert refused.status_code == 422
    assert "ATLANTIS" in refused.text
    followed = web.post(
        "/vroegsignalering/volgen",
        data={"csrf_token": csrf, "target_kind": "place", "target": "r-oeur"},
        follow_redirects=False,
    )
    assert followed.status_code == 303
    bad = web.post("/vroegsignalering/detectie", data={"csrf_token": csrf, "drempel": "veel"})
    assert bad.status_code == 422
    ran = web.post("/vroegsignalering/detectie", data={"csrf_token": csrf}, follow_redirects=False)
    assert ran.status_code == 303
    assert ran.headers["location"].endswith("nieuw=1")
    page = web.get("/vroegsignalering/signalen")
    assert page.status_code == 200
    assert "Oost-Europa" in page.text
    assert 'class="unread"' in page.text
    with transaction(world.factory) as session:
        alert = session.scalars(select(Alert)).one()
        assert alert.observed == 14
    read = web.post(
        f"/vroegsignalering/signalen/{alert.id}/gelezen",
        data={"csrf_token": csrf},
        follow_redirects=False,
    )
    assert read.status_code == 303
    assert 'class="unread"' not in web.get("/vroegsignalering/signalen").text
    # Another analyst cannot mark it: 404, as for an id that does not exist.
    web.cookies.clear()
    other = login(web, "laag")
    assert (
        web.post(
            f"/vroegsignalering/signalen/{alert.id}/gelezen", data={"csrf_token": other}
        ).status_code
        == 404
    )


def _event(session: object, world: World, day: object, count: int) -> None:
    from datetime import date

    from sqlalchemy.orm import Session

    from baken.core.markings import Marking

    assert isinstance(session, Session)
    assert isinstance(day, date)
    for _ in range(count):
        service.record_event(
            session,
            principal=world.analyst,
            data=service.EventIn(
                occurred_on=day,
                country="UA",
                event_type="cyberincident",
                theme="CYB",
                marking=Marking.of("DEP_VERTROUWELIJK", "JOINT"),
                actor="Groep",
            ),
            run_detection=False,
        )


def test_dashboard_and_series_show_the_method_and_refuse_bad_parameters(
    web: TestClient, world: World
) -> None:
    with transaction(world.factory) as session:
        _event(session, world, service.today(), count=2)
    login(web, "analist")
    board = web.get("/vroegsignalering")
    assert board.status_code == 200
    assert "<svg" in board.text
    assert "Oost-Europa" in board.text
    assert "1,4826" in board.text
    tuned = web.get("/vroegsignalering/reeks?plaats=UA&thema=CYB&seizoen=26&drempel=4")
    assert tuned.status_code == 200
    assert 'name="seizoen" value="26"' in tuned.text
    assert 'name="drempel" value="4.0"' in tuned.text
    bad = web.get("/vroegsignalering/reeks?plaats=UA&seizoen=abc")
    assert bad.status_code == 422
    assert 'role="alert"' in bad.text
    unknown = web.get("/vroegsignalering/reeks?plaats=QQ")
    assert unknown.status_code == 422
    assert "QQ" in unknown.text
    api = web.get("/api/v1/analysis/warning/series?place=UA&theme=CYB")
    assert api.status_code == 200
    assert api.json()["weeks"][-1]["value"] == 2


def test_the_api_records_lists_and_follows(web: TestClient, world: World) -> None:
    csrf = login(web, "analist")
    headers = csrf_headers(csrf)
    body = {
        "occurred_on": service.today().isoformat(),
        "country": "ua",
        "event_type": "cyberincident",
        "theme": "CYB",
        "actor": "Groep Zuiderkruis",
        "marking": {"level": "DEP_VERTROUWELIJK", "owner": "JOINT"},
    }
    made = web.post("/api/v1/analysis/warning/events", json=body, headers=headers)
    assert made.status_code == 201, made.text
    event = web.get(made.json()["url"]).json()
    assert event["country"] == "UA"
    assert event["actor"] == "Groep Zuiderkruis"
    listed = web.get("/api/v1/analysis/warning/events?place=R-OEUR").json()
    assert [e["id"] for e in listed] == [event["id"]]
    assert web.get("/api/v1/analysis/warning/events?place=R-WEUR").json() == []
    follow = web.post(
        "/api/v1/analysis/warning/follows",
        json={"target_kind": "place", "target": "UA"},
        headers=headers,
    )
    assert follow.status_code == 201
    follow_id = follow.json()["id"]
    assert [f["id"] for f in web.get("/api/v1/analysis/warning/follows").json()] == [follow_id]
    gone = web.delete(f"/api/v1/analysis/warning/follows/{follow_id}", headers=headers)
    assert gone.status_code == 200
    assert web.get("/api/v1/analysis/warning/follows").json() == []
    again = web.delete(f"/api/v1/analysis/warning/follows/{follow_id}", headers=headers)
    assert again.status_code == 404
    detect = web.post("/api/v1/analysis/warning/detect", json={"threshold": 0.2}, headers=headers)
    assert detect.status_code == 422
