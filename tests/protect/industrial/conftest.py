"""The industrial world, built once per test module through the services: NBIV officers
of both services, a low-cleared officer, a partner, the CTIVD, the demo's fictional
ownership network in a holdings collection (with a search index for screening), and a
supplier linked to it with an assignment in investigation."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from baken.core.config import Settings
from baken.core.db import make_engine, make_sessionmaker, transaction
from baken.core.errors import DomainError
from baken.core.markings import Level, Marking, Service
from baken.core.policy import PolicyDenied
from baken.core.principals import Principal
from baken.core.schemas import MarkingIn
from baken.holdings.feed import Feeder
from baken.holdings.schemas import CollectionCreate
from baken.holdings.search import SearchIndex
from baken.holdings.service import collections, entities
from baken.protect.industrial import service
from baken.protect.industrial.demo import NETWORK, SUPPLIER_ENTITY
from tests.conftest import People, database

T = TypeVar("T")
HIDDEN_OWNER = "Verborgen Eigenaar Zeergeheim"
HIDDEN = [
    {"id": "zg-owner", "schema": "Person", "properties": {"name": [HIDDEN_OWNER]}},
    {
        "id": "zg-own",
        "schema": "Ownership",
        "properties": {"owner": ["zg-owner"], "asset": [SUPPLIER_ENTITY]},
    },
]
TODAY = date(2026, 6, 1)


def committed(factory: sessionmaker[Session], call: Callable[[Session], T]) -> T:
    """Run a service call as a route does: a refusal is raised after the transaction
    commits (so what it wrote would stay: the tests check that nothing did)."""
    error: DomainError | PolicyDenied | None = None
    with transaction(factory) as session:
        try:
            return call(session)
        except (DomainError, PolicyDenied) as exc:
            error = exc
    raise error


@dataclass
class IWorld:
    settings: Settings
    factory: sessionmaker[Session]
    nbiv: Principal  # protect_officer, AIVD, STG GEHEIM
    evo: Principal  # protect_officer, MIVD
    low: Principal  # protect_officer, AIVD, Dep. Vertrouwelijk
    analyst: Principal  # no industrial role
    partner: Principal  # NCTV, external
    ctivd: Principal  # overseer
    index: SearchIndex
    supplier: int  # linked to the ownership network
    assignment: int  # BZK, TBB2, in investigation

    def run(self, call: Callable[[Session], T]) -> T:
        return committed(self.factory, call)

    def count(self, model: Any) -> int:
        with transaction(self.factory) as s:
            return int(s.scalar(select(func.count()).select_from(model)) or 0)

    def new_supplier(self, name: str, kvk: str, **kw: Any) -> int:
        return self.run(
            lambda s: service.create_supplier(s, self.nbiv, name=name, kvk=kvk, **kw).id
        )

    def new_assignment(self, supplier_id: int | None = None, **kw: Any) -> int:
        args: dict[str, Any] = {
            "supplier_id": supplier_id or self.supplier,
            "client": "BZK",
            "title": "Netwerkbeheer (fictief)",
            "tbb": "TBB2",
            "classification": Level.STG_GEHEIM,
            "abro_applies": True,
            "assessed_on": date(2026, 5, 1),
            "today": TODAY,
        }
        args.update(kw)
        return self.run(lambda s: service.create_assignment(s, self.nbiv, **args).id)

    def investigating(self, start: date = date(2026, 5, 2), **kw: Any) -> int:
        made = self.new_assignment(**kw)
        self.run(
            lambda s: service.start_investigation(
                s, self.nbiv, assignment_id=made, on=start, today=TODAY
            )
        )
        return made


@pytest.fixture(scope="module")
def iw(template: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[IWorld]:
    with database(template, tmp_path_factory.mktemp("industrial")) as settings:
        engine = make_engine(settings)
        factory = make_sessionmaker(engine)
        people = People(settings, factory)
        analyst = people.add("analist.zg", Level.STG_ZEER_GEHEIM, {"analyst"})
        with transaction(factory) as s:
            osint = collections.create(
                s,
                principal=analyst,
                data=CollectionCreate(
                    name="osint-nbiv-test",
                    title="Open bronnen (fictief)",
                    legal_basis="open_source",
                    acquired_on=date(2026, 1, 2),
                    marking=MarkingIn.of(Marking.of(Level.DEP_VERTROUWELIJK, Service.JOINT)),
                ),
            )
            entities.import_ftm(
                s,
                principal=analyst,
                collection_id=osint,
                lines=[json.dumps(item) for item in NETWORK],
            )
            # An owner the NBIV officers may not read (Stg. Zeer Geheim): never shown to them.
            secret = collections.create(
                s,
                principal=analyst,
                data=CollectionCreate(
                    name="zg-nbiv-test",
                    title="Geheime bron (fictief)",
                    legal_basis="open_source",
                    acquired_on=date(2026, 1, 2),
                    marking=MarkingIn.of(Marking.of(Level.STG_ZEER_GEHEIM, Service.AIVD)),
                ),
            )
            entities.import_ftm(
                s,
                principal=analyst,
                collection_id=secret,
                lines=[json.dumps(item) for item in HIDDEN],
            )
        index = SearchIndex(None, writer_threads=1)
        Feeder(factory, index).sync()
        nbiv = people.add("nbiv", Level.STG_GEHEIM, {"protect_officer"}, Service.AIVD)
        world = IWorld(
            settings,
            factory,
            nbiv=nbiv,
            evo=people.add("evo", Level.STG_GEHEIM, {"protect_officer"}, Service.MIVD),
            low=people.add("nbiv.dv", Level.DEP_VERTROUWELIJK, {"protect_officer"}),
            analyst=analyst,
            partner=people.add("nctv", Level.STG_GEHEIM, {"partner_recipient"}, None, "NCTV"),
            ctivd=people.add("ctivd", Level.STG_ZEER_GEHEIM, {"overseer"}, None, "CTIVD"),
            index=index,
            supplier=0,
            assignment=0,
        )
        world.supplier = world.new_supplier(
            "Polderveld Systemen B.V. (fictief)", "9000 0001", entity_id=SUPPLIER_ENTITY
        )
        world.assignment = world.investigating()
        yield world
        engine.dispose()
