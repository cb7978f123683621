"""The holdings vocabulary (``vocab.yaml``): object kinds, collection kinds, legal bases,
document states and pipeline stages."""

from __future__ import annotations

from typing import Any

from baken.core.principals import ObjectKind, kinds_from
from baken.core.vocab import load

COLLECTION = "collectie"
DOCUMENT = "document"
ENTITY = "entiteit"


def data() -> dict[str, Any]:
    return load("vocab", "baken.holdings")


def label(group: str, code: str | None, locale: str = "nl") -> str:
    entry = data()[group].get(code) if code else None
    if entry is None:
        return code or ""
    return str(entry["en" if locale == "en" else "nl"])


def codes(group: str) -> list[str]:
    return list(data()[group])


def kinds() -> list[ObjectKind]:
    return list(kinds_from(data()))
