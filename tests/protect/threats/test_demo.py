"""The threats demo loads through the services: an assessment released to the NCTV with
its decision, a notification to the mayor awaiting one, a risk analysis in draft; all
fictional."""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from baken.core.config import Settings
from baken.core.db import transaction
from baken.core.markings import Level
from baken.protect.threats import demo, service
from tests.conftest import People


def test_the_demo(settings: Settings, factory: sessionmaker[Session], people: People) -> None:
    users = {
        "bewaking": people.add("bewaking", Level.STG_GEHEIM, {"protect_officer"}),
        "teamleider": people.add(
            "teamleider", Level.STG_ZEER_GEHEIM, {"team_lead"}, compartments={"KOBALT"}
        ),
        "analist.zg": people.add("analist.zg", Level.STG_ZEER_GEHEIM, {"analyst"}),
        "nctv": people.add(
            "nctv", Level.STG_GEHEIM, {"partner_recipient"}, service=None, organisation="NCTV"
        ),
        "burgemeester": people.add(
            "burgemeester",
            Level.DEP_VERTROUWELIJK,
            {"partner_recipient"},
            service=None,
            organisation="GEMEENTE-ZUIDPOLDER",
        ),
    }
    with transaction(factory) as s:
        demo.load(s, {k: p.id for k, p in users.items()}, settings)
    with transaction(factory) as s:
        staff = service.dashboard(s, users["bewaking"])
        nctv = service.dashboard(s, users["nctv"])
        mayor = service.dashboard(s, users["burgemeester"])
    assert sorted((v.type, v.status) for v in staff.rows) == [
        ("dreigingsinschatting", "released"),
        ("dreigingsmelding", "released"),
        ("risicoanalyse", "draft"),
    ]
    assert all("fictief" in v.title and "fictief" in v.subject for v in staff.rows)
    assert [v.type for v in staff.awaiting] == ["dreigingsmelding"]
    assert staff.decided == 1
    [summit] = nctv.rows
    assert summit.decision is not None
    assert summit.decision.recorded_for == "authority"
    assert nctv.awaiting == []
    assert [v.addressee for v in mayor.awaiting] == ["GEMEENTE-ZUIDPOLDER"]
