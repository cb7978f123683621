"""Snippets as safe HTML: the text escaped, the matched words in ``<mark>``, nothing else.

Tantivy's ``SnippetGenerator`` is not used: it weighs each word by its document frequency
over the whole index, so *which* part of a readable document it shows would depend on
documents the reader may not read. Here the window is chosen from the document alone:
the one with the most distinct query words, then the most matches, then the earliest.
The words are found by the index's own analyser (so ``urumqi`` marks ``Ürümqi``), and
the HTML is assembled with :mod:`markupsafe`, so the only markup that can come out is
ours.

Only the first :data:`SCAN_CHARS` characters are searched for a window: the cost is
linear in the text, and twenty long hits must still come back in milliseconds. A hit
whose words lie further on (or only in its title) shows the start of its text.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

import tantivy
from markupsafe import Markup, escape

ELLIPSIS = "…"
MAX_CHARS = 200
SCAN_CHARS = 20_000
# Context shown before the first match, at most.
LEAD_IN = 40

Span = tuple[int, int, str]  # start, end (characters), analysed token


def snippet(
    text: str,
    terms: Collection[str],
    analyzer: tantivy.TextAnalyzer,
    max_chars: int = MAX_CHARS,
) -> Markup:
    """The best window of ``text`` for the analysed query words ``terms``, as HTML."""
    spans = [
        (t.char_offset_from, t.char_offset_to, t.text)
        for t in analyzer.pre_tokenize(text[:SCAN_CHARS]).tokens
        if t.text in terms
    ]
    if not spans:
        return lead(text, max_chars)
    first, last = _best_window(spans, max_chars)
    start = _word_start(text, max(0, spans[first][0] - LEAD_IN), spans[first][0])
    end = _word_end(text, spans[last][1], max(start + max_chars, spans[last][1]))
    out: list[Markup] = []
    pos = start
    for s, e, _ in spans:
        if pos <= s and e <= end:
            out += [escape(text[pos:s]), Markup("<mark>%s</mark>") % text[s:e]]
            pos = e
    out.append(escape(text[pos:end]))
    return _with_ellipses(Markup("").join(out), start > 0, end < len(text))


def _best_window(spans: Sequence[Span], max_chars: int) -> tuple[int, int]:
    """Indices of the first and last match of the best window (two pointers)."""
    best, best_key = (0, 0), (0, 0)
    hi = 0
    counts: dict[str, int] = {}
    for lo, (start, _, token) in enumerate(spans):
        # A token is at most 40 characters (the analyser drops longer ones), so the
        # window from ``start`` always holds the match at ``lo`` itself.
        while hi < len(spans) and spans[hi][1] - start <= max_chars:
            counts[spans[hi][2]] = counts.get(spans[hi][2], 0) + 1
            hi += 1
        key = (len(counts), hi - lo)
        if key > best_key:
            best, best_key = (lo, hi - 1), key
        counts[token] -= 1
        if not counts[token]:
            del counts[token]
    return best


def _word_start(text: str, at: int, limit: int) -> int:
    """After the first space in ``text[at:limit]``: do not open with half a word."""
    if at == 0:
        return 0
    for i in range(at, limit):
        if text[i].isspace():
            return i + 1
    return limit


def _word_end(text: str, at_least: int, at: int) -> int:
    """At the last space in ``text[at_least:at]``: do not close with half a word."""
    if at >= len(text):
        return len(text)
    for i in range(at, at_least - 1, -1):
        if text[i].isspace():
            return i
    return at_least


def _with_ellipses(html: Markup, cut_before: bool, cut_after: bool) -> Markup:
    return Markup("%s%s%s") % (ELLIPSIS if cut_before else "", html, ELLIPSIS if cut_after else "")


def lead(text: str, max_chars: int = MAX_CHARS) -> Markup:
    """The start of the text, cut at a word: for a hit matched in its title only."""
    head = " ".join(text[: max_chars * 4].split())
    if len(head) <= max_chars and len(text) <= max_chars * 4:
        return escape(head)
    cut = head.rfind(" ", 0, max_chars)
    return _with_ellipses(escape(head[: cut if cut > 0 else max_chars]), False, True)
