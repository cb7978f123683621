"""Scoring a recogniser against a gold set: exact-span precision, recall and F1.

Gold items are ``{"lang": "nl", "text": ..., "entities": [[start, end, label], ...]}``
(``tests/holdings/data/ner_gold.jsonl``). Scores are per language and per label, with
"location" and "country" also scored together as "location+country" (a span counts there
when both sides call it either), and "all" for every label at once.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, NamedTuple, Protocol

from baken.holdings.types import Mention

LABELS = ("person", "organisation", "location", "country")
PLACE = "location+country"


class Score(NamedTuple):
    precision: float
    recall: float
    f1: float
    support: int  # gold mentions


class _Recognises(Protocol):
    def recognise(self, text: str, language: str) -> list[Mention]: ...


def load_gold(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def evaluate(
    recogniser: _Recognises, items: Iterable[Mapping[str, Any]]
) -> dict[str, dict[str, Score]]:
    """``{language: {label: Score}}`` for every language in ``items``, plus "all"."""
    counts: dict[str, Counter[str]] = {}  # language → "tp:label", "gold:label", "pred:label"
    for item in items:
        language = str(item["lang"])
        gold = {(int(s), int(e), str(label)) for s, e, label in item["entities"]}
        predicted = {
            (m.start, m.end, m.label) for m in recogniser.recognise(str(item["text"]), language)
        }
        for bucket in (language, "all"):
            _count(counts.setdefault(bucket, Counter()), gold, predicted)
    return {language: _scores(counter) for language, counter in counts.items()}


def _count(counter: Counter[str], gold: set[Any], predicted: set[Any]) -> None:
    for label in LABELS:
        g = {(s, e) for s, e, lab in gold if lab == label}
        p = {(s, e) for s, e, lab in predicted if lab == label}
        counter[f"tp:{label}"] += len(g & p)
        counter[f"gold:{label}"] += len(g)
        counter[f"pred:{label}"] += len(p)
    places = ("location", "country")
    g = {(s, e) for s, e, lab in gold if lab in places}
    p = {(s, e) for s, e, lab in predicted if lab in places}
    counter[f"tp:{PLACE}"] += len(g & p)
    counter[f"gold:{PLACE}"] += len(g)
    counter[f"pred:{PLACE}"] += len(p)
    counter["tp:all"] += len(gold & predicted)
    counter["gold:all"] += len(gold)
    counter["pred:all"] += len(predicted)


def _scores(counter: Counter[str]) -> dict[str, Score]:
    scores: dict[str, Score] = {}
    for label in (*LABELS, PLACE, "all"):
        tp, gold, pred = (counter[f"{k}:{label}"] for k in ("tp", "gold", "pred"))
        precision = tp / pred if pred else 0.0
        recall = tp / gold if gold else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        scores[label] = Score(precision, recall, f1, gold)
    return scores
