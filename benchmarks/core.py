"""The security kernel's cost: the policy filter inside the query, and the audit chain.

* Listing a page of notices (count + 25 newest) with the policy filter for a
  mid-clearance analyst, against the same query without a filter.
* Appending audit entries (hash chain, head row, in the transaction of the work),
  against inserting the same rows into a plain table.
* Verifying the chain, entries per second.
"""

from __future__ import annotations

import random
import statistics
import time
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console
from rich.progress import Progress
from sqlalchemy import Column, Integer, MetaData, String, Table, func, insert, select

from baken.core import audit, policy
from baken.core.config import Settings
from baken.core.db import make_engine, make_sessionmaker, transaction
from baken.core.marking_store import intern
from baken.core.markings import Level, Marking, Service
from baken.core.principals import Principal
from baken.core.timeutil import utcnow
from baken.core.users import UserCreate, create
from baken.migrations import upgrade
from baken.notices.models import Notice

NOTICES = 100_000
QUERIES = 200
AUDIT_ENTRIES = 20_000


@dataclass(frozen=True)
class Row:
    """One line of the table: the figure, Baken's value, the baseline measured in the
    same run, a note, and the issue's target with whether Baken meets it (None: no
    target, or not measured)."""

    figure: str
    baken: str
    baseline: str
    note: str
    target: str = "–"
    holds: bool | None = None


def _pct(samples: list[float], q: float) -> float:
    return statistics.quantiles(samples, n=100)[int(q) - 1] * 1000


def run(tmp: Path, console: Console) -> list[Row]:
    settings = Settings(data_dir=tmp, argon2_time_cost=1, argon2_memory_kib=64)
    engine = make_engine(settings)
    upgrade(settings, engine=engine)
    factory = make_sessionmaker(engine)
    rng = random.Random(7)
    markings = [
        Marking.of(level, owner, compartments=comps)
        for level in Level
        for owner in (Service.AIVD, Service.MIVD, Service.JOINT)
        for comps in ((), ("KOBALT",))
    ]
    with transaction(factory) as session:
        ids = [intern(session, m) for m in markings]
        author = create(
            session,
            settings=settings,
            principal=None,
            data=UserCreate(
                username="auteur",
                display_name="Auteur",
                password="bench-password-1",
                clearance=Level.STG_ZEER_GEHEIM,
                service=Service.AIVD,
                roles=frozenset({"analyst"}),
            ),
        ).id
    rows: list[Row] = []
    with Progress(console=console, transient=True) as progress:
        task = progress.add_task("notices", total=NOTICES)
        batch = 10_000
        for start in range(0, NOTICES, batch):
            with transaction(factory) as session:
                session.execute(
                    insert(Notice),
                    [
                        {
                            "title": f"Bericht {i}",
                            "body": "tekst",
                            "marking_id": rng.choice(ids),
                            "author_id": author,
                            "created_at": utcnow(),
                        }
                        for i in range(start, start + batch)
                    ],
                )
            progress.advance(task, batch)
        analyst = Principal(
            id=1,
            username="a",
            display_name="A",
            clearance=Level.STG_GEHEIM,
            service=Service.AIVD,
            roles=frozenset({"analyst"}),
        )
        where = policy.read_filter(analyst, "mededeling", Notice.marking_id)

        def listing(filtered: bool) -> float:
            start = time.perf_counter()
            with factory() as session:
                count = select(func.count()).select_from(Notice)
                page = select(Notice).order_by(Notice.created_at.desc(), Notice.id.desc()).limit(25)
                if filtered:
                    count, page = count.where(where), page.where(where)
                session.scalar(count)
                list(session.scalars(page))
            return time.perf_counter() - start

        task = progress.add_task("queries", total=QUERIES * 2)
        timed: dict[bool, list[float]] = {True: [], False: []}
        for i in range(QUERIES * 2):
            timed[i % 2 == 0].append(listing(i % 2 == 0))
            progress.advance(task)
        rows.append(
            Row(
                f"notice list, {NOTICES:,} rows: p50 / p95",
                f"{_pct(timed[True], 50):.1f} / {_pct(timed[True], 95):.1f} ms",
                f"{_pct(timed[False], 50):.1f} / {_pct(timed[False], 95):.1f} ms",
                "policy filter in the query vs no filter",
            )
        )

        plain = Table(
            "plain_log",
            MetaData(),
            Column("seq", Integer, primary_key=True),
            Column("action", String(64)),
            Column("actor", String(64)),
        )
        plain.create(engine)
        task = progress.add_task("audit", total=AUDIT_ENTRIES * 2)
        marking = Marking.of("STG_GEHEIM", "AIVD")
        start = time.perf_counter()
        for chunk in range(0, AUDIT_ENTRIES, 100):
            with transaction(factory) as session:
                for i in range(100):
                    audit.record(
                        session,
                        principal=analyst,
                        action="bench.read",
                        kind="mededeling",
                        object_id=chunk + i,
                        marking=marking,
                    )
            progress.advance(task, 100)
        chained = AUDIT_ENTRIES / (time.perf_counter() - start)
        start = time.perf_counter()
        for _chunk in range(0, AUDIT_ENTRIES, 100):
            with transaction(factory) as session:
                for i in range(100):
                    session.execute(insert(plain).values(action="bench.read", actor=str(i)))
            progress.advance(task, 100)
        bare = AUDIT_ENTRIES / (time.perf_counter() - start)
        rows.append(
            Row(
                "audit append",
                f"{chained:,.0f} entries/s",
                f"{bare:,.0f} rows/s",
                "hash chain + head row vs plain insert",
            )
        )
        start = time.perf_counter()
        with transaction(factory) as session:
            result = audit.verify(session)
        assert result.ok
        rate = result.checked / (time.perf_counter() - start)
        rows.append(
            Row(
                "audit verify", f"{rate:,.0f} entries/s", "–", f"{result.checked:,} entries, intact"
            )
        )
    engine.dispose()
    return rows
