"""The resilience demo: fictional, made through the services by ``bewaking`` and
``teamleider``, with an advisory released to VITAAL-A, a draft for knowledge institutions
and a notification released to VICTIM-A that waits for ``slachtoffer``."""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from baken.core.config import Settings
from baken.core.db import transaction
from baken.core.markings import Level, Service
from baken.holdings import demo as holdings_demo
from baken.protect.resilience import demo, service, victims
from tests.conftest import People


def test_the_demo_is_fictional_and_waits_for_the_victim(
    settings: Settings, factory: sessionmaker[Session], people: People
) -> None:
    analyst = people.add("analist.zg", Level.STG_ZEER_GEHEIM, {"analyst"})
    author = people.add("bewaking", Level.STG_GEHEIM, {"protect_officer"})
    lead = people.add("teamleider", Level.STG_ZEER_GEHEIM, {"team_lead"})
    victim = people.add(
        "slachtoffer",
        Level.DEP_VERTROUWELIJK,
        {"partner_recipient"},
        service=None,
        organisation="VICTIM-A",
    )
    mivd = people.add("analist.mivd", Level.STG_ZEER_GEHEIM, {"analyst"}, Service.MIVD)
    users = {"analist.zg": analyst.id, "bewaking": author.id, "teamleider": lead.id}
    with transaction(factory) as s:
        holdings_demo.load(s, users, settings)
    with transaction(factory) as s:
        demo.load(s, users, settings)
    with transaction(factory) as s:
        found = service.dashboard(s, principal=author)
        received = victims.received(s, principal=victim)
        hidden = service.dashboard(s, principal=mivd)
    assert len(found.rows) == 3
    assert all("fictief" in r.title for r in found.rows)
    by_type = {r.type: r for r in found.rows}
    assert by_type["weerbaarheidsadvies"].status == "released"
    assert by_type["weerbaarheidsadvies"].audiences == ["vitale_sectoren"]
    assert by_type["informatiebeveiligingsproduct"].status == "draft"
    assert by_type["informatiebeveiligingsproduct"].audiences == ["kennisinstellingen"]
    assert [r.type for r in found.awaiting] == ["slachtoffernotificatie"]
    assert {r.recipient for r in found.recent} == {"VITAAL-A", "VICTIM-A"}
    assert [(i.notification, i.acknowledged_at) for i in received] == [(True, None)]
    assert hidden.rows == []
