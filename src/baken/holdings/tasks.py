"""The Procrastinate task that runs one pipeline step in a worker process."""

from __future__ import annotations

from typing import Any

from baken.core.config import Settings
from baken.core.db import make_engine, make_sessionmaker

_state: dict[str, Any] = {}


def _runtime(settings: Settings) -> Any:
    from baken.holdings import runtime
    from baken.holdings.feed import Feeder
    from baken.holdings.search import SearchIndex

    if "pipeline" not in _state:
        factory = make_sessionmaker(make_engine(settings))
        pipe = runtime.pipeline(settings, factory)
        _state["pipeline"] = pipe
        _state["feeder"] = Feeder(factory, SearchIndex(settings.index_dir))
    return _state["pipeline"], _state["feeder"]


def register(app: Any, settings: Settings) -> None:
    from baken.holdings.pipeline import Task
    from baken.holdings.queue import PROCRASTINATE_QUEUE

    @app.task(name="baken.holdings.process", queue=PROCRASTINATE_QUEUE)  # type: ignore[untyped-decorator]
    def process(document_id: int, stages: list[str], job_id: int | None) -> None:
        pipe, feeder = _runtime(settings)
        task = app.tasks["baken.holdings.process"]
        # Archive members found by a worker are deferred as tasks of their own.
        pipe.submit = lambda t: task.defer(
            document_id=t.document_id, stages=list(t.stages), job_id=t.job_id
        )
        pipe.run(Task(document_id, tuple(stages), job_id))
        feeder.try_sync()
