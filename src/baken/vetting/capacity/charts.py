"""The capacity charts (server-side SVG from :mod:`baken.core.charts`): the share of
decisions within the term per FTE with the target line, and the backlog per week."""

from __future__ import annotations

from typing import Any

from baken.core.charts import line_chart
from baken.core.i18n import N_, gettext
from baken.vetting.capacity.service import ScenarioView


def _lang(locale: str) -> Any:
    return "en" if locale == "en" else "nl"


def curve_chart(view: ScenarioView, locale: str) -> str:
    curve = [(int(p[0]), float(p[1])) for p in view.results.get("curve", [])]
    target = float(view.inputs.get("target", 0.9))
    return line_chart(
        [str(f) for f, _ in curve],
        [
            (gettext(locale, N_("Within the term (%)")), [round(s * 100, 1) for _, s in curve]),
            (gettext(locale, N_("Target (%)")), [round(target * 100, 1) for _ in curve]),
        ],
        title=gettext(locale, N_("Share of decisions within the term per FTE")),
        unit="%",
        lang=_lang(locale),
    )


def backlog_chart(view: ScenarioView, locale: str) -> str:
    result = view.result or {}
    backlog = [int(v) for v in result.get("backlog", [])]
    return line_chart(
        [f"{gettext(locale, N_('wk'))} {w + 1}" for w in range(len(backlog))],
        [(gettext(locale, N_("Open screenings")), [float(v) for v in backlog])],
        title=gettext(locale, N_("Backlog at the start of each week")),
        lang=_lang(locale),
    )
