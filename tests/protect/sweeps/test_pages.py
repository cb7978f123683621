"""The sweeps pages in the browser's way (signed in, with the CSRF token): the EVO
officer's journey from the dashboard to a closed finding, bad input shown again at the
form with nothing stored, a planner's flagged meeting, and the API."""

from __future__ import annotations

import re
from datetime import timedelta

from fastapi.testclient import TestClient

from baken.core import sessions
from baken.core.db import transaction
from baken.protect.sweeps.models import Room, Sweep
from tests.conftest import csrf_headers, login
from tests.protect.sweeps.conftest import TODAY, SWorld


def _follow(client: TestClient, answer_status: int, location: str) -> str:
    assert answer_status == 303
    page = client.get(location)
    assert page.status_code == 200
    return page.text


def test_an_evo_officer_plans_and_records_a_sweep_with_a_finding_and_closes_it(
    sw: SWorld, mclient: TestClient
) -> None:
    token = login(mclient, "evo")
    board = mclient.get("/veegonderzoeken")
    assert board.status_code == 200
    assert 'href="/beveiligde-ruimtes"' in board.text
    assert f'href="/beveiligde-ruimtes/{sw.overdue}"' in board.text  # overdue at a glance
    listing = mclient.get("/beveiligde-ruimtes")
    assert 'method="post" action="/beveiligde-ruimtes"' in listing.text
    made = mclient.post(
        "/beveiligde-ruimtes",
        data={
            "name": "Vergaderzaal Reis (fictief)",
            "location": "Gebouw R, 4e verdieping",
            "level": "STG_GEHEIM",
            "owner": "aivd-di",
            "service": "JOINT",
            "risk": "hoog",
            "marking_level": "DEP_VERTROUWELIJK",
        },
        headers=csrf_headers(token),
        follow_redirects=False,
    )
    room_page = _follow(mclient, made.status_code, made.headers["location"])
    room_id = int(made.headers["location"].rsplit("/", 1)[1])
    assert "Vergaderzaal Reis (fictief)" in room_page
    assert f'action="/beveiligde-ruimtes/{room_id}/veegonderzoek"' in room_page
    assert f'value="{TODAY.isoformat()}"' in room_page  # never swept: proposed today
    planned = mclient.post(
        f"/beveiligde-ruimtes/{room_id}/veegonderzoek",
        data={"planned_on": TODAY.isoformat(), "reason": "interval", "team": "Ploeg R"},
        headers=csrf_headers(token),
        follow_redirects=False,
    )
    sweep_page = _follow(mclient, planned.status_code, planned.headers["location"])
    sweep_url = planned.headers["location"]
    assert f'action="{sweep_url}/uitgevoerd"' in sweep_page
    performed = mclient.post(
        f"{sweep_url}/uitgevoerd",
        data={"performed_on": TODAY.isoformat(), "team": "Ploeg R", "notes": "RF-scan"},
        headers=csrf_headers(token),
        follow_redirects=False,
    )
    sweep_page = _follow(mclient, performed.status_code, sweep_url)
    assert f'action="{sweep_url}/bevindingen"' in sweep_page
    found = mclient.post(
        f"{sweep_url}/bevindingen",
        data={"description": "Zender in het plafond", "severity": "hoog", "kind": "zender"},
        headers=csrf_headers(token),
        follow_redirects=False,
    )
    sweep_page = _follow(mclient, found.status_code, sweep_url)
    assert "Zender in het plafond" in sweep_page
    close_url = re.search(rf'action="({sweep_url}/bevindingen/\d+/sluiten)"', sweep_page)
    assert close_url is not None
    closed = mclient.post(
        close_url.group(1),
        data={
            "remediation": "Zender verwijderd en plafond verzegeld",
            "remediated_on": TODAY.isoformat(),
        },
        headers=csrf_headers(token),
        follow_redirects=False,
    )
    sweep_page = _follow(mclient, closed.status_code, sweep_url)
    assert "Zender verwijderd en plafond verzegeld" in sweep_page
    assert "/sluiten" not in sweep_page
    with transaction(sw.factory) as s:
        room = s.get(Room, room_id)
        assert room is not None
        assert room.next_due_on == TODAY + timedelta(days=120)


def test_bad_input_is_shown_again_at_the_form_and_nothing_is_stored(
    sw: SWorld, mclient: TestClient
) -> None:
    token = login(mclient, "evo")
    with transaction(sw.factory) as s:
        rooms = s.query(Room).count()
    answer = mclient.post(
        "/beveiligde-ruimtes",
        data={
            "name": " ",
            "location": "Kelder Q",
            "level": "STG_GEHEIM",
            "owner": "EVO",
            "service": "JOINT",
            "risk": "laag",
        },
        headers=csrf_headers(token),
    )
    assert answer.status_code == 422
    assert 'role="alert"' in answer.text
    assert "Kelder Q" in answer.text
    above = mclient.post(
        "/beveiligde-ruimtes",
        data={
            "name": "Kamer boven mijn niveau",
            "level": "STG_GEHEIM",
            "owner": "EVO",
            "service": "JOINT",
            "risk": "laag",
            "marking_level": "STG_ZEER_GEHEIM",  # above the officer's clearance
        },
        headers=csrf_headers(token),
    )
    assert above.status_code == 403
    assert 'role="alert"' in above.text
    assert 'value="Kamer boven mijn niveau"' in above.text
    planned = mclient.post(
        f"/beveiligde-ruimtes/{sw.never}/veegonderzoek",
        data={"planned_on": TODAY.isoformat(), "reason": "interval"},
        headers=csrf_headers(token),
        follow_redirects=False,
    )
    sweep_url = planned.headers["location"]
    future = (TODAY + timedelta(days=2)).isoformat()
    answer = mclient.post(
        f"{sweep_url}/uitgevoerd",
        data={"performed_on": future, "team": "Ploeg Z"},
        headers=csrf_headers(token),
    )
    assert answer.status_code == 422
    assert 'role="alert"' in answer.text
    assert f'value="{future}"' in answer.text
    assert 'value="Ploeg Z"' in answer.text
    malformed = mclient.post(
        f"{sweep_url}/uitgevoerd", data={"performed_on": "gisteren"}, headers=csrf_headers(token)
    )
    assert malformed.status_code == 422
    with transaction(sw.factory) as s:
        assert s.query(Room).count() == rooms
        row = s.get(Sweep, int(sweep_url.rsplit("/", 1)[1]))
        assert row is not None
        assert row.status == "planned"
        assert row.performed_on is None


