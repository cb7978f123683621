"""The protect overview: each part's figures the reader may read, alerts for what asks
for action, nothing of a part the reader's roles may not read, and one audit entry."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from baken.core.db import transaction
from baken.core.markings import Level, Service
from baken.core.models import AuditEntry
from baken.protect.sweeps import service as sweeps
from tests.conftest import People, login

SWEEPS = "Secure rooms overdue for a sweep"


def _room(factory: sessionmaker[Session], people: People) -> None:
    evo = people.add("evo", Level.STG_GEHEIM, {"protect_officer"}, Service.MIVD)
    with transaction(factory) as s:
        sweeps.create_room(
            s, evo, name="Kamer zonder veegonderzoek (fictief)", location="Gebouw T (fictief)",
            level="STG_GEHEIM", owner="MIVD-INL", service="JOINT", risk="hoog",
        )  # fmt: skip


def test_a_protect_officer_sees_each_part_and_what_asks_for_action(
    factory: sessionmaker[Session], people: People, client: TestClient
) -> None:
    _room(factory, people)
    login(client, "evo")
    found = {s["part"]: s for s in client.get("/api/v1/protect/overview").json()}
    assert set(found) == {"sweeps", "industrial", "resilience", "threats"}
    overdue = {f["label"]: f["count"] for f in found["sweeps"]["figures"]}
    assert overdue["Beveiligde ruimtes met achterstallig veegonderzoek"] == 1
    page = client.get("/beveiliging")
    assert page.status_code == 200
    assert '<li class="alert"><a href="/veegonderzoeken"><strong>1</strong>' in page.text
    with transaction(factory) as s:
        parts = s.scalars(
            select(AuditEntry.details).where(AuditEntry.action == "protect.overview")
        ).all()
        # One entry per view: the parts' figures are not audited a second time.
        figures = s.scalars(select(AuditEntry.action).where(AuditEntry.action.like("%.figures")))
        assert figures.all() == []
    assert len(parts) == 2
    shown: dict[str, list[int]] = parts[0]["figures"]  # type: ignore[index]
    assert list(shown) == ["sweeps", "industrial", "resilience", "threats"]
    assert shown["sweeps"][0] == 1


def test_a_reader_who_may_not_read_the_room_counts_nothing(
    factory: sessionmaker[Session], people: People, client: TestClient
) -> None:
    _room(factory, people)
    people.add("laag", Level.ONGERUBRICEERD, {"protect_officer"}, Service.MIVD)
    login(client, "laag")
    found = {s["part"]: s for s in client.get("/api/v1/protect/overview").json()}
    assert all(f["count"] == 0 for f in found["sweeps"]["figures"])
    assert 'class="alert"' not in client.get("/beveiliging").text


def test_parts_the_reader_may_not_read_are_left_out(
    factory: sessionmaker[Session], people: People, client: TestClient
) -> None:
    _room(factory, people)
    people.add("nctv", Level.STG_GEHEIM, {"partner_recipient"}, None, "NCTV")
    people.add("werkgever", Level.STG_CONFIDENTIEEL, {"employer_security_officer"}, None,
               "EMPLOYER-A")  # fmt: skip
    login(client, "nctv")
    assert [s["part"] for s in client.get("/api/v1/protect/overview").json()] == [
        "resilience",
        "threats",
    ]
    client.cookies.clear()
    login(client, "werkgever")
    assert client.get("/api/v1/protect/overview").json() == []
    page = client.get("/beveiliging")
    assert page.status_code == 200
    assert "Geen van de registers van beveiligingsbevordering is voor u toegankelijk." in page.text
