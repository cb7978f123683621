"""The in-process queue's back-pressure, and the PostgreSQL queue: ``baken ingest``
defers to Procrastinate and two ``baken worker`` processes (as on two machines) do the
work."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from sqlalchemy import func, select

from baken.core.db import transaction
from baken.holdings.models import Document
from baken.holdings.pipeline import Task
from baken.holdings.queue import LocalQueue
from tests.holdings.conftest import World, write

BAKEN = str(Path(sys.executable).parent / "baken")
PG = bool(os.environ.get("BAKEN_TEST_DATABASE_URL"))


@pytest.mark.skipif(not PG, reason="Procrastinate needs PostgreSQL: runs in the PostgreSQL pass")
@pytest.mark.timeout(600)
def test_ingest_through_procrastinate_workers(world: World, tmp_path: Path) -> None:
    corpus = write(
        tmp_path / "corpus",
        {f"doc-{i}.txt": f"Notitie {i} over Rusland en Rotterdam." for i in range(12)},
    )
    env = {
        **os.environ,
        "BAKEN_DATA_DIR": str(world.settings.data_dir),
        "BAKEN_DATABASE_URL": world.settings.database_url,
        "BAKEN_FROG": "false",
        "BAKEN_QUEUE": "procrastinate",
    }
    workers = [
        subprocess.Popen([BAKEN, "worker", "--concurrency", "1"], env=env, stderr=subprocess.PIPE)
        for _ in range(2)
    ]
    try:
        ingest = subprocess.run(
            [BAKEN, "ingest", str(corpus), "-c", "osint", "-u", "analist"],
            env=env,
            capture_output=True,
            timeout=300,
            check=False,
        )
        assert ingest.returncode == 0, ingest.stderr.decode()
    finally:
        for worker in workers:
            worker.terminate()
            worker.wait(timeout=30)
    with transaction(world.factory) as session:
        states = dict(
            session.execute(select(Document.state, func.count()).group_by(Document.state)).all()
        )
        jobs = session.execute(
            select(func.count()).select_from(Document).where(Document.ner_at.is_not(None))
        ).scalar()
    assert states == {"done": 12}
    assert jobs == 12


class _Gate:
    """Stands in for the pipeline in a test of the queue alone: each task waits for the
    gate, so the test controls when workers are busy."""

    def __init__(self) -> None:
        self.open = threading.Event()
        self.ran: list[int] = []
        self.submit: object = None

    def run(self, task: Task) -> str:
        self.open.wait(timeout=30)
        self.ran.append(task.document_id)
        return "done"


def test_local_queue_blocks_when_full_and_drains() -> None:
    gate = _Gate()
    queue = LocalQueue(gate, workers=1, maxsize=2)  # type: ignore[arg-type]
    try:
        for doc in (1, 2, 3):  # one running, two waiting: the queue is full
            queue.submit(Task(doc))
        blocked = threading.Thread(target=queue.submit, args=(Task(4),), daemon=True)
        blocked.start()
        blocked.join(timeout=0.5)
        assert blocked.is_alive()  # back-pressure: the fourth waits for room
        gate.open.set()
        blocked.join(timeout=30)
        queue.join()
        assert sorted(gate.ran) == [1, 2, 3, 4]
    finally:
        gate.open.set()
        queue.close()
