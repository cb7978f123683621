"""Offline NER on the gold sets, against gazetteer-only recognition in the same run.

* Precision / recall / F1 per label and language on ``tests/holdings/data/ner_gold.jsonl``
  (exact spans; "location+country" counts a place under either label), and the overall
  F1 on the held-out set ``ner_heldout.jsonl``.
* Throughput of Dutch (Frog + gazetteers) and English (spaCy + gazetteers) recognition
  on ~30,000 characters of gold-set text, models warm.
* The time the Frog server takes to start.

The baseline is what the platform does without models: the gazetteers and the company
pattern alone (``language="other"``).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from rich.console import Console

from baken.holdings.nlp import Recogniser
from baken.holdings.nlp.evaluate import PLACE, Score, evaluate, load_gold
from baken.holdings.types import Mention
from benchmarks.core import Row

DATA = Path(__file__).resolve().parents[1] / "tests" / "holdings" / "data"
LABELS = ("person", "organisation", "location", "country", PLACE)
THROUGHPUT_CHARS = 30_000


class _GazetteerOnly:
    """The baseline: every text as if its language had no model."""

    def __init__(self, recogniser: Recogniser) -> None:
        self.recogniser = recogniser

    def recognise(self, text: str, language: str) -> list[Mention]:
        del language
        return self.recogniser.recognise(text, "other")


def _prf(score: Score) -> str:
    return f"{score.precision:.2f} / {score.recall:.2f} / {score.f1:.2f}"


def _text(items: list[dict[str, Any]], language: str) -> str:
    body = "\n\n".join(item["text"] for item in items if item["lang"] == language) + "\n\n"
    return (body * (THROUGHPUT_CHARS // len(body) + 1))[:THROUGHPUT_CHARS]


def _rate(recogniser: Any, text: str, language: str) -> float:
    start = time.perf_counter()
    recogniser.recognise(text, language)
    return len(text) / (time.perf_counter() - start)


def run(tmp: Path, console: Console) -> list[Row]:
    del tmp  # nothing on disk: the recognisers work in memory
    gold = load_gold(DATA / "ner_gold.jsonl")
    heldout = load_gold(DATA / "ner_heldout.jsonl")
    full = Recogniser(frog=True)
    bare = Recogniser(frog=False)
    baseline = _GazetteerOnly(bare)
    rows: list[Row] = []
    try:
        with console.status("NER: starting Frog, loading spaCy and the gazetteers"):
            bare.gazetteer()
            start = time.perf_counter()
            full.recognise("De AIVD.", "nl")
            frog_start = time.perf_counter() - start
            full.recognise("The AIVD.", "en")
        dutch = full.status()["nl"]
        with console.status("NER: gold sets"):
            scores, base = evaluate(full, gold), evaluate(baseline, gold)
            held, held_base = evaluate(full, heldout), evaluate(baseline, heldout)
        for language in ("nl", "en"):
            support = sum(1 for item in gold if item["lang"] == language)
            for label in LABELS:
                ours, theirs = scores[language][label], base[language][label]
                rows.append(
                    Row(
                        f"NER {language} {label}: P / R / F1",
                        _prf(ours),
                        _prf(theirs) + " (gazetteer)",
                        f"gold set, {support} sentences, {ours.support} mentions; exact spans",
                    )
                )
            ours, theirs = held[language]["all"], held_base[language]["all"]
            rows.append(
                Row(
                    f"NER {language} all labels, held-out set: P / R / F1",
                    _prf(ours),
                    _prf(theirs) + " (gazetteer)",
                    f"{ours.support} mentions; written apart from the rules' development",
                )
            )
        with console.status("NER: throughput"):
            for language in ("nl", "en"):
                text = _text(gold, language)
                ours_rate, base_rate = _rate(full, text, language), _rate(baseline, text, language)
                engine = "Frog" if language == "nl" else "spaCy"
                rows.append(
                    Row(
                        f"NER {language} throughput",
                        f"{ours_rate:,.0f} chars/s",
                        f"{base_rate:,.0f} chars/s (gazetteer)",
                        f"{engine} + gazetteers, {len(text):,} characters, models warm",
                    )
                )
        rows.append(Row("NER Frog server start", f"{frog_start:.1f} s", "–", dutch))
    finally:
        full.close()
        bare.close()
    return rows
