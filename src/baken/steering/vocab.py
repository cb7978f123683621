"""The steering vocabulary (``vocab.yaml``): themes, ministries, tasks, statuses."""

from __future__ import annotations

from typing import Any

from baken.core.principals import ObjectKind, kinds_from
from baken.core.vocab import load


def data() -> dict[str, Any]:
    return load("vocab", "baken.steering")


def label(group: str, code: str, locale: str = "nl") -> str:
    entry = data()[group].get(code)
    if entry is None:
        return code
    return str(entry["en" if locale == "en" else "nl"])


def codes(group: str) -> list[str]:
    return list(data()[group])


def kinds() -> list[ObjectKind]:
    return list(kinds_from(data()))


def tasks(service: str) -> dict[str, str]:
    return dict(data()["tasks"].get(service, {}))
