"""Generated weekly count series with a yearly season and injected anomalies (seeded), to
measure the detector (tests, benchmark) and to give the demo world a living dashboard."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True, slots=True)
class SyntheticSeries:
    values: list[int]
    anomalies: frozenset[int]  # the weeks where a surge was injected
    level: list[float]  # the expected count before noise and surges


def generate(
    weeks: int = 208,
    *,
    seed: int = 7,
    base: float = 12.0,
    amplitude: float = 0.6,
    season: int = 52,
    anomalies: int = 8,
    strength: float = 6.0,
    warmup: int | None = None,
    at: list[int] | None = None,
) -> SyntheticSeries:
    """Poisson counts around ``base × (1 + amplitude × sin(2πt/season))``; at
    ``anomalies`` random weeks after the first season (or the weeks ``at``), a surge of
    ``strength`` Poisson standard deviations is added."""
    rng = np.random.default_rng(seed)
    level = [base * (1 + amplitude * math.sin(2 * math.pi * t / season)) for t in range(weeks)]
    values = [int(v) for v in rng.poisson(level)]
    start = season if warmup is None else warmup
    if at is not None:
        chosen = sorted(set(at))
    else:
        pool = np.arange(start, weeks)
        chosen = sorted(
            int(i) for i in rng.choice(pool, size=min(anomalies, len(pool)), replace=False)
        )
    for i in chosen:
        values[i] += round(strength * math.sqrt(max(level[i], 1.0)))
    return SyntheticSeries(values, frozenset(chosen), level)
