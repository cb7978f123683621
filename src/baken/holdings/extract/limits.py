"""The bounds every extractor works within, and a text buffer that respects them."""

from __future__ import annotations

from dataclasses import dataclass

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """What one extraction may cost. The defaults suit a worker with a few GB of memory."""

    max_bytes: int = 512 * MB  # a single file
    max_archive_total: int = 1024 * MB  # sum of uncompressed member sizes
    max_ratio: int = 100  # uncompressed/compressed for any member or the whole archive
    max_depth: int = 5  # nested archives/attachments
    max_members: int = 10_000
    max_text_chars: int = 20_000_000
    ocr: bool = True  # OCR scanned PDF pages / images when tesseract is installed
    ocr_languages: str = "nld+eng"


DEFAULT_LIMITS = Limits()


class TextBuffer:
    """Collects text up to a character limit, so a huge document is never joined in full."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.size = 0
        self.truncated = False
        self._parts: list[str] = []

    def add(self, text: str) -> bool:
        """Append ``text``; False once the limit is reached (callers may stop reading)."""
        if self.truncated:
            return False
        room = self.limit - self.size
        if len(text) > room:
            text = text[:room]
            self.truncated = True
        self._parts.append(text)
        self.size += len(text)
        return not self.truncated

    def text(self) -> str:
        return "".join(self._parts)
