"""A products world: an author, a team lead, recipients, and sources made the way the
holdings pipeline stores them (through the holdings leak-fixture helper)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker

from baken.core.config import Settings
from baken.core.db import transaction
from baken.core.markings import Level, Marking, Service
from baken.core.principals import Principal
from baken.holdings.leak import make_document
from tests.conftest import People


@dataclass
class Desk:
    settings: Settings
    factory: sessionmaker[Session]
    author: Principal  # analyst, Stg. Geheim, AIVD
    lead: Principal  # team lead, Stg. Geheim, AIVD
    low: Principal  # analyst, Dep. Vertrouwelijk, AIVD
    nctv: Principal
    partner_a: Principal
    keeper: Principal  # holds the sources: Stg. Zeer Geheim

    def source(self, marking: Marking, name: str) -> dict[str, Any]:
        """A document naming a person, at ``marking``: its ``document_id`` and ``entity_id``."""
        with transaction(self.factory) as session:
            return make_document(session, self.keeper, marking, name)


@pytest.fixture
def desk(settings: Settings, factory: sessionmaker[Session], people: People) -> Desk:
    return Desk(
        settings,
        factory,
        author=people.add("auteur", Level.STG_GEHEIM, {"analyst"}),
        lead=people.add("teamleider", Level.STG_GEHEIM, {"analyst", "team_lead"}),
        low=people.add("laag", Level.DEP_VERTROUWELIJK, {"analyst"}),
        nctv=people.add(
            "nctv", Level.STG_GEHEIM, {"partner_recipient"}, service=None, organisation="NCTV"
        ),
        partner_a=people.add(
            "partner.a",
            Level.STG_GEHEIM,
            {"partner_recipient"},
            service=None,
            organisation="PARTNER-A",
        ),
        keeper=people.add("archief", Level.STG_ZEER_GEHEIM, {"analyst"}),
    )


SECRET_AIVD = Marking.of("STG_GEHEIM", Service.AIVD)
CONF_JOINT = Marking.of("STG_CONFIDENTIEEL", Service.JOINT)
PARTNER_A = Marking.of("STG_GEHEIM", Service.AIVD, originators={"PARTNER-A"})
