"""Zip archives: refuse bombs, traversal and encryption before anything is decompressed.

The same checks guard DOCX and XLSX, which are zips read by libraries that trust them.
"""

from __future__ import annotations

import io
import re
import stat
import zipfile
from collections.abc import Iterator

from baken.holdings.extract.detect import declared_entries
from baken.holdings.extract.limits import MB, Limits
from baken.holdings.types import Child, Extracted, Quarantined

CHUNK = MB
RATIO_FLOOR = MB  # smaller members may compress well (a page of spaces) without suspicion
DRIVE = re.compile(r"^[A-Za-z]:")
CONTROL = re.compile(r"[\x00-\x1f\x7f]")
MAX_NAME = 255


def member_name(raw: str) -> str | None:
    """A safe relative name for an archive member; None for a directory entry.

    Raises ``unsafe_name`` for an absolute path, a drive letter or a ``..`` component,
    whichever separator spells it.
    """
    path = raw.replace("\\", "/")
    if "\x00" in path or path.startswith("/") or DRIVE.match(path):
        raise Quarantined("unsafe_name", f"member {raw!r}")
    parts = [part for part in path.split("/") if part not in ("", ".")]
    if ".." in parts:
        raise Quarantined("unsafe_name", f"member {raw!r}")
    if not parts or path.endswith("/"):
        return None
    return "/".join(CONTROL.sub("_", part) for part in parts)


def file_name(raw: str | None, fallback: str) -> str:
    """A plain file name from an untrusted one (an attachment's): its last component only."""
    if raw:
        last = raw.replace("\\", "/").rsplit("/", 1)[-1]
        last = CONTROL.sub("_", last).strip().lstrip(".")
        if last:
            return last[:MAX_NAME]
    return fallback


def open_zip(data: bytes, limits: Limits) -> zipfile.ZipFile:
    """Open ``data`` as a zip after checking what its directory declares."""
    entries = declared_entries(data)
    if entries is not None and entries > limits.max_members:
        raise Quarantined("too_many", f"{entries} members declared")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as exc:
        raise Quarantined("corrupt", f"not a readable zip: {exc}") from exc
    try:
        check_zip(archive, len(data), limits)
    except BaseException:
        archive.close()
        raise
    return archive


def check_zip(archive: zipfile.ZipFile, size: int, limits: Limits) -> None:
    """Refuse the whole archive for any member that is unsafe, encrypted or a bomb."""
    members = archive.infolist()
    if len(members) > limits.max_members:
        raise Quarantined("too_many", f"{len(members)} members")
    total = 0
    for info in members:
        member_name(info.filename)
        if info.flag_bits & 0x1:
            raise Quarantined("encrypted", f"member {info.filename!r}")
        total += info.file_size
        if info.file_size > RATIO_FLOOR and info.file_size > limits.max_ratio * max(
            info.compress_size, 1
        ):
            raise Quarantined(
                "zip_bomb",
                f"member {info.filename!r} expands {info.compress_size} to {info.file_size} bytes",
            )
    if total > limits.max_archive_total:
        raise Quarantined("zip_bomb", f"members declare {total} bytes in all")
    if total > RATIO_FLOOR and total > limits.max_ratio * max(size, 1):
        raise Quarantined("zip_bomb", f"{size} bytes expand to {total}")


def read_members(archive: zipfile.ZipFile, limits: Limits) -> Iterator[tuple[str, bytes]]:
    """Each file member's safe name and bytes, read in chunks against the limits.

    The directory was checked already; this counts what decompression really yields,
    because local headers and data can disagree with it.
    """
    total = 0
    for info in archive.infolist():
        name = member_name(info.filename)
        if name is None or stat.S_ISLNK(info.external_attr >> 16):
            continue  # directories carry no data; a symlink's data is a path we never follow
        chunks: list[bytes] = []
        size = 0
        with archive.open(info) as stream:
            while chunk := stream.read(CHUNK):
                size += len(chunk)
                total += len(chunk)
                if size > limits.max_bytes:
                    raise Quarantined("too_large", f"member {info.filename!r}")
                if total > limits.max_archive_total or (
                    size > RATIO_FLOOR and size > limits.max_ratio * max(info.compress_size, 1)
                ):
                    raise Quarantined("zip_bomb", f"member {info.filename!r} expands too far")
                chunks.append(chunk)
        yield name, b"".join(chunks)


def extract_zip(data: bytes, mime: str, limits: Limits) -> Extracted:
    with open_zip(data, limits) as archive:
        children = [Child(name=member, data=body) for member, body in read_members(archive, limits)]
    return Extracted(mime=mime, children=children, meta={"members": str(len(children))})
