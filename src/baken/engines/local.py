"""The local engine: DuckDB for conversion and SQL, a process pool for partition jobs.

Worker processes come from a fork server (spawn where there is none): a fresh,
single-threaded process forks them, so the caller's threads (a web server's, DuckDB's)
are never copied half-way. The job's module is preloaded into the fork server once, so
later pools start in milliseconds rather than re-importing FollowTheMoney every time.
"""

from __future__ import annotations

import multiprocessing
import os
import re
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing.context import BaseContext
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.parquet as pq  # type: ignore[import-untyped]

from baken.core.errors import DomainError
from baken.core.i18n import N_
from baken.engines import BatchEngine, InputError, Job, ProgressCallback, parquet_files

ROWS_PER_PARTITION = 100_000
DELIMITERS = (",", ";", "\t", "|")
_LINE = re.compile(r"CSV Error on Line: (\d+)")
_POLL_SECONDS = 0.2


def default_workers() -> int:
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


class LocalEngine(BatchEngine):
    """Batch work on this machine.

    ``workers`` processes run partition jobs (default: the usable CPU cores);
    ``rows_per_partition`` sets the Parquet row-group size, and so the unit of work;
    ``threads`` caps DuckDB's threads (default: DuckDB's choice, all cores). A single
    partition (a file under ``rows_per_partition`` rows) runs in the calling process:
    starting workers would cost more than it saves.
    """

    name = "local"

    def __init__(
        self,
        *,
        workers: int | None = None,
        rows_per_partition: int = ROWS_PER_PARTITION,
        threads: int | None = None,
    ) -> None:
        self.workers = workers or default_workers()
        self.rows_per_partition = rows_per_partition
        self.threads = threads

    # -- DuckDB -----------------------------------------------------------------------

    def _connect(self) -> duckdb.DuckDBPyConnection:
        config: dict[str, str | bool | int | float | list[str]] = {}
        if self.threads:
            config["threads"] = self.threads
        con = duckdb.connect(":memory:", config=config)
        # Progress is polled (query_progress), never printed.
        con.execute("SET enable_progress_bar = true")
        con.execute("SET enable_progress_bar_print = false")
        return con

    @contextmanager
    def _linkage_api(self) -> Iterator[Any]:
        from splink import DuckDBAPI  # splink is heavy: imported for linkage jobs only

        con = self._connect()
        try:
            yield DuckDBAPI(connection=con)
        finally:
            con.close()

    def _csv_to_parquet(self, source: Path, out: Path, progress: ProgressCallback | None) -> None:
        delimiter = sniff_delimiter(source)
        con = self._connect()
        try:
            # The first line is the header and no line is a comment: the sniffer may
            # otherwise skip "junk" leading lines or '#' lines without a word.
            relation = con.read_csv(
                str(source),
                header=True,
                all_varchar=True,
                sep=delimiter,
                quotechar='"',
                skiprows=0,
                comment="",
            )
            _with_progress(
                con,
                lambda: relation.write_parquet(
                    str(out / "part-00000.parquet"), row_group_size=self.rows_per_partition
                ),
                progress,
            )
        except duckdb.Error as exc:
            raise _csv_error(exc) from None
        finally:
            con.close()

    def _parquet_to_parquet(
        self, source: Path, out: Path, progress: ProgressCallback | None
    ) -> None:
        con = self._connect()
        try:
            relation = con.read_parquet(str(source))
            _with_progress(
                con,
                lambda: relation.write_parquet(
                    str(out / "part-00000.parquet"), row_group_size=self.rows_per_partition
                ),
                progress,
            )
        except duckdb.Error:
            raise InputError(N_("the file is not a readable Parquet file")) from None
        finally:
            con.close()

    def _sql(self, query: str, tables: Mapping[str, Path], params: Sequence[object]) -> Any:
        con = self._connect()
        try:
            for name, path in tables.items():
                con.read_parquet([str(f) for f in parquet_files(path)]).create_view(name)
            return con.sql(query, params=list(params)).to_arrow_table()
        finally:
            con.close()

    # -- the process pool -------------------------------------------------------------

    def _map(
        self,
        job: Job[Any],
        files: list[Path],
        out: Path,
        context: Any,
        schema: Any,
        progress: ProgressCallback | None,
    ) -> list[Path]:
        tasks = [
            _Task(file, group, out / f"part-{n:05d}.parquet")
            for n, (file, group) in enumerate(
                (f, g) for f in files for g in range(pq.ParquetFile(f).num_row_groups)
            )
        ]
        total = len(tasks)
        if progress:
            progress(0, total)
        if self.workers == 1 or total <= 1:
            for done, task in enumerate(tasks, start=1):
                _raise_failure(run_partition(job, context, schema, task))
                if progress:
                    progress(done, total)
            return [t.out for t in tasks]
        pool = ProcessPoolExecutor(
            max_workers=min(self.workers, total), mp_context=_context(job.__module__)
        )
        try:
            futures = [pool.submit(run_partition, job, context, schema, task) for task in tasks]
            for done, future in enumerate(as_completed(futures), start=1):
                _raise_failure(future.result())
                if progress:
                    progress(done, total)
        finally:
            # On failure, drop what has not started; either way wait for the workers.
            pool.shutdown(wait=True, cancel_futures=True)
        return [t.out for t in tasks]


