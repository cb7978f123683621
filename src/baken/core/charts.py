"""Small SVG charts for web pages and Typst PDFs, with no dependencies.

Pages are served under a strict Content-Security-Policy (``style-src 'self'``), so every
look is set with SVG presentation attributes (``fill``, ``stroke``, ``font-size``, …) and
never with a ``style`` attribute or element. Every label is escaped, and the data is
repeated as text in ``<desc>`` for screen readers. Output is deterministic: the same
input gives the same bytes, so charts can be cached and compared.

Every chart takes ``title`` (the accessible name, also drawn at the top unless
``show_title=False``, e.g. under a figure caption that says the same) and ``lang``
(``"nl"`` or ``"en"``: number format and the few fixed words).

Colour never carries meaning alone: series also differ in marker shape (line chart),
and over-use is spelled out in the value label as well as coloured.
"""

from __future__ import annotations

import hashlib
import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from typing import Literal

Lang = Literal["nl", "en"]

#: Okabe–Ito: stays distinguishable for the common kinds of colour blindness.
PALETTE: tuple[str, ...] = (
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#D55E00",  # vermillion
    "#F0E442",  # yellow (last: weak on white)
    "#000000",
)
OVER = "#D55E00"
INK = "#1a1a1a"
MUTED = "#595959"
GRID = "#d0d0d0"
FONT = "Helvetica, Arial, sans-serif"
WIDTH = 600
FONT_SIZE = 13

_WORDS: dict[str, dict[str, str]] = {
    "nl": {
        "no_data": "Geen gegevens",
        "used": "Ingezet",
        "available": "Beschikbaar",
        "over": "Boven beschikbaar",
        "total": "totaal",
    },
    "en": {
        "no_data": "No data",
        "used": "Used",
        "available": "Available",
        "over": "Over capacity",
        "total": "total",
    },
}

# XML 1.0 forbids these characters even when escaped.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def format_number(value: float, *, lang: Lang = "nl") -> str:
    """At most two decimals, trailing zeros dropped, grouped by thousands (nl: 1.234,5)."""
    if not math.isfinite(value):
        return "–"
    rounded = round(value, 2) + 0.0  # + 0.0 turns -0.0 into 0.0
    text = f"{abs(rounded):,.2f}".rstrip("0").rstrip(".")
    if lang == "nl":
        text = text.translate(str.maketrans(",.", ".,"))
    return ("-" if rounded < 0 else "") + text


def _esc(text: str) -> str:
    text = _XML_INVALID.sub("", text)
    return (
        text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("'", "&#39;")
    )


