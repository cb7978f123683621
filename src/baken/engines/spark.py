"""The Spark engine: the same batch jobs on an Apache Spark cluster.

Linkage jobs (xref, screening) run through splink's Spark backend; partition jobs run
through ``mapInArrow``; SQL through Spark SQL. Baken is the Spark *driver*: the Python
process that calls the engine starts a Spark application on the cluster, and the
cluster's executors do the work.

Pointing Baken at an existing cluster
-------------------------------------
Set ``BAKEN_SPARK_MASTER`` to the cluster's master URL; Baken then builds its engine as
``get_engine("spark", master=<that URL>)``, i.e. ``SparkEngine(master="spark://host:7077")``,
which is all a Spark standalone cluster needs. Any master URL that Spark accepts works
(``spark://h1:7077,h2:7077`` for standby masters, ``yarn``, ``k8s://…``, ``local[4]`` for
one machine without a cluster); only ``spark://`` masters are checked for reachability
before starting. On a cluster beyond this machine, also set the driver address (below).

What the cluster needs:

* Spark 4.x with the same major.minor version as the ``pyspark`` package in Baken's
  venv (4.3), Java 17 or 21 on every node;
* Python 3.11 with Baken's dependencies on every worker, at the path that
  ``python_executable`` names (default: this interpreter's path), for partition jobs;
  linkage jobs run as SQL with splink's Scala functions and need no Python on workers;
* the workers must be able to connect back to the driver: by default the driver binds
  to ``127.0.0.1`` (``driver_host``), which suits a cluster on the same machine, as in
  the tests; on a real cluster set ``driver_host`` to an address of this machine that
  the workers can reach;
* partition jobs and SQL read and write Parquet at the paths they are given, so on a
  real cluster those paths must be on storage that every node sees (a shared file
  system, HDFS or an object store).

Other settings of the engine: ``driver_memory``, ``executor_memory``, ``executor_cores``,
``max_cores`` (the application's share of the cluster), ``shuffle_partitions`` and any
other Spark property through ``conf``.

Failure
-------
Before starting, the engine connects to the master (``connect_timeout``) and then waits
for at least one executor (``executor_timeout``); either failing raises
:class:`~baken.engines.EngineError` at once instead of a silent wait. During a job, a
watchdog thread watches the executors: when the application has had none for
``lost_timeout`` seconds (the cluster died, or its workers did), it cancels the running
Spark jobs, the engine raises :class:`~baken.engines.EngineError`, stops the Spark
application and starts a fresh one for the next job. A job's result is only returned
when all of it has been computed, so nothing partial is ever taken as final.
"""

from __future__ import annotations

import logging
import os
import socket
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pyarrow as pa  # type: ignore[import-untyped]

from baken.core.i18n import N_
from baken.engines import BatchEngine, EngineError, InputError, Job, ProgressCallback

log = logging.getLogger(__name__)

_POLL_SECONDS = 0.5


