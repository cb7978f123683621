"""A resilience world shared by a test module (built once, through the services): an
author (protect officer, AIVD), a team lead, readers who may not read AIVD Stg. Geheim
(an MIVD analyst, a low-cleared AIVD analyst), the oversight, and partner recipients
(the victim VICTIM-A, the NCSC, the NCTV). Tests that change a record make their own."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from baken.analysis.products import dissemination
from baken.analysis.products import service as products
from baken.analysis.products.models import Product, Release
from baken.core import refusals
from baken.core.config import Settings
from baken.core.db import transaction
from baken.core.markings import Level, Marking, Service
from baken.core.principals import Principal
from baken.holdings.leak import make_document
from baken.protect.resilience import service
from baken.protect.resilience.models import ResilienceAudience, ResilienceRecord
from baken.protect.resilience.schemas import KIND
from tests.conftest import People

T = TypeVar("T")
DAY = date(2026, 11, 2)
OPEN = Marking.of("DEP_VERTROUWELIJK", Service.JOINT)
SECRET = Marking.of("STG_GEHEIM", Service.AIVD)


@dataclass
class World:
    settings: Settings
    factory: sessionmaker[Session]
    author: Principal  # protect officer, AIVD, Stg. Geheim
    lead: Principal  # team lead, AIVD
    mivd: Principal  # analyst, MIVD: does not read AIVD-owned products
    low: Principal  # analyst, AIVD, Dep. Vertrouwelijk
    ctivd: Principal  # the oversight
    victim: Principal  # partner recipient of VICTIM-A
    ncsc: Principal  # partner recipient of NCSC
    nctv: Principal  # partner recipient of NCTV
    keeper: Principal  # holds the sources
    advisory: int = 0  # a draft advisory for the vital sectors (Dep. V.)
    secret: int = 0  # a draft information-security product at Stg. Geheim AIVD

    def run(self, call: Callable[[Session], T]) -> T:
        with transaction(self.factory) as session:
            return call(session)

    def attempt(self, principal: Principal, call: Callable[[Session], T]) -> T:
        """As a route does: the work in one unit, a refusal undone and audited."""
        return refusals.attempt(self.factory, principal, "test", KIND, call)

    def source(self, marking: Marking = OPEN) -> str:
        with transaction(self.factory) as session:
            name = f"bron{uuid.uuid4().hex[:6]}"
            return str(make_document(session, self.keeper, marking, name)["document_id"])

    def create(self, **kw: Any) -> int:
        args: dict[str, Any] = {
            "type": "weerbaarheidsadvies",
            "title": "Advies over netbeheer (fictief)",
            "summary_text": "Samenvatting.",
            "audience": ["vitale_sectoren"],
            "topic": "Netbeheer",
            "today": DAY,
        }
        args.update(kw)
        return self.run(lambda s: service.create(s, principal=self.author, **args))

    def product_of(self, record_id: int) -> int:
        return self.run(lambda s: s.get(ResilienceRecord, record_id).product_id)  # type: ignore[union-attr]

    def released(self, record_id: int, recipients: list[str], source: str | None = None) -> int:
        """Cite, submit, approve (the lead) and release to each recipient; the product id."""
        product_id = self.product_of(record_id)
        target = source or self.source()
        self.run(
            lambda s: products.cite(
                s, principal=self.author, product_id=product_id, kind="document", target_id=target
            )
        )
        self.run(lambda s: products.submit(s, principal=self.author, product_id=product_id))
        self.run(
            lambda s: products.approve(
                s, principal=self.lead, product_id=product_id, recipients=recipients
            )
        )
        for r in recipients:
            self.run(
                lambda s, r=r: dissemination.release(
                    s, principal=self.lead, product_id=product_id, recipient=r
                )
            )
        return product_id

    def notification(self, recipients: tuple[str, ...] = ("VICTIM-A",)) -> tuple[int, int]:
        """A victim notification released to ``recipients``: (record id, product id)."""
        record_id = self.create(
            type="slachtoffernotificatie",
            title="Notificatie aan Slachtoffer A (fictief)",
            victim="VICTIM-A",
            incident="Verbindingen naar een C2-server (fictief).",
            observed_on=date(2026, 10, 12),
        )
        return record_id, self.released(record_id, list(recipients))

    def release_to(self, product_id: int, recipient: str) -> int:
        return self.run(
            lambda s: s.scalar(
                select(Release.id).where(
                    Release.product_id == product_id, Release.recipient == recipient
                )
            )
        )

    def counts(self) -> tuple[int, int, int]:
        """Products, records and audience rows stored."""

        def count(s: Session) -> tuple[int, int, int]:
            return (
                s.scalar(select(func.count()).select_from(Product)) or 0,
                s.scalar(select(func.count()).select_from(ResilienceRecord)) or 0,
                s.scalar(select(func.count()).select_from(ResilienceAudience)) or 0,
            )

        return self.run(count)


def build(settings: Settings, factory: sessionmaker[Session]) -> World:
    people = People(settings, factory)
    world = World(
        settings,
        factory,
        author=people.add("bewaking", Level.STG_GEHEIM, {"protect_officer"}),
        lead=people.add("teamleider", Level.STG_GEHEIM, {"team_lead"}),
        mivd=people.add("analist.mivd", Level.STG_ZEER_GEHEIM, {"analyst"}, Service.MIVD),
        low=people.add("laag", Level.DEP_VERTROUWELIJK, {"analyst"}),
        ctivd=people.add(
            "ctivd", Level.STG_GEHEIM, {"overseer"}, service=None, organisation="CTIVD"
        ),
        victim=people.add(
            "slachtoffer",
            Level.DEP_VERTROUWELIJK,
            {"partner_recipient"},
            service=None,
            organisation="VICTIM-A",
        ),
        ncsc=people.add(
            "ncsc", Level.STG_GEHEIM, {"partner_recipient"}, service=None, organisation="NCSC"
        ),
        nctv=people.add(
            "nctv", Level.STG_GEHEIM, {"partner_recipient"}, service=None, organisation="NCTV"
        ),
        keeper=people.add("archief", Level.STG_ZEER_GEHEIM, {"analyst"}),
    )
    world.advisory = world.create()
    world.secret = world.create(
        type="informatiebeveiligingsproduct",
        title="Geheim product (fictief)",
        audience=["kennisinstellingen", "rijksoverheid"],
        topic="Kennisveiligheid",
        level="STG_GEHEIM",
    )
    return world


@pytest.fixture(scope="module")
def world(msettings: Settings, mfactory: sessionmaker[Session]) -> World:
    return build(msettings, mfactory)
