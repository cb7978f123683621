"""Bulk loads on the real database (SQLite, and PostgreSQL in its pass): CSV or Parquet
plus a mapping to Parquet and statements, idempotent reloads, exact deletes, and bad
input that writes nothing."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from baken.core.db import transaction
from baken.core.marking_store import intern
from baken.core.markings import Marking
from baken.core.timeutil import aware
from baken.engines.local import LocalEngine
from baken.holdings import bulk
from baken.holdings.mapping import MappingError
from baken.holdings.models import Collection, Statement
from baken.holdings.statements import statement_id
from tests.conftest import People

DATA = Path(__file__).parent / "data"
MAPPING = (DATA / "mapping_companies.yaml").read_text(encoding="utf-8")
REGISTER = DATA / "mapping_companies.csv"
ENGINE = LocalEngine(workers=2, rows_per_partition=2048)
COLUMNS = [
    "kvk",
    "company",
    "incorporated",
    "country",
    "address",
    "director",
    "director_birth",
    "role",
]


@dataclass(frozen=True)
class World:
    factory: sessionmaker[Session]
    store: Path
    marking_id: int
    collections: dict[str, int]

    def load(self, name: str, source: Path = REGISTER, mapping: str = MAPPING) -> bulk.BulkResult:
        with transaction(self.factory) as session:
            return bulk.load(
                session.connection(),
                collection_id=self.collections[name],
                collection_name=name,
                marking_id=self.marking_id,
                source=source,
                mapping_yaml=mapping,
                store_dir=self.store,
                engine=ENGINE,
            )

    def statements(self, name: str | None = None) -> list[Statement]:
        with self.factory() as session:
            query = select(Statement).order_by(Statement.id)
            if name is not None:
                query = query.where(Statement.collection_id == self.collections[name])
            return list(session.scalars(query))


@pytest.fixture
def world(factory: sessionmaker[Session], people: People, tmp_path: Path) -> World:
    owner = people.add("beheerder")
    ids: dict[str, int] = {}
    with transaction(factory) as session:
        marking_id = intern(session, Marking.of("STG_CONFIDENTIEEL", "AIVD"))
        for name in ("kvk_register", "havens"):
            row = Collection(
                name=name,
                title=name.title(),
                kind="bulk",
                service="AIVD",
                legal_basis="open_source",
                acquired_on=date(2026, 1, 5),
                marking_id=marking_id,
                created_by=owner.id,
            )
            session.add(row)
            session.flush()
            ids[name] = row.id
    return World(factory, tmp_path / "bulk", marking_id, ids)


def snapshot(world: World) -> list[tuple[str, str, Any]]:
    return [(s.id, s.value, s.last_seen) for s in world.statements()]


def test_load(world: World) -> None:
    stages: list[str] = []
    with transaction(world.factory) as session:
        result = bulk.load(
            session.connection(),
            collection_id=world.collections["kvk_register"],
            collection_name="kvk_register",
            marking_id=world.marking_id,
            source=REGISTER,
            mapping_yaml=MAPPING,
            store_dir=world.store,
            engine=ENGINE,
            progress=lambda stage, done, total: stages.append(stage),
        )
    assert (result.rows, result.entities, result.statements) == (6, 14, 72)
    assert list(dict.fromkeys(stages)) == ["convert", "map", "load"]
    home = world.store / str(world.collections["kvk_register"])
    assert result.parquet_dir == home
    assert sorted(p.name for p in home.iterdir()) == ["source", "statements"]  # no staging
    assert pq.read_table(home / "source").num_rows == 6
    stmts = world.statements("kvk_register")
    assert len(stmts) == 72
    cid = world.collections["kvk_register"]
    for s in stmts:
        assert s.id == statement_id(cid, None, s.entity_id, s.prop, s.value)
        assert (s.origin, s.document_id, s.marking_id) == ("bulk", None, world.marking_id)
    names = {s.value for s in stmts if s.prop == "name" and s.schema == "Person"}
    assert names == {"Jan de Wit", "Ans Veldkamp", "Pieter Koolhoven", "Sietske Hoekstra"}


def test_reload_only_moves_last_seen(world: World) -> None:
    world.load("kvk_register")
    before = {s.id: s for s in world.statements()}
    again = world.load("kvk_register")
    assert again.statements == 72
    after = {s.id: s for s in world.statements()}
    assert after.keys() == before.keys()
    for sid, s in after.items():
        assert (s.entity_id, s.schema, s.prop, s.value) == (
            before[sid].entity_id,
            before[sid].schema,
            before[sid].prop,
            before[sid].value,
        )
        assert aware(s.first_seen) == aware(before[sid].first_seen)
        assert aware(s.last_seen) > aware(before[sid].last_seen)


def big_register(path: Path, rows: int) -> Path:
    """Many rows over few directors, so the same person recurs in every partition."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(COLUMNS)
        for i in range(rows):
            company = (f"{80000000 + i}", f"Bedrijf {i} B.V.", "2001-01-01", "nl", f"Straat {i}")
            out.writerow([*company, f"Directeur {i % 40}", "1970-01-01", "bestuurder"])
    return path


def test_many_partitions_in_the_pool(world: World, tmp_path: Path) -> None:
    result = world.load("kvk_register", big_register(tmp_path / "big.csv", 5000))
    statements_dir = world.store / str(world.collections["kvk_register"]) / "statements"
    assert len(list(statements_dir.glob("*.parquet"))) == 3
    assert result.rows == 5000
    assert result.entities == 5000 + 40 + 5000  # companies, directors, directorships
    stmts = world.statements("kvk_register")
    assert len(stmts) == result.statements
    assert sum(1 for s in stmts if s.prop == "id") == result.entities


