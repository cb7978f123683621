"""Ingest survives kill -9 at any point: run again, and no document is lost or stored
twice, the blob store holds each content once and the audit chain still verifies."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from baken.core import audit
from baken.core.db import transaction
from baken.holdings.models import Document, IndexOutbox, Statement
from tests.holdings.conftest import World, write

BAKEN = str(Path(sys.executable).parent / "baken")
FILES = 80


def _corpus(directory: Path) -> Path:
    files: dict[str, bytes | str] = {}
    for i in range(FILES):
        lang = "nl" if i % 2 else "en"
        text = (
            f"Notitie {i}: de AIVD volgt contacten tussen Rusland en bedrijven in Rotterdam."
            if lang == "nl"
            else f"Note {i}: analysts saw Iran target dissidents in Amsterdam and Berlin."
        )
        files[f"{lang}/doc-{i:03d}.txt"] = text * 5
    return write(directory, files)


def _run(world: World, corpus: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "BAKEN_DATA_DIR": str(world.settings.data_dir),
        "BAKEN_DATABASE_URL": world.settings.database_url,
        "BAKEN_FROG": "false",
        "BAKEN_WORKERS": "2",
    }
    return subprocess.Popen(
        [BAKEN, "ingest", str(corpus), "-c", "osint", "-u", "analist"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


@pytest.mark.timeout(600)
def test_kill_9_at_any_point_then_resume(world: World, tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "corpus")
    # Kills early (while registering), in the middle and late (while processing).
    for delay in (0.3, 1.5, 2.5, 3.5, 5.0):
        proc = _run(world, corpus)
        time.sleep(delay)
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=60)
    proc = _run(world, corpus)
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err.decode()
    with transaction(world.factory) as session:
        states = dict(
            session.execute(select(Document.state, func.count()).group_by(Document.state)).all()
        )
        keys = session.scalars(select(Document.source_key)).all()
        without_text = session.scalar(
            select(func.count()).select_from(Document).where(Document.text.is_(None))
        )
        ner = session.scalar(
            select(func.count(func.distinct(Statement.document_id))).where(
                Statement.origin == "ner"
            )
        )
        verified = audit.verify(session)
    assert states == {"done": FILES}, states
    assert len(keys) == len(set(keys)) == FILES
    assert without_text == 0
    assert ner == FILES  # every document has its statements, written once (content ids)
    blobs = [p for p in world.settings.blob_dir.rglob("*") if p.is_file() and p.suffix != ".tmp"]
    assert len(blobs) == FILES
    assert verified.ok


def test_two_processes_on_one_document_store_it_once(world: World) -> None:
    """Two web workers resume the same document a killed one left: both claim and work
    on it, the first stores, the second stores nothing (one set of statements)."""
    from baken.holdings import runtime
    from baken.holdings.blobs import BlobStore
    from baken.holdings.pipeline import STAGES, Task
    from baken.holdings.service import ingest

    text = "Notitie: de AIVD volgt contacten tussen Rusland en bedrijven in Rotterdam. " * 3
    with transaction(world.factory) as session:
        reg = ingest.register_bytes(
            session,
            principal=world.analyst,
            collection_id=world.osint,
            data=text.encode(),
            name="tweemaal.txt",
            blobs=BlobStore(world.settings.blob_dir),
            max_bytes=world.settings.ingest_max_bytes,
        )
    pipes = [runtime.pipeline(world.settings, world.factory) for _ in range(2)]
    task = Task(reg.document_id)
    work = []
    for pipe in pipes:  # both claim before either stores
        claimed = pipe._claim(task, STAGES)
        assert claimed is not None
        work.append(claimed)
    results = [pipe._work(doc, data, STAGES) for pipe, (doc, data) in zip(pipes, work, strict=True)]

    def statements() -> int:
        with transaction(world.factory) as session:
            query = select(func.count(Statement.id)).where(Statement.document_id == reg.document_id)
            return session.scalar(query) or 0

    def queued() -> int:
        with transaction(world.factory) as session:
            query = select(func.count(IndexOutbox.id)).where(
                IndexOutbox.object_id == f"doc:{reg.document_id}"
            )
            return session.scalar(query) or 0

    assert queued() == 1  # the registration's
    pipes[0]._store(task, work[0][0], results[0], STAGES)
    stored = statements()
    assert stored > 0
    assert pipes[1]._store(task, work[1][0], results[1], STAGES) == []
    assert statements() == stored
    # Queued for the index once by the store (besides its registration), not twice.
    assert queued() == 2
    with transaction(world.factory) as session:
        doc = session.get(Document, reg.document_id)
        assert doc is not None
        assert doc.state == "done"
        assert audit.verify(session).ok
