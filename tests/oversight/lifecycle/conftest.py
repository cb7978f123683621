"""A world for the lifecycle tests: the permissions world (an onderzoeksopdracht, the
requesting staff and the external bodies) plus a bulk dataset gathered with a special
power, loaded through the holdings services."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TypeVar

import pytest
from sqlalchemy.orm import Session

from baken.core.db import transaction
from baken.core.markings import Marking, Service
from baken.core.principals import Principal
from baken.core.schemas import MarkingIn
from baken.engines.local import LocalEngine
from baken.holdings import runtime
from baken.holdings.schemas import CollectionCreate
from baken.holdings.service import collections, structured
from baken.oversight.lifecycle import service
from baken.oversight.lifecycle.destruction import Stores
from tests.oversight.permissions.conftest import DAY, GEHEIM, PWorld, committed, pw

__all__ = ["DAY", "GEHEIM", "LWorld", "committed", "lw", "pw"]

DATA = Path(__file__).parents[2] / "holdings" / "data"
MAPPING = (DATA / "mapping_companies.yaml").read_text(encoding="utf-8")
REGISTER = DATA / "mapping_companies.csv"
ENGINE = LocalEngine(workers=1, rows_per_partition=2048)
T = TypeVar("T")


@dataclass
class LWorld:
    pw: PWorld
    dataset: int  # a bulk collection (special power), STG_GEHEIM AIVD

    @property
    def analyst(self) -> Principal:
        return self.pw.analyst

    @property
    def lead(self) -> Principal:
        return self.pw.lead

    @property
    def stores(self) -> Stores:
        return Stores.of(self.pw.settings)

    def run(self, principal: Principal, action: str, work: Callable[[Session], T]) -> T:
        return service.attempt(self.pw.factory, principal, action, work)

    def collection(
        self,
        name: str,
        kind: str = "bulk",
        marking: Marking = GEHEIM,
        basis: str = "special_power",
        acquired_on: date = date(2026, 1, 5),
    ) -> int:
        with transaction(self.pw.factory) as session:
            return collections.create(
                session,
                principal=self.analyst,
                data=CollectionCreate(
                    name=name,
                    title=f"Bulkdataset {name}",
                    kind=kind,
                    legal_basis=basis,
                    permission_ref="TIB-2026-0001" if basis == "special_power" else None,
                    acquired_on=acquired_on,
                    marking=MarkingIn.of(marking),
                ),
            )

    def load(self, collection_id: int, source: Path = REGISTER) -> None:
        with transaction(self.pw.factory) as session:
            structured.load(
                session,
                principal=self.analyst,
                collection_id=collection_id,
                source=source,
                mapping_yaml=MAPPING,
                store_dir=self.pw.settings.bulk_dir,
                engine=ENGINE,
            )


@pytest.fixture
def lw(pw: PWorld, monkeypatch: pytest.MonkeyPatch) -> Iterator[LWorld]:
    monkeypatch.setenv("BAKEN_FROG", "false")
    pw.settings = pw.settings.model_copy(update={"frog": False})
    world = LWorld(pw, 0)
    world.dataset = world.collection("tapbulk")
    world.load(world.dataset)
    yield world
    runtime.close_recognisers()


def in_use(pw: PWorld, on: date = DAY) -> int:
    """A permission in use from ``on`` (minister permitted, TIB found it lawful)."""
    from baken.oversight.permissions import service as permissions

    pid = pw.request()
    for fn, who, kw in (
        ("submit", pw.analyst, {}),
        ("team_lead", pw.lead, {"outcome": "forwarded", "note": "akkoord"}),
        ("decide", pw.minister, {"outcome": "permitted", "on": on}),
        ("decide", pw.tib, {"outcome": "lawful", "on": on}),
    ):
        committed(
            pw,
            lambda s, fn=fn, who=who, kw=kw: getattr(permissions, fn)(
                s, principal=who, permission_id=pid, **kw
            ),
        )
    return pid


__all__ += ["ENGINE", "MAPPING", "REGISTER", "Service", "in_use"]
