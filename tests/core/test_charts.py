"""SVG charts: valid, accessible, escaped, free of styles, deterministic."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable

import pytest

from baken.core import charts

NS = "{http://www.w3.org/2000/svg}"
HOSTILE = "<b>&amp; \"quoted\" 'single' </text><script>alert(1)</script> \x01\x0b"


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 - our own output


def all_text(root: ET.Element) -> str:
    return " ".join("".join(element.itertext()) for element in root)


ChartMaker = Callable[[str, str], str]

# Each kind of chart, given a label and a title, with some data.
MAKERS: dict[str, ChartMaker] = {
    "bar": lambda label, title: charts.bar_chart(
        [(label, 12.5), ("Cyber", 1234.0)], title=title, unit="FTE"
    ),
    "stacked": lambda label, title: charts.stacked_bars(
        [label, "China"],
        [("gedekt", [3.0, 1.0]), (label, [1.0, 2.0]), ("niet gedekt", [0.0, 1.5])],
        title=title,
    ),
    "used": lambda label, title: charts.used_vs_available(
        [(label, 3.5, 3.0), ("Analyse", 2.0, 4.0)], title=title
    ),
    "line": lambda label, title: charts.line_chart(
        ["Q1", label, "Q3"], [(label, [1.0, None, 3.0]), ("b", [2.0, 2.5, 0.5])], title=title
    ),
}

EMPTY: dict[str, Callable[[], str]] = {
    "bar": lambda: charts.bar_chart([], title="Leeg"),
    "stacked-no-categories": lambda: charts.stacked_bars([], [("a", [])], title="Leeg"),
    "stacked-no-series": lambda: charts.stacked_bars(["x"], [], title="Leeg"),
    "used": lambda: charts.used_vs_available([], title="Leeg"),
    "line-no-labels": lambda: charts.line_chart([], [("a", [])], title="Leeg"),
    "line-all-missing": lambda: charts.line_chart(["Q1"], [("a", [None])], title="Leeg"),
}


@pytest.mark.parametrize("kind", MAKERS)
def test_valid_accessible_svg(kind: str) -> None:
    svg = MAKERS[kind]("Rusland", "Inzet 2026")
    root = parse(svg)
    assert root.tag == f"{NS}svg"
    assert root.get("role") == "img"
    title, desc = root.find(f"{NS}title"), root.find(f"{NS}desc")
    assert title is not None
    assert desc is not None
    assert title.text == "Inzet 2026"
    assert desc.text
    assert "Rusland" in desc.text
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert root.get("viewBox")


@pytest.mark.parametrize("kind", MAKERS)
def test_labels_and_title_are_escaped(kind: str) -> None:
    svg = MAKERS[kind](HOSTILE, HOSTILE)
    assert "<script" not in svg
    assert "<b>" not in svg
    assert "\x01" not in svg
    assert "\x0b" not in svg
    root = parse(svg)  # still well-formed
    assert not list(root.iter(f"{NS}script"))
    expected = HOSTILE.replace("\x01", "").replace("\x0b", "")
    title = root.find(f"{NS}title")
    assert title is not None
    assert title.text == expected
    assert expected[:6] in all_text(root)  # the label comes out literally (maybe shortened)


@pytest.mark.parametrize("kind", [*MAKERS, "empty"])
def test_no_style_anywhere(kind: str) -> None:
    svg = charts.bar_chart([], title="x") if kind == "empty" else MAKERS[kind]("a", "b")
    root = parse(svg)
    for element in root.iter():
        assert element.tag != f"{NS}style"
        assert "style" not in element.attrib
        assert not any(name.startswith("on") for name in element.attrib)
    assert "style=" not in svg
    assert "<style" not in svg


@pytest.mark.parametrize("kind", MAKERS)
def test_deterministic(kind: str) -> None:
    assert MAKERS[kind]("Rusland", "t") == MAKERS[kind]("Rusland", "t")


@pytest.mark.parametrize("kind", EMPTY)
def test_empty_input_gives_a_no_data_chart(kind: str) -> None:
    svg = EMPTY[kind]()
    root = parse(svg)
    assert "Geen gegevens" in all_text(root)
    title = root.find(f"{NS}title")
    assert title is not None
    assert title.text == "Leeg"


def test_no_data_in_english() -> None:
    assert "No data" in charts.bar_chart([], title="x", lang="en")


def test_bar_chart_numbers_appear() -> None:
    svg = charts.bar_chart([("Rusland", 12.5), ("Cyber", 1234.0)], title="t", unit="FTE")
    text = all_text(parse(svg))
    assert "12,5 FTE" in text
    assert "1.234 FTE" in text
    english = charts.bar_chart([("Cyber", 1234.5)], title="t", lang="en")
    assert "1,234.5" in all_text(parse(english))


def test_bar_chart_max_value_fixes_the_scale() -> None:
    def widths(svg: str) -> list[float]:
        return [float(r.get("width", "0")) for r in parse(svg).iter(f"{NS}rect")][1:]

    free = widths(charts.bar_chart([("a", 50.0)], title="t"))
    clamped = widths(charts.bar_chart([("a", 50.0)], title="t", max_value=10))
    assert clamped == free  # beyond the scale: drawn to the edge of the plot
    half = widths(charts.bar_chart([("a", 50.0)], title="t", max_value=100))
    assert half[0] == pytest.approx(free[0] / 2, rel=0.01)


def test_stacked_bars_show_totals_and_legend() -> None:
    svg = charts.stacked_bars(
        ["Rusland", "China"],
        [("gedekt", [3.0, 1.0]), ("deels", [1.0, 2.0]), ("niet gedekt", [0.0, 1.5])],
        title="Dekking",
    )
    text = all_text(parse(svg))
    for expected in ("gedekt", "deels", "niet gedekt", "4", "4,5"):
        assert expected in text
    fills = {r.get("fill") for r in parse(svg).iter(f"{NS}rect")}
    assert set(charts.PALETTE[:3]) <= fills


def test_stacked_bars_refuse_mismatched_series() -> None:
    with pytest.raises(ValueError, match="2 categories"):
        charts.stacked_bars(["a", "b"], [("s", [1.0])], title="t")
    with pytest.raises(ValueError, match="negative"):
        charts.stacked_bars(["a"], [("s", [-1.0])], title="t")


def test_used_vs_available_marks_over_use_in_text_and_colour() -> None:
    svg = charts.used_vs_available([("Vertalers", 3.5, 3.0), ("Analyse", 2.0, 4.0)], title="t")
    root = parse(svg)
    text = all_text(root)
    assert "3,5 / 3 FTE (+0,5)" in text
    assert "2 / 4 FTE" in text
    assert "(+" not in text.split("2 / 4 FTE")[1]
    over = [r for r in root.iter(f"{NS}rect") if r.get("fill") == charts.OVER]
    assert len(over) == 2  # the legend key and the one over-used bar
    assert "boven beschikbaar" in (root.findtext(f"{NS}desc") or "")


def test_line_chart_gaps_and_markers() -> None:
    svg = charts.line_chart(
        ["2023", "2024", "2025", "2026"],
        [("afgerond", [1.0, None, 3.0, 4.0]), ("gepland", [2.0, 2.0, 2.0, 2.0])],
        title="Voortgang",
        unit="%",
    )
    root = parse(svg)
    lines = list(root.iter(f"{NS}polyline"))
    # "afgerond" breaks at the gap: its lone first point has no line, the rest has one.
    assert len(lines) == 2
    text = all_text(root)
    for expected in ("2023", "2026", "afgerond", "gepland", "%"):
        assert expected in text
    assert "2024 –" in (root.findtext(f"{NS}desc") or "")


def test_line_chart_refuses_mismatched_series() -> None:
    with pytest.raises(ValueError, match="3 periods"):
        charts.line_chart(["a", "b", "c"], [("s", [1.0])], title="t")


def test_non_finite_values_are_refused() -> None:
    with pytest.raises(ValueError, match="finite"):
        charts.bar_chart([("a", float("nan"))], title="t")


def test_long_labels_are_shortened_with_the_full_label_as_tooltip() -> None:
    label = "Extremisme en terrorisme, inclusief minderjarigen die online radicaliseren"
    root = parse(charts.bar_chart([(label, 1.0)], title="t"))
    tips = [tip for text in root.iter(f"{NS}text") for tip in text.iter(f"{NS}title")]
    assert [tip.text for tip in tips] == [label]
    shown = tips[0].tail or ""
    assert shown.endswith("…")
    assert label.startswith(shown[:-1])


def test_ids_differ_between_charts() -> None:
    first = parse(charts.bar_chart([("a", 1.0)], title="t"))
    second = parse(charts.bar_chart([("a", 2.0)], title="t"))
    assert first.find(f"{NS}title").get("id") != second.find(f"{NS}title").get("id")  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("value", "nl", "en"),
    [
        (0, "0", "0"),
        (-0.001, "0", "0"),
        (1234567.891, "1.234.567,89", "1,234,567.89"),
        (-2.5, "-2,5", "-2.5"),
    ],
)
def test_format_number(value: float, nl: str, en: str) -> None:
    assert charts.format_number(value) == nl
    assert charts.format_number(value, lang="en") == en


@pytest.mark.parametrize("kind", MAKERS)
def test_clean_svg_accepts_every_chart(kind: str) -> None:
    svg = MAKERS[kind](HOSTILE, HOSTILE)
    cleaned = charts.clean_svg(svg)
    assert ET.tostring(parse(cleaned)) == ET.tostring(parse(svg))


@pytest.mark.parametrize(
    ("svg", "reason"),
    [
        ('<svg xmlns="http://www.w3.org/2000/svg"><script>x</script></svg>', "script"),
        ('<svg xmlns="http://www.w3.org/2000/svg" onload="x()"/>', "onload"),
        ('<svg xmlns="http://www.w3.org/2000/svg"><style>*{}</style></svg>', "style"),
        ('<svg xmlns="http://www.w3.org/2000/svg"><rect style="fill:red"/></svg>', "style"),
        (
            '<svg xmlns="http://www.w3.org/2000/svg" xmlns:x="http://www.w3.org/1999/xlink">'
            '<image x:href="file:///etc/passwd"/></svg>',
            "image",
        ),
        ('<svg xmlns="http://www.w3.org/2000/svg"><rect fill="url(http://x/#a)"/></svg>', "url"),
        ('<!DOCTYPE svg [<!ENTITY a "aaaa">]><svg xmlns="http://www.w3.org/2000/svg"/>', "DOCTYPE"),
        ("<svg><rect/></svg>", "SVG"),
        ("<svg", "well-formed"),
        ('<html xmlns="http://www.w3.org/2000/svg"/>', "root"),
    ],
)
def test_clean_svg_refuses_what_charts_never_need(svg: str, reason: str) -> None:
    with pytest.raises(ValueError, match=re.escape(reason)):
        charts.clean_svg(svg)


def test_title_can_be_left_to_a_caption() -> None:
    root = parse(charts.bar_chart([("a", 1.0)], title="Begroting", show_title=False))
    assert root.findtext(f"{NS}title") == "Begroting"
    drawn = ["".join(text.itertext()) for text in root.iter(f"{NS}text")]
    assert not any("Begroting" in text for text in drawn)
