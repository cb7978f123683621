"""The early-warning charts (server-side SVG from :mod:`baken.core.charts`): a series with
its baseline band and flagged weeks, and counts per region by theme."""

from __future__ import annotations

from datetime import date
from typing import Any

from baken.analysis.warning import places
from baken.analysis.warning.service import Dashboard, SeriesView
from baken.core.charts import line_chart, stacked_bars
from baken.core.i18n import N_, gettext
from baken.steering import vocab as steering_vocab

SHOWN_WEEKS = 26


def _lang(locale: str) -> Any:
    return "en" if locale == "en" else "nl"


def _week(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def series_chart(view: SeriesView, locale: str, title: str, shown: int = 52) -> str:
    weeks, points = view.weeks[-shown:], view.points[-shown:]
    bands = [p.band(view.params.threshold) for p in points]
    return line_chart(
        [_week(w) for w in weeks],
        [
            (gettext(locale, N_("Observed")), [p.value for p in points]),
            (gettext(locale, N_("Baseline")), [p.expected for p in points]),
            (gettext(locale, N_("Upper bound")), [b[1] if b else None for b in bands]),
            (gettext(locale, N_("Flagged")), [p.value if p.flagged else None for p in points]),
        ],
        title=title,
        lang=_lang(locale),
    )


def region_chart(board: Dashboard, region: str, locale: str) -> str:
    """Weekly counts in one region, a line per theme with any count."""
    weeks = board.weeks[-SHOWN_WEEKS:]
    lines = [
        (steering_vocab.label("themes", theme, locale), values[-SHOWN_WEEKS:])
        for (r, theme), values in sorted(board.cells.items())
        if r == region and any(values[-SHOWN_WEEKS:])
    ]
    return line_chart(
        [_week(w) for w in weeks],
        [(name, list(values)) for name, values in lines],
        title=places.label(region, locale),
        lang=_lang(locale),
    )


def theme_chart(board: Dashboard, locale: str) -> str:
    """Counts of the last weeks per theme, stacked by region."""
    regions = sorted({r for r, _ in board.cells})
    themes = sorted({t for _, t in board.cells})
    series = [
        (
            places.label(region, locale),
            [sum(board.cells.get((region, t), [0.0])[-SHOWN_WEEKS:]) for t in themes],
        )
        for region in regions
    ]
    return stacked_bars(
        [steering_vocab.label("themes", t, locale) for t in themes],
        series,
        title=gettext(locale, N_("Counts per theme and region, last 26 weeks")),
        lang=_lang(locale),
    )
