"""The automatic tagger on its own (no database): quality on the shipped labelled set,
explanations, and linking text to requirements."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from baken.analysis.tagging import tagger
from baken.steering import vocab as steering_vocab

LABELLED = Path(__file__).with_name("data") / "labelled.jsonl"


def labelled() -> list[tuple[str, list[str]]]:
    rows = [json.loads(line) for line in LABELLED.read_text("utf-8").splitlines() if line]
    return [(r["text"], r["themes"]) for r in rows]


def test_the_labelled_set_is_dutch_and_english_across_every_theme() -> None:
    rows = [json.loads(line) for line in LABELLED.read_text("utf-8").splitlines() if line]
    assert len(rows) >= 300
    assert Counter(r["lang"] for r in rows).keys() == {"nl", "en"}
    themes = Counter(t for r in rows for t in r["themes"])
    assert set(themes) == set(steering_vocab.codes("themes"))
    assert min(themes.values()) >= 20
    assert any(not r["themes"] for r in rows)  # material about no theme at all


def test_macro_f1_on_the_labelled_set_is_at_least_080() -> None:
    quality = tagger.evaluate(labelled(), steering_vocab.codes("themes"))
    assert tagger.macro_f1(quality) >= 0.80, [
        (q.theme, round(q.precision, 2), round(q.recall, 2)) for q in quality
    ]
    assert all(q.f1 >= 0.6 for q in quality), quality


def test_the_quality_measure_can_fail() -> None:
    # A majority-theme baseline on the same set: the measure tells them apart.
    items = labelled()
    majority = Counter(t for _, gold in items for t in gold).most_common(1)[0][0]
    quality = tagger.evaluate(items, steering_vocab.codes("themes"), lambda text: {majority})
    assert tagger.macro_f1(quality) < 0.2


def test_keyword_and_example_explanations() -> None:
    [score] = [s for s in tagger.predict("Ransomware legde de systemen van het ziekenhuis plat.")]
    assert score.theme == "CYB"
    why = score.explanation()
    assert "ransomware" in why["terms"]
    assert why["examples"]
    assert all("CYB" in e["themes"] for e in why["examples"][:1])
    assert 0 < why["score"] <= 1


@pytest.mark.parametrize(
    "text",
    [
        "De kantine is volgende week gesloten.",
        "The printer on the third floor is broken again.",
        "",
    ],
)
def test_material_about_no_theme_is_left_alone(text: str) -> None:
    assert tagger.predict(text) == []


def test_short_terms_match_whole_words_only() -> None:
    # "pla" (the PLA) must not fire on "plans" or "place"; "PLA" itself does.
    assert "CHN" not in tagger.keyword_terms("The plans for the place were discussed.")
    assert tagger.keyword_terms("A PLA unit was seen.")["CHN"] == ("pla",)


def test_diacritics_do_not_matter() -> None:
    assert tagger.keyword_terms("Smokkel via Curacao")["VEN"]
    assert tagger.keyword_terms("Smokkel via Curaçao")["VEN"]


def test_requirements_are_proposed_by_shared_words_or_the_theme_alone() -> None:
    reqs = [
        tagger.RequirementRef("BH-0001", "CYB", "Welke ransomware-aanvallen treffen ziekenhuizen?"),
        tagger.RequirementRef("BH-0003", "CYB", "Welke statelijke actoren bespioneren telecom?"),
    ]
    proposals = tagger.propose("Ransomware legde de systemen van het ziekenhuis plat.", reqs)
    assert [(p.theme, p.requirement_ref) for p in proposals] == [("CYB", "BH-0001")]
    assert proposals[0].explanation["requirement_terms"]
    theme_only = tagger.propose("Phishingmails met malware gingen naar de staf.", reqs)
    assert [(p.theme, p.requirement_ref) for p in theme_only] == [("CYB", None)]
    assert tagger.propose("De kantine is dicht.", reqs) == []
