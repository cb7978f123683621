"""Content-addressed blob store: ``<root>/<aa>/<bb>/<sha256>``.

Writes go to a temporary file in the same directory, are fsynced and renamed into place,
so a crash leaves either the whole blob or none (a stray ``.tmp`` file is never read).
Storing the same content twice is a no-op.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

CHUNK = 1024 * 1024


def sha256_file(path: Path) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


class BlobStore:
    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, sha256: str) -> Path:
        if len(sha256) != 64 or not all(c in "0123456789abcdef" for c in sha256):
            raise ValueError("not a sha256 hex digest")
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def exists(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    def put_bytes(self, data: bytes) -> str:
        sha = hashlib.sha256(data).hexdigest()
        if not self.exists(sha):
            self._write(sha, iter((data,)))
        return sha

    def put_file(self, path: Path) -> tuple[str, int]:
        """Store a file by content; returns (sha256, size). Reads the file twice (hash,
        then copy) rather than holding it in memory."""
        sha, size = sha256_file(path)
        if not self.exists(sha):
            with path.open("rb") as fh:
                self._write(sha, _chunks(fh))
        return sha, size

    def read(self, sha256: str) -> bytes:
        return self.path(sha256).read_bytes()

    def open(self, sha256: str) -> BinaryIO:
        return self.path(sha256).open("rb")

    def _write(self, sha: str, chunks: Iterator[bytes]) -> None:
        target = self.path(sha)
        target.parent.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as out:
                for chunk in chunks:
                    digest.update(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            if digest.hexdigest() != sha:
                raise OSError(f"blob {sha} changed while it was being stored")
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


def _chunks(fh: BinaryIO) -> Iterator[bytes]:
    while chunk := fh.read(CHUNK):
        yield chunk
