"""A Bewaken en Beveiligen world, built once per test module through the services: a
protect officer of AIVD Bewaken en Beveiligen, a team lead, the addressees' partner
recipients (NCTV, the mayor of Zuidpolder, the OM), readers who may not read the products
(an MIVD analyst, a partner service), the oversight, and a source at Departementaal
Vertrouwelijk for the products to cite.

The world is module-scoped (the store is copied from the migrated template once per
module): each test makes the threat products it changes, so tests do not depend on one
another.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from baken.analysis.products import service as products
from baken.analysis.products.models import Product, Release
from baken.core.config import Settings
from baken.core.db import transaction
from baken.core.errors import DomainError
from baken.core.markings import Level, Marking, Service
from baken.core.policy import PolicyDenied
from baken.core.principals import Principal
from baken.holdings.leak import make_document
from baken.protect.threats import service
from baken.protect.threats.models import Decision, ThreatRecord
from tests.conftest import People

T = TypeVar("T")
SOURCE = Marking.of("DEP_VERTROUWELIJK", Service.JOINT)


def committed(factory: sessionmaker[Session], call: Callable[[Session], T]) -> T:
    """Run a service call and commit whatever it did, even when it is refused: a refused
    call that wrote anything before its refusal would leave it behind, so the tests that
    count rows check that each service checks everything before its first write."""
    error: DomainError | PolicyDenied | LookupError | None = None
    with transaction(factory) as session:
        try:
            return call(session)
        except (DomainError, PolicyDenied, LookupError) as exc:
            error = exc
    raise error


@dataclass
class BB:
    settings: Settings
    factory: sessionmaker[Session]
    officer: Principal  # protect_officer, AIVD-BB, Stg. Geheim
    lead: Principal  # team_lead, AIVD, Stg. Zeer Geheim
    nctv: Principal  # partner_recipient NCTV
    mayor: Principal  # partner_recipient GEMEENTE-ZUIDPOLDER, Dep. Vertrouwelijk
    om: Principal  # partner_recipient OM
    partner_a: Principal  # a foreign service
    mivd: Principal  # an MIVD analyst
    ctivd: Principal  # oversight
    document_id: int  # a source at Dep. Vertrouwelijk, joint

    def run(self, call: Callable[[Session], T]) -> T:
        return committed(self.factory, call)

    def create(self, **kw: Any) -> int:
        args: dict[str, Any] = {
            "type": "dreigingsinschatting",
            "subject_kind": "evenement",
            "subject": "Vredestop Den Haag (fictief)",
            "domain": "rijksdomein",
            "authority": "nctv_coordinator",
            "addressee": "NCTV",
            "title": "Dreigingsinschatting vredestop (fictief)",
            "summary_text": "Samenvatting (fictief).",
        }
        args.update(kw)
        principal = args.pop("principal", self.officer)
        return self.run(lambda s: service.create(s, principal=principal, **args))

    def product_id(self, record_id: int) -> int:
        with transaction(self.factory) as s:
            record = s.get(ThreatRecord, record_id)
            assert record is not None
            return record.product_id

    def approve(self, record_id: int, recipients: list[str] | None = None) -> None:
        """Cite the source, submit (the author) and approve (the team lead)."""
        product_id = self.product_id(record_id)
        with transaction(self.factory) as s:
            record = s.get(ThreatRecord, record_id)
            assert record is not None
            products.cite(
                s,
                principal=self.officer,
                product_id=product_id,
                kind="document",
                target_id=str(self.document_id),
            )
            products.submit(s, principal=self.officer, product_id=product_id)
            products.approve(
                s,
                principal=self.lead,
                product_id=product_id,
                recipients=recipients if recipients is not None else [record.addressee],
            )

    def release(self, record_id: int) -> int:
        return self.run(
            lambda s: service.release_to_addressee(s, principal=self.officer, record_id=record_id)
        )

    def released(self, **kw: Any) -> tuple[int, date]:
        """A threat product approved and released to its addressee; (record, release day)."""
        recipients = kw.pop("recipients", None)
        record_id = self.create(**kw)
        self.approve(record_id, recipients)
        release_id = self.release(record_id)
        with transaction(self.factory) as s:
            release = s.get(Release, release_id)
            assert release is not None
            day = release.released_at.date()
        return record_id, day

    def counts(self) -> tuple[int, int, int, int]:
        """Rows of products, records, releases and decisions: nothing stored on a refusal."""
        with transaction(self.factory) as s:
            return (
                s.scalar(select(func.count()).select_from(Product)) or 0,
                s.scalar(select(func.count()).select_from(ThreatRecord)) or 0,
                s.scalar(select(func.count()).select_from(Release)) or 0,
                s.scalar(select(func.count()).select_from(Decision)) or 0,
            )


@pytest.fixture(scope="module")
def bb(msettings: Settings, mfactory: sessionmaker[Session]) -> BB:
    people = People(msettings, mfactory)
    keeper = people.add("archief", Level.STG_ZEER_GEHEIM, {"analyst"})
    with transaction(mfactory) as s:
        document_id = make_document(s, keeper, SOURCE, "Vredestop")["document_id"]
    return BB(
        msettings,
        mfactory,
        officer=people.add("bewaking", Level.STG_GEHEIM, {"protect_officer"}),
        lead=people.add(
            "teamleider", Level.STG_ZEER_GEHEIM, {"team_lead"}, compartments={"KOBALT"}
        ),
        nctv=people.add(
            "nctv", Level.STG_GEHEIM, {"partner_recipient"}, service=None, organisation="NCTV"
        ),
        mayor=people.add(
            "burgemeester",
            Level.DEP_VERTROUWELIJK,
            {"partner_recipient"},
            service=None,
            organisation="GEMEENTE-ZUIDPOLDER",
        ),
        om=people.add(
            "officier", Level.STG_GEHEIM, {"partner_recipient"}, service=None, organisation="OM"
        ),
        partner_a=people.add(
            "partner.a",
            Level.STG_GEHEIM,
            {"partner_recipient"},
            service=None,
            organisation="PARTNER-A",
        ),
        mivd=people.add("analist.mivd", Level.STG_ZEER_GEHEIM, {"analyst"}, Service.MIVD),
        ctivd=people.add(
            "ctivd", Level.STG_ZEER_GEHEIM, {"overseer"}, service=None, organisation="CTIVD"
        ),
        document_id=document_id,
    )
