"""Bulk ingest of a fictional company register through the local engine.

* Generating the CSV (not timed): one row per company and director, a quarter of the
  companies with a second director, directors recurring across companies.
* CSV → Parquet (DuckDB), mapping to statements (FtM, in the process pool) and loading
  the statements into SQLite: the stages of one ``bulk.load``, timed apart.
* Baseline, same run: the same mapping in one process without the engine (FtM's own CSV
  reader, as ``ftm map-csv`` reads, then the same statement rows, written to Parquet).

``BAKEN_BENCH_BULK_ROWS`` sets the size (default 1,000,000 rows).
"""

from __future__ import annotations

import csv
import os
import random
import time
from datetime import date, timedelta
from pathlib import Path

import pyarrow.parquet as pq  # type: ignore[import-untyped]
from followthemoney.mapping.csv import CSVSource
from rich.console import Console
from rich.progress import Progress, TaskID
from sqlalchemy.orm import Session, sessionmaker

from baken.core.config import Settings
from baken.core.db import make_engine, make_sessionmaker, transaction
from baken.core.marking_store import intern
from baken.core.markings import Level, Marking, Service
from baken.core.users import UserCreate, create
from baken.engines.local import LocalEngine
from baken.holdings import bulk
from baken.holdings.mapping import compile_mapping, statements
from baken.holdings.models import Collection
from baken.migrations import upgrade
from benchmarks.core import Row

SEED = 2026
ROWS = int(os.environ.get("BAKEN_BENCH_BULK_ROWS", "1000000"))
CHUNK = 100_000  # rows per baseline chunk, as the engine's partitions

MAPPING = """
kvk_register:
  queries:
    - entities:
        company:
          schema: Company
          keys: [kvk]
          properties:
            name: {column: company}
            registrationNumber: {column: kvk}
            incorporationDate: {column: incorporated}
            country: {column: country}
            address: {column: address}
        director:
          schema: Person
          keys: [director, director_birth]
          properties:
            name: {column: director}
            birthDate: {column: director_birth}
            nationality: {column: director_country}
        directorship:
          schema: Directorship
          keys: [kvk, director, director_birth]
          properties:
            director: {entity: director, required: true}
            organization: {entity: company}
            role: {column: role}
"""


def _words(text: str, sep: str | None = None) -> list[str]:
    return text.split(sep)


FIRST = _words("Jan Piet Kees Anna Sanne Fatima Mohamed Daan Emma Lars Noor Sem Julia Finn Iris")
LAST = _words("de Vries,Jansen,Bakker,Visser,Smit,Meijer,de Boer,Mulder,Bos,Vos,Peters", ",")
WORDS = _words("Polder Duin Haven Molen Zand Kaas Tulp Dijk Wind Zee Berg Veld Brug Eik Linde")
TRADES = _words("Handel Logistiek Bouw Import Techniek Advies Holding Vastgoed Transport")
FORMS = ["B.V.", "N.V.", "V.O.F.", "C.V."]
CITIES = _words("Amsterdam Rotterdam Utrecht Groningen Zwolle Breda Delft Leiden Haarlem Arnhem")
STREETS = _words("Dorpsstraat Kerkweg Havenkade Molenlaan Stationsplein Marktstraat Dijkweg")
COUNTRIES = ["nl"] * 8 + ["be", "de", "gb", "cy"]
ROLES = ["bestuurder", "bestuurder", "commissaris", "gevolmachtigde"]


