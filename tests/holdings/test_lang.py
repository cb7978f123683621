"""Language identification: Dutch, English, everything else, and too little to tell."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from lingua import Language, LanguageDetectorBuilder

from baken.holdings import lang
from baken.holdings.lang import identify
from tests.holdings.extract_samples import DUTCH, ENGLISH, GERMAN


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("De raad vergadert op dinsdag over de begroting.", "nl"),
        ("The council meets on Tuesday to discuss the budget.", "en"),
        ("Der Rat tagt am Dienstag über den Haushalt.", "other"),
        ("Le conseil se réunit mardi pour discuter du budget.", "other"),
        ("Совет соберётся во вторник, чтобы обсудить бюджет.", "other"),
    ],
)
def test_short_sentences(text: str, code: str) -> None:
    assert identify(text) == code


@pytest.mark.parametrize(("text", "code"), [(DUTCH, "nl"), (ENGLISH, "en"), (GERMAN, "other")])
def test_paragraphs(text: str, code: str) -> None:
    assert identify(text) == code


def test_names_in_another_language_do_not_decide() -> None:
    # A whole-text verdict reads this as Dutch (the names); the sentence vote does not.
    text = (
        "Russian intelligence officers continue to target Dutch defence suppliers. "
        "Pavel Orlov met an engineer of Noordzee Logistiek B.V. in Amsterdam on three "
        "occasions. Een korte Nederlandse zin."
    )
    assert identify(text) == "en"


@pytest.mark.parametrize("text", ["", "   \n\t", "ok", "12345 67890 !!!", "€ 1.250,00"])
def test_empty_or_too_short_text_is_other(text: str) -> None:
    assert identify(text) == "other"


def test_only_the_beginning_is_read() -> None:
    text = (ENGLISH + " ") * 20 + (DUTCH + " ") * 200
    assert len((ENGLISH + " ") * 20) > lang.SAMPLE_CHARS
    assert identify(text) == "en"


def test_concurrent_calls_agree() -> None:
    texts = [DUTCH, ENGLISH, "Goedemorgen allemaal", "Good morning everyone"] * 16
    with ThreadPoolExecutor(max_workers=8) as pool:
        codes = list(pool.map(identify, texts))
    assert codes == ["nl", "en", "nl", "en"] * 16


def test_the_detector_is_built_once_under_concurrency(monkeypatch: pytest.MonkeyPatch) -> None:
    builds: list[object] = []
    real = LanguageDetectorBuilder

    class Counting:
        @staticmethod
        def from_languages(*languages: Language) -> LanguageDetectorBuilder:
            builds.append(languages)
            time.sleep(0.05)  # widen the window in which a second thread could build too
            return real.from_languages(*languages)

    monkeypatch.setattr(lang, "LanguageDetectorBuilder", Counting)
    monkeypatch.setattr(lang, "_detectors", [])
    with ThreadPoolExecutor(max_workers=8) as pool:
        codes = list(pool.map(identify, [DUTCH] * 16))
    assert codes == ["nl"] * 16
    assert len(builds) == 1
