"""The screenings demo loads through the services: cases in every state, the airport VGB
that the register demo builds on, and the KMar case only the KMar sees."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from baken.core.config import Settings
from baken.core.db import transaction
from baken.core.markings import Level, Service
from baken.vetting import access
from baken.vetting.positions import demo as positions_demo
from baken.vetting.screenings import demo, service
from baken.vetting.screenings.models import Vgb
from tests.conftest import People


def test_demo_screenings(
    settings: Settings, factory: sessionmaker[Session], people: People
) -> None:
    uvo = people.add("uvo", Level.STG_GEHEIM, {access.SCREENER})
    werkgever = people.add(
        "werkgever", Level.STG_CONFIDENTIEEL, {access.EMPLOYER}, None, "EMPLOYER-A"
    )
    kmar = people.add("kmar", Level.STG_CONFIDENTIEEL, {access.MANDATED}, Service.AIVD, "KMAR")
    users = {"uvo": uvo.id, "werkgever": werkgever.id, "kmar": kmar.id}
    with transaction(factory) as session:
        positions_demo.load(session, users, settings)
        demo.load(session, users, settings)
    today = date.today()
    with transaction(factory) as session:
        counts = service.counts(session, uvo, today)
        assert counts["alle"] == 8
        assert counts["intake"] == 1
        assert counts["te-laat"] >= 1
        assert counts["risico"] >= 1
        assert counts["opgeschort"] == 1
        assert counts["besloten"] == 2
        statuses = {r.status for r in service.queue(session, uvo, tab="alle", today=today).rows}
        assert {"requested", "investigation", "suspended", "decided", "objection"} <= statuses
        vgb = session.scalars(select(Vgb)).one()
        assert vgb.scope == "location"
        assert vgb.employer == "EMPLOYER-A"
        kmar_rows = service.queue(session, kmar, tab="alle", today=today).rows
        assert [r.handled_by for r in kmar_rows] == ["KMAR"]
        # The employer sees its own people only (not the ministry's).
        assert {
            r.employer for r in service.queue(session, werkgever, tab="alle", today=today).rows
        } == {"EMPLOYER-A"}
