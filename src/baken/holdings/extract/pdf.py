"""PDF: the text layer through pypdf, and OCR for pages that have none."""

from __future__ import annotations

import io
import tempfile
from contextlib import ExitStack
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError

from baken.holdings.extract import ocr
from baken.holdings.extract.limits import Limits, TextBuffer
from baken.holdings.types import Extracted, Quarantined

PAGE_BREAK = "\n\n"


def _open(data: bytes) -> PdfReader:
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        # Many PDFs are "encrypted" with an empty user password only to set permissions.
        if reader.is_encrypted and not reader.decrypt(""):
            raise Quarantined("encrypted", "a password is needed to open the PDF")
        if len(reader.pages) == 0:
            raise Quarantined("corrupt", "the PDF has no pages")
    except (DependencyError, FileNotDecryptedError) as exc:
        raise Quarantined("encrypted", str(exc)) from exc
    except PdfReadError as exc:
        raise Quarantined("corrupt", str(exc)) from exc
    return reader


def _title(reader: PdfReader) -> str | None:
    try:
        metadata = reader.metadata
        title = metadata.title if metadata is not None else None
    except Exception:  # a damaged info dictionary costs the title, not the document
        return None
    if not title:
        return None
    return " ".join(str(title).split()) or None


def _longest_side_px(reader: PdfReader, index: int) -> float:
    try:
        box = reader.pages[index].mediabox
        return max(abs(float(box.width)), abs(float(box.height))) * ocr.RESOLUTION / 72
    except Exception:  # an odd box: let pdftoppm use its default size
        return 0.0


class _PageOcr:
    """Renders and reads scanned pages, setting up its temporary files on first use."""

    def __init__(self, data: bytes, languages: str, stack: ExitStack) -> None:
        self.data = data
        self.languages = languages
        self.stack = stack
        self.directory: Path | None = None
        self.pages = 0

    def read(self, reader: PdfReader, index: int) -> str:
        if self.directory is None:
            self.directory = Path(
                self.stack.enter_context(tempfile.TemporaryDirectory(prefix="baken-ocr-"))
            )
            (self.directory / "in.pdf").write_bytes(self.data)
        number = index + 1
        image = ocr.render_page(
            self.directory / "in.pdf", number, self.directory, _longest_side_px(reader, index)
        )
        try:
            text = ocr.recognise(image, self.languages, f"page {number}")
        finally:
            image.unlink(missing_ok=True)
        self.pages += 1
        return text


def extract_pdf(data: bytes, mime: str, limits: Limits) -> Extracted:
    reader = _open(data)
    page_count = len(reader.pages)
    result = Extracted(mime=mime, pages=page_count, title=_title(reader))
    languages = ocr.usable_languages(limits.ocr_languages) if limits.ocr else None
    can_ocr = languages is not None and ocr.ocr_available()
    buffer = TextBuffer(limits.max_text_chars)
    failed = 0
    with ExitStack() as stack:
        page_ocr = _PageOcr(data, languages or "", stack)
        for index in range(page_count):
            try:
                text = (reader.pages[index].extract_text() or "").strip()
            except DependencyError as exc:  # AES needs the optional cryptography package
                raise Quarantined("encrypted", f"cannot decrypt: {exc}") from exc
            except Exception:  # one broken page should not cost the others
                failed += 1
                continue
            if not text:
                if not limits.ocr:
                    result.meta["ocr"] = "disabled"
                elif not can_ocr:
                    result.meta["ocr"] = "unavailable"
                else:
                    text = page_ocr.read(reader, index)
            if text and not buffer.add(text + PAGE_BREAK):
                break
    if failed == page_count:
        raise Quarantined("corrupt", "no page of the PDF could be read")
    if failed:
        result.meta["page_errors"] = str(failed)
    if page_ocr.pages:
        result.ocr = True
        result.meta["ocr"] = "used"
        result.meta["ocr_pages"] = str(page_ocr.pages)
    result.text = buffer.text().strip()
    if buffer.truncated:
        result.meta["truncated"] = "true"
    return result
