"""The batch-engine interface: bulk ingest, xref and screening are written once against
:class:`BatchEngine` and run on whichever engine a deployment picks.

The engine decides *where* work runs, never *what* it computes. Job code is

* a pure, picklable, top-level function ``job(batch, context) -> pa.Table`` that maps one
  Arrow record batch to rows of a declared output schema (Spark's ``mapInArrow`` needs the
  schema up front, so every engine takes it), with a context that is plain data
  (a frozen dataclass);
* SQL over named Parquet tables, kept to what DuckDB and Spark SQL both spell alike;
* splink linkage jobs (xref, screening), written once against the splink database API
  that :meth:`BatchEngine.linkage_api` hands out: DuckDB's locally, Spark's on a cluster.
  splink owns the SQL dialect; the engine only says where it runs.

Data moves between steps as directories of Parquet files, one row group per partition.
The public methods here are final: they check their inputs and assemble the result the
same way for every engine; engines fill in the small protected hooks.
"""

from __future__ import annotations

import importlib
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar, final

import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.parquet as pq  # type: ignore[import-untyped]

from baken.core.errors import DomainError
from baken.core.i18n import N_

ProgressCallback = Callable[[int, int], None]
"""Called with (done, total) as work advances; the caller draws a bar or updates a job."""

C = TypeVar("C")
Job = Callable[[Any, C], Any]
"""``job(batch: pa.RecordBatch, context: C) -> pa.Table | pa.RecordBatch``."""

PARQUET_MAGIC = b"PAR1"

# Engines by name, imported on first use: asking for "local" never imports Spark.
ENGINES = {
    "local": "baken.engines.local:LocalEngine",
    "spark": "baken.engines.spark:SparkEngine",
}


class InputError(DomainError):
    """A source file the engine cannot read (the message says why)."""


class EngineError(DomainError):
    """The engine could not run the job: a cluster that cannot be reached or that died
    half-way. Nothing the job computed is kept; running it again is safe."""


@dataclass(frozen=True)
class ParquetInfo:
    """What :meth:`BatchEngine.to_parquet` wrote."""

    files: tuple[Path, ...]
    rows: int
    schema: Any  # pa.Schema

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(self.schema.names)


def parquet_files(path: Path) -> list[Path]:
    """The Parquet files of a dataset: the file itself, or a directory's ``*.parquet``."""
    if path.is_file():
        return [path]
    return sorted(path.glob("*.parquet"))


def is_parquet(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(4) == PARQUET_MAGIC


class BatchEngine(ABC):
    """How batch work runs. Subclasses implement the ``_`` hooks only."""

    name: str

    @final
    def to_parquet(
        self, source: Path, out: Path, *, progress: ProgressCallback | None = None
    ) -> ParquetInfo:
        """Convert a CSV file (UTF-8, a header row, the delimiter sniffed; every column
        read as text so codes keep their leading zeros) or a Parquet file to Parquet
        files in ``out``, a new or empty directory, in row groups of about one partition.

        Raises :class:`InputError` for an empty, non-UTF-8, malformed or corrupt file.
        """
        if not source.is_file():
            raise InputError(N_("the source file does not exist"))
        if source.stat().st_size == 0:
            raise InputError(N_("the file is empty"))
        _empty_dir(out)
        if is_parquet(source):
            try:
                pq.ParquetFile(source).metadata  # noqa: B018 - reading the footer validates it
            except (pa.ArrowException, OSError):
                raise InputError(N_("the file is not a readable Parquet file")) from None
            self._parquet_to_parquet(source, out, progress)
        else:
            self._csv_to_parquet(source, out, progress)
        files = tuple(parquet_files(out))
        rows = sum(pq.ParquetFile(f).metadata.num_rows for f in files)
        schema = pq.read_schema(files[0]) if files else pa.schema([])
        return ParquetInfo(files=files, rows=rows, schema=schema)

    @final
    def map_partitions(
        self,
        job: Job[C],
        inputs: Path,
        out: Path,
        *,
        context: C,
        schema: Any,
        progress: ProgressCallback | None = None,
    ) -> list[Path]:
        """Run ``job`` on every partition of the Parquet dataset ``inputs`` and write its
        output, cast to ``schema``, as Parquet files in ``out`` (a new or empty
        directory); return the files written.

        ``job`` must be a module-level function and ``context`` picklable plain data:
        both travel to worker processes (or cluster executors). A
        :class:`~baken.core.errors.DomainError` that the job raises reaches the caller
        with its message and parameters.
        """
        if "<" in getattr(job, "__qualname__", "<"):
            raise TypeError("a batch job must be a module-level function")
        files = parquet_files(inputs)
        _empty_dir(out)
        return self._map(job, files, out, context, schema, progress)

    @final
    def sql(self, query: str, tables: Mapping[str, Path], params: Sequence[object] = ()) -> Any:
        """Run ``query`` with each name in ``tables`` bound to that Parquet dataset (a
        file or a directory of files); values go in as ``?`` parameters. Returns a
        ``pa.Table``."""
        for name, path in tables.items():
            if not parquet_files(path):
                raise ValueError(f"no Parquet files for table {name!r} at {path}")
        return self._sql(query, tables, params)

    @final
    @contextmanager
    def linkage_api(self) -> Iterator[Any]:
        """A splink ``DatabaseAPI`` for one linkage job, released when the block ends.

        Inside the block, a failure of the engine itself (a cluster lost mid-job) raises
        :class:`EngineError`; the job's own errors pass through unchanged.
        """
        with self._linkage_api() as api:
            yield api

    @abstractmethod
    def _linkage_api(self) -> AbstractContextManager[Any]:
        """Open a splink database API on this engine; close it on exit, and turn engine
        failures inside the block into :class:`EngineError`."""

    @abstractmethod
    def _csv_to_parquet(self, source: Path, out: Path, progress: ProgressCallback | None) -> None:
        """Write the CSV ``source`` as Parquet into ``out``, every column as text."""

    @abstractmethod
    def _parquet_to_parquet(
        self, source: Path, out: Path, progress: ProgressCallback | None
    ) -> None:
        """Rewrite the Parquet ``source`` into ``out`` in partition-sized row groups."""

    @abstractmethod
    def _map(
        self,
        job: Job[C],
        files: list[Path],
        out: Path,
        context: C,
        schema: Any,
        progress: ProgressCallback | None,
    ) -> list[Path]:
        """Run the job over every partition of ``files``; write and return the outputs."""

    @abstractmethod
    def _sql(self, query: str, tables: Mapping[str, Path], params: Sequence[object]) -> Any:
        """Run the query over the named Parquet datasets; return a ``pa.Table``."""


def get_engine(name: str, **options: Any) -> BatchEngine:
    """The engine called ``name`` (``local`` or ``spark``), built with ``options``."""
    try:
        target = ENGINES[name]
    except KeyError:
        raise ValueError(f"unknown batch engine {name!r}; known: {sorted(ENGINES)}") from None
    module_name, _, class_name = target.partition(":")
    engine_class = getattr(importlib.import_module(module_name), class_name)
    engine = engine_class(**options)
    assert isinstance(engine, BatchEngine)
    return engine


def _empty_dir(path: Path) -> None:
    path.mkdir(parents=True, exist_ok=True)
    if any(path.iterdir()):
        raise ValueError(f"output directory {path} is not empty")


__all__ = [
    "BatchEngine",
    "EngineError",
    "InputError",
    "Job",
    "ParquetInfo",
    "ProgressCallback",
    "get_engine",
    "parquet_files",
]
