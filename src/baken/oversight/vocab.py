"""The oversight vocabularies: each subpackage keeps its own ``vocab.yaml`` (kinds and
labels); the kinds of all of them are registered together."""

from __future__ import annotations

from typing import Any

from baken.core.principals import ObjectKind, kinds_from
from baken.core.vocab import load

PARTS = ("permissions", "lifecycle")


def data(part: str) -> dict[str, Any]:
    return load("vocab", f"baken.oversight.{part}")


def label(part: str, group: str, code: str | None, locale: str = "nl") -> str:
    entry = data(part).get(group, {}).get(code) if code else None
    if entry is None:
        return code or ""
    return str(entry["en" if locale == "en" else "nl"])


def codes(part: str, group: str) -> list[str]:
    return list(data(part).get(group, {}))


def kinds() -> list[ObjectKind]:
    return [k for part in PARTS for k in kinds_from({"kinds": data(part).get("kinds") or {}})]
