"""Plain text, CSV and HTML: decode honestly or refuse, then keep the words."""

from __future__ import annotations

import re
import unicodedata
from html.parser import HTMLParser

import charset_normalizer
from charset_normalizer.md import mess_ratio
from charset_normalizer.utils import is_multi_byte_encoding

from baken.holdings.extract.limits import Limits, TextBuffer
from baken.holdings.types import Extracted, Quarantined

BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
MAX_CHAOS = 0.1  # charset_normalizer's mess ratio above which a guess is not trusted
MIN_COHERENCE = 0.1  # and the share of the language's frequent letters it must show
WESTERN = "cp1252"  # the legacy encoding of Dutch and English office files
WESTERN_MARGIN = 0.05
MAX_STRAY_SHARE = 0.1
MAX_CONTROL_SHARE = 0.25
SAMPLE = 65_536
TEXT_CONTROLS = frozenset("\t\n\r\f\v")
META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)


def decode(data: bytes) -> tuple[str, str]:
    """The text in ``data`` and the encoding it was read with.

    Strict UTF-8 (with or without a byte order mark) first; otherwise a confident guess
    by charset_normalizer, or ``bad_encoding``. Binary content is ``unknown_type``.
    """
    for bom, encoding in BOMS:
        if data.startswith(bom):
            try:
                return _checked(data.decode(encoding)), encoding
            except UnicodeDecodeError as exc:
                raise Quarantined("bad_encoding", f"invalid {encoding}: {exc.reason}") from exc
    try:
        return _checked(data.decode("utf-8")), "utf-8"
    except UnicodeDecodeError:
        pass
    if b"\x00" in data:
        raise Quarantined("unknown_type", "binary content (NUL bytes), not text")
    return _guess(data)


def _guess(data: bytes) -> tuple[str, str]:
    best = charset_normalizer.from_bytes(data).best()
    if best is None or best.chaos > MAX_CHAOS or best.coherence < MIN_COHERENCE:
        # Too little text for a language to show. A few stray high bytes in ASCII are
        # still almost always Western office text, if cp1252 reads them cleanly.
        western = _western(data, MAX_CHAOS)
        if western is not None and _non_ascii_share(data) <= MAX_STRAY_SHARE:
            return _checked(western), WESTERN
        raise Quarantined("bad_encoding", "no encoding fits with confidence")
    if not is_multi_byte_encoding(best.encoding):
        # charset_normalizer often names a sibling code page (cp1250, mac_latin2) for
        # Western text; prefer cp1252 when it reads the bytes about as cleanly.
        western = _western(data, best.chaos + WESTERN_MARGIN)
        if western is not None:
            return _checked(western), WESTERN
    return _checked(str(best)), best.encoding


def _western(data: bytes, max_mess: float) -> str | None:
    """``data`` as cp1252 if it reads with no more mess than ``max_mess``, else None."""
    try:
        text = data.decode(WESTERN)
    except UnicodeDecodeError:
        return None
    if mess_ratio(text[:SAMPLE], maximum_threshold=1.0) <= max_mess:
        return text
    return None


def _non_ascii_share(data: bytes) -> float:
    sample = data[:SAMPLE]
    return sum(1 for byte in sample if byte >= 0x80) / max(len(sample), 1)


def _checked(text: str) -> str:
    if "\x00" in text:
        raise Quarantined("unknown_type", "binary content (NUL bytes), not text")
    sample = text[:SAMPLE]
    controls = sum(
        1 for char in sample if char not in TEXT_CONTROLS and unicodedata.category(char) == "Cc"
    )
    if sample and controls > MAX_CONTROL_SHARE * len(sample):
        raise Quarantined("unknown_type", "mostly control characters, not text")
    return text.removeprefix("\ufeff")


def extract_text(data: bytes, mime: str, limits: Limits) -> Extracted:
    text, encoding = decode(data)
    return Extracted(mime=mime, text=text, meta={"encoding": encoding})


class _HtmlText(HTMLParser):
    """Text of an HTML page without scripts and styles; block elements break lines."""

    SKIP = frozenset({"script", "style", "noscript", "template"})
    BLOCK = frozenset(
        {"p", "div", "br", "li", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6",
         "section", "article", "header", "footer", "table", "ul", "ol", "pre", "blockquote",
         "dd", "dt", "hr", "form", "nav", "aside", "main", "figure", "figcaption"}
    )  # fmt: skip

    def __init__(self, limit: int) -> None:
        super().__init__(convert_charrefs=True)
        self.buffer = TextBuffer(limit)
        self.title: str | None = None
        self._skipping: list[str] = []
        self._in_title = False
        self._title_parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title":
            self._in_title = True
        elif tag in self.SKIP:
            self._skipping.append(tag)
        elif tag in self.BLOCK:
            self.buffer.add("\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.BLOCK:
            self.buffer.add("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title" and self._in_title:
            self._in_title = False
            self.title = " ".join("".join(self._title_parts).split()) or None
        elif tag in self._skipping:
            del self._skipping[self._skipping.index(tag) :]
        elif tag in self.BLOCK:
            self.buffer.add("\n")

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self._title_parts.append(data)
        elif not self._skipping:
            self.buffer.add(data)

    def result(self) -> str:
        if self._in_title:  # never closed: what it swallowed is the page's text
            self.buffer.add("".join(self._title_parts))
        lines = (" ".join(line.split()) for line in self.buffer.text().splitlines())
        return "\n".join(line for line in lines if line)


def html_to_text(html: str, limit: int) -> tuple[str, str | None, bool]:
    """The visible text of ``html``, its title, and whether the text was cut at ``limit``."""
    parser = _HtmlText(limit)
    for start in range(0, len(html), SAMPLE):
        parser.feed(html[start : start + SAMPLE])
        if parser.buffer.truncated:
            break
    parser.close()
    return parser.result(), parser.title, parser.buffer.truncated


def extract_html(data: bytes, mime: str, limits: Limits) -> Extracted:
    text, encoding = _decode_html(data)
    body, title, truncated = html_to_text(text, limits.max_text_chars)
    meta = {"encoding": encoding}
    if truncated:
        meta["truncated"] = "true"
    return Extracted(mime=mime, text=body, title=title, meta=meta)


def _decode_html(data: bytes) -> tuple[str, str]:
    """An HTML page's own charset declaration wins over guessing when it decodes cleanly."""
    declared = META_CHARSET.search(data[:4096])
    if declared is not None and not data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        encoding = declared.group(1).decode("ascii").lower()
        try:
            return _checked(data.decode(encoding)), encoding
        except (LookupError, UnicodeDecodeError):
            pass
    return decode(data)