def test_a_planner_sees_the_flag_but_not_the_sweeps(sw: SWorld, mclient: TestClient) -> None:
    token = login(mclient, "planner")
    form = mclient.get(f"/vergaderingen?ruimte={sw.overdue}")
    assert 'method="post" action="/vergaderingen"' in form.text
    assert f'<option value="{sw.overdue}" selected>' in form.text
    made = mclient.post(
        "/vergaderingen",
        data={
            "title": "Afstemming (fictief)",
            "room_id": str(sw.overdue),
            "level": "STG_GEHEIM",
            "planned_on": (TODAY + timedelta(days=4)).isoformat(),
            "starts_at": "09:30",
        },
        headers=csrf_headers(token),
        follow_redirects=False,
    )
    page = _follow(mclient, made.status_code, made.headers["location"])
    assert "⚑" in page
    listing = mclient.get("/vergaderingen?gemarkeerd=1")
    assert "Afstemming (fictief)" in listing.text
    room = mclient.get(f"/beveiligde-ruimtes/{sw.overdue}")
    assert room.status_code == 200
    assert "Afstemming (fictief)" in room.text
    assert "/veegonderzoeken/" not in room.text  # no sweep records for a planner
    assert mclient.get(f"/veegonderzoeken/{sw.fresh_sweep}").status_code == 404
    assert mclient.get("/veegonderzoeken/999999").status_code == 404
    refused = mclient.post(
        f"/beveiligde-ruimtes/{sw.fresh}/veegonderzoek",
        data={"planned_on": TODAY.isoformat()},
        headers=csrf_headers(token),
    )
    assert refused.status_code == 403


def test_the_api_answers_with_flags_and_hides_what_it_must(sw: SWorld, mclient: TestClient) -> None:
    with transaction(sw.factory) as s:
        planner, _ = sessions.create_token(s, principal=sw.planner, name="test")
        low, _ = sessions.create_token(s, principal=sw.low, name="test")
    rooms = mclient.get("/api/v1/protect/rooms", headers={"Authorization": f"Bearer {planner}"})
    assert rooms.status_code == 200
    states = {r["id"]: r["state"] for r in rooms.json()["rooms"]}
    assert states[sw.overdue] == "overdue"
    assert states[sw.never] == "never"
    room = mclient.get(
        f"/api/v1/protect/rooms/{sw.never}", headers={"Authorization": f"Bearer {planner}"}
    )
    assert room.json()["ref"].startswith("BR-")
    hidden = mclient.get(
        f"/api/v1/protect/rooms/{sw.secret}", headers={"Authorization": f"Bearer {low}"}
    )
    assert hidden.status_code == 404
    sweep = mclient.get(
        f"/api/v1/protect/sweeps/{sw.fresh_sweep}", headers={"Authorization": f"Bearer {planner}"}
    )
    assert sweep.status_code == 404
    listed = mclient.get("/api/v1/protect/meetings", headers={"Authorization": f"Bearer {planner}"})
    assert listed.status_code == 200
    assert all(m["flagged"] in (True, False) for m in listed.json()["meetings"])


def test_a_room_is_reassessed_from_its_page(sw: SWorld, mclient: TestClient) -> None:
    room_id = sw.room("Kamer voor herbeoordeling (fictief)", level="STG_CONFIDENTIEEL")
    token = login(mclient, "evo")
    page = mclient.get(f"/beveiligde-ruimtes/{room_id}")
    assert f'action="/beveiligde-ruimtes/{room_id}/herbeoordelen"' in page.text
    url = f"/beveiligde-ruimtes/{room_id}/herbeoordelen"
    bad = mclient.post(
        url,
        data={"level": "STG_GEHEIM", "risk": "hoog", "location": "Vleugel Z", "owner": " "},
        headers=csrf_headers(token),
    )
    assert bad.status_code == 422
    assert 'role="alert"' in bad.text
    assert 'value="Vleugel Z"' in bad.text
    done = mclient.post(
        url,
        data={"level": "STG_GEHEIM", "risk": "hoog", "location": "Vleugel Z", "owner": "EVO"},
        headers=csrf_headers(token),
        follow_redirects=False,
    )
    text = _follow(mclient, done.status_code, done.headers["location"])
    assert "Vleugel Z" in text
    with transaction(sw.factory) as s:
        row = s.get(Room, room_id)
        assert row is not None
        assert (row.level, row.risk, row.owner) == ("STG_GEHEIM", "hoog", "EVO")
