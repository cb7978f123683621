"""kill -9 of the web server in the middle of a stream of writes (document uploads into
the blob store, notices), at seeded random moments (twice; on PostgreSQL the first time
with two uvicorn workers, killed as a process group), each time restarted over the same
data: every acknowledged write is there and intact, the write in flight is
there completely or not at all, no row points at a missing blob, the audit chain
verifies, and the server takes new writes, finishes the interrupted ingest and removes
the spool folders of the uploads the kills cut off."""

from __future__ import annotations

import hashlib
import random
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from sqlalchemy import ColumnElement, func, select

from baken.core.db import transaction
from baken.core.models import AuditEntry
from baken.holdings.models import Document
from baken.holdings.pipeline import MAX_ATTEMPTS
from baken.holdings.routes import SPOOL_PREFIX, _alive
from baken.notices.models import Notice
from tests.faults.conftest import (
    MARKING,
    Server,
    Writer,
    blobs_intact,
    chain_verifies,
    upload,
)

ROUNDS = 2  # each restart costs seconds of CPU, and the suite runs two backends at once
SEED = 12
MAX_WRITES = 400  # per round: a bound, the kill comes long before


@dataclass
class Stream:
    """What the writing client saw: acknowledged writes, and the one in flight."""

    uploads: dict[str, str] = field(default_factory=dict)  # name -> sha256
    notices: list[str] = field(default_factory=list)  # titles
    in_flight: tuple[str, str] | None = None  # (kind, name or title), sha for uploads
    in_flight_sha: str | None = None
    failures: list[str] = field(default_factory=list)


def _write_until_killed(server: Server, writer: Writer, rnd: int, stream: Stream) -> None:
    rng = random.Random(f"{SEED}-{rnd}")
    with httpx.Client(base_url=server.url, timeout=30) as client:
        for i in range(MAX_WRITES):
            try:
                if i % 2 == 0:
                    name = f"r{rnd}-{i:03d}.txt"
                    words = " ".join(
                        rng.choice(("Rotterdam", "haven", "AIVD", "schip")) for _ in range(200)
                    )
                    data = f"Notitie {name}: {words}\n".encode()
                    sha = hashlib.sha256(data).hexdigest()
                    stream.in_flight, stream.in_flight_sha = ("upload", name), sha
                    answer = upload(client, writer, name, data)
                    ok = answer.status_code == 202
                    if ok:
                        stream.uploads[name] = sha
                else:
                    title = f"fout-r{rnd}-{i:03d}"
                    stream.in_flight, stream.in_flight_sha = ("notice", title), None
                    answer = client.post(
                        "/api/v1/notices",
                        headers=writer.headers,
                        json={"title": title, "body": "Na de crash nog hier?", "marking": MARKING},
                    )
                    ok = answer.status_code == 201
                    if ok:
                        stream.notices.append(title)
                if not ok:
                    stream.failures.append(f"{answer.status_code}: {answer.text[:300]}")
                    return
                stream.in_flight = None
            except httpx.TransportError:
                return  # the server is gone: what was in flight is undecided


def _count(writer: Writer, condition: ColumnElement[bool]) -> int:
    with transaction(writer.factory) as session:
        found = session.scalar(select(func.count()).where(condition))
    return int(found or 0)


def _every_write_audited_once(writer: Writer) -> None:
    """Rows and their audit entries were committed together: neither is there alone."""
    with transaction(writer.factory) as session:
        for action, ids in (
            ("document.ingest", session.scalars(select(Document.id))),
            ("notice.create", session.scalars(select(Notice.id))),
        ):
            rows = {str(i) for i in ids}
            audited = list(
                session.scalars(select(AuditEntry.object_id).where(AuditEntry.action == action))
            )
            assert sorted(a or "" for a in audited) == sorted(rows), action


@pytest.mark.timeout(240)
def test_kill_9_during_writes_loses_nothing_acknowledged(server: Server, writer: Writer) -> None:
    rng = random.Random(SEED)
    maybe: list[tuple[str, str, str | None]] = []
    streams: list[Stream] = []
    for rnd in range(ROUNDS):
        server.start()
        stream = Stream()
        thread = threading.Thread(target=_write_until_killed, args=(server, writer, rnd, stream))
        thread.start()
        # Wait for a seeded number of acknowledged writes, then a seeded few ms more.
        target = rng.randint(2, 6)
        deadline = time.monotonic() + 120  # a safety bound on a busy machine
        while len(stream.uploads) + len(stream.notices) < target and thread.is_alive():
            assert time.monotonic() < deadline, "the writes did not get going"
            time.sleep(0.005)
        time.sleep(rng.uniform(0, 0.05))
        server.kill9()
        thread.join(timeout=60)
        assert not thread.is_alive()
        assert not stream.failures, stream.failures
        if stream.in_flight is not None:
            maybe.append((*stream.in_flight, stream.in_flight_sha))
        streams.append(stream)
        server.workers = 1  # one round with workers is enough; each start costs seconds

    server.start()
    # Everything acknowledged is there, once.
    for stream in streams:
        for sha in stream.uploads.values():
            assert _count(writer, Document.sha256 == sha) == 1, sha
        for title in stream.notices:
            assert _count(writer, Notice.title == title) == 1, title
    # A write in flight is all or nothing (the blob alone, without a row, is harmless).
    for kind, key, flight_sha in maybe:
        if kind == "upload":
            assert flight_sha is not None
            assert _count(writer, Document.sha256 == flight_sha) in (0, 1), key
        else:
            assert _count(writer, Notice.title == key) in (0, 1), key
    blobs_intact(writer.factory, writer.settings.blob_dir)
    _every_write_audited_once(writer)
    chain_verifies(writer.factory)

    # The server takes new writes, and (started by that upload) finishes the ingest of
    # the documents the kills interrupted.
    with httpx.Client(base_url=server.url, timeout=30) as client:
        answer = upload(client, writer, "na-de-crash.txt", b"Notitie na de crash: Rotterdam.\n")
        assert answer.status_code == 202, answer.text
        # The spool folders of uploads the kills cut off are gone (holdings.routes).
        stale = [
            p
            for p in Path(tempfile.gettempdir()).glob(f"{SPOOL_PREFIX}*-*")
            if not _alive(int(p.name.removeprefix(SPOOL_PREFIX).split("-", 1)[0]))
        ]
        assert not stale, stale
        deadline = time.monotonic() + 120
        while True:
            with transaction(writer.factory) as session:
                open_ = session.scalar(
                    select(func.count()).where(Document.state.in_(("pending", "processing")))
                )
            if not open_:
                break
            assert time.monotonic() < deadline, f"{open_} documents still not ingested"
            time.sleep(0.5)
    with transaction(writer.factory) as session:
        states = dict(
            session.execute(select(Document.state, func.count()).group_by(Document.state)).all()
        )
        errors = set(session.scalars(select(Document.error).where(Document.state != "done")))
    # A document in the works at every kill counts as one that stopped the worker
    # (pipeline.MAX_ATTEMPTS): it fails with that reason, and is not left pending.
    assert set(states) <= {"done", "failed"}, states
    assert errors <= {f"stopped the worker {MAX_ATTEMPTS} times; not retried"}, errors
    chain_verifies(writer.factory)