def generate(path: Path, rows: int, progress: Progress) -> None:
    rng = random.Random(SEED)
    people = max(1, rows // 3)
    task = progress.add_task("register CSV", total=rows)
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(
            [
                "kvk",
                "company",
                "incorporated",
                "country",
                "address",
                "director",
                "director_birth",
                "director_country",
                "role",
            ]
        )
        company = -1
        for i in range(rows):
            if company < 0 or rng.random() >= 0.25:  # a quarter get a second director
                company += 1
            crng = random.Random(company)
            person = rng.randrange(people)
            prng = random.Random(-1 - person)
            out.writerow(
                [
                    f"{10_000_000 + company}",
                    f"{crng.choice(WORDS)}{crng.choice(WORDS).lower()} {crng.choice(TRADES)}"
                    f" {company} {crng.choice(FORMS)}",
                    (date(1950, 1, 1) + timedelta(days=crng.randrange(27_000))).isoformat(),
                    crng.choice(COUNTRIES),
                    f"{crng.choice(STREETS)} {crng.randrange(1, 300)}, {crng.choice(CITIES)}",
                    f"{prng.choice(FIRST)} {prng.choice(LAST)} {person}",
                    (date(1940, 1, 1) + timedelta(days=prng.randrange(25_000))).isoformat(),
                    prng.choice(COUNTRIES),
                    rng.choice(ROLES),
                ]
            )
            if i % 10_000 == 0:
                progress.update(task, completed=i)
    progress.update(task, completed=rows)


def baseline(source: Path, out: Path, collection_id: int) -> int:
    """The same mapping in this process, no engine: FtM's CSV reader, chunk by chunk."""
    compiled = compile_mapping(MAPPING, key_prefix="kvk_register")
    out.mkdir()
    written = 0

    def flush(number: int, records: list[dict[str, str]]) -> int:
        table = statements(compiled, records, collection_id)
        pq.write_table(table, out / f"part-{number:05d}.parquet")
        return int(table.num_rows)

    with source.open(encoding="utf-8", newline="") as handle:
        chunk: list[dict[str, str]] = []
        number = 0
        for record in CSVSource.read_csv(handle):
            chunk.append(record)
            if len(chunk) == CHUNK:
                written += flush(number, chunk)
                chunk, number = [], number + 1
        if chunk:
            written += flush(number, chunk)
    return written


def _world(settings: Settings) -> tuple[sessionmaker[Session], int, int]:
    engine = make_engine(settings)
    upgrade(settings, engine=engine)
    factory = make_sessionmaker(engine)
    with transaction(factory) as session:
        marking_id = intern(session, Marking.of(Level.STG_CONFIDENTIEEL, Service.AIVD))
        owner = create(
            session,
            settings=settings,
            principal=None,
            data=UserCreate(
                username="beheerder",
                display_name="Beheerder",
                password="bench-password-1",
                clearance=Level.STG_GEHEIM,
                service=Service.AIVD,
                roles=frozenset({"analyst"}),
            ),
        ).id
        collection = Collection(
            name="kvk_register",
            title="Handelsregister (fictief)",
            kind="bulk",
            service="AIVD",
            legal_basis="open_source",
            acquired_on=date(2026, 1, 5),
            marking_id=marking_id,
            created_by=owner,
        )
        session.add(collection)
        session.flush()
        collection_id = collection.id
    return factory, marking_id, collection_id


def run(tmp: Path, console: Console) -> list[Row]:
    root = tmp / "bulk-bench"
    root.mkdir()
    settings = Settings(data_dir=root, argon2_time_cost=1, argon2_memory_kib=64)
    factory, marking_id, collection_id = _world(settings)
    source = root / "register.csv"
    engine = LocalEngine()
    marks: dict[str, float] = {}
    tasks: dict[str, TaskID] = {}
    with Progress(console=console, transient=True) as progress:
        generate(source, ROWS, progress)

        def report(stage: str, done: int, total: int) -> None:
            marks.setdefault(stage, time.perf_counter())
            if stage not in tasks:
                tasks[stage] = progress.add_task(f"bulk: {stage}", total=total)
            progress.update(tasks[stage], completed=done, total=total)

        start = time.perf_counter()
        with transaction(factory) as session:
            result = bulk.load(
                session.connection(),
                collection_id=collection_id,
                collection_name="kvk_register",
                marking_id=marking_id,
                source=source,
                mapping_yaml=MAPPING,
                store_dir=root / "bulk",
                engine=engine,
                progress=report,
            )
            loaded = time.perf_counter()
        end = time.perf_counter()
        with console.status("baseline: one process, no engine"):
            base_start = time.perf_counter()
            baseline(source, root / "baseline", collection_id)
            base_seconds = time.perf_counter() - base_start
    load_average = os.getloadavg()[0]  # other work on the machine skews the pool's figure
    convert = marks["map"] - start
    mapping = marks["load"] - marks["map"]
    load = loaded - marks["load"]
    size_mb = source.stat().st_size / 1e6
    database = Path(settings.database_url.removeprefix("sqlite:///"))
    db_mb = database.stat().st_size / 1e6 if database.exists() else 0.0
    label = f"bulk {ROWS:,} rows"
    return [
        Row(
            f"{label}: CSV → Parquet",
            f"{convert:.1f} s ({ROWS / convert:,.0f} rows/s)",
            "–",
            f"DuckDB, {size_mb:,.0f} MB CSV, all columns as text",
        ),
        Row(
            f"{label}: FtM mapping → statements",
            f"{ROWS / mapping:,.0f} rows/s ({mapping:.1f} s, {engine.workers} workers)",
            f"{ROWS / base_seconds:,.0f} rows/s ({base_seconds:.1f} s, one process)",
            f"{result.entities:,} entities, {result.statements:,} statements;"
            f" ×{base_seconds / mapping:.2f} vs no engine; load average {load_average:.1f}"
            f" on {os.cpu_count()} CPUs",
        ),
        Row(
            f"{label}: statements → SQLite",
            f"{result.statements / load:,.0f} statements/s ({load:.1f} s)",
            "–",
            f"upsert in chunks of {bulk.CHUNK:,}; database {db_mb:,.0f} MB",
        ),
        Row(
            f"{label}: whole load",
            f"{end - start:.1f} s ({ROWS / (end - start):,.0f} rows/s)",
            "–",
            "convert + map + load + commit",
        ),
    ]


if __name__ == "__main__":
    import tempfile

    from rich.table import Table

    out = Console(width=140)
    with tempfile.TemporaryDirectory(prefix="baken-bench-") as directory:
        rows = run(Path(directory), out)
    table = Table("figure", "Baken", "baseline (same run)", "note", title="bulk ingest")
    for row in rows:
        table.add_row(row.figure, row.baken, row.baseline, row.note)
    out.print(table)
