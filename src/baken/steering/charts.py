"""The steering pages' charts (SVG from core.charts): capacity use by skill, coverage
by theme and by ministry, progress per period."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from baken.core.charts import line_chart, stacked_bars, used_vs_available
from baken.core.i18n import N_, gettext
from baken.steering import vocab
from baken.steering.schemas import JaarplanPublic, PlanVersionPublic, ProgressReportPublic

CLASSES = ("gedekt", "deels gedekt", "niet gedekt")


def _lang(locale: str) -> Any:
    return "en" if locale == "en" else "nl"


def capacity(plan: JaarplanPublic, version: PlanVersionPublic | None, locale: str) -> str:
    used = {s["resource"]: s["used"] for s in version.result["skills"]} if version else {}
    available: dict[str, float] = defaultdict(float)
    for c in plan.capacity:
        available[c.skill] += c.fte
    items = [(skill, float(used.get(skill, 0.0)), fte) for skill, fte in sorted(available.items())]
    return used_vs_available(
        items, title=gettext(locale, N_("Capacity use by skill")), lang=_lang(locale)
    )


def _coverage_by(version: PlanVersionPublic, key: str, group: str, locale: str, title: str) -> str:
    counts: dict[str, dict[str, float]] = defaultdict(lambda: dict.fromkeys(CLASSES, 0.0))
    for r in version.result["requirements"]:
        counts[r[key]][r["dekking"]] += 1
    categories = sorted(counts)
    series = [(gettext(locale, c), [counts[k][c] for k in categories]) for c in CLASSES]
    return stacked_bars(
        [vocab.label(group, k, locale) for k in categories], series, title=title, lang=_lang(locale)
    )


def for_version(version: PlanVersionPublic, locale: str) -> dict[str, str]:
    return {
        "theme": _coverage_by(
            version,
            "theme",
            "themes",
            locale,
            gettext(locale, N_("Coverage of requirements by theme")),
        ),
        "ministry": _coverage_by(
            version,
            "ministry",
            "ministries",
            locale,
            gettext(locale, N_("Coverage of requirements by ministry")),
        ),
    }


def progress(reports: list[ProgressReportPublic], locale: str) -> str:
    labels = [f"T{r.period}" for r in reports]
    statuses = vocab.codes("progress_status")
    series = [
        (
            vocab.label("progress_status", s, locale),
            [float(sum(1 for e in r.entries if e.status == s)) for r in reports],
        )
        for s in statuses
    ]
    return line_chart(
        labels, series, title=gettext(locale, N_("Progress per period")), lang=_lang(locale)
    )
