"""Text extraction: bytes and a name in, an ``Extracted`` (or ``Quarantined``) out.

Each format has one handler, registered in ``FORMATS`` by MIME type. Whatever the bytes,
``extract`` either returns or raises ``Quarantined``: library errors become ``corrupt``.
Archives and mail hand their members back as children; the caller extracts each with
``depth + 1``, so the depth limit is enforced here, on the way in.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from baken.holdings.extract.archive import extract_zip
from baken.holdings.extract.detect import DOCX, OLE, XLSX, ZIP, detect
from baken.holdings.extract.image import extract_image
from baken.holdings.extract.limits import DEFAULT_LIMITS, Limits
from baken.holdings.extract.mail import extract_eml, extract_mbox
from baken.holdings.extract.ocr import ocr_available
from baken.holdings.extract.office import extract_docx, extract_xlsx
from baken.holdings.extract.pdf import extract_pdf
from baken.holdings.extract.text import extract_html, extract_text
from baken.holdings.types import Extracted, Quarantined

__all__ = [
    "DEFAULT_LIMITS",
    "FORMATS",
    "Limits",
    "detect",
    "extract",
    "extract_path",
    "ocr_available",
]

Handler = Callable[[bytes, str, Limits], Extracted]


@dataclass(frozen=True)
class Format:
    handler: Handler
    container: bool = False  # yields children, so counts toward the nesting depth


FORMATS: dict[str, Format] = {
    "application/pdf": Format(extract_pdf),
    DOCX: Format(extract_docx),
    XLSX: Format(extract_xlsx),
    ZIP: Format(extract_zip, container=True),
    "message/rfc822": Format(extract_eml, container=True),
    "application/mbox": Format(extract_mbox, container=True),
    "text/plain": Format(extract_text),
    "text/csv": Format(extract_text),
    "application/xml": Format(extract_text),
    "application/json": Format(extract_text),
    "text/html": Format(extract_html),
    "image/png": Format(extract_image),
    "image/jpeg": Format(extract_image),
    "image/tiff": Format(extract_image),
}

# The UTF-16 name of the stream holding a password-protected OOXML file inside OLE2.
ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
DETAIL_MAX = 300


def extract(data: bytes, name: str, limits: Limits = DEFAULT_LIMITS, depth: int = 0) -> Extracted:
    """Extract the text (and children) of one file, or raise ``Quarantined``."""
    if len(data) > limits.max_bytes:
        raise Quarantined("too_large", f"{len(data)} bytes, limit {limits.max_bytes}")
    mime = detect(data, name)
    kind = FORMATS.get(mime)
    if kind is None:
        if mime == OLE and ENCRYPTED_PACKAGE in data:
            raise Quarantined("encrypted", "a password-protected Office document")
        raise Quarantined("unknown_type", mime)
    if kind.container and depth > limits.max_depth:
        raise Quarantined("too_deep", f"depth {depth}, limit {limits.max_depth}")
    try:
        result = kind.handler(data, mime, limits)
    except Quarantined:
        raise
    except MemoryError:
        raise
    except Exception as exc:  # whatever a library makes of hostile bytes, it is damage
        detail = f"{type(exc).__name__}: {exc}"
        raise Quarantined("corrupt", detail[:DETAIL_MAX]) from exc
    result.mime = mime
    if len(result.text) > limits.max_text_chars:
        result.text = result.text[: limits.max_text_chars]
        result.meta["truncated"] = "true"
    return result


def extract_path(path: Path, limits: Limits = DEFAULT_LIMITS) -> Extracted:
    """Extract a file on disk, refusing one that is too large before reading a byte."""
    try:
        info = os.stat(path)
    except OSError as exc:
        raise Quarantined("corrupt", f"cannot stat: {exc.strerror}") from exc
    if not stat.S_ISREG(info.st_mode):
        raise Quarantined("unknown_type", "not a regular file")
    if info.st_size > limits.max_bytes:
        raise Quarantined("too_large", f"{info.st_size} bytes, limit {limits.max_bytes}")
    try:
        with open(path, "rb") as handle:
            data = handle.read(limits.max_bytes + 1)  # the file may have grown since stat
    except OSError as exc:
        raise Quarantined("corrupt", f"cannot read: {exc.strerror}") from exc
    return extract(data, path.name, limits)
