"""The protect vocabularies: each subpackage keeps its own ``vocab.yaml`` (kinds and
labels); the kinds of all of them are registered together."""

from __future__ import annotations

from typing import Any

from baken.core.principals import ObjectKind
from baken.parts import Parts

PARTS = ("sweeps", "industrial", "resilience", "threats", "overview")
MODULE = Parts("baken.protect", PARTS)


def data(part: str) -> dict[str, Any]:
    return MODULE.data(part)


def label(part: str, group: str, code: str | None, locale: str = "nl") -> str:
    return MODULE.label(part, group, code, locale)


def codes(part: str, group: str) -> list[str]:
    return MODULE.codes(part, group)


def kinds() -> list[ObjectKind]:
    return MODULE.kinds()
