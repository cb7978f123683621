"""The offline automatic tagger: GA I&V themes and requirements for a text.

Two signals, both from data shipped in the package (nothing is downloaded):

* **keywords** (``data/keywords.yaml``): Dutch and English terms per theme; a one-word term
  matches a word that starts with it, a longer term matches as a phrase. The matched
  terms are the explanation.
* **nearest examples** (``data/examples.jsonl``): fictional labelled sentences; the text is
  compared to them by TF-IDF over character n-grams (within words, so inflections and
  compounds still meet), and the most similar examples vote for their themes. The
  examples and their similarity are the explanation.

A theme's score combines the two signals (each in [0, 1]) as a noisy-or, so either can
carry a tag; a theme is proposed at or above :data:`THRESHOLD`. A requirement of a
proposed theme is proposed when its
question shares a content word with the text (the shared words explain it); otherwise
the text is tagged to the theme alone. Pure functions of the text: no database here.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import yaml

THRESHOLD = 0.5
SHORT_TERM = 4
NEIGHBOURS = 5
KEYWORD_RATE = 0.8  # 1 term -> 0.55, 2 -> 0.80, 3 -> 0.91
MAX_TEXT = 20_000  # characters of a document the tagger reads
MIN_REQUIREMENT_WORD = 5
_WORD = re.compile(r"[\w'-]+")

# Words of requirement questions that say nothing about their subject.
STOPWORDS = frozenset(
    [
        "welke",
        "wat",
        "hoe",
        "waar",
        "wie",
        "wanneer",
        "waarom",
        "binnen",
        "tegen",
        "tussen",
        "heeft",
        "hebben",
        "zijn",
        "worden",
        "wordt",
        "door",
        "over",
        "naar",
        "voor",
        "van",
        "met",
        "ten",
        "aanzien",
        "uit",
        "gaat",
        "bouwt",
        "doet",
        "richting",
        "nederland",
        "nederlandse",
        "belangen",
        "thema",
        "fictief",
        "actor",
        "netwerk",
        "entiteit",
        "staat",
        "gebied",
        "groepering",
        "which",
        "what",
        "where",
        "when",
        "whose",
        "within",
        "against",
        "between",
        "their",
        "there",
        "about",
        "into",
        "from",
        "with",
        "does",
        "have",
        "will",
        "netherlands",
        "dutch",
        "interests",
        "fictional",
    ]
)


def fold(text: str) -> str:
    """Lower case without diacritics: "Curaçao" and "curacao" are the same word."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    return _WORD.findall(fold(text))


@dataclass(frozen=True, slots=True)
class Example:
    text: str
    themes: tuple[str, ...]
    lang: str


@dataclass(frozen=True, slots=True)
class Neighbour:
    text: str
    themes: tuple[str, ...]
    similarity: float


@dataclass(frozen=True, slots=True)
class ThemeScore:
    theme: str
    score: float
    keyword_score: float
    example_score: float
    terms: tuple[str, ...]
    examples: tuple[Neighbour, ...]

    def explanation(self) -> dict[str, Any]:
        return {
            "method": "keywords+tfidf-nearest-examples",
            "score": round(self.score, 4),
            "keyword_score": round(self.keyword_score, 4),
            "example_score": round(self.example_score, 4),
            "terms": list(self.terms),
            "examples": [
                {
                    "text": n.text[:200],
                    "themes": list(n.themes),
                    "similarity": round(n.similarity, 3),
                }
                for n in self.examples
            ],
        }


@dataclass(frozen=True, slots=True)
class RequirementRef:
    """What the tagger needs of a requirement."""

    ref: str
    theme: str
    question: str


@dataclass(frozen=True, slots=True)
class Proposal:
    theme: str
    requirement_ref: str | None
    score: float
    explanation: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class _Term:
    text: str
    words: tuple[str, ...]


@cache
def keywords() -> dict[str, tuple[_Term, ...]]:
    raw = yaml.safe_load(
        resources.files("baken.analysis.tagging").joinpath("data/keywords.yaml").read_text("utf-8")
    )
    out: dict[str, tuple[_Term, ...]] = {}
    for theme, langs in raw.items():
        terms = {str(t) for lang in ("nl", "en") for t in (langs.get(lang) or [])}
        out[str(theme)] = tuple(_Term(t, tuple(words(t))) for t in sorted(terms))
    return out


@cache
def examples() -> tuple[Example, ...]:
    text = (
        resources.files("baken.analysis.tagging").joinpath("data/examples.jsonl").read_text("utf-8")
    )
    rows = [json.loads(line) for line in text.splitlines() if line.strip()]
    return tuple(Example(r["text"], tuple(r["themes"]), r["lang"]) for r in rows)


class _Index:
    def __init__(self, items: Sequence[Example]) -> None:
        from sklearn.feature_extraction.text import (  # type: ignore[import-untyped]
            TfidfVectorizer,
        )

        self.items = list(items)
        self.vectorizer = TfidfVectorizer(
            analyzer="char_wb", ngram_range=(3, 5), preprocessor=fold, sublinear_tf=True
        )
        self.matrix = self.vectorizer.fit_transform([e.text for e in self.items])

    def nearest(self, text: str, k: int = NEIGHBOURS) -> list[Neighbour]:
        vector = self.vectorizer.transform([text])
        sims = (self.matrix @ vector.T).toarray().ravel()
        order = sims.argsort()[::-1][:k]
        return [
            Neighbour(self.items[i].text, self.items[i].themes, float(sims[i]))
            for i in order
            if sims[i] > 0
        ]


@cache
def _index() -> _Index:
    return _Index(examples())


