"""Waiting for a ``baken serve`` started by a test or a benchmark to answer."""

from __future__ import annotations

import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path


class NotServing(RuntimeError):
    """The server exited or did not answer in time; the message ends with its log."""


def wait_until_serving(
    proc: subprocess.Popen[bytes], url: str, log: Path, seconds: float, *, every: float = 0.5
) -> None:
    """Return once ``url``/healthz answers 200; raise :class:`NotServing` if the process
    exits first or ``seconds`` pass."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise NotServing(f"baken serve exited with {proc.returncode}:\n{_tail(log)}")
        try:
            # Our own http://127.0.0.1 URL, no other scheme.
            with urllib.request.urlopen(f"{url}/healthz", timeout=5) as answer:  # noqa: S310
                if answer.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(every)
    raise NotServing(f"baken serve did not answer within {seconds:.0f} s:\n{_tail(log)}")


def _tail(log: Path) -> str:
    try:
        return log.read_text(encoding="utf-8", errors="replace")[-3000:]
    except OSError:
        return "(no log)"
