"""Anomaly detection on weekly counts against a seasonal baseline (no database here).

The method, a *seasonal median/MAD baseline* (robust z-score), for each week ``t``:

1. Take the counts of the same week in earlier seasons (``t - k * season`` for
   ``k = 1, 2, …``), each with its neighbours up to ``window`` weeks either side. Only the
   past is used, so a week is judged by what came before it.
2. When that gives fewer than ``min_samples`` values (the first season of a series), take
   the trailing ``season`` weeks instead.
3. The baseline is the median of those values; the spread is ``1.4826 × MAD`` (the
   median absolute deviation scaled to a standard deviation under a normal law), and at
   least ``√max(median, 1)``, the standard deviation of a Poisson count, so that a quiet
   series with MAD 0 does not flag every extra event.
4. The week's score is ``(count − baseline) / spread``; it is flagged when the score is
   at least ``threshold``. Only rises are flagged: early warning looks for surges.

The band drawn on the series page is ``baseline ± threshold × spread``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from baken.core.errors import DomainError
from baken.core.i18n import N_

MAD_SCALE = 1.4826


class DetectorError(DomainError):
    """Detector parameters that cannot be used."""


@dataclass(frozen=True, slots=True)
class Params:
    season: int = 52  # weeks in a season (a year)
    window: int = 2  # neighbours either side of the same week in earlier seasons
    threshold: float = 3.5  # robust z-score at or above which a week is flagged
    min_samples: int = 5  # fewer seasonal values than this: use the trailing season

    def check(self) -> Params:
        if not 2 <= self.season <= 104:
            raise DetectorError(N_("the season length must lie between 2 and 104 weeks"))
        if not 0 <= self.window <= 8:
            raise DetectorError(N_("the window must lie between 0 and 8 weeks"))
        if not math.isfinite(self.threshold) or not 1.0 <= self.threshold <= 10.0:
            raise DetectorError(N_("the threshold must lie between 1 and 10"))
        if not 3 <= self.min_samples <= 50:
            raise DetectorError(N_("the minimum number of samples must lie between 3 and 50"))
        return self


def parse_params(
    season: str | None = None,
    window: str | None = None,
    threshold: str | None = None,
) -> Params:
    """Parameters as typed in a form or a query string; empty means the default."""
    default = Params()

    def number(text: str | None, fallback: float, what: str, integer: bool) -> float:
        if text is None or not text.strip():
            return fallback
        try:
            value = float(text.strip().replace(",", "."))
        except ValueError:
            raise DetectorError(N_("{what} must be a number"), what=what) from None
        if integer and value != int(value):
            raise DetectorError(N_("{what} must be a whole number"), what=what)
        return value

    return Params(
        season=int(number(season, default.season, "season", True)),
        window=int(number(window, default.window, "window", True)),
        threshold=number(threshold, default.threshold, "threshold", False),
    ).check()


@dataclass(frozen=True, slots=True)
class Point:
    value: float
    expected: float | None  # None: not enough history to judge
    spread: float | None
    score: float | None
    flagged: bool

    def band(self, threshold: float) -> tuple[float, float] | None:
        if self.expected is None or self.spread is None:
            return None
        return (
            max(0.0, self.expected - threshold * self.spread),
            self.expected + threshold * self.spread,
        )


def _samples(values: np.ndarray, t: int, params: Params) -> np.ndarray:
    picked: list[float] = []
    k = 1
    while t - k * params.season + params.window >= 0:
        centre = t - k * params.season
        low, high = max(0, centre - params.window), min(t, centre + params.window + 1)
        picked.extend(values[low:high].tolist())
        k += 1
    if len(picked) >= params.min_samples:
        return np.asarray(picked, dtype=float)
    return values[max(0, t - params.season) : t]


def detect(
    values: Sequence[float], params: Params | None = None, last: int | None = None
) -> list[Point]:
    """Judge every week of ``values`` (oldest first) against its seasonal baseline, or
    only the ``last`` weeks (the others get no verdict): the past is all a week needs."""
    p = (params or Params()).check()
    series = np.asarray(values, dtype=float)
    first = 0 if last is None else max(0, len(series) - last)
    out: list[Point] = []
    for t, value in enumerate(series.tolist()):
        samples = _samples(series, t, p) if t >= first else series[:0]
        if len(samples) < p.min_samples:
            out.append(Point(value, None, None, None, False))
            continue
        expected = float(np.median(samples))
        mad = float(np.median(np.abs(samples - expected)))
        spread = max(MAD_SCALE * mad, math.sqrt(max(expected, 1.0)))
        score = (value - expected) / spread
        out.append(Point(value, expected, spread, score, score >= p.threshold))
    return out


def global_zscore(values: Sequence[float], threshold: float = 3.0) -> list[bool]:
    """The naive baseline the benchmark compares with: one mean and standard deviation
    over the whole series, no season, no robustness."""
    series = np.asarray(values, dtype=float)
    sd = float(series.std()) or 1.0
    return [bool(v) for v in ((series - series.mean()) / sd >= threshold)]


def precision_recall(flagged: Sequence[bool], truth: set[int]) -> tuple[float, float]:
    hits = {i for i, f in enumerate(flagged) if f}
    tp = len(hits & truth)
    precision = tp / len(hits) if hits else 1.0
    recall = tp / len(truth) if truth else 1.0
    return precision, recall
