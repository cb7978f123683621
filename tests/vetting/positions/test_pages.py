"""The positions pages and API in the browser's way: signed in, with the CSRF token."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from baken.core.db import transaction
from baken.vetting.positions.models import Position
from tests.conftest import csrf_headers, login
from tests.vetting.positions.conftest import VWorld


def count(vw: VWorld) -> int:
    with transaction(vw.factory) as s:
        return int(s.scalar(select(func.count()).select_from(Position)) or 0)


def test_the_officer_lists_and_creates_a_position(vw: VWorld, client: TestClient) -> None:
    token = login(client, "uvo")
    page = client.get("/vertrouwensfuncties")
    assert page.status_code == 200
    assert "VF-0001" in page.text
    assert 'method="post" action="/vertrouwensfuncties"' in page.text
    made = client.post(
        "/vertrouwensfuncties",
        data={
            "title": "Platformbeveiliger",
            "level": "C",
            "employer": "EMPLOYER-B",
            "minister": "IENW",
            "designated_on": "2026-02-01",
            "location_id": str(vw.airport),
        },
        headers=csrf_headers(token),
        follow_redirects=False,
    )
    assert made.status_code == 303
    detail = client.get(made.headers["location"])
    assert detail.status_code == 200
    assert "Platformbeveiliger" in detail.text


def test_bad_input_re_renders_the_form_with_the_values(vw: VWorld, client: TestClient) -> None:
    token = login(client, "uvo")
    before = count(vw)
    answer = client.post(
        "/vertrouwensfuncties",
        data={
            "title": "Functie in de toekomst",
            "level": "B",
            "employer": "EMPLOYER-A",
            "minister": "IENW",
            "designated_on": "2999-01-01",
            "location_id": "",
        },
        headers=csrf_headers(token),
    )
    assert answer.status_code == 422
    assert 'role="alert"' in answer.text
    assert 'value="Functie in de toekomst"' in answer.text
    assert 'value="2999-01-01"' in answer.text
    assert count(vw) == before


def test_a_malformed_date_is_refused(vw: VWorld, client: TestClient) -> None:
    token = login(client, "uvo")
    answer = client.post(
        "/locaties",
        data={
            "code": "X1",
            "name": "Haven X",
            "kind": "port",
            "minister": "IENW",
            "designated_on": "gisteren",
        },
        headers=csrf_headers(token),
    )
    assert answer.status_code == 422
    assert 'value="Haven X"' in answer.text


def test_an_employer_sees_its_own_positions_only(vw: VWorld, client: TestClient) -> None:
    login(client, "werkgever.b")
    page = client.get("/vertrouwensfuncties")
    assert page.status_code == 200
    assert 'method="post" action="/vertrouwensfuncties"' not in page.text
    assert client.get(f"/vertrouwensfuncties/{vw.pos_b}").status_code == 200
    assert client.get(f"/vertrouwensfuncties/{vw.pos_a}").status_code == 404
    assert client.get("/vertrouwensfuncties/999999").status_code == 404
    api = client.get("/api/v1/vetting/positions")
    assert {p["employer"] for p in api.json()["positions"]} == {"EMPLOYER-B"}


def test_an_employer_cannot_deactivate(vw: VWorld, client: TestClient) -> None:
    token = login(client, "werkgever.b")
    answer = client.post(
        f"/vertrouwensfuncties/{vw.pos_b}/beeindigen",
        headers=csrf_headers(token),
        follow_redirects=False,
    )
    assert answer.status_code == 403
    hidden = client.post(
        f"/vertrouwensfuncties/{vw.pos_a}/beeindigen",
        headers=csrf_headers(token),
        follow_redirects=False,
    )
    assert hidden.status_code == 404


def test_the_location_page_counts_register_entries_for_officers_only(
    vw: VWorld, client: TestClient
) -> None:
    login(client, "uvo")
    page = client.get(f"/locaties/{vw.airport}")
    assert page.status_code == 200
    assert f'href="/register?locatie={vw.airport}"' in page.text
    client.cookies.clear()
    login(client, "werkgever")
    page = client.get(f"/locaties/{vw.airport}")
    assert page.status_code == 200
    assert "/register?locatie=" not in page.text
    codes = sorted(loc["code"] for loc in client.get("/api/v1/vetting/locations").json())
    assert codes == ["MINC", "ZPL"]