def test_parquet_source(world: World, tmp_path: Path) -> None:
    source = tmp_path / "register.parquet"
    with REGISTER.open(encoding="utf-8", newline="") as handle:
        pq.write_table(pa.Table.from_pylist(list(csv.DictReader(handle))), source)
    result = world.load("kvk_register", source)
    assert (result.rows, result.entities, result.statements) == (6, 14, 72)


def test_delete_is_exact(world: World) -> None:
    world.load("kvk_register")
    world.load("havens")
    cid = world.collections["kvk_register"]
    with transaction(world.factory) as session:
        # A statement of the same collection from another origin stays.
        session.add(
            Statement(
                id=statement_id(cid, None, "handmatig-1", "name", "Handmatig"),
                entity_id="handmatig-1",
                schema="Person",
                prop="name",
                value="Handmatig",
                collection_id=cid,
                origin="import",
                marking_id=world.marking_id,
            )
        )
    havens = snapshot_of(world, "havens")
    with transaction(world.factory) as session:
        assert bulk.delete(session.connection(), cid, world.store) == 72
    assert [(s.origin, s.value) for s in world.statements("kvk_register")] == [
        ("import", "Handmatig")
    ]
    assert snapshot_of(world, "havens") == havens
    assert not (world.store / str(cid)).exists()
    assert (world.store / str(world.collections["havens"]) / "statements").is_dir()


def snapshot_of(world: World, name: str) -> list[tuple[str, str, Any]]:
    return [(s.id, s.value, s.last_seen) for s in world.statements(name)]


def write(path: Path, content: bytes) -> Path:
    path.write_bytes(content)
    return path


def nested_parquet(directory: Path) -> Path:
    path = directory / "x.parquet"
    table = pa.table({"kvk": ["1"], "company": [["a", "b"]]})
    pq.write_table(table, path)
    return path


def corrupt_parquet(directory: Path) -> Path:
    path, good = directory / "x.parquet", directory / "good.parquet"
    pq.write_table(pa.table({"kvk": [str(i) for i in range(500)]}), good)
    path.write_bytes(good.read_bytes()[:-30])
    return path


COMPANY_ONLY = """
entities:
  company:
    schema: Company
    keys: [kvk]
    properties:
      name: {column: company}
"""


@pytest.mark.parametrize(
    ("make", "mapping", "error", "message"),
    [
        (
            lambda d: REGISTER,
            MAPPING.replace("schema: Company", "schema: Compagnie"),
            MappingError,
            "entity company: unknown schema Compagnie",
        ),
        (
            lambda d: write(d / "x.csv", b"kvk,company\n1,Caf\xe9 B.V.\n"),
            COMPANY_ONLY,
            bulk.BulkError,
            "the file is not valid UTF-8 text (line 2)",
        ),
        (lambda d: write(d / "x.csv", b""), COMPANY_ONLY, bulk.BulkError, "the file is empty"),
        (
            lambda d: write(d / "x.csv", b"kvk,company\n"),
            COMPANY_ONLY,
            bulk.BulkError,
            "the file holds no rows",
        ),
        (
            lambda d: write(d / "x.csv", b"kvk,naam\n1,Zandvoort B.V.\n"),
            COMPANY_ONLY,
            MappingError,
            "the mapping reads columns the file does not have: company",
        ),
        (
            corrupt_parquet,
            COMPANY_ONLY,
            bulk.BulkError,
            "the file is not a readable Parquet file",
        ),
        (
            nested_parquet,
            COMPANY_ONLY,
            bulk.BulkError,
            "column company holds nested or binary values; a mapping needs text",
        ),
        (
            lambda d: write(d / "x.csv", b"kvk,company\n,Zonder nummer\n"),
            COMPANY_ONLY,
            bulk.BulkError,
            "the mapping made no entities from this file",
        ),
    ],
)
def test_bad_input_writes_nothing(
    world: World, tmp_path: Path, make: Any, mapping: str, error: type[Exception], message: str
) -> None:
    world.load("kvk_register")  # an earlier good load, which must survive intact
    before = snapshot(world)
    home = world.store / str(world.collections["kvk_register"])
    files_before = sorted(p.relative_to(home) for p in home.rglob("*"))
    source = make(bad_dir(tmp_path))
    with transaction(world.factory) as session:
        count = select(func.count()).select_from(Statement)
        with pytest.raises(error) as caught:
            bulk.load(
                session.connection(),
                collection_id=world.collections["kvk_register"],
                collection_name="kvk_register",
                marking_id=world.marking_id,
                source=source,
                mapping_yaml=mapping,
                store_dir=world.store,
                engine=ENGINE,
            )
        # Nothing was written, even inside the transaction that is still open.
        assert session.scalar(count) == len(before)
    assert str(caught.value) == message
    assert snapshot(world) == before
    assert sorted(p.relative_to(home) for p in home.rglob("*")) == files_before


def test_failed_first_load_leaves_no_directory(world: World, tmp_path: Path) -> None:
    empty = write(bad_dir(tmp_path) / "x.csv", b"")
    with pytest.raises(bulk.BulkError, match="the file is empty"):
        world.load("havens", empty)
    assert not (world.store / str(world.collections["havens"])).exists()
    assert world.statements() == []


def bad_dir(tmp_path: Path) -> Path:
    path = tmp_path / "bad"
    path.mkdir(exist_ok=True)
    return path


@pytest.fixture(autouse=True)
def _no_leftover_staging(tmp_path: Path) -> Iterator[None]:
    yield
    assert not list((tmp_path / "bulk").glob("*/.staging-*"))
    assert not list((tmp_path / "bulk").glob("*/.old-*"))
