"""DOCX and XLSX: zips of XML read by libraries that trust them, so we check first.

The zip is checked for bombs and traversal like any archive, and every part is scanned
(bounded, streamed) for a document type declaration: Office never writes one, and
entity definitions are how an XML bomb expands.
"""

from __future__ import annotations

import codecs
import io
import json
import zipfile
from collections.abc import Iterator
from typing import IO

import docx
import openpyxl  # type: ignore[import-untyped]
from docx.table import Table

from baken.holdings.extract.archive import CHUNK, member_name, open_zip
from baken.holdings.extract.limits import Limits, TextBuffer
from baken.holdings.types import Extracted, Quarantined

DTD_MARKERS = ("<!doctype", "<!entity")
OVERLAP = 16  # longer than a marker, so one split across two chunks is still seen
MAX_CELLS = 50_000_000  # empty padding cells count too: a sparse sheet must not spin forever

# How the first bytes of an XML part give away a non-ASCII-compatible encoding.
XML_ENCODINGS: tuple[tuple[bytes, str], ...] = (
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"<\x00\x00\x00", "utf-32-le"),
    (b"\x00\x00\x00<", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
    (b"<\x00", "utf-16-le"),
    (b"\x00<", "utf-16-be"),
)


def refuse_dtd(archive: zipfile.ZipFile) -> None:
    """Raise ``xml_bomb`` if any part declares a DOCTYPE or an ENTITY."""
    for info in archive.infolist():
        if member_name(info.filename) is None:
            continue
        with archive.open(info) as stream:
            if _declares_dtd(stream):
                raise Quarantined("xml_bomb", f"part {info.filename!r} declares a DTD")


def _declares_dtd(stream: IO[bytes]) -> bool:
    first = stream.read(CHUNK)
    encoding = next((enc for bom, enc in XML_ENCODINGS if first.startswith(bom)), "latin-1")
    decoder = codecs.getincrementaldecoder(encoding)("replace")
    tail = ""
    chunk: bytes = first
    while chunk:
        window = tail + decoder.decode(chunk).lower()
        if any(marker in window for marker in DTD_MARKERS):
            return True
        tail = window[-OVERLAP:]
        chunk = stream.read(CHUNK)
    return False


def _checked_archive(data: bytes, limits: Limits) -> None:
    with open_zip(data, limits) as archive:
        refuse_dtd(archive)


def _table_rows(table: Table) -> Iterator[str]:
    for row in table.rows:
        seen: set[int] = set()
        cells: list[str] = []
        for cell in row.cells:
            if id(cell._tc) in seen:  # a merged cell repeats for every grid column it spans
                continue
            seen.add(id(cell._tc))
            if text := " ".join(cell.text.split()):
                cells.append(text)
        if cells:
            yield "\t".join(cells)


def extract_docx(data: bytes, mime: str, limits: Limits) -> Extracted:
    _checked_archive(data, limits)
    document = docx.Document(io.BytesIO(data))
    buffer = TextBuffer(limits.max_text_chars)
    for block in document.iter_inner_content():
        lines = _table_rows(block) if isinstance(block, Table) else iter([block.text])
        if not all(buffer.add(line + "\n") for line in lines):
            break
    result = Extracted(mime=mime, text=buffer.text().strip())
    result.title = " ".join((document.core_properties.title or "").split()) or None
    if buffer.truncated:
        result.meta["truncated"] = "true"
    return result


def extract_xlsx(data: bytes, mime: str, limits: Limits) -> Extracted:
    _checked_archive(data, limits)
    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    buffer = TextBuffer(limits.max_text_chars)
    names: list[str] = []
    cells = 0
    try:
        for sheet in workbook.worksheets:
            names.append(str(sheet.title))
            if buffer.truncated or cells > MAX_CELLS:
                continue
            if hasattr(sheet, "reset_dimensions"):
                sheet.reset_dimensions()  # the declared size may lie; pad rows only to data
            buffer.add(f"{sheet.title}\n")
            for row in sheet.iter_rows(values_only=True):
                cells += max(len(row), 1)
                values = [str(value) for value in row if value is not None and value != ""]
                if values and not buffer.add("\t".join(values) + "\n"):
                    break
                if cells > MAX_CELLS:
                    buffer.truncated = True
                    break
            buffer.add("\n")
        title = workbook.properties.title
    finally:
        workbook.close()
    result = Extracted(
        mime=mime,
        text=buffer.text().strip(),
        meta={"sheets": json.dumps(names, ensure_ascii=False)},
    )
    result.title = " ".join(str(title or "").split()) or None
    if buffer.truncated:
        result.meta["truncated"] = "true"
    return result
