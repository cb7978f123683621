"""PostgreSQL goes away under a running ``baken serve`` and comes back. The test runs
its own throwaway server (``scripts/pg-test-server start``), so stopping it touches no
other test; it runs in the PostgreSQL pass only. While the database is down, reads and
writes are answered with a 503 and problem details (not a 500, not a hang); once it is
back, the same server process serves again by itself (``pool_pre_ping``), every
acknowledged write is there and the audit chain verifies."""

from __future__ import annotations

import os
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from baken.core.db import make_engine, make_sessionmaker, transaction
from baken.migrations import upgrade
from baken.notices.models import Notice
from tests.conftest import PG_URL, People, _fast
from tests.faults.conftest import MARKING, Server, Writer, chain_verifies, make_writer

pytestmark = pytest.mark.skipif(
    not PG_URL, reason="PostgreSQL pass only (the test starts its own server, once)"
)

ROOT = Path(__file__).resolve().parents[2]
BOUND = 20  # seconds: no answer may take longer, outage or not
OUTAGE = 2.0  # seconds the database stays down


def _bindir() -> Path:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"), key=lambda p: int(p.parts[-3]))
    assert found, "no pg_ctl"
    return found[-1].parent


def _pg_ctl(pgdir: Path, *args: str) -> None:
    """pg_ctl on the test's own server, as the user it runs as (scripts/pg-test-server)."""
    as_pg = ["runuser", "-u", "postgres", "--"] if os.getuid() == 0 else []
    subprocess.run(
        [
            *as_pg,
            str(_bindir() / "pg_ctl"),
            "-D",
            str(pgdir / "data"),
            "-s",
            "-w",
            "-t",
            "60",
            *args,
        ],
        cwd="/",
        check=True,
        timeout=90,
    )


@pytest.fixture
def own_pg(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    # Under /tmp: the postgres user must reach it (as in scripts/pg-test-server run).
    template = "/tmp/baken-pgfault.XXXXXX"  # noqa: S108 (mktemp makes it, mode 700)
    pgdir = Path(subprocess.check_output(["mktemp", "-d", template], text=True).strip())
    script = str(ROOT / "scripts" / "pg-test-server")
    try:
        url = subprocess.run(
            ["bash", script, "start", str(pgdir)],
            capture_output=True,
            text=True,
            check=True,
            timeout=120,
        ).stdout.strip()
        yield pgdir, url
    finally:
        subprocess.run(
            ["bash", script, "stop", str(pgdir)], capture_output=True, timeout=120, check=False
        )


@dataclass
class Seen:
    acked: list[str] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    bad: list[str] = field(default_factory=list)


def _traffic(server: Server, writer: Writer, stop: threading.Event, seen: Seen, name: str) -> None:
    with httpx.Client(base_url=server.url, timeout=BOUND) as client:
        i = 0
        while not stop.is_set():
            i += 1
            title = f"pg-{name}-{i:04d}"
            try:
                wrote = client.post(
                    "/api/v1/notices",
                    headers=writer.headers,
                    json={"title": title, "body": "Blijft dit staan?", "marking": MARKING},
                )
                read = client.get("/api/v1/notices", headers=writer.headers)
            except httpx.TimeoutException:
                seen.bad.append(f"no answer within {BOUND} s")
                return
            for answer in (wrote, read):
                seen.statuses[answer.status_code] = seen.statuses.get(answer.status_code, 0) + 1
                if answer.status_code == 503:
                    if answer.headers.get("content-type") != "application/problem+json":
                        seen.bad.append(f"503 without problem details: {answer.text[:200]}")
                elif answer.status_code not in (200, 201):
                    seen.bad.append(f"{answer.status_code}: {answer.text[:300]}")
            if wrote.status_code == 201:
                seen.acked.append(title)
            time.sleep(0.02)


@pytest.mark.timeout(180)
def test_postgres_restart_under_load(own_pg: tuple[Path, str], tmp_path: Path) -> None:
    pgdir, url = own_pg
    settings = _fast({"data_dir": tmp_path, "database_url": url})
    upgrade(settings)
    engine = make_engine(settings)
    factory = make_sessionmaker(engine)
    try:
        writer = make_writer(settings, factory, People(settings, factory))
        server = Server(settings, tmp_path / "server.log")
        stop, seen = threading.Event(), Seen()
        threads = [
            threading.Thread(target=_traffic, args=(server, writer, stop, seen, str(n)))
            for n in range(2)
        ]
        try:
            server.start()
            for thread in threads:
                thread.start()
            _wait(lambda: len(seen.acked) >= 5, "no writes before the outage")
            port = (pgdir / "port").read_text().strip()
            _pg_ctl(pgdir, "stop", "-m", "fast")
            time.sleep(OUTAGE)
            _wait(lambda: seen.statuses.get(503, 0) > 0, "no 503 during the outage")
            opts = (
                f"-c listen_addresses=127.0.0.1 -p {port} -k {pgdir} -c fsync=off -c autovacuum=off"
            )
            _pg_ctl(pgdir, "start", "-l", str(pgdir / "server.log"), "-o", opts)
            before = len(seen.acked)
            # The same server process takes writes again by itself.
            _wait(lambda: len(seen.acked) >= before + 5, "no writes after the outage")
            assert server.proc is not None
            assert server.proc.poll() is None  # not restarted
        finally:
            stop.set()
            for thread in threads:
                thread.join(timeout=BOUND * 2)
            server.stop()
        assert not seen.bad, seen.bad[:5]
        with transaction(factory) as session:
            titles = set(session.scalars(select(Notice.title)))
            assert session.scalar(select(func.count()).select_from(Notice)) == len(titles)
        assert set(seen.acked) <= titles
        chain_verifies(factory)
    finally:
        engine.dispose()


def _wait(condition: object, what: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, what
        time.sleep(0.05)
