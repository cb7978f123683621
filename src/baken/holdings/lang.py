"""Language identification: Dutch, English or something else.

lingua runs offline on models shipped in its wheel. Two detectors, each built once on
first use: the low-accuracy one (trigrams only, 0.1 s and ~30 MB to load) is reliable
past about 120 characters, which is nearly every document; the high-accuracy one (3 s,
~250 MB) is loaded only when a short text needs it.
"""

from __future__ import annotations

import threading
from typing import Literal

from lingua import Language, LanguageDetector, LanguageDetectorBuilder

LanguageCode = Literal["nl", "en", "other"]

# The languages the holdings are likely to contain; "other" covers the rest. A language
# left out of the set cannot be "other": its text is read as the nearest one in the set.
LANGUAGES = (
    Language.DUTCH,
    Language.ENGLISH,
    Language.GERMAN,
    Language.FRENCH,
    Language.SPANISH,
    Language.PORTUGUESE,
    Language.ITALIAN,
    Language.POLISH,
    Language.RUSSIAN,
    Language.UKRAINIAN,
    Language.ARABIC,
    Language.PERSIAN,
    Language.TURKISH,
    Language.CHINESE,
)
CODES: dict[Language, LanguageCode] = {Language.DUTCH: "nl", Language.ENGLISH: "en"}
SAMPLE_CHARS = 2_000
MIN_LETTERS = 10  # fewer letters than this say too little to tell
LONG_TEXT = 120  # letters from which the low-accuracy detector is trusted

_lock = threading.Lock()
_detectors: dict[bool, LanguageDetector] = {}


def _detector(low_accuracy: bool) -> LanguageDetector:
    detector = _detectors.get(low_accuracy)
    if detector is None:
        with _lock:
            detector = _detectors.get(low_accuracy)
            if detector is None:
                builder = LanguageDetectorBuilder.from_languages(*LANGUAGES)
                if low_accuracy:
                    builder = builder.with_low_accuracy_mode()
                detector = builder.build()
                _detectors[low_accuracy] = detector
    return detector


def identify(text: str) -> LanguageCode:
    """Dutch ("nl"), English ("en") or "other" (also for empty or too short text),
    judged on the first 2,000 characters."""
    sample = text[:SAMPLE_CHARS]
    letters = sum(1 for char in sample if char.isalpha())
    if letters < MIN_LETTERS:
        return "other"
    language = _detector(low_accuracy=letters >= LONG_TEXT).detect_language_of(sample)
    if language is None:
        return "other"
    return CODES.get(language, "other")