class SparkEngine(BatchEngine):
    """Batch work on the Spark cluster at ``master`` (see the module docstring)."""

    name = "spark"

    def __init__(
        self,
        master: str,
        *,
        app_name: str = "baken",
        driver_host: str = "127.0.0.1",
        driver_memory: str = "1g",
        executor_memory: str = "1g",
        executor_cores: int | None = None,
        max_cores: int | None = None,
        shuffle_partitions: int = 8,
        python_executable: str | None = None,
        local_dir: Path | None = None,
        connect_timeout: float = 5.0,
        executor_timeout: float = 60.0,
        lost_timeout: float = 10.0,
        conf: Mapping[str, str] | None = None,
    ) -> None:
        if not master:
            raise ValueError("a Spark master URL is needed, e.g. spark://127.0.0.1:7077")
        self.master = master
        self.app_name = app_name
        self.driver_host = driver_host
        self.driver_memory = driver_memory
        self.executor_memory = executor_memory
        self.executor_cores = executor_cores
        self.max_cores = max_cores
        self.shuffle_partitions = shuffle_partitions
        self.python_executable = python_executable or sys.executable
        self.local_dir = local_dir
        self.connect_timeout = connect_timeout
        self.executor_timeout = executor_timeout
        self.lost_timeout = lost_timeout
        self.conf = dict(conf or {})
        self._session: Any = None
        self._scratch: tempfile.TemporaryDirectory[str] | None = None
        self._lock = threading.Lock()

    # -- the Spark application --------------------------------------------------------

    def session(self) -> Any:
        """The engine's ``SparkSession``, started on first use (connect check first)."""
        with self._lock:
            if self._session is not None and not _stopped(self._session):
                return self._session
            self._stop()  # an application stopped under us (by another engine): tidy up
            self._check_master()
            self._session = self._start()
            try:
                self._wait_for_executors(self._session)
            except EngineError:
                self._stop()
                raise
            return self._session

    def close(self) -> None:
        """Stop the Spark application (the next job starts a new one)."""
        with self._lock:
            self._stop()

    def _stop(self) -> None:
        if self._session is not None:
            try:
                self._session.stop()
            except Exception:  # a dead JVM or cluster: nothing left to stop
                log.debug("stopping the Spark session failed", exc_info=True)
            self._session = None
        if self._scratch is not None:
            self._scratch.cleanup()
            self._scratch = None

    def _check_master(self) -> None:
        parts = urlsplit(self.master)
        if parts.scheme != "spark":
            return
        hosts = [h for h in parts.netloc.split(",") if h]
        for host in hosts:
            name, _, port = host.rpartition(":")
            try:
                with socket.create_connection((name, int(port)), timeout=self.connect_timeout):
                    return
            except (OSError, ValueError):
                continue
        raise EngineError(N_("the Spark master at {master} cannot be reached"), master=self.master)

    def _start(self) -> Any:
        from pyspark import SparkContext
        from pyspark.sql import SparkSession
        from splink.backends.spark import similarity_jar_location

        # One Spark application per process: a context left by another engine goes.
        active = SparkContext._active_spark_context
        if active is not None:
            active.stop()
        self._scratch = tempfile.TemporaryDirectory(prefix="baken-spark-", dir=self.local_dir)
        settings = {
            "spark.app.name": self.app_name,
            # Loopback (or the given address) only; no web UI.
            "spark.driver.host": self.driver_host,
            "spark.driver.bindAddress": self.driver_host,
            "spark.ui.enabled": "false",
            "spark.ui.showConsoleProgress": "false",
            "spark.driver.memory": self.driver_memory,
            "spark.executor.memory": self.executor_memory,
            "spark.local.dir": self._scratch.name,
            "spark.sql.shuffle.partitions": str(self.shuffle_partitions),
            "spark.default.parallelism": str(self.shuffle_partitions),
            "spark.sql.session.timeZone": "UTC",
            "spark.sql.execution.arrow.pyspark.enabled": "true",
            "spark.pyspark.python": self.python_executable,
            # splink's Scala similarity functions (jaro_winkler, ...).
            "spark.jars": similarity_jar_location(),
            # Fail rather than hang: short network timeouts, few retries.
            "spark.network.timeout": "30s",
            "spark.network.timeoutInterval": "5s",
            "spark.executor.heartbeatInterval": "3s",
            "spark.task.maxFailures": "2",
            "spark.stage.maxConsecutiveAttempts": "2",
        }
        if self.executor_cores:
            settings["spark.executor.cores"] = str(self.executor_cores)
        if self.max_cores:
            settings["spark.cores.max"] = str(self.max_cores)
        settings.update(self.conf)
        # pyspark tells executors which Python to run from the driver's environment
        # (not from spark.pyspark.python): without it they start a bare "python3".
        os.environ["PYSPARK_PYTHON"] = self.python_executable
        builder = SparkSession.builder.master(self.master)
        for key, value in settings.items():
            builder = builder.config(key, value)
        try:
            session = builder.getOrCreate()
        except Exception as exc:
            raise EngineError(
                N_("the Spark application could not start on {master}: {reason}"),
                master=self.master,
                reason=_first_line(exc),
            ) from None
        session.sparkContext.setLogLevel("ERROR")
        return session

    def _on_cluster(self) -> bool:
        """Executors of their own (not ``local[...]``, where the driver does the work)."""
        return urlsplit(self.master).scheme in ("spark", "yarn", "k8s") or self.master == "yarn"

    def _wait_for_executors(self, session: Any) -> None:
        if not self._on_cluster():
            return
        deadline = time.monotonic() + self.executor_timeout
        while _executors(session) == 0:
            if _stopped(session) or time.monotonic() > deadline:
                raise EngineError(
                    N_("the Spark cluster at {master} gave no executors within {seconds} s"),
                    master=self.master,
                    seconds=int(self.executor_timeout),
                )
            time.sleep(_POLL_SECONDS)

    @contextmanager
    def _guard(self) -> Iterator[Any]:
        """Run a job on the session; a watchdog cancels it when the cluster is gone."""
        session = self.session()
        lost = threading.Event()
        done = threading.Event()
        needs_executors = self._on_cluster()

        def watch() -> None:
            since: float | None = None
            while not done.wait(_POLL_SECONDS):
                try:
                    gone = _stopped(session) or (needs_executors and _executors(session) == 0)
                except Exception:  # the JVM itself is gone
                    gone = True
                if not gone:
                    since = None
                    continue
                since = since or time.monotonic()
                if time.monotonic() - since >= self.lost_timeout:
                    # Keep cancelling: a job submitted after the first cancel would
                    # otherwise wait forever for executors that will not come.
                    lost.set()
                    try:
                        session.sparkContext.cancelAllJobs()
                    except Exception:  # the application may be gone already
                        log.debug("cancelling Spark jobs failed", exc_info=True)

        watchdog = threading.Thread(target=watch, name="spark-watchdog", daemon=True)
        watchdog.start()
        try:
            yield session
        except Exception as exc:
            if lost.is_set() or _gone(session, needs_executors):
                self.close()
                raise EngineError(
                    N_("the Spark cluster at {master} was lost during the job; run it again"),
                    master=self.master,
                ) from exc
            raise
        finally:
            done.set()
            watchdog.join()
        if lost.is_set():  # cancelled, yet the job returned: do not trust its result
            self.close()
            raise EngineError(
                N_("the Spark cluster at {master} was lost during the job; run it again"),
                master=self.master,
            )

    # -- the hooks --------------------------------------------------------------------

    @contextmanager
    def _linkage_api(self) -> Iterator[Any]:
        from splink import SparkAPI

        with self._guard() as session:
            # persist: splink's intermediate tables stay in executor memory, so no
            # checkpoint directory on shared storage is needed.
            api = SparkAPI(spark_session=session, break_lineage_method="persist")  # type: ignore[no-untyped-call]
            try:
                yield api
            finally:
                _clean(session)

    def _csv_to_parquet(self, source: Path, out: Path, progress: ProgressCallback | None) -> None:
        from baken.engines.local import sniff_delimiter

        delimiter = sniff_delimiter(source)
        with self._guard() as session:
            try:
                frame = session.read.csv(
                    str(source),
                    header=True,
                    sep=delimiter,
                    quote='"',
                    escape='"',
                    encoding="UTF-8",
                    inferSchema=False,
                    mode="FAILFAST",
                )
                frame.write.mode("append").parquet(str(out))
            except Exception as exc:
                if _gone(session, self._on_cluster()):
                    raise
                raise InputError(
                    N_("the file cannot be read as CSV: {problem}"), problem=_first_line(exc)
                ) from None
        _report(progress)

    def _parquet_to_parquet(
        self, source: Path, out: Path, progress: ProgressCallback | None
    ) -> None:
        with self._guard() as session:
            session.read.parquet(str(source)).write.mode("append").parquet(str(out))
        _report(progress)

    def _map(
        self,
        job: Job[Any],
        files: list[Path],
        out: Path,
        context: Any,
        schema: Any,
        progress: ProgressCallback | None,
    ) -> list[Path]:
        from pyspark.sql.pandas.types import from_arrow_schema

        if not files:
            return []
        run = _PartitionRun(job, context, schema)
        with self._guard() as session:
            frame = session.read.parquet(*[str(f) for f in files])
            try:
                frame.mapInArrow(run, from_arrow_schema(schema)).write.mode("append").parquet(
                    str(out)
                )
            except Exception as exc:
                if _gone(session, self._on_cluster()):
                    raise
                raise EngineError(
                    N_("the batch job failed on the Spark cluster: {reason}"),
                    reason=_first_line(exc),
                ) from None
        _report(progress)
        return sorted(out.glob("*.parquet"))

    def _sql(self, query: str, tables: Mapping[str, Path], params: Sequence[object]) -> Any:
        from baken.engines import parquet_files

        with self._guard() as session:
            for name, path in tables.items():
                session.read.parquet(
                    *[str(f) for f in parquet_files(path)]
                ).createOrReplaceTempView(name)
            try:
                frame = session.sql(query, args=list(params)) if params else session.sql(query)
                return frame.toArrow()
            finally:
                for name in tables:
                    session.catalog.dropTempView(name)