@dataclass(frozen=True)
class _Task:
    file: Path
    row_group: int
    out: Path


@dataclass(frozen=True)
class _Failure:
    """A DomainError from a worker, carried as data: its ``params`` do not survive
    pickling the exception itself."""

    kind: type[DomainError]
    message: str
    params: dict[str, object]


def run_partition(job: Job[Any], context: Any, schema: Any, task: _Task) -> _Failure | None:
    """One partition, in a worker: read the row group, run the job batch by batch,
    write the output. Module-level, so the pool can pickle it."""
    group = pq.ParquetFile(task.file).read_row_group(task.row_group)
    try:
        parts = [_as_table(job(batch, context)) for batch in group.to_batches()]
    except DomainError as exc:
        return _Failure(type(exc), exc.message, dict(exc.params))
    table = pa.concat_tables([p.cast(schema) for p in parts]) if parts else schema.empty_table()
    pq.write_table(table, task.out)
    return None


def _as_table(result: Any) -> Any:
    if isinstance(result, pa.RecordBatch):
        return pa.Table.from_batches([result])
    if not isinstance(result, pa.Table):
        raise TypeError(f"a batch job must return a pyarrow Table, not {type(result).__name__}")
    return result


def _raise_failure(failure: _Failure | None) -> None:
    if failure is not None:
        raise failure.kind(failure.message, **failure.params)


def _context(module: str) -> BaseContext:
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    # Only read when the fork server starts (once per process); later calls are no-ops.
    preload = ["baken.engines.local"]
    if module != "__main__":
        preload.append(module)
    context.set_forkserver_preload(preload)
    return context


def _with_progress(
    con: duckdb.DuckDBPyConnection, work: Callable[[], None], progress: ProgressCallback | None
) -> None:
    """Run ``work`` on ``con``; meanwhile report DuckDB's own progress (in percent)."""
    if progress is None:
        work()
        return
    failure: list[BaseException] = []

    def target() -> None:
        try:
            work()
        except BaseException as exc:  # handed to the caller's thread below
            failure.append(exc)

    progress(0, 100)
    thread = threading.Thread(target=target, name="duckdb-convert")
    thread.start()
    while thread.is_alive():
        thread.join(_POLL_SECONDS)
        percent = con.query_progress()
        if percent >= 0:
            progress(min(99, int(percent)), 100)
    if failure:
        raise failure[0]
    progress(100, 100)


def sniff_delimiter(source: Path) -> str:
    """The delimiter is whichever candidate the header row holds most often, outside
    quotes; names rarely contain one. Reading the header also checks it is UTF-8."""
    with source.open("rb") as handle:
        raw = handle.readline(65536)
    try:
        header = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(N_("the file is not valid UTF-8 text (line {line})"), line=1) from None
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for char in header:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def _csv_error(exc: duckdb.Error) -> InputError:
    text = str(exc)
    found = _LINE.search(text)
    if "Invalid unicode" in text:
        line = int(found.group(1)) if found else 0
        return InputError(N_("the file is not valid UTF-8 text (line {line})"), line=line)
    if found:
        # DuckDB's line after "Original Line: …" names the problem, in English.
        lines = text.splitlines()
        problem = next(
            (
                ln.strip()
                for ln in lines[1:]
                if ln.strip() and not ln.startswith(("Original Line", "Possible"))
            ),
            "",
        )
        return InputError(
            N_("the CSV file cannot be read at line {line}: {problem}"),
            line=int(found.group(1)),
            problem=problem,
        )
    return InputError(N_("the file cannot be read as CSV (no consistent columns)"))


__all__ = ["LocalEngine", "default_workers", "run_partition", "sniff_delimiter"]
