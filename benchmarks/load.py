"""Serving under load: many people at once against Baken on PostgreSQL (issue #12).

A throwaway PostgreSQL server, the real migrations, the ``default`` demo world, and
``baken serve --workers 2`` on loopback; then locust (``benchmarks/locustfile.py``)
signs in ``BAKEN_BENCH_LOAD_USERS`` demo users (default 200) of several roles, each
once, who search, open documents and entities, read products, work screening queues and
look up the register, pausing 1-5 s between pages, for ``BAKEN_BENCH_LOAD_SECONDS``
(default 600). Every answer is checked (status, signed in, the page asked for); the
target is zero errors.

Baseline, measured in the same run just before: one user at a time of each role, doing
the same work back to back without pauses (10-20 s each), its p50 per request type.

The server runs with ``BAKEN_RATE_LOGIN=100000/minute``: every user signs in from
127.0.0.1, which the default of 20 a minute per address would (rightly) refuse.

Locust runs as a subprocess: it patches the standard library with gevent on import.
Everything started here runs in its own process group and is stopped on the way out,
also after an error or Ctrl-C.
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console

from baken.testing.serving import wait_until_serving
from benchmarks.core import Row

ROOT = Path(__file__).resolve().parent.parent
LOCUSTFILE = Path(__file__).resolve().with_name("locustfile.py")
PG_SCRIPT = ROOT / "scripts" / "pg-test-server"
BIN = Path(sys.executable).parent
SECONDS = int(os.environ.get("BAKEN_BENCH_LOAD_SECONDS", "600"))
USERS = int(os.environ.get("BAKEN_BENCH_LOAD_USERS", "200"))
WORKERS = 2
RATE_LOGIN = "100000/minute"
PASSWORD = "bench-demowereld-wachtwoord"  # a throwaway demo world's
STARTUP_SECONDS = 300
AGGREGATED = "Aggregated"
# The user classes of the locustfile, one baseline run each.
ROLES = ("Analyst", "ScreeningOfficer", "EmployerOfficer", "Partner")


@dataclass(frozen=True)
class Stat:
    """One line of locust's ``_stats.csv``: a request type's count, failures and
    percentiles in milliseconds (None where locust wrote N/A: no requests)."""

    name: str
    requests: int
    failures: int
    p50: float | None
    p95: float | None
    p99: float | None
    rps: float


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def parse_stats(text: str) -> dict[str, Stat]:
    """Locust's ``PREFIX_stats.csv`` by request name (the total under ``Aggregated``;
    a method other than GET before the name)."""
    stats: dict[str, Stat] = {}
    for line in csv.DictReader(io.StringIO(text)):
        # GET is the rule; another method under the same name is a request type of its own.
        method = line["Type"]
        name = line["Name"] if method in ("GET", "") else f"{method} {line['Name']}"
        stats[name] = Stat(
            name=name,
            requests=int(line["Request Count"]),
            failures=int(line["Failure Count"]),
            p50=_number(line["50%"]),
            p95=_number(line["95%"]),
            p99=_number(line["99%"]),
            rps=float(line["Requests/s"]),
        )
    return stats


def merge_baselines(a: dict[str, Stat], b: dict[str, Stat]) -> dict[str, Stat]:
    """The baselines of several one-user runs: per name, the run with most requests."""
    merged = dict(a)
    for name, stat in b.items():
        if name not in merged or stat.requests > merged[name].requests:
            merged[name] = stat
    return merged


def _ms(value: float | None) -> str:
    return "–" if value is None else f"{value:,.0f}"


def load_rows(
    load: dict[str, Stat], baseline: dict[str, Stat], *, users: int, seconds: int
) -> list[Row]:
    """One row per request type and one for all requests: p50 / p95 / p99 under load
    beside the single user's p50; it holds only when that type had no error."""
    rows: list[Row] = []
    names = sorted(n for n in load if n != AGGREGATED)
    for name in [*names, AGGREGATED] if AGGREGATED in load else names:
        s = load[name]
        base = baseline.get(name)
        label = "all requests" if name == AGGREGATED else name
        note = f"{s.requests:,} requests, {s.failures:,} errors"
        if name == AGGREGATED:
            note += f", {s.rps:,.1f} requests/s"
        rows.append(
            Row(
                f"load, {users} users {seconds} s: {label} p50 / p95 / p99",
                f"{_ms(s.p50)} / {_ms(s.p95)} / {_ms(s.p99)} ms",
                f"{_ms(base.p50 if base else None)} ms (p50, 1 user)",
                note,
                target="0 errors",
                holds=s.failures == 0 and s.requests > 0,
            )
        )
    return rows


