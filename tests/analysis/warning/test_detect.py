"""The detector on generated series (no database): it finds injected surges that a
global z-score misses, stays quiet on a series without them, judges a week only by the
past, and refuses parameters it cannot use."""

from __future__ import annotations

import pytest

from baken.analysis.warning.detect import (
    DetectorError,
    Params,
    detect,
    global_zscore,
    parse_params,
    precision_recall,
)
from baken.analysis.warning.synthetic import generate

SEEDS = range(8)


def test_the_detector_finds_the_injected_anomalies() -> None:
    found = truth = hits = 0
    for seed in SEEDS:
        series = generate(seed=seed)
        flagged = {i for i, p in enumerate(detect(series.values)) if p.flagged}
        found += len(flagged)
        truth += len(series.anomalies)
        hits += len(flagged & series.anomalies)
    assert hits / truth >= 0.85  # recall
    assert hits / found >= 0.85  # precision


def test_the_seasonal_baseline_beats_a_global_zscore_on_recall() -> None:
    ours = naive = 0.0
    for seed in SEEDS:
        series = generate(seed=seed)
        ours += precision_recall([p.flagged for p in detect(series.values)], set(series.anomalies))[
            1
        ]
        naive += precision_recall(global_zscore(series.values), set(series.anomalies))[1]
    assert ours > naive + 0.2 * len(SEEDS)


def test_a_series_without_anomalies_raises_few_flags() -> None:
    series = generate(seed=3, anomalies=0)
    assert not series.anomalies
    flagged = [p for p in detect(series.values) if p.flagged]
    assert len(flagged) <= 2


def test_a_week_is_judged_by_the_past_only() -> None:
    series = generate(weeks=120, seed=5, anomalies=0)
    points = detect(series.values)
    later = [*series.values[:100], *[v * 10 for v in series.values[100:]]]
    assert detect(later)[:100] == points[:100]


def test_the_first_weeks_have_no_verdict_and_the_band_holds_the_baseline() -> None:
    points = detect([3, 4, 3, 5, 4, 3, 20])
    assert points[0].expected is None
    assert not points[0].flagged
    last = points[-1]
    assert last.flagged
    band = last.band(Params().threshold)
    assert band is not None
    assert band[0] <= (last.expected or 0) <= band[1] < last.value


def test_a_higher_threshold_flags_fewer_weeks() -> None:
    series = generate(seed=1)
    low = sum(p.flagged for p in detect(series.values, Params(threshold=2.0)))
    high = sum(p.flagged for p in detect(series.values, Params(threshold=6.0)))
    assert low > high


@pytest.mark.parametrize(
    ("season", "window", "threshold"),
    [
        ("abc", None, None),
        ("1", None, None),
        ("52.5", None, None),
        (None, "99", None),
        (None, None, "0.5"),
        (None, None, "nan"),
        (None, None, "veel"),
    ],
)
def test_malformed_parameters_are_refused(
    season: str | None, window: str | None, threshold: str | None
) -> None:
    with pytest.raises(DetectorError):
        parse_params(season, window, threshold)


def test_parameters_accept_a_decimal_comma_and_defaults() -> None:
    assert parse_params("26", "", "4,5") == Params(season=26, window=2, threshold=4.5)
    assert parse_params() == Params()


def test_judging_only_the_last_weeks_gives_the_same_verdicts() -> None:
    series = generate(seed=2)
    full = detect(series.values)
    tail = detect(series.values, last=10)
    assert tail[-10:] == full[-10:]
    assert all(p.expected is None for p in tail[:-10])
