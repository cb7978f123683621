"""Early warning: the anomaly detector on generated weekly series with injected surges.

* Precision and recall of the seasonal median/MAD detector (default parameters: season
  52 weeks, window ±2, threshold 3.5) over many seeded series of four years, next to the
  naive baseline measured on the same series: one global z-score (mean and standard
  deviation of the whole series, threshold 3), no season.
* The time to judge every week of those series.
"""

from __future__ import annotations

import time
from pathlib import Path

from rich.console import Console

from baken.analysis.warning.detect import Params, detect, global_zscore
from baken.analysis.warning.synthetic import generate
from benchmarks.core import Row

SERIES = 200
WEEKS = 208
ANOMALIES = 8


def _score(flagged: list[set[int]], truth: list[frozenset[int]]) -> tuple[float, float, float]:
    hits = sum(len(f & t) for f, t in zip(flagged, truth, strict=True))
    found = sum(len(f) for f in flagged)
    real = sum(len(t) for t in truth)
    precision = hits / found if found else 1.0
    recall = hits / real if real else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def run(tmp: Path, console: Console) -> list[Row]:
    del tmp  # no files: the detector is pure
    params = Params()
    series = [generate(WEEKS, seed=seed, anomalies=ANOMALIES) for seed in range(SERIES)]
    truth = [s.anomalies for s in series]
    with console.status("early-warning detector"):
        start = time.perf_counter()
        ours = [{i for i, p in enumerate(detect(s.values, params)) if p.flagged} for s in series]
        seconds = time.perf_counter() - start
        start = time.perf_counter()
        naive = [{i for i, f in enumerate(global_zscore(s.values)) if f} for s in series]
        naive_seconds = time.perf_counter() - start
    p, r, f1 = _score(ours, truth)
    bp, br, bf1 = _score(naive, truth)
    size = f"{SERIES} series × {WEEKS} weeks, {ANOMALIES} surges each"
    return [
        Row(
            f"early warning precision, {size}",
            f"{p:.3f}",
            f"{bp:.3f} (global z-score)",
            f"seasonal median/MAD, season {params.season}, window ±{params.window}, "
            f"threshold {params.threshold}",
        ),
        Row(
            "early warning recall",
            f"{r:.3f}",
            f"{br:.3f} (global z-score)",
            f"F1 {f1:.3f} vs {bf1:.3f}; surges of 6 Poisson sd on a ±60% yearly season",
        ),
        Row(
            "early warning detection time",
            f"{seconds * 1000 / SERIES:.1f} ms per series",
            f"{naive_seconds * 1000 / SERIES:.2f} ms (global z-score)",
            f"{WEEKS} weeks judged per series, past only",
        ),
    ]