class _PartitionRun:
    """The function ``mapInArrow`` ships to executors: the job over each batch, cast to
    the declared schema. A class, so it pickles with plain data."""

    def __init__(self, job: Job[Any], context: Any, schema: Any) -> None:
        self.job = job
        self.context = context
        self.schema = schema

    def __call__(self, batches: Iterator[Any]) -> Iterator[Any]:
        for batch in batches:
            result = self.job(batch, self.context)
            table = result if isinstance(result, pa.Table) else pa.Table.from_batches([result])
            yield from table.cast(self.schema).to_batches()


def _executors(session: Any) -> int:
    """Live executors of the application (the driver is listed too; not counted)."""
    infos = session.sparkContext.statusTracker().getExecutorInfos()
    return max(0, len(infos) - 1)


def _stopped(session: Any) -> bool:
    try:
        return bool(session.sparkContext._jsc.sc().isStopped())
    except Exception:  # no JVM to ask: as good as stopped
        return True


def _gone(session: Any, needs_executors: bool) -> bool:
    """The application is stopped or (on a cluster) has no executor left."""
    try:
        return _stopped(session) or (needs_executors and _executors(session) == 0)
    except Exception:  # no JVM to ask: gone
        return True


def _clean(session: Any) -> None:
    """Drop what a linkage job left in the session: cached tables and temp views
    (splink names its tables per job, but the inputs' names repeat)."""
    try:
        session.catalog.clearCache()
        for table in session.catalog.listTables():
            if table.isTemporary:
                session.catalog.dropTempView(table.name)
    except Exception:  # the cluster may be gone already
        log.debug("cleaning the Spark session failed", exc_info=True)


def _report(progress: ProgressCallback | None) -> None:
    if progress:
        progress(1, 1)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0][:300] if text else type(exc).__name__


__all__ = ["SparkEngine"]
