"""Building the ingest machinery from settings, once per process: the pipeline, the
queue the settings choose, and the index feeder. Used by the CLI, the web app and
``baken worker`` alike."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from functools import partial

from sqlalchemy.orm import Session, sessionmaker

from baken.core.config import Settings
from baken.holdings.blobs import BlobStore
from baken.holdings.extract import Limits
from baken.holdings.feed import Feeder
from baken.holdings.pipeline import Pipeline, Recogniser, Task
from baken.holdings.queue import LocalQueue, ProcrastinateQueue, TaskQueue
from baken.holdings.search import SearchIndex

_recognisers: dict[bool, Recogniser] = {}
_lock = threading.Lock()


def recogniser(frog: bool) -> Recogniser:
    """One recogniser per process (it owns the Frog server and the spaCy model)."""
    from baken.holdings.nlp import Recogniser as Nlp

    with _lock:
        if frog not in _recognisers:
            _recognisers[frog] = Nlp(frog=frog)
        return _recognisers[frog]


def close_recognisers() -> None:
    with _lock:
        for item in _recognisers.values():
            close = getattr(item, "close", None)
            if close is not None:
                close()
        _recognisers.clear()


def limits(settings: Settings) -> Limits:
    return Limits(max_bytes=settings.ingest_max_bytes, ocr=settings.ocr)


def pipeline(settings: Settings, factory: sessionmaker[Session]) -> Pipeline:
    return Pipeline(
        factory=factory,
        blobs=BlobStore(settings.blob_dir),
        limits=limits(settings),
        recogniser_factory=partial(recogniser, settings.frog),
        max_bytes=settings.ingest_max_bytes,
    )


@dataclass
class Runtime:
    pipeline: Pipeline
    queue: TaskQueue
    feeder: Feeder

    def submit(self, task: Task) -> None:
        self.queue.submit(task)

    def queue_pending(self) -> int:
        """Tasks submitted and not yet finished."""
        if isinstance(self.queue, LocalQueue):
            return self.queue.unfinished()
        if isinstance(self.queue, ProcrastinateQueue):
            return self.queue.queued()
        return 0

    def wait(self, seconds: float) -> None:
        time.sleep(seconds)

    def drain(self) -> None:
        """Wait until every submitted task ran and the index caught up."""
        self.queue.join()
        self.feeder.sync()

    def close(self) -> None:
        self.queue.close()


def start(settings: Settings, factory: sessionmaker[Session], *, local: bool = False) -> Runtime:
    """The machinery the settings choose; ``local`` forces in-process workers."""
    pipe = pipeline(settings, factory)
    feeder = Feeder(factory, SearchIndex(settings.index_dir))
    queue: TaskQueue
    if settings.queue == "procrastinate" and not local:
        queue = ProcrastinateQueue(settings)
        pipe.submit = queue.submit
    else:
        queue = LocalQueue(
            pipe,
            workers=settings.workers,
            maxsize=settings.queue_size,
            after_each=lambda task, state: feeder.nudge(),
            on_idle=feeder.try_sync,
        )
    return Runtime(pipe, queue, feeder)