def failures(text: str, limit: int = 5) -> list[str]:
    """The first few lines of locust's ``PREFIX_failures.csv``, most frequent first."""
    lines = list(csv.DictReader(io.StringIO(text)))
    lines.sort(key=lambda r: -int(r["Occurrences"]))
    return [f"{r['Occurrences']}× {r['Name']}: {r['Error']}" for r in lines[:limit]]


ACCESS = re.compile(r'^INFO: +\S+ - ".*" ([1-4])\d\d ')
STARTUP = ("Started ", "Waiting for application startup", "Application startup complete")


def server_trouble(log: str, limit: int = 20) -> list[str]:
    """The server log's lines other than answered requests and start-up (a worker that
    died, a traceback, a 5xx): the first ``limit``."""
    trouble = []
    for line in log.splitlines()[2:]:  # after "Baken at ..." and "Uvicorn running ..."
        message = line.removeprefix("INFO:").strip()
        if line.strip() and not ACCESS.match(line) and not message.startswith(STARTUP):
            trouble.append(line)
    return trouble[:limit]


# --- the processes ---------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _stop_group(proc: subprocess.Popen[bytes], grace: float = 20) -> None:
    """End a process started with ``start_new_session`` and all its children."""
    if proc.poll() is not None:
        return
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=grace)
            return
        except subprocess.TimeoutExpired:
            continue


@contextmanager
def _postgres() -> Iterator[str]:
    # The server runs as its own user (root hands it to ``postgres``), who must be able
    # to reach its directory: not inside the bench's private temporary directory.
    parent = Path(tempfile.mkdtemp(prefix="baken-bench-load-pg-"))
    parent.chmod(0o755)
    folder = parent / "pg"
    script = str(PG_SCRIPT)
    try:
        url = subprocess.run(  # noqa: S603 - our own script, fixed arguments
            [script, "start", str(folder)],
            check=True,
            capture_output=True,
            text=True,
            timeout=300,
        ).stdout.strip()
        yield url
    finally:
        subprocess.run(  # noqa: S603 - our own script, fixed arguments
            [script, "stop", str(folder)], check=False, capture_output=True, timeout=120
        )
        shutil.rmtree(parent, ignore_errors=True)


