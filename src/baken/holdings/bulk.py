"""Bulk datasets: a CSV or Parquet file (up to millions of rows) and an FtM mapping become
Parquet on disk plus statements in the database.

Layout under ``store_dir/<collection_id>/``: ``source/`` (the file as Parquet) and
``statements/`` (what the mapping made of it). A load does all the checking and the whole
mapping in a staging directory first, so a bad file, a bad mapping or a failing worker
writes nothing to the database; only then are the statements upserted, in the caller's
transaction, and the staging directory swapped in. Loading the same data again only moves
``last_seen``; statements that a newer file no longer yields keep their older
``last_seen``. Deleting removes exactly this collection's bulk statements.

The caller (the holdings service) checks the policy, audits, and commits.
"""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from operator import itemgetter
from pathlib import Path
from typing import Any, cast

import pyarrow.parquet as pq  # type: ignore[import-untyped]
from sqlalchemy import Column, Connection, MetaData, String, Table, Text, literal, null
from sqlalchemy import delete as sql_delete
from sqlalchemy import select as sql_select
from sqlalchemy.dialects.postgresql import distinct_on
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.types import DateTime, Integer

from baken.core.i18n import N_
from baken.core.timeutil import utcnow
from baken.engines import BatchEngine, InputError, parquet_files
from baken.holdings.mapping import (
    STATEMENT_SCHEMA,
    MappingJob,
    compile_mapping,
    map_batch,
    mappable,
)
from baken.holdings.models import Statement
from baken.holdings.service import HoldingsError

CHUNK = 10_000  # statements per INSERT on SQLite
PG_CHUNK = 200_000  # statements per COPY into the staging table on PostgreSQL

BulkProgress = Callable[[str, int, int], None]
"""Called with (stage, done, total); stage is ``convert``, ``map`` or ``load``."""

STATEMENTS = cast(Table, Statement.__table__)
_STAGE = Table(
    "baken_bulk_stage",
    MetaData(),
    *(Column(name, String(40) if name == "id" else Text) for name in STATEMENT_SCHEMA.names),
    prefixes=["TEMPORARY"],
    postgresql_on_commit="DROP",
)


class BulkError(HoldingsError):
    """A bulk file that cannot be loaded (the message says why)."""


@dataclass(frozen=True)
class BulkResult:
    rows: int  # source rows
    entities: int
    statements: int  # distinct statements written (new or refreshed)
    parquet_dir: Path  # store_dir/<collection_id>


def load(
    conn: Connection,
    *,
    collection_id: int,
    collection_name: str,
    marking_id: int,
    source: Path,
    mapping_yaml: str,
    store_dir: Path,
    engine: BatchEngine,
    progress: BulkProgress | None = None,
    origin: str = "bulk",
) -> BulkResult:
    """Load ``source`` into the collection through ``mapping_yaml``.

    Raises :class:`BulkError` or :class:`~baken.holdings.mapping.MappingError` before
    anything reaches the database when the file or the mapping is unusable.
    """
    compile_mapping(mapping_yaml, key_prefix=collection_name)  # fail fast, before converting
    home = store_dir / str(collection_id)
    staging = home / f".staging-{uuid.uuid4().hex}"
    try:
        try:
            info = engine.to_parquet(
                source, staging / "source", progress=_stage(progress, "convert")
            )
        except InputError as exc:
            raise BulkError(exc.message, **exc.params) from None
        if info.rows == 0:
            raise BulkError(N_("the file holds no rows"))
        compiled = compile_mapping(mapping_yaml, info.columns, key_prefix=collection_name)
        for name in sorted(compiled.columns):
            if not mappable(info.schema.field(name).type):
                raise BulkError(
                    N_("column {column} holds nested or binary values; a mapping needs text"),
                    column=name,
                )
        job = MappingJob(mapping_yaml, collection_name, collection_id)
        engine.map_partitions(
            map_batch,
            staging / "source",
            staging / "statements",
            context=job,
            schema=STATEMENT_SCHEMA,
            progress=_stage(progress, "map"),
        )
        counts = engine.sql(
            "SELECT count(DISTINCT id) AS statements, count(DISTINCT entity_id) AS entities,"
            " count(*) AS written FROM statements",
            {"statements": staging / "statements"},
        ).to_pylist()[0]
        if counts["statements"] == 0:
            raise BulkError(N_("the mapping made no entities from this file"))
        _write(
            conn,
            staging / "statements",
            total=counts["written"],
            constants={
                "collection_id": collection_id,
                "document_id": None,
                "origin": origin,
                "marking_id": marking_id,
            },
            progress=_stage(progress, "load"),
        )
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        if home.is_dir() and not any(home.iterdir()):
            home.rmdir()  # a first load that failed leaves no trace
        raise
    _swap(home, staging)
    return BulkResult(
        rows=info.rows,
        entities=counts["entities"],
        statements=counts["statements"],
        parquet_dir=home,
    )


def delete(conn: Connection, collection_id: int, store_dir: Path, *, origin: str = "bulk") -> int:
    """Delete the collection's bulk statements and its Parquet files; return how many
    statements went. Statements of other collections and other origins stay.

    The rows go in the caller's transaction, the files at once: delete as the last step
    of the unit of work (a rolled-back delete leaves statements whose Parquet is gone,
    which a reload restores)."""
    result = conn.execute(
        sql_delete(STATEMENTS).where(
            STATEMENTS.c.collection_id == collection_id,
            STATEMENTS.c.origin == origin,
            STATEMENTS.c.document_id.is_(None),
        )
    )
    shutil.rmtree(store_dir / str(collection_id), ignore_errors=True)
    return int(result.rowcount)