def _n(value: float) -> str:
    """A coordinate: two decimals at most, so output does not depend on float noise."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _text_width(text: str, size: float = FONT_SIZE) -> float:
    # A rough average glyph width for sans fonts; enough to lay out columns.
    return len(text) * size * 0.56


def _fit(text: str, max_width: float) -> str:
    limit = max(4, int(max_width / (FONT_SIZE * 0.56)))
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _finite(values: Sequence[float], what: str) -> None:
    for value in values:
        if not math.isfinite(value):
            raise ValueError(f"{what}: values must be finite numbers, got {value!r}")


def _with_unit(value: float, unit: str, lang: Lang) -> str:
    return f"{format_number(value, lang=lang)} {unit}".rstrip()


class _Svg:
    """Collects the parts of one chart; ``finish`` wraps them in the accessible root."""

    def __init__(self, title: str, desc: str, *, show_title: bool = True) -> None:
        self.title, self.desc = title, desc
        self.parts: list[str] = []
        shown = show_title and bool(title)
        self.top = 34.0 if shown else 10.0
        if shown:
            self.text(0, 20, title, size=FONT_SIZE + 2, weight="bold")

    def add(self, part: str) -> None:
        self.parts.append(part)

    def text(
        self,
        x: float,
        y: float,
        content: str,
        *,
        anchor: str = "start",
        size: float = FONT_SIZE,
        fill: str = INK,
        weight: str = "normal",
        tooltip: str = "",
    ) -> None:
        extra = f' font-weight="{weight}"' if weight != "normal" else ""
        if size != FONT_SIZE:
            extra += f' font-size="{_n(size)}"'
        inner = f"<title>{_esc(tooltip)}</title>" if tooltip else ""
        self.add(
            f'<text x="{_n(x)}" y="{_n(y)}" text-anchor="{anchor}" fill="{fill}"{extra}>'
            f"{inner}{_esc(content)}</text>"
        )

    def rect(
        self,
        x: float,
        y: float,
        w: float,
        h: float,
        *,
        fill: str,
        stroke: str = "",
        tooltip: str = "",
        dash: str = "",
    ) -> None:
        extra = f' stroke="{stroke}" stroke-width="1.5"' if stroke else ""
        if dash:
            extra += f' stroke-dasharray="{dash}"'
        attrs = f'x="{_n(x)}" y="{_n(y)}" width="{_n(max(w, 0))}" height="{_n(h)}"'
        if tooltip:
            self.add(f'<rect {attrs} fill="{fill}"{extra}><title>{_esc(tooltip)}</title></rect>')
        else:
            self.add(f'<rect {attrs} fill="{fill}"{extra}/>')

    def line(
        self, x1: float, y1: float, x2: float, y2: float, *, stroke: str, width: float = 1.0
    ) -> None:
        self.add(
            f'<line x1="{_n(x1)}" y1="{_n(y1)}" x2="{_n(x2)}" y2="{_n(y2)}" '
            f'stroke="{stroke}" stroke-width="{_n(width)}"/>'
        )

    def legend(self, entries: Sequence[tuple[str, str, str]], *, markers: bool = False) -> None:
        """Keys left to right, wrapping; ``(label, fill, stroke)``. Moves ``top`` down.

        With ``markers``, each key is a line with the series' marker, as in the line chart.
        """
        x, y = 0.0, self.top + 4
        swatch = 26.0 if markers else 12.0
        for index, (label, fill, stroke) in enumerate(entries):
            shown = _fit(label, WIDTH / 2)
            step = swatch + 6 + _text_width(shown) + 18
            if x > 0 and x + step > WIDTH:
                x, y = 0.0, y + 20
            if markers:
                self.line(x, y + 6, x + swatch, y + 6, stroke=fill, width=2.5)
                self.add(_marker(_MARKERS[index % len(_MARKERS)], x + swatch / 2, y + 6, fill))
            else:
                self.rect(x, y, 12, 12, fill=fill, stroke=stroke)
            self.text(x + swatch + 6, y + 11, shown, tooltip=label if shown != label else "")
            x += step
        self.top = y + 26

    def finish(self, height: float) -> str:
        digest = hashlib.sha256(f"{self.title}\0{self.desc}".encode()).hexdigest()[:10]
        cid = f"chart-{digest}"
        head = (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{_n(height)}" '
            f'viewBox="0 0 {WIDTH} {_n(height)}" role="img" '
            f'aria-labelledby="{cid}-title {cid}-desc" font-family="{FONT}" '
            f'font-size="{FONT_SIZE}">'
            f'<title id="{cid}-title">{_esc(self.title)}</title>'
            f'<desc id="{cid}-desc">{_esc(self.desc)}</desc>'
            f'<rect x="0" y="0" width="{WIDTH}" height="{_n(height)}" fill="#ffffff"/>'
        )
        return head + "".join(self.parts) + "</svg>"


def _no_data(title: str, lang: Lang, show_title: bool) -> str:
    message = _WORDS[lang]["no_data"]
    svg = _Svg(title, message, show_title=show_title)
    svg.rect(0.5, svg.top, WIDTH - 1, 60, fill="#f4f4f4", stroke=GRID)
    svg.text(WIDTH / 2, svg.top + 35, message, anchor="middle", fill=MUTED)
    return svg.finish(svg.top + 70)


def _label_column(labels: Sequence[str]) -> float:
    widest = max((_text_width(label) for label in labels), default=0.0)
    return min(widest, WIDTH * 0.36) + 10


ROW = 26.0
BAR = 16.0


def bar_chart(
    items: Sequence[tuple[str, float]],
    *,
    title: str,
    unit: str = "",
    max_value: float | None = None,
    lang: Lang = "nl",
    show_title: bool = True,
) -> str:
    """Horizontal bars, one per ``(label, value)``, with the value written after each bar.

    ``max_value`` fixes the scale (values beyond it are drawn to the edge); negative
    values are drawn as empty bars and still labelled.
    """
    if not items:
        return _no_data(title, lang, show_title)
    _finite([value for _, value in items], "bar_chart")
    values = [_with_unit(value, unit, lang) for _, value in items]
    desc = "; ".join(f"{label}: {text}" for (label, _), text in zip(items, values, strict=True))
    svg = _Svg(title, desc, show_title=show_title)
    label_w = _label_column([label for label, _ in items])
    value_w = max(_text_width(text) for text in values) + 8
    x0, x1 = label_w, WIDTH - value_w
    top = max(value for _, value in items) if max_value is None else max_value
    scale = (x1 - x0) / top if top > 0 else 0.0
    for i, ((label, value), text) in enumerate(zip(items, values, strict=True)):
        y = svg.top + i * ROW
        shown = _fit(label, label_w - 10)
        svg.text(x0 - 8, y + 14.5, shown, anchor="end", tooltip=label if shown != label else "")
        length = min(max(value, 0.0) * scale, x1 - x0)
        svg.rect(x0, y + 2, length, BAR, fill=PALETTE[0], tooltip=f"{label}: {text}")
        svg.text(x0 + length + 5, y + 14.5, text)
    bottom = svg.top + len(items) * ROW
    svg.line(x0, svg.top - 2, x0, bottom, stroke=INK)
    return svg.finish(bottom + 8)


def stacked_bars(
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[float]]],
    *,
    title: str,
    unit: str = "",
    lang: Lang = "nl",
    show_title: bool = True,
) -> str:
    """One horizontal bar per category, split into the ``series`` (same order as the legend).

    Each series has one non-negative value per category; the total is written after the bar.
    """
    if not categories or not series:
        return _no_data(title, lang, show_title)
    for name, values in series:
        if len(values) != len(categories):
            raise ValueError(
                f"stacked_bars: series {name!r} has {len(values)} values "
                f"for {len(categories)} categories"
            )
        _finite(values, "stacked_bars")
        if any(value < 0 for value in values):
            raise ValueError(f"stacked_bars: series {name!r} has a negative value")
    totals = [sum(values[i] for _, values in series) for i in range(len(categories))]
    total_texts = [_with_unit(total, unit, lang) for total in totals]
    desc = "; ".join(
        f"{category}: "
        + ", ".join(f"{name} {format_number(values[i], lang=lang)}" for name, values in series)
        + f" ({_WORDS[lang]['total']} {total_texts[i]})"
        for i, category in enumerate(categories)
    )
    svg = _Svg(title, desc, show_title=show_title)
    colours = [PALETTE[i % len(PALETTE)] for i in range(len(series))]
    svg.legend([(name, colour, "") for (name, _), colour in zip(series, colours, strict=True)])
    label_w = _label_column(categories)
    value_w = max(_text_width(text) for text in total_texts) + 8
    x0, x1 = label_w, WIDTH - value_w
    top = max(totals)
    scale = (x1 - x0) / top if top > 0 else 0.0
    for i, category in enumerate(categories):
        y = svg.top + i * ROW
        shown = _fit(category, label_w - 10)
        svg.text(
            x0 - 8, y + 14.5, shown, anchor="end", tooltip=category if shown != category else ""
        )
        x = x0
        for (name, values), colour in zip(series, colours, strict=True):
            length = values[i] * scale
            tip = f"{category} – {name}: {_with_unit(values[i], unit, lang)}"
            svg.rect(x, y + 2, length, BAR, fill=colour, tooltip=tip)
            x += length
        svg.text(x + 5, y + 14.5, total_texts[i])
    bottom = svg.top + len(categories) * ROW
    svg.line(x0, svg.top - 2, x0, bottom, stroke=INK)
    return svg.finish(bottom + 8)


def used_vs_available(
    items: Sequence[tuple[str, float, float]],
    *,
    title: str,
    unit: str = "FTE",
    lang: Lang = "nl",
    show_title: bool = True,
) -> str:
    """Capacity per ``(label, used, available)``: a filled bar for what is used, an outline
    for what is available, and the part above availability in a warning colour, with the
    excess also written out (``+0,5``) so it does not rest on colour alone."""
    if not items:
        return _no_data(title, lang, show_title)
    for label, used, available in items:
        _finite([used, available], "used_vs_available")
        if used < 0 or available < 0:
            raise ValueError(f"used_vs_available: {label!r} has a negative value")
    words = _WORDS[lang]

    def value_text(used: float, available: float) -> str:
        text = (
            f"{format_number(used, lang=lang)} / {_with_unit(available, unit, lang)}"
            if unit
            else f"{format_number(used, lang=lang)} / {format_number(available, lang=lang)}"
        )
        if used > available:
            text += f" (+{format_number(used - available, lang=lang)})"
        return text

    texts = [value_text(used, available) for _, used, available in items]
    desc = "; ".join(
        f"{label}: {words['used'].lower()} {format_number(used, lang=lang)}, "
        f"{words['available'].lower()} {_with_unit(available, unit, lang)}"
        + (f", {words['over'].lower()}" if used > available else "")
        for label, used, available in items
    )
    svg = _Svg(title, desc, show_title=show_title)
    svg.legend(
        [
            (words["used"], PALETTE[0], ""),
            (words["available"], "#ffffff", INK),
            (words["over"], OVER, ""),
        ]
    )
    label_w = _label_column([label for label, _, _ in items])
    value_w = max(_text_width(text) for text in texts) + 8
    x0, x1 = label_w, WIDTH - value_w
    top = max(max(used, available) for _, used, available in items)
    scale = (x1 - x0) / top if top > 0 else 0.0
    for i, ((label, used, available), text) in enumerate(zip(items, texts, strict=True)):
        y = svg.top + i * ROW
        shown = _fit(label, label_w - 10)
        svg.text(x0 - 8, y + 14.5, shown, anchor="end", tooltip=label if shown != label else "")
        within = min(used, available) * scale
        svg.rect(x0, y + 2, within, BAR, fill=PALETTE[0], tooltip=f"{label}: {text}")
        if used > available:
            svg.rect(x0 + within, y + 2, (used - available) * scale, BAR, fill=OVER)
        svg.rect(x0, y + 2, available * scale, BAR, fill="none", stroke=INK)
        end = x0 + max(used, available) * scale
        over = used > available
        svg.text(
            end + 5,
            y + 14.5,
            text,
            fill=OVER if over else INK,
            weight="bold" if over else "normal",
        )
    bottom = svg.top + len(items) * ROW
    svg.line(x0, svg.top - 2, x0, bottom, stroke=INK)
    return svg.finish(bottom + 8)


def _nice_ticks(low: float, high: float, target: int = 5) -> list[float]:
    if high <= low:
        high = low + 1
    raw = (high - low) / target
    magnitude = 10 ** math.floor(math.log10(raw))
    step = magnitude * 10
    for factor in (1, 2, 2.5, 5, 10):
        if (high - low) / (factor * magnitude) <= target:
            step = factor * magnitude
            break
    start = math.floor(low / step) * step
    count = math.ceil(high / step - start / step - 1e-9)
    return [round(start + i * step, 10) for i in range(count + 1)]


_MARKERS = ("circle", "square", "triangle", "diamond")


def _marker(kind: str, x: float, y: float, colour: str) -> str:
    if kind == "circle":
        return f'<circle cx="{_n(x)}" cy="{_n(y)}" r="4" fill="{colour}"/>'
    if kind == "square":
        return f'<rect x="{_n(x - 3.5)}" y="{_n(y - 3.5)}" width="7" height="7" fill="{colour}"/>'
    if kind == "triangle":
        points = f"{_n(x)},{_n(y - 5)} {_n(x + 4.5)},{_n(y + 3.5)} {_n(x - 4.5)},{_n(y + 3.5)}"
    else:
        points = f"{_n(x)},{_n(y - 5)} {_n(x + 5)},{_n(y)} {_n(x)},{_n(y + 5)} {_n(x - 5)},{_n(y)}"
    return f'<polygon points="{points}" fill="{colour}"/>'


def line_chart(
    x_labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    *,
    title: str,
    unit: str = "",
    lang: Lang = "nl",
    show_title: bool = True,
) -> str:
    """Values per period, one line per series; ``None`` leaves a gap in the line."""
    present = [v for _, values in series for v in values if v is not None]
    if not x_labels or not series or not present:
        return _no_data(title, lang, show_title)
    for name, values in series:
        if len(values) != len(x_labels):
            raise ValueError(
                f"line_chart: series {name!r} has {len(values)} values for {len(x_labels)} periods"
            )
    _finite(present, "line_chart")
    desc = "; ".join(
        f"{name}: "
        + ", ".join(
            f"{label} {'–' if v is None else _with_unit(v, unit, lang)}"
            for label, v in zip(x_labels, values, strict=True)
        )
        for name, values in series
    )
    svg = _Svg(title, desc, show_title=show_title)
    colours = [PALETTE[i % len(PALETTE)] for i in range(len(series))]
    keys = [(name, colour, "") for (name, _), colour in zip(series, colours, strict=True)]
    svg.legend(keys, markers=True)
    ticks = _nice_ticks(min(0.0, min(present)), max(present))
    tick_texts = [format_number(t, lang=lang) for t in ticks]
    if unit:
        svg.text(0, svg.top + 4, unit, fill=MUTED)
        svg.top += 16
    x0 = max(_text_width(t) for t in tick_texts) + 12
    x1 = WIDTH - 16
    y0, y1 = svg.top + 6, svg.top + 206  # y0 is the top of the plot, y1 its baseline
    low, high = ticks[0], ticks[-1]

    def to_y(value: float) -> float:
        return y1 - (value - low) / (high - low) * (y1 - y0)

    for tick, text in zip(ticks, tick_texts, strict=True):
        y = to_y(tick)
        svg.line(x0, y, x1, y, stroke=INK if tick == 0 else GRID)
        svg.text(x0 - 6, y + 4.5, text, anchor="end", fill=MUTED)
    count = len(x_labels)
    gap = (x1 - x0) / count
    xs = [x0 + gap * (i + 0.5) for i in range(count)]
    every = max(1, math.ceil(max(_text_width(label) for label in x_labels) / (gap - 4)))
    for i, (x, label) in enumerate(zip(xs, x_labels, strict=True)):
        if i % every == 0:
            shown = _fit(label, gap * every - 4)
            svg.text(x, y1 + 18, shown, anchor="middle", tooltip=label if shown != label else "")
    for index, ((name, values), colour) in enumerate(zip(series, colours, strict=True)):
        runs: list[list[tuple[float, float]]] = [[]]
        for x, value in zip(xs, values, strict=True):
            if value is None:
                runs.append([])
            else:
                runs[-1].append((x, to_y(value)))
        group = [f"<g><title>{_esc(name)}</title>"]
        for run in runs:
            if len(run) > 1:
                points = " ".join(f"{_n(x)},{_n(y)}" for x, y in run)
                group.append(
                    f'<polyline points="{points}" fill="none" stroke="{colour}" '
                    f'stroke-width="2.5" stroke-linejoin="round"/>'
                )
            group.extend(_marker(_MARKERS[index % len(_MARKERS)], x, y, colour) for x, y in run)
        group.append("</g>")
        svg.add("".join(group))
    return svg.finish(y1 + 30)


# Elements and attributes that charts use; ``clean_svg`` allows nothing else.
_SVG_NS = "{http://www.w3.org/2000/svg}"
_ALLOWED_ELEMENTS = frozenset(
    "svg g title desc rect line polyline polygon path circle ellipse text tspan".split()  # noqa: SIM905
)
_ALLOWED_ATTRIBUTES = frozenset(
    """
    id role aria-label aria-labelledby aria-hidden width height viewBox x y x1 y1 x2 y2
    cx cy r rx ry dx dy d points transform fill fill-opacity stroke stroke-width
    stroke-dasharray stroke-linejoin stroke-linecap stroke-opacity opacity font-family
    font-size font-weight font-style text-anchor dominant-baseline
    """.split()  # noqa: SIM905
)


def clean_svg(svg: str) -> str:
    """Check an SVG against the small vocabulary charts use and write it out afresh.

    For embedding SVG that came from elsewhere in a page or a PDF: scripts, event
    handlers, links, external references and styles are refused (``ValueError``), and
    the output is rebuilt from the parsed tree, so no parser trick survives.
    """
    if "<!" in svg.replace("<!--", ""):  # DOCTYPE, ENTITY, CDATA: none is needed
        raise ValueError("SVG with a DOCTYPE, entity or CDATA section is not accepted")
    try:
        root = ET.fromstring(svg)  # noqa: S314 - no DTD is possible, see above
    except ET.ParseError as exc:
        raise ValueError(f"not well-formed SVG: {exc}") from exc
    if root.tag != f"{_SVG_NS}svg":
        raise ValueError("the root element must be an SVG <svg> element")

    def write(element: ET.Element, out: list[str]) -> None:
        if not element.tag.startswith(_SVG_NS):
            raise ValueError(f"element {element.tag!r} is not SVG")
        tag = element.tag.removeprefix(_SVG_NS)
        if tag not in _ALLOWED_ELEMENTS:
            raise ValueError(f"SVG element <{tag}> is not allowed")
        attrs = ' xmlns="http://www.w3.org/2000/svg"' if element is root else ""
        for name, value in element.attrib.items():
            if name not in _ALLOWED_ATTRIBUTES:
                raise ValueError(f"SVG attribute {name!r} is not allowed")
            if "url(" in value.lower():
                raise ValueError("SVG references (url(...)) are not allowed")
            attrs += f' {name}="{_esc(value)}"'
        out.append(f"<{tag}{attrs}>{_esc(element.text or '')}")
        for child in element:
            write(child, out)
            out.append(_esc(child.tail or ""))
        out.append(f"</{tag}>")

    parts: list[str] = []
    write(root, parts)
    return "".join(parts)
