"""Background work for ingest: one interface, two queues.

* :class:`LocalQueue` — the embedded default: a pool of worker threads in this process
  over a bounded queue. ``submit`` blocks while the queue is full, so whoever registers
  files (the CLI, an upload) cannot run ahead of the workers (back-pressure).
* :class:`ProcrastinateQueue` — on PostgreSQL: tasks are Procrastinate jobs in the same
  database, run by ``baken worker`` on any number of machines. ``submit`` waits while
  more than ``max_pending`` tasks are queued.

Either way the queue carries only ``(document_id, stages, job_id)``; the state of the
work is in the documents table, so a resume re-submits what is unfinished.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from typing import Any, Protocol

from sqlalchemy.engine import make_url

from baken.core.config import Settings
from baken.holdings.pipeline import Pipeline, Task

log = logging.getLogger(__name__)

PROCRASTINATE_QUEUE = "holdings"


class TaskQueue(Protocol):
    def submit(self, task: Task) -> None: ...

    def join(self) -> None: ...

    def close(self) -> None: ...


class LocalQueue:
    """Worker threads in this process. ``after_each`` runs after every task (the index
    feeder's nudge); ``on_idle`` when the queue has drained."""

    def __init__(
        self,
        pipeline: Pipeline,
        *,
        workers: int = 2,
        maxsize: int = 64,
        after_each: Callable[[Task, str], object] | None = None,
        on_idle: Callable[[], object] | None = None,
    ) -> None:
        self.pipeline = pipeline
        self._queue: queue.Queue[Task | None] = queue.Queue(maxsize=maxsize)
        self._after_each = after_each
        self._on_idle = on_idle
        self._threads = [
            threading.Thread(target=self._work, name=f"baken-worker-{i}", daemon=True)
            for i in range(workers)
        ]
        pipeline.submit = self.submit
        for thread in self._threads:
            thread.start()

    def submit(self, task: Task) -> None:
        self._queue.put(task)  # blocks while full: back-pressure

    def unfinished(self) -> int:
        return self._queue.unfinished_tasks

    def _work(self) -> None:
        while True:
            task = self._queue.get()
            try:
                if task is None:
                    return
                state = self.pipeline.run(task)
                if self._after_each is not None:
                    self._after_each(task, state)
            except Exception:  # never let one task kill the worker
                log.exception("task %s", task)
            finally:
                self._queue.task_done()
                if self._on_idle is not None and self._queue.unfinished_tasks == 0:
                    self._on_idle()

    def join(self) -> None:
        self._queue.join()
        if self._on_idle is not None:
            self._on_idle()

    def close(self) -> None:
        for _ in self._threads:
            self._queue.put(None)
        for thread in self._threads:
            thread.join(timeout=30)


def conninfo(settings: Settings) -> str:
    """The libpq connection string of the database the settings name."""
    url = make_url(settings.database_url)
    if url.get_backend_name() != "postgresql":
        raise ValueError("the Procrastinate queue needs PostgreSQL")
    parts = {
        "host": url.host,
        "port": url.port,
        "dbname": url.database,
        "user": url.username,
        "password": url.password,
    }
    return " ".join(f"{k}={v}" for k, v in parts.items() if v is not None)


def procrastinate_app(settings: Settings) -> Any:
    """The Procrastinate app with Baken's task, on the settings' PostgreSQL database."""
    import procrastinate

    from baken.holdings import tasks

    app = procrastinate.App(connector=procrastinate.PsycopgConnector(conninfo=conninfo(settings)))
    tasks.register(app, settings)
    return app


def ensure_schema(app: Any) -> None:
    """Procrastinate's tables come with ``baken db upgrade`` (migration 0004)."""
    with app.connector.get_sync_connector().pool.connection() as conn:
        found = conn.execute("SELECT to_regclass('procrastinate_jobs')::text").fetchone()
    if found is None or found[0] is None:
        raise RuntimeError("the Procrastinate schema is missing: run `baken db upgrade`")


class ProcrastinateQueue:
    """Tasks deferred to Procrastinate; workers elsewhere run them (``baken worker``)."""

    def __init__(self, settings: Settings, *, max_pending: int = 1000) -> None:
        self.app = procrastinate_app(settings)
        self.app.open()
        ensure_schema(self.app)
        self.max_pending = max_pending
        self._task = self.app.tasks["baken.holdings.process"]

    def queued(self) -> int:
        with self.app.connector.get_sync_connector().pool.connection() as conn:
            row = conn.execute(
                "SELECT count(*) FROM procrastinate_jobs WHERE queue_name = %s"
                " AND status IN ('todo', 'doing')",
                (PROCRASTINATE_QUEUE,),
            ).fetchone()
        return int(row[0]) if row else 0

    def submit(self, task: Task) -> None:
        while self.queued() >= self.max_pending:  # back-pressure
            time.sleep(0.2)
        self._task.defer(document_id=task.document_id, stages=list(task.stages), job_id=task.job_id)

    def join(self) -> None:
        while self.queued():
            time.sleep(0.2)

    def close(self) -> None:
        self.app.close()
