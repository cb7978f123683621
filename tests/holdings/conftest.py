"""A small holdings world for the tests: collections made through the services, files
ingested through the real pipeline (gazetteer NER unless a test asks for Frog)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from baken.core.config import Settings
from baken.core.db import transaction
from baken.core.markings import Level, Marking, Service
from baken.core.principals import Principal
from baken.core.schemas import MarkingIn
from baken.holdings import runtime
from baken.holdings.schemas import CollectionCreate
from baken.holdings.service import collections
from tests.conftest import People


@pytest.fixture(autouse=True)
def _no_frog(monkeypatch: pytest.MonkeyPatch) -> None:
    # Frog takes ~9 s to start: the tests that need it start it themselves.
    monkeypatch.setenv("BAKEN_FROG", "false")


@dataclass
class World:
    settings: Settings
    factory: sessionmaker[Session]
    analyst: Principal  # Stg. Geheim, AIVD
    low: Principal  # Dep. Vertrouwelijk, AIVD
    osint: int  # Dep. Vertrouwelijk, joint
    secret: int  # Stg. Geheim, AIVD (special power)

    def collection(self, name: str, marking: Marking, author: Principal | None = None) -> int:
        with transaction(self.factory) as session:
            return collections.create(
                session,
                principal=author or self.analyst,
                data=CollectionCreate(
                    name=name,
                    title=f"Collectie {name}",
                    legal_basis="open_source",
                    acquired_on=date(2026, 1, 5),
                    marking=MarkingIn.of(marking),
                ),
            )


@pytest.fixture
def world(settings: Settings, factory: sessionmaker[Session], people: People) -> Iterator[World]:
    settings = settings.model_copy(update={"frog": False})
    analyst = people.add("analist", Level.STG_GEHEIM)
    low = people.add("laag", Level.DEP_VERTROUWELIJK)
    w = World(settings, factory, analyst, low, 0, 0)
    w.osint = w.collection("osint", Marking.of("DEP_VERTROUWELIJK", Service.JOINT))
    with transaction(factory) as session:
        w.secret = collections.create(
            session,
            principal=analyst,
            data=CollectionCreate(
                name="tap",
                title="Interceptie",
                legal_basis="special_power",
                permission_ref="TIB-2026-0001",
                acquired_on=date(2026, 2, 1),
                marking=MarkingIn.of(Marking.of("STG_GEHEIM", Service.AIVD)),
            ),
        )
    yield w
    runtime.close_recognisers()


def write(directory: Path, files: dict[str, bytes | str]) -> Path:
    for name, data in files.items():
        path = directory / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode() if isinstance(data, str) else data)
    return directory
