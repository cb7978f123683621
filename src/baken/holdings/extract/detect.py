"""What a file is: magic bytes first, the name second, a look at the bytes last."""

from __future__ import annotations

import io
import re
import struct
import zipfile
from pathlib import PurePosixPath

OCTET_STREAM = "application/octet-stream"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
ZIP = "application/zip"
OLE = "application/x-ole-storage"

# Signatures at offset 0, longest first where one is a prefix of another.
MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"PK\x03\x04", ZIP),
    (b"PK\x05\x06", ZIP),  # an empty archive
    (b"PK\x07\x08", ZIP),  # a spanned archive
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", OLE),
    (b"\x7fELF", "application/x-executable"),
    (b"\x1f\x8b", "application/gzip"),
    (b"7z\xbc\xaf\x27\x1c", "application/x-7z-compressed"),
    (b"Rar!\x1a\x07", "application/vnd.rar"),
    (b"\xfd7zXZ\x00", "application/x-xz"),
)

BY_SUFFIX: dict[str, str] = {
    ".pdf": "application/pdf",
    ".docx": DOCX,
    ".xlsx": XLSX,
    ".zip": ZIP,
    ".txt": "text/plain",
    ".text": "text/plain",
    ".md": "text/plain",
    ".log": "text/plain",
    ".csv": "text/csv",
    ".html": "text/html",
    ".htm": "text/html",
    ".xml": "application/xml",
    ".json": "application/json",
    ".eml": "message/rfc822",
    ".mbox": "application/mbox",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".tif": "image/tiff",
    ".tiff": "image/tiff",
}

# Parts whose presence names the kind of an Office Open XML (or OpenDocument) zip.
OOXML_PARTS: tuple[tuple[str, str], ...] = (
    ("word/document.xml", DOCX),
    ("xl/workbook.xml", XLSX),
    ("ppt/presentation.xml", PPTX),
)
SNIFF_MAX_ENTRIES = 100_000  # do not parse a larger central directory just to name the type

MBOX_FROM = re.compile(rb"From \S+ +\S[^\r\n]*\d{4}\r?\n")
HEADER_LINE = re.compile(rb"([A-Za-z0-9][A-Za-z0-9_-]*):[ \t]*[^\r\n]*\r?\n")
MAIL_HEADERS = frozenset(
    {
        b"from",
        b"to",
        b"subject",
        b"date",
        b"message-id",
        b"received",
        b"return-path",
        b"mime-version",
        b"delivered-to",
        b"cc",
        b"reply-to",
    }
)
HTML_START = re.compile(rb"\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.I | re.S)
XML_START = re.compile(rb"\s*<\?xml\b")


def detect(data: bytes, name: str) -> str:
    """A MIME type for ``data``; ``application/octet-stream`` when nothing fits."""
    head = data[:4096]
    for magic, mime in MAGIC:
        if head.startswith(magic):
            if mime == ZIP:
                return _zip_kind(data)
            return mime
    if b"%PDF-" in data[:1024]:
        return "application/pdf"
    text_head = head.removeprefix(b"\xef\xbb\xbf")
    if HTML_START.match(text_head):
        return "text/html"
    if XML_START.match(text_head):
        return "text/html" if re.search(rb"<html\b", text_head, re.I) else "application/xml"
    if MBOX_FROM.match(head):
        return "application/mbox"
    if _looks_like_mail(head):
        return "message/rfc822"
    by_name = BY_SUFFIX.get(PurePosixPath(name.replace("\\", "/")).suffix.lower())
    if by_name is not None:
        return by_name
    if _looks_like_text(head):
        return "text/plain"
    return OCTET_STREAM


def declared_entries(data: bytes) -> int | None:
    """The member count an archive's end record claims, read before zipfile parses them all."""
    eocd = data.rfind(b"PK\x05\x06", max(0, len(data) - 65_557))
    if eocd < 0 or eocd + 22 > len(data):
        return None
    (count,) = struct.unpack_from("<H", data, eocd + 10)
    locator = eocd - 20
    if count == 0xFFFF and locator >= 0 and data[locator : locator + 4] == b"PK\x06\x07":
        (offset,) = struct.unpack_from("<Q", data, locator + 8)
        if offset + 56 <= len(data) and data[offset : offset + 4] == b"PK\x06\x06":
            (count,) = struct.unpack_from("<Q", data, offset + 32)
    return int(count)


def _zip_kind(data: bytes) -> str:
    entries = declared_entries(data)
    if entries is None or entries > SNIFF_MAX_ENTRIES:
        return ZIP
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except Exception:  # any damage: the zip extractor reports it
        return ZIP
    for part, mime in OOXML_PARTS:
        if part in names:
            return mime
    return ZIP


def _looks_like_mail(head: bytes) -> bool:
    """A block of RFC 5322 header lines with at least two well-known mail headers."""
    known = 0
    position = 0
    for _ in range(64):
        match = HEADER_LINE.match(head, position)
        if match is None:
            break
        if match.group(1).lower() in MAIL_HEADERS:
            known += 1
        position = match.end()
        while head[position : position + 1] in (b" ", b"\t"):  # folded continuation lines
            end = head.find(b"\n", position)
            if end < 0:
                break
            position = end + 1
    return known >= 2 and position > 0


def _looks_like_text(head: bytes) -> bool:
    if not head or b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 3:  # not just a character cut off by the 4 KB window
            return False
    return True
