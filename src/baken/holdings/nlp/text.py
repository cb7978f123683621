"""Cutting long texts into pieces for the models, and keeping offsets exact.

Every offset a model reports is into the piece it saw; the helpers here map it back to
the caller's string, so that ``text[m.start:m.end] == m.text`` holds for every mention.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*\s+")


def pieces(text: str, limit: int) -> list[tuple[int, int]]:
    """``(start, end)`` pieces of at most ``limit`` characters that cover ``text``, cut
    after a paragraph break if there is one in the second half of the window, else after
    a line break, a sentence end or a space; a hard cut only inside one huge word."""
    if limit < 2:
        raise ValueError("limit must be at least 2")
    spans: list[tuple[int, int]] = []
    start = 0
    while len(text) - start > limit:
        spans.append((start, cut := _cut(text, start, start + limit)))
        start = cut
    if start < len(text) or not spans:
        spans.append((start, len(text)))
    return spans


def _cut(text: str, start: int, end: int) -> int:
    low = start + (end - start) // 2
    for mark in ("\n\n", "\n"):
        at = text.rfind(mark, low, end)
        if at >= 0:
            return at + len(mark)
    window = text[low:end]
    ends = [m.end() for m in _SENTENCE_END.finditer(window)]
    if ends:
        return low + ends[-1]
    for at in range(end - 1, low - 1, -1):
        if text[at].isspace():
            return at + 1
    # No space in half a window: cut anyway, but not before a combining mark.
    while end > start + 1 and unicodedata.combining(text[end]):
        end -= 1
    return end


@dataclass(frozen=True, slots=True)
class Normalised:
    """``text`` in NFC with, per character, where it came from in the original.

    Frog's tokeniser composes characters (NFC); when the input was decomposed ("e" +
    combining acute), token offsets in the composed text are mapped back through
    ``starts`` and ``ends``."""

    text: str
    starts: tuple[int, ...] | None  # None: identical to the original
    ends: tuple[int, ...] | None

    def span(self, start: int, end: int) -> tuple[int, int]:
        if self.starts is None or self.ends is None:
            return start, end
        return self.starts[start], self.ends[end - 1]


def nfc(text: str) -> Normalised:
    if unicodedata.is_normalized("NFC", text):
        return Normalised(text, None, None)
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    i = 0
    while i < len(text):
        j = i + 1
        while j < len(text) and unicodedata.combining(text[j]):
            j += 1
        cluster = unicodedata.normalize("NFC", text[i:j])
        out.append(cluster)
        starts.extend([i] * len(cluster))
        ends.extend([j] * len(cluster))
        i = j
    return Normalised("".join(out), tuple(starts), tuple(ends))


def align(tokens: list[str], text: str, window: int = 200) -> list[tuple[int, int] | None]:
    """Offsets of each token in ``text``, in order; ``None`` where a tokeniser changed a
    token beyond recognition (the tokens after it still align)."""
    found: list[tuple[int, int] | None] = []
    cursor = 0
    for token in tokens:
        if not token:
            found.append(None)
            continue
        while cursor < len(text) and text[cursor].isspace():
            cursor += 1
        at = text.find(token, cursor, cursor + window + len(token))
        if at < 0:
            found.append(None)
            continue
        found.append((at, at + len(token)))
        cursor = at + len(token)
    return found
