"""Fault tests: a real ``baken serve`` on loopback over the test's own database, a
writer with an API token and a collection, and the checks every fault test ends with."""

from __future__ import annotations

import contextlib
import hashlib
import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from baken.core import audit, sessions
from baken.core.config import Settings
from baken.core.db import transaction
from baken.core.markings import Level, Marking, Service
from baken.core.principals import Principal
from baken.core.schemas import MarkingIn
from baken.holdings.models import Document
from baken.holdings.schemas import CollectionCreate
from baken.holdings.service import collections
from baken.testing.serving import NotServing, wait_until_serving
from tests.conftest import People

BAKEN = str(Path(sys.executable).with_name("baken"))
STARTUP_SECONDS = 120
MARKING = {"level": "DEP_VERTROUWELIJK", "owner": "JOINT"}


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class Server:
    """``baken serve`` in its own process group (``wrap`` runs it under another
    command, e.g. ``unshare``); stopped at the end of the test however it ends."""

    def __init__(
        self,
        settings: Settings,
        log: Path,
        wrap: Sequence[str] = (),
        workers: int = 1,
        args: Sequence[str] = (),
        env: dict[str, str] | None = None,
    ) -> None:
        self.settings, self.log, self.wrap, self.workers = settings, log, list(wrap), workers
        self.args, self.extra_env = list(args), env or {}
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen[bytes] | None = None

    def env(self) -> dict[str, str]:
        s = self.settings
        env = {k: v for k, v in os.environ.items() if not k.startswith("BAKEN_")}
        return (
            env
            | {
                "BAKEN_DATA_DIR": str(s.data_dir),
                "BAKEN_DATABASE_URL": s.database_url,
                "BAKEN_ARGON2_TIME_COST": str(s.argon2_time_cost),
                "BAKEN_ARGON2_MEMORY_KIB": str(s.argon2_memory_kib),
                "BAKEN_FROG": "false",
                "BAKEN_OCR": "false",
                "BAKEN_WORKERS": "1",
            }
            | self.extra_env
        )

    def start(self) -> None:
        command = [*self.wrap, BAKEN, "serve", "--host", "127.0.0.1", "--port", str(self.port)]
        command += ["--workers", str(self.workers), *self.args]
        with self.log.open("ab") as out:
            self.proc = subprocess.Popen(
                command,
                cwd=self.settings.data_dir,
                env=self.env(),
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        try:
            wait_until_serving(self.proc, self.url, self.log, STARTUP_SECONDS, every=0.2)
        except NotServing as exc:
            pytest.fail(str(exc))

    def kill9(self) -> None:
        """SIGKILL to the whole process group (uvicorn and any workers)."""
        if self.proc is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=30)
        self.proc = None
        # No worker of the group survived: nothing answers on the port any more.
        with pytest.raises(httpx.TransportError):
            httpx.get(f"{self.url}/healthz", timeout=5)

    def stop(self) -> None:
        if self.proc is None:
            return
        with contextlib.suppress(ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(timeout=20)
        self.kill9()  # whatever of the group is left


@dataclass
class Writer:
    """An analyst with an API token and a collection to upload into."""

    settings: Settings
    factory: sessionmaker[Session]
    principal: Principal
    token: str
    collection_id: int

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


def make_writer(settings: Settings, factory: sessionmaker[Session], people: People) -> Writer:
    principal = people.add("schrijver", Level.STG_GEHEIM, service=Service.AIVD)
    with transaction(factory) as session:
        token, _ = sessions.create_token(session, principal=principal, name="fouten", days=1)
        collection_id = collections.create(
            session,
            principal=principal,
            data=CollectionCreate(
                name="fouten",
                title="Collectie fouten",
                legal_basis="open_source",
                acquired_on=date(2026, 1, 5),
                marking=MarkingIn.of(Marking.of("DEP_VERTROUWELIJK", Service.JOINT)),
            ),
        )
    settings.blob_dir.mkdir(parents=True, exist_ok=True)
    return Writer(settings, factory, principal, token, collection_id)


@pytest.fixture
def writer(settings: Settings, factory: sessionmaker[Session], people: People) -> Writer:
    return make_writer(settings, factory, people)


@pytest.fixture
def server(writer: Writer, tmp_path: Path) -> Iterator[Server]:
    # On PostgreSQL with two uvicorn workers: the kill must take the whole group.
    workers = 1 if writer.settings.is_sqlite else 2
    found = Server(writer.settings, tmp_path / "server.log", workers=workers)
    try:
        yield found
    finally:
        found.stop()


def upload(
    client: httpx.Client, writer: Writer, name: str, data: bytes, timeout: float = 30
) -> httpx.Response:
    return client.post(
        f"/api/v1/holdings/collections/{writer.collection_id}/documents",
        headers=writer.headers,
        files=[("files", (name, data, "text/plain"))],
        timeout=timeout,
    )


def blobs_intact(factory: sessionmaker[Session], blob_dir: Path) -> dict[str, int]:
    """Every document row's blob is there with the bytes of its hash, and no file under a
    final (hash) name holds other bytes; returns the count of documents per hash."""
    with transaction(factory) as session:
        rows = session.execute(select(Document.sha256, Document.id)).all()
    per_hash: dict[str, int] = {}
    for sha, _ in rows:
        if sha is not None:
            per_hash[sha] = per_hash.get(sha, 0) + 1
    for sha in per_hash:
        path = blob_dir / sha[:2] / sha[2:4] / sha
        assert path.is_file(), f"a document refers to the missing blob {sha}"
        assert hashlib.sha256(path.read_bytes()).hexdigest() == sha, f"blob {sha} is damaged"
    for path in blob_dir.rglob("*"):
        if path.is_file() and path.suffix != ".tmp":
            assert hashlib.sha256(path.read_bytes()).hexdigest() == path.name, path
    return per_hash


def chain_verifies(factory: sessionmaker[Session]) -> None:
    with transaction(factory) as session:
        result = audit.verify(session)
    assert result.ok, f"audit chain broken at {result.bad_seq}: {result.reason}"