def _stage(progress: BulkProgress | None, stage: str) -> Callable[[int, int], None] | None:
    if progress is None:
        return None

    def report(done: int, total: int) -> None:
        progress(stage, done, total)

    return report


def _swap(home: Path, staging: Path) -> None:
    """Put the staged ``source/`` and ``statements/`` in place of the previous load's."""
    old = home / f".old-{uuid.uuid4().hex}"
    old.mkdir()
    for part in ("source", "statements"):
        if (home / part).exists():
            (home / part).rename(old / part)
        (staging / part).rename(home / part)
    shutil.rmtree(old, ignore_errors=True)
    shutil.rmtree(staging, ignore_errors=True)


def _batches(directory: Path, size: int) -> Iterator[Any]:
    for file in parquet_files(directory):
        yield from pq.ParquetFile(file).iter_batches(batch_size=size)


def _write(
    conn: Connection,
    directory: Path,
    *,
    total: int,
    constants: Mapping[str, Any],
    progress: Callable[[int, int], None] | None,
) -> None:
    now = utcnow()
    if progress:
        progress(0, total)
    if conn.dialect.name == "postgresql":
        _write_postgres(conn, directory, total, constants, now, progress)
        return
    _write_sqlite(conn, directory, constants, now, progress, total)


def _write_sqlite(
    conn: Connection,
    directory: Path,
    constants: Mapping[str, Any],
    now: datetime,
    progress: Callable[[int, int], None] | None,
    total: int,
) -> None:
    """One compiled upsert, run with plain tuples: SQLAlchemy's per-row parameter
    processing would cost as much as SQLite's own work."""
    stmt = sqlite_insert(STATEMENTS)
    stmt = stmt.on_conflict_do_update(
        index_elements=[STATEMENTS.c.id], set_={"last_seen": stmt.excluded.last_seen}
    )
    compiled = stmt.compile(dialect=conn.dialect)
    stamp = STATEMENTS.c.last_seen.type.dialect_impl(conn.dialect).bind_processor(conn.dialect)
    fixed = {**constants, "first_seen": now, "last_seen": now}
    if stamp is not None:
        fixed["first_seen"] = fixed["last_seen"] = stamp(now)
    fields = [*STATEMENT_SCHEMA.names, *fixed]
    assert compiled.positiontup is not None
    pick = itemgetter(*(fields.index(name) for name in compiled.positiontup))
    tail = tuple(fixed.values())
    done = 0
    for batch in _batches(directory, CHUNK):
        columns = [batch.column(n).to_pylist() for n in STATEMENT_SCHEMA.names]
        # Each partition wrote a statement once; across partitions it may recur.
        rows = {row[0]: pick(row + tail) for row in zip(*columns, strict=True)}
        conn.exec_driver_sql(str(compiled), list(rows.values()))
        done += batch.num_rows
        if progress:
            progress(done, total)


def _write_postgres(
    conn: Connection,
    directory: Path,
    total: int,
    constants: Mapping[str, Any],
    now: datetime,
    progress: Callable[[int, int], None] | None,
) -> None:
    """COPY into a temporary table, then one INSERT … SELECT DISTINCT ON … ON CONFLICT
    per chunk: an order of magnitude faster than row inserts."""
    from psycopg import sql

    names = STATEMENT_SCHEMA.names
    _STAGE.create(conn)
    copy_sql = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(_STAGE.name), sql.SQL(", ").join(sql.Identifier(n) for n in names)
    )
    stamp = DateTime(timezone=True)
    source = sql_select(
        *(_STAGE.c[n] for n in names),
        literal(constants["collection_id"], Integer()).label("collection_id"),
        null().label("document_id"),
        literal(constants["origin"], String()).label("origin"),
        literal(constants["marking_id"], Integer()).label("marking_id"),
        literal(now, stamp).label("first_seen"),
        literal(now, stamp).label("last_seen"),
    ).ext(distinct_on(_STAGE.c.id))
    insert = pg_insert(STATEMENTS).from_select(
        [*names, "collection_id", "document_id", "origin", "marking_id", "first_seen", "last_seen"],
        source,
    )
    insert = insert.on_conflict_do_update(
        index_elements=[STATEMENTS.c.id], set_={"last_seen": insert.excluded.last_seen}
    )
    raw = conn.connection.driver_connection
    assert raw is not None
    done = 0
    staged = 0

    def flush() -> None:
        conn.execute(insert)
        conn.execute(sql_delete(_STAGE))

    for batch in _batches(directory, CHUNK):
        with raw.cursor() as cur, cur.copy(copy_sql) as copy:
            for row in zip(*(batch.column(n).to_pylist() for n in names), strict=True):
                copy.write_row(row)
        staged += batch.num_rows
        done += batch.num_rows
        if staged >= PG_CHUNK:
            flush()
            staged = 0
        if progress:
            progress(done, total)
    if staged:
        flush()
    _STAGE.drop(conn)


__all__ = ["BulkError", "BulkProgress", "BulkResult", "delete", "load"]
