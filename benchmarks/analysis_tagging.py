"""The automatic tagger's quality and speed on the labelled Dutch and English set
shipped with the tests (``tests/analysis/tagging/data/labelled.jsonl``, fictional).

* Precision, recall and F1 per GA I&V theme, and macro-F1 (target >= 0.80), of the
  tagger (keywords + TF-IDF nearest examples), next to two baselines measured in the
  same run: the keyword lists alone, and always proposing the most frequent theme.
* Texts tagged per second, tagger against the keyword lists alone.

The labelled set and the tagger's examples are drawn from the same fictional phrase
banks (disjoint seeds, a third of the test phrases held out of training): the figures
say the tagger works as built, not how it would fare on real reporting.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from pathlib import Path

from rich.console import Console
from rich.table import Table

from baken.analysis.tagging import tagger
from baken.steering import vocab as steering_vocab
from benchmarks.core import Row

LABELLED = Path(__file__).resolve().parents[1] / "tests/analysis/tagging/data/labelled.jsonl"
TARGET = 0.80


def _items() -> list[tuple[str, list[str]]]:
    rows = [json.loads(line) for line in LABELLED.read_text("utf-8").splitlines() if line]
    return [(r["text"], r["themes"]) for r in rows]


def _rate(items: list[tuple[str, list[str]]], use_examples: bool) -> float:
    start = time.perf_counter()
    for text, _ in items:
        tagger.predict(text, use_examples=use_examples)
    return len(items) / (time.perf_counter() - start)


def run(tmp: Path, console: Console) -> list[Row]:
    items = _items()
    themes = steering_vocab.codes("themes")
    tagger.predict("warm-up")  # load the keyword lists and fit the example index first
    ours = tagger.evaluate(items, themes)
    keywords = tagger.evaluate(
        items, themes, lambda text: {s.theme for s in tagger.predict(text, use_examples=False)}
    )
    majority = Counter(t for _, gold in items for t in gold).most_common(1)[0][0]
    constant = tagger.evaluate(items, themes, lambda text: {majority})
    table = Table("theme", "support", "P", "R", "F1", "keywords-only F1", title="Tagger per theme")
    for q, k in zip(ours, keywords, strict=True):
        table.add_row(
            q.theme,
            str(q.support),
            f"{q.precision:.2f}",
            f"{q.recall:.2f}",
            f"{q.f1:.2f}",
            f"{k.f1:.2f}",
        )
    console.print(table)
    rows = [
        Row(
            f"Tagger {q.theme} P/R/F1 (vs keywords only)",
            f"{q.precision:.2f} / {q.recall:.2f} / {q.f1:.2f}",
            f"{k.precision:.2f} / {k.recall:.2f} / {k.f1:.2f}",
            f"{q.support} labelled items",
        )
        for q, k in zip(ours, keywords, strict=True)
    ]
    macro = tagger.macro_f1(ours)
    rows.append(
        Row(
            "Tagger macro-F1 (vs keywords only)",
            f"{macro:.3f}",
            f"{tagger.macro_f1(keywords):.3f}",
            f"{len(items)} items, nl + en, fictional",
            target=f"macro-F1 >= {TARGET}",
            holds=macro >= TARGET,
        )
    )
    rows.append(
        Row(
            "Tagger macro-F1 (vs majority theme)",
            f"{macro:.3f}",
            f"{tagger.macro_f1(constant):.3f}",
            f"always {majority}",
        )
    )
    rows.append(
        Row(
            "Tagger texts/s (vs keywords only)",
            f"{_rate(items, True):.0f}",
            f"{_rate(items, False):.0f}",
            "one process, no database",
        )
    )
    return rows
