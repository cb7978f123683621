"""The products demo loads through the services: products in every state, one released
to the NCTV, which the NCTV user sees and nothing else."""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from baken.analysis.products import demo, dissemination, service
from baken.core.config import Settings
from baken.core.db import transaction
from baken.core.markings import Level, Service
from tests.conftest import People


def test_demo_products(settings: Settings, factory: sessionmaker[Session], people: People) -> None:
    author = people.add("analist.zg", Level.STG_ZEER_GEHEIM, {"analyst"})
    lead = people.add("teamleider", Level.STG_ZEER_GEHEIM, {"team_lead"}, compartments={"KOBALT"})
    nctv = people.add(
        "nctv", Level.STG_GEHEIM, {"partner_recipient"}, service=None, organisation="NCTV"
    )
    mivd = people.add("mivd", Level.STG_ZEER_GEHEIM, {"analyst"}, service=Service.MIVD)
    with transaction(factory) as session:
        demo.load(session, {"analist.zg": author.id, "teamleider": lead.id}, settings)
    with transaction(factory) as session:
        states = sorted(p.status for p in service.list_products(session, principal=lead))
        assert states == ["approved", "draft", "released", "submitted"]
        seen = dissemination.releases(session, principal=nctv)
        assert [r.content["type"] for r in seen] == ["dreigingsinschatting"]
        assert service.list_products(session, principal=nctv) == []
        # AIVD products: the other service does not see them
        assert service.list_products(session, principal=mivd) == []
        draft = next(
            p for p in service.list_products(session, principal=author) if p.status == "draft"
        )
        assert draft.marking.originators == frozenset({"PARTNER-A"})
