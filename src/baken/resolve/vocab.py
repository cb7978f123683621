"""The resolve vocabulary (``vocab.yaml``): object kinds, run states, steps, verdicts and
engines."""

from __future__ import annotations

from typing import Any

from baken.core.principals import ObjectKind, kinds_from
from baken.core.vocab import load

XREF = "koppeling"
SCREENING = "screening"
VERDICTS = ("same", "different", "unsure")


def data() -> dict[str, Any]:
    return load("vocab", "baken.resolve")


def label(group: str, code: str | None, locale: str = "nl") -> str:
    entry = data()[group].get(code) if code else None
    if entry is None:
        return code or ""
    return str(entry["en" if locale == "en" else "nl"])


def codes(group: str) -> list[str]:
    return list(data()[group])


def kinds() -> list[ObjectKind]:
    return list(kinds_from(data()))
