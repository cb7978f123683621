"""The burgerservicenummer (BSN): nine digits that pass the eleven-test
(elfproef): 9·d1 + 8·d2 + … + 2·d8 − 1·d9 is a multiple of 11."""

from __future__ import annotations

import re

DIGITS = re.compile(r"\d{9}")


def normalise(value: str) -> str:
    """Strip spaces and dots people type; a BSN of eight digits gets its leading zero."""
    text = re.sub(r"[\s.]", "", value)
    return text.zfill(9) if len(text) == 8 and text.isdigit() else text


def valid(value: str) -> bool:
    """Whether ``value`` (already normalised) is a well-formed BSN."""
    if not DIGITS.fullmatch(value) or value == "000000000":
        return False
    digits = [int(c) for c in value]
    total = sum(w * d for w, d in zip(range(9, 1, -1), digits[:8], strict=True)) - digits[8]
    return total % 11 == 0