def _baken(args: list[str], env: dict[str, str], console: Console, cwd: Path) -> None:
    """Run a ``baken`` command to its end, its output shown line by line."""
    proc = subprocess.Popen(  # noqa: S603 - our own command, fixed arguments
        [str(BIN / "baken"), *args],
        cwd=cwd,
        env=env | {"PYTHONUNBUFFERED": "1"},  # its lines as they come, not at the end
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        assert proc.stdout is not None
        for raw in proc.stdout:
            console.print(f"  [dim]{raw.decode(errors='replace').rstrip()}[/]", highlight=False)
        if proc.wait() != 0:
            raise RuntimeError(f"baken {' '.join(args)} exited with {proc.returncode}")
    finally:
        _stop_group(proc)


def _wait_until_up(proc: subprocess.Popen[bytes], url: str, log: Path) -> None:
    wait_until_serving(proc, url, log, STARTUP_SECONDS)


def _locust(
    url: str,
    prefix: Path,
    *,
    users: int,
    seconds: int,
    wait: bool,
    console: Console,
    classes: tuple[str, ...] = (),
) -> dict[str, Stat]:
    """One headless locust run (of only ``classes``, if given); its stats by name."""
    env = dict(os.environ, BAKEN_LOAD_PASSWORD=PASSWORD, BAKEN_LOAD_WAIT="1" if wait else "0")
    spawn_rate = max(1, min(users, 10))
    command = [
        str(BIN / "locust"),
        "-f",
        str(LOCUSTFILE),
        *classes,
        "--headless",
        "--host",
        url,
        "-u",
        str(users),
        "-r",
        str(spawn_rate),
        "-t",
        f"{seconds}s",
        "--stop-timeout",
        "30",  # a page in flight at the end is answered, not cut off
        "--csv",
        str(prefix),
        "--only-summary",
        "--loglevel",
        "WARNING",
        "--exit-code-on-error",
        "0",
    ]
    log = prefix.with_suffix(".log")
    with log.open("wb") as out:
        proc = subprocess.Popen(  # noqa: S603 - locust of this venv, fixed arguments
            command,
            cwd=prefix.parent,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            proc.wait(timeout=seconds + 120)
        finally:
            _stop_group(proc)
    stats_file = Path(f"{prefix}_stats.csv")
    if not stats_file.exists():
        raise RuntimeError(f"locust wrote no statistics:\n{log.read_text()[-3000:]}")
    failed = Path(f"{prefix}_failures.csv")
    for line in failures(failed.read_text(encoding="utf-8")) if failed.exists() else []:
        console.print(f"  [red]{line}[/]", highlight=False)
    return parse_stats(stats_file.read_text(encoding="utf-8"))


def run(tmp: Path, console: Console) -> list[Row]:
    work = Path(tmp) / "load"
    data = work / "data"
    data.mkdir(parents=True)
    with ExitStack() as stack:
        console.print("load: starting a throwaway PostgreSQL server")
        database_url = stack.enter_context(_postgres())
        # Only what this run means: no BAKEN_* of the caller's shell reaches Baken.
        env = {k: v for k, v in os.environ.items() if not k.startswith("BAKEN_")}
        env |= {
            "BAKEN_DATA_DIR": str(data),
            "BAKEN_DATABASE_URL": database_url,
            "BAKEN_RATE_LOGIN": RATE_LOGIN,
            "BAKEN_DEMO_PASSWORD": PASSWORD,
        }
        _baken(["db", "upgrade"], env, console, work)
        console.print("load: building the default demo world (several minutes)")
        started = time.monotonic()
        _baken(["demo", "--size", "default"], env, console, work)
        console.print(f"load: demo world built in {time.monotonic() - started:,.0f} s")
        port = _free_port()
        url = f"http://127.0.0.1:{port}"
        log = work / "server.log"
        with log.open("wb") as out:
            server = subprocess.Popen(  # noqa: S603 - our own command, fixed arguments
                [
                    str(BIN / "baken"),
                    "serve",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(port),
                    "--workers",
                    str(WORKERS),
                ],
                cwd=work,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        stack.callback(_stop_group, server)
        _wait_until_up(server, url, log)
        quiet = max(10, min(20, SECONDS // 10))
        baseline: dict[str, Stat] = {}
        for role in ROLES:
            console.print(f"load: baseline, one {role} without pauses for {quiet} s")
            alone = _locust(
                url,
                work / f"baseline-{role}",
                users=1,
                seconds=quiet,
                wait=False,
                console=console,
                classes=(role,),
            )
            baseline = merge_baselines(baseline, alone)
        console.print(f"load: {USERS} users for {SECONDS} s")
        load = _locust(url, work / "load", users=USERS, seconds=SECONDS, wait=True, console=console)
        for line in server_trouble(log.read_text(encoding="utf-8", errors="replace")):
            console.print(f"  [yellow]server: {line}[/]", highlight=False)
    return load_rows(load, baseline, users=USERS, seconds=SECONDS)
