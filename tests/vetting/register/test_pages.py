"""The register pages and API in the browser's way: the browser journey's end (a person
registered, then moving employer at the airport on a location-bound VGB) and the
refusals an employer meets."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from baken.core.db import transaction
from baken.core.models import AuditEntry
from baken.vetting.register.models import RegisterEntry
from baken.vetting.screenings.models import Vgb
from tests.conftest import csrf_headers, login
from tests.vetting.register.conftest import CARLA, PIET, RWorld


def active(rw: RWorld) -> list[tuple[str, int]]:
    with transaction(rw.v.factory) as s:
        return [
            (e.employer, e.position_id)
            for e in s.scalars(
                select(RegisterEntry)
                .where(RegisterEntry.deregistered_on.is_(None))
                .order_by(RegisterEntry.id)
            )
        ]


def enrol(client: TestClient, token: str, **form: str) -> Any:
    return client.post(
        "/register/inschrijven",
        data=form,
        headers=csrf_headers(token),
        follow_redirects=False,
    )


def test_an_employer_registers_and_the_new_employer_moves_the_person_in(
    rw: RWorld, client: TestClient
) -> None:
    token = login(client, "werkgever")
    form = client.get("/register/inschrijven")
    assert form.status_code == 200
    made = enrol(client, token, bsn=PIET, position_id=str(rw.v.pos_a), on="2026-02-10")
    assert made.status_code == 303
    entry_url = made.headers["location"]
    own = client.get("/register")
    assert "Piet Poortwachter" in own.text
    assert client.get(entry_url).status_code == 200

    client.cookies.clear()
    token = login(client, "werkgever.b")
    assert client.get(entry_url).status_code == 404
    assert "Piet Poortwachter" not in client.get(f"/register?bsn={PIET}").text
    with transaction(rw.v.factory) as s:
        ref = s.scalar(select(Vgb.ref).where(Vgb.id == rw.piet_vgb))
    moved = enrol(
        client,
        token,
        bsn=PIET,
        position_id=str(rw.v.pos_b),
        on="2026-03-01",
        vgb_ref=str(ref),
        move="1",
    )
    assert moved.status_code == 303
    assert active(rw) == [("EMPLOYER-B", rw.v.pos_b)]
    page = client.get(moved.headers["location"])
    assert "Piet Poortwachter" in page.text
    with transaction(rw.v.factory) as s:
        assert s.scalar(select(Vgb.status).where(Vgb.id == rw.piet_vgb)) == "valid"


def test_the_officer_moves_a_person_within_the_location(rw: RWorld, client: TestClient) -> None:
    token = login(client, "uvo")
    made = enrol(client, token, bsn=PIET, position_id=str(rw.v.pos_a), on="2026-02-10")
    entry_url = made.headers["location"]
    form = client.get(f"{entry_url}/wisselen")
    assert form.status_code == 200
    assert f'value="{rw.v.pos_b}"' in form.text
    moved = client.post(
        f"{entry_url}/wisselen",
        data={"position_id": str(rw.v.pos_b), "on": "2026-03-01"},
        headers=csrf_headers(token),
        follow_redirects=False,
    )
    assert moved.status_code == 303
    assert active(rw) == [("EMPLOYER-B", rw.v.pos_b)]


def test_deregistration_with_dates_out_of_order_changes_nothing(
    rw: RWorld, client: TestClient
) -> None:
    token = login(client, "werkgever.c")
    made = enrol(client, token, bsn=CARLA, position_id=str(rw.v.pos_c), on="2026-02-10")
    entry_url = made.headers["location"]
    refused = client.post(
        f"{entry_url}/uitschrijven",
        data={"on": "2026-02-01", "reason": "Andere functie"},
        headers=csrf_headers(token),
    )
    assert refused.status_code == 422
    assert 'value="Andere functie"' in refused.text
    assert active(rw) == [("EMPLOYER-C", rw.v.pos_c)]
    done = client.post(
        f"{entry_url}/uitschrijven",
        data={"on": "2026-02-20", "reason": "Andere functie"},
        headers=csrf_headers(token),
        follow_redirects=False,
    )
    assert done.status_code == 303
    assert active(rw) == []
    with transaction(rw.v.factory) as s:
        assert s.scalar(select(Vgb.status).where(Vgb.id == rw.carla_vgb)) == "lapsed"


def test_a_malformed_bsn_re_renders_the_form(rw: RWorld, client: TestClient) -> None:
    token = login(client, "werkgever")
    answer = enrol(client, token, bsn="111222334", position_id=str(rw.v.pos_a), on="2026-02-10")
    assert answer.status_code == 422
    assert 'value="111222334"' in answer.text
    assert active(rw) == []


def test_an_employer_asking_for_another_employers_staff_is_refused_and_audited(
    rw: RWorld, client: TestClient
) -> None:
    token = login(client, "uvo")
    enrol(client, token, bsn=CARLA, position_id=str(rw.v.pos_c), on="2026-02-10")
    client.cookies.clear()
    login(client, "werkgever")
    answer = client.get("/api/v1/vetting/register", params={"employer": "EMPLOYER-C"})
    assert answer.status_code == 422
    # Problem details, as every refusal of the API (it was plain JSON: tests/hostile).
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert answer.json()["status"] == 422
    assert "Carla" not in answer.text
    by_person = client.get("/api/v1/vetting/register", params={"bsn": CARLA})
    assert by_person.json()["entries"] == []
    page = client.get("/register", params={"werkgever": "EMPLOYER-C"})  # ignored: own staff
    assert "Carla" not in page.text
    with transaction(rw.v.factory) as s:
        outcomes = list(
            s.scalars(
                select(AuditEntry.outcome)
                .where(AuditEntry.action == "register.lookup", AuditEntry.actor == "werkgever")
                .order_by(AuditEntry.seq)
            )
        )
    assert outcomes == ["refused", "ok", "ok"]


def test_the_officer_searches_by_employer_and_location(rw: RWorld, client: TestClient) -> None:
    token = login(client, "uvo")
    enrol(client, token, bsn=PIET, position_id=str(rw.v.pos_a), on="2026-02-10")
    by_employer = client.get("/register", params={"werkgever": "EMPLOYER-A"})
    assert "Piet Poortwachter" in by_employer.text
    by_location = client.get("/api/v1/vetting/register", params={"location": rw.v.airport})
    assert [e["person_bsn"] for e in by_location.json()["entries"]] == [PIET]
    nobody = client.get("/register", params={"werkgever": "EMPLOYER-B"})
    assert "Piet Poortwachter" not in nobody.text
    with transaction(rw.v.factory) as s:
        total = s.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.action == "register.lookup", AuditEntry.actor == "uvo")
        )
    assert total == 3