def _word_matches(word: str, token: str) -> bool:
    # Short terms (gru, pla, apt) would start too many unrelated words.
    return token == word if len(word) <= SHORT_TERM else token.startswith(word)


def _has_word(word: str, vocabulary: list[str]) -> bool:
    """Whether a sorted, de-duplicated token list holds ``word`` (or, for a longer
    term, a word starting with it): a binary search, not a scan."""
    i = bisect_left(vocabulary, word)
    if i == len(vocabulary):
        return False
    return _word_matches(word, vocabulary[i])


def _matches(term: _Term, tokens: list[str], vocabulary: list[str]) -> bool:
    n = len(term.words)
    if n == 0 or not all(_has_word(w, vocabulary) for w in term.words):
        return False
    if n == 1:
        return True
    for i in range(len(tokens) - n + 1):
        if all(_word_matches(term.words[j], tokens[i + j]) for j in range(n)):
            return True
    return False


def keyword_terms(text: str) -> dict[str, tuple[str, ...]]:
    tokens = words(text[:MAX_TEXT])
    vocabulary = sorted(set(tokens))
    found: dict[str, tuple[str, ...]] = {}
    for theme, terms in keywords().items():
        hit = tuple(t.text for t in terms if _matches(t, tokens, vocabulary))
        if hit:
            found[theme] = hit
    return found


def score_themes(text: str, *, use_examples: bool = True) -> list[ThemeScore]:
    """Every theme with any evidence, best first."""
    text = text[:MAX_TEXT]
    terms = keyword_terms(text)
    neighbours = _index().nearest(text) if use_examples and text.strip() else []
    votes: dict[str, list[Neighbour]] = {}
    for n in neighbours:
        for theme in n.themes:
            votes.setdefault(theme, []).append(n)
    total = sum(n.similarity for n in neighbours) or 1.0
    scores: list[ThemeScore] = []
    for theme in sorted(set(terms) | set(votes)):
        kw = 1.0 - math.exp(-KEYWORD_RATE * len(terms.get(theme, ())))
        near = votes.get(theme, [])
        # The share of the neighbours' similarity that votes for this theme, damped by how
        # similar the best of them is (a weak neighbourhood proves little).
        ex = (
            (sum(n.similarity for n in near) / total) * min(1.0, 2 * near[0].similarity)
            if near
            else 0.0
        )
        # Either signal alone can carry a tag (noisy-or): one keyword (0.55) does, and so
        # does a neighbourhood that votes for the theme with most of its similarity.
        score = 1 - (1 - kw) * (1 - ex) if use_examples else kw
        scores.append(ThemeScore(theme, score, kw, ex, terms.get(theme, ()), tuple(near[:3])))
    scores.sort(key=lambda s: (-s.score, s.theme))
    return scores


def predict(
    text: str, *, threshold: float = THRESHOLD, use_examples: bool = True
) -> list[ThemeScore]:
    """The themes the tagger proposes for ``text``."""
    return [s for s in score_themes(text, use_examples=use_examples) if s.score >= threshold]


def requirement_words(question: str) -> set[str]:
    return {w[:8] for w in words(question) if len(w) >= MIN_REQUIREMENT_WORD and w not in STOPWORDS}


def propose(text: str, requirements: Iterable[RequirementRef]) -> list[Proposal]:
    """Proposed tags for a text against the active requirements: per proposed theme, the
    requirements whose questions share a word with the text, or the theme alone."""
    themes = predict(text)
    if not themes:
        return []
    by_theme: dict[str, list[RequirementRef]] = {}
    for r in requirements:
        by_theme.setdefault(r.theme, []).append(r)
    stems = {w[:8] for w in words(text[:MAX_TEXT]) if len(w) >= MIN_REQUIREMENT_WORD}
    out: list[Proposal] = []
    for ts in themes:
        base = ts.explanation()
        matched = False
        for r in sorted(by_theme.get(ts.theme, []), key=lambda r: r.ref):
            shared = sorted(requirement_words(r.question) & stems)
            if shared:
                matched = True
                out.append(
                    Proposal(
                        ts.theme,
                        r.ref,
                        min(1.0, ts.score + 0.05 * len(shared)),
                        {**base, "requirement_terms": shared},
                    )
                )
        if not matched:
            out.append(Proposal(ts.theme, None, ts.score, base))
    return out


# --- evaluation ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ThemeQuality:
    theme: str
    precision: float
    recall: float
    f1: float
    support: int


def evaluate(
    items: Sequence[tuple[str, Sequence[str]]],
    themes: Sequence[str],
    predictor: Any = None,
) -> list[ThemeQuality]:
    """Precision, recall and F1 per theme of ``predictor(text) -> set of themes`` (the
    tagger by default) on ``(text, gold themes)`` items, as multi-label counts."""
    if predictor is None:

        def predictor(text: str) -> set[str]:
            return {s.theme for s in predict(text)}

    tp = dict.fromkeys(themes, 0)
    fp = dict.fromkeys(themes, 0)
    fn = dict.fromkeys(themes, 0)
    for text, gold in items:
        got = set(predictor(text))
        for t in themes:
            if t in got and t in gold:
                tp[t] += 1
            elif t in got:
                fp[t] += 1
            elif t in gold:
                fn[t] += 1
    out = []
    for t in themes:
        p = tp[t] / (tp[t] + fp[t]) if tp[t] + fp[t] else 0.0
        r = tp[t] / (tp[t] + fn[t]) if tp[t] + fn[t] else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        out.append(ThemeQuality(t, p, r, f, tp[t] + fn[t]))
    return out


def macro_f1(quality: Sequence[ThemeQuality]) -> float:
    return sum(q.f1 for q in quality) / len(quality) if quality else 0.0
