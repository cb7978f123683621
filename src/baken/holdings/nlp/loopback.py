"""Keep Frog's server on the loopback interface.

Frog 0.20's server mode binds every interface and has no option to bind one. Each
connection forks an ~800 MB child, so an open port is a denial of service and exposes a
C++ text parser to the network. Baken therefore starts Frog with a tiny preload library
(``loopback_bind.c``, compiled once with the system C compiler into a cache directory)
that rewrites every IPv4/IPv6 ``bind`` to 127.0.0.1 / ::1, and checks in ``/proc`` that
the port really listens on loopback only before using it. Without a compiler, or if the
check fails, Frog is not used (fail closed: Dutch falls back to the gazetteers).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
from importlib import resources
from pathlib import Path

LOOPBACK = {"0100007F", "00000000000000000000000001000000"}  # 127.0.0.1, ::1 in /proc
LISTEN = "0A"


class LoopbackError(RuntimeError):
    """The preload library cannot be built, or a port listens beyond loopback."""


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "baken"


def library() -> Path:
    """The compiled preload library (built on first use; rebuilt when the source changes)."""
    source = resources.files(__package__).joinpath("loopback_bind.c").read_bytes()
    digest = hashlib.sha256(source).hexdigest()[:16]
    target = _cache_dir() / f"libbaken_loopback_bind-{digest}.so"
    if target.is_file():
        return target
    compiler = shutil.which("cc") or shutil.which("gcc")
    if compiler is None:
        raise LoopbackError("no C compiler to build the loopback preload library")
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent) as tmp:
        src = Path(tmp) / "loopback_bind.c"
        src.write_bytes(source)
        out = Path(tmp) / target.name
        result = subprocess.run(  # noqa: S603 - the compiler and our own source
            [compiler, "-shared", "-fPIC", "-O2", "-o", str(out), str(src), "-ldl"],
            capture_output=True,
            check=False,
            timeout=120,
        )
        if result.returncode != 0:
            raise LoopbackError(result.stderr.decode("utf-8", "replace")[-500:])
        os.replace(out, target)  # atomic: concurrent builders end with the same file
    return target


def listening_addresses(port: int) -> set[str]:
    """The local addresses (as /proc writes them) of sockets listening on ``port``."""
    found: set[str] = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            cols = line.split()
            address, _, hex_port = cols[1].partition(":")
            if int(hex_port, 16) == port and cols[3] == LISTEN:
                found.add(address)
    return found


def check_loopback_only(port: int) -> None:
    addresses = listening_addresses(port)
    if not addresses or addresses - LOOPBACK:
        raise LoopbackError(f"port {port} listens on {sorted(addresses)}, not loopback only")
