"""Who is using a data folder: the server and the workers share it, a restore takes it alone.

``baken serve`` and ``baken worker`` hold a shared ``flock`` on ``<data_dir>/baken.lock``
for as long as they run; ``baken restore`` needs it exclusively and is refused while any of
them runs (and they are refused to start while a restore runs). The kernel drops the lock
when a process ends, however it ends (``kill -9`` included), so a stale lock cannot stay.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import IO

from baken.core.config import Settings

LOCK_NAME = "baken.lock"


class InUse(Exception):
    """The data folder is held the other way: the message says by whom."""


def _open(settings: Settings) -> IO[str]:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return open(settings.data_dir / LOCK_NAME, "a+", encoding="utf-8")


def hold_shared(settings: Settings) -> IO[str]:
    """Take the folder for a server or worker; keep the returned file open while running.

    Raises :class:`InUse` while a restore holds it."""
    handle = _open(settings)
    try:
        fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        raise InUse(f"a restore is under way in {settings.data_dir}") from None
    return handle


@contextmanager
def exclusive(settings: Settings) -> Iterator[None]:
    """Hold the folder alone (a restore). Raises :class:`InUse` while a server or worker
    runs on it."""
    # A folder that is not there yet has no server; made here, it goes again if the
    # restore is refused, so a refusal leaves nothing behind.
    made = not settings.data_dir.exists()
    handle = _open(settings)
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise InUse(
                f"a Baken server or worker is running on {settings.data_dir}; stop it first"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"restore {os.getpid()}\n")
        handle.flush()
        yield
    except BaseException:
        if made:
            (settings.data_dir / LOCK_NAME).unlink(missing_ok=True)
            with suppress(OSError):
                settings.data_dir.rmdir()  # only if nothing else was put there
        raise
    finally:
        handle.close()
