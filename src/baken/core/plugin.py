"""The core's own contributions: its object kinds, CLI commands and demo world."""

from __future__ import annotations

from typing import TYPE_CHECKING

from baken.plugins import hookimpl

if TYPE_CHECKING:
    from baken.core.principals import ObjectKind


@hookimpl
def baken_object_kinds() -> list[ObjectKind]:
    from baken.core.principals import core_kinds

    return list(core_kinds())
