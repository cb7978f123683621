"""Graph expansion: a node with 1,000 readable neighbours (and 1,000 more the viewer may
not read) in a store of 200,000 relationship statements, through
:func:`baken.analysis.graph.service.neighbours` (policy filter in every query, audited).

* Baken: with the partial index on the relationships' end statements
  (``ix_statements_graph_edges``, migration 0008).
* Baseline, same run, same code: the index dropped, so finding the links that touch the
  node scans the statements table.

Target: p95 <= 300 ms.
"""

from __future__ import annotations

import statistics
import time
from datetime import date
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import Progress
from sqlalchemy import text

from baken.analysis.graph import service
from baken.core.config import Settings
from baken.core.db import make_engine, make_sessionmaker, transaction
from baken.core.markings import Level, Marking, Service
from baken.core.principals import Principal
from baken.core.schemas import MarkingIn
from baken.core.sessions import login
from baken.core.timeutil import utcnow
from baken.core.users import UserCreate, create
from baken.holdings.schemas import CollectionCreate
from baken.holdings.service import collections
from baken.holdings.service.entities import upsert_statements
from baken.holdings.statements import statement_id
from baken.migrations import upgrade
from benchmarks.core import Row

NEIGHBOURS = 1_000
NOISE_LINKS = 50_000  # other relationships among other entities (4 statements each)
RUNS = 40
TARGET_MS = 300.0
HUB = "hub"


def _user(session: Any, settings: Settings, name: str, level: Level) -> Principal:
    create(
        session,
        settings=settings,
        principal=None,
        data=UserCreate(
            username=name,
            display_name=name,
            password="bench-password-1",
            clearance=level,
            service=Service.AIVD,
            roles=frozenset({"analyst"}),
        ),
    )
    return login(session, settings=settings, username=name, password="bench-password-1").principal


def _collection(session: Any, author: Principal, name: str, marking: Marking) -> int:
    return collections.create(
        session,
        principal=author,
        data=CollectionCreate(
            name=name,
            title=name,
            legal_basis="open_source",
            acquired_on=date(2026, 1, 1),
            marking=MarkingIn.of(marking),
        ),
    )


def _rows(collection_id: int, marking_id: int, items: list[tuple[str, str, str, str]]) -> list[Any]:
    now = utcnow()
    return [
        {
            "id": statement_id(collection_id, None, entity, prop, value),
            "entity_id": entity,
            "schema": schema,
            "prop": prop,
            "value": value,
            "collection_id": collection_id,
            "document_id": None,
            "origin": "import",
            "marking_id": marking_id,
            "first_seen": now,
            "last_seen": now,
        }
        for entity, schema, prop, value in items
    ]


def _network(entity_prefix: str, hub: str, n: int) -> list[tuple[str, str, str, str]]:
    items = [(hub, "Person", "id", ""), (hub, "Person", "name", "Knooppunt")]
    for i in range(n):
        company, link = f"{entity_prefix}-c{i}", f"{entity_prefix}-own{i}"
        items += [
            (company, "Company", "id", ""),
            (company, "Company", "name", f"Bedrijf {entity_prefix} {i}"),
            (link, "Ownership", "id", ""),
            (link, "Ownership", "owner", hub),
            (link, "Ownership", "asset", company),
        ]
    return items


def _p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=100)[94] * 1000


def _time(factory: Any, viewer: Principal) -> tuple[list[float], int]:
    samples: list[float] = []
    nodes = 0
    for _ in range(RUNS):
        start = time.perf_counter()
        with transaction(factory) as session:
            graph = service.neighbours(session, principal=viewer, entity_id=HUB)
        samples.append(time.perf_counter() - start)
        nodes = len(graph.nodes)
    return samples, nodes


def run(tmp: Path, console: Console) -> list[Row]:
    settings = Settings(data_dir=tmp, argon2_time_cost=1, argon2_memory_kib=64)
    engine = make_engine(settings)
    upgrade(settings, engine=engine)
    factory = make_sessionmaker(engine)
    with Progress(console=console, transient=True) as progress:
        task = progress.add_task("graph: building the store", total=3)
        with transaction(factory) as session:
            author = _user(session, settings, "auteur", Level.STG_ZEER_GEHEIM)
            viewer = _user(session, settings, "lezer", Level.STG_GEHEIM)
            shown = _collection(session, author, "open", Marking.of("STG_GEHEIM", Service.AIVD))
            hidden = _collection(
                session, author, "verborgen", Marking.of("STG_ZEER_GEHEIM", Service.AIVD)
            )
            mark: dict[int, int] = dict(
                session.execute(
                    text("SELECT id, marking_id FROM collections WHERE id IN (:a, :b)"),
                    {"a": shown, "b": hidden},
                ).all()
            )
            upsert_statements(
                session, _rows(shown, mark[shown], _network("zicht", HUB, NEIGHBOURS))
            )
            upsert_statements(
                session, _rows(hidden, mark[hidden], _network("geheim", HUB, NEIGHBOURS))
            )
        progress.advance(task)
        with transaction(factory) as session:
            noise: list[tuple[str, str, str, str]] = []
            for i in range(NOISE_LINKS):
                link = f"ruis-l{i}"
                noise += [
                    (link, "Directorship", "id", ""),
                    (link, "Directorship", "director", f"ruis-p{i % 7919}"),
                    (link, "Directorship", "organization", f"ruis-o{i % 4999}"),
                    (link, "Directorship", "role", "bestuurder"),
                ]
            upsert_statements(session, _rows(shown, mark[shown], noise))
        progress.advance(task)
        if settings.is_sqlite:
            with engine.begin() as conn:
                conn.exec_driver_sql("ANALYZE")
        progress.update(task, description="graph: expanding the node")
        indexed, nodes = _time(factory, viewer)
        with engine.begin() as conn:
            conn.exec_driver_sql("DROP INDEX ix_statements_graph_edges")
        scanned, nodes_scanned = _time(factory, viewer)
        progress.advance(task)
    engine.dispose()
    assert nodes == nodes_scanned == NEIGHBOURS + 1, (nodes, nodes_scanned)
    p95, base = _p95(indexed), _p95(scanned)
    p50, base50 = statistics.median(indexed) * 1000, statistics.median(scanned) * 1000
    return [
        Row(
            f"graph: expand a node with {NEIGHBOURS:,} readable neighbours (p50 / p95)",
            f"{p50:.0f} / {p95:.0f} ms",
            f"{base50:.0f} / {base:.0f} ms",
            f"{NEIGHBOURS:,} hidden neighbours not shown; {NOISE_LINKS * 4:,} other statements; "
            "baseline: same query without the partial index",
            f"<= {TARGET_MS:.0f} ms",
            p95 <= TARGET_MS,
        )
    ]
