"""Modules made of parts (``analysis``, ``oversight``): each part is a subpackage with its
own ``vocab.yaml``, ``routes`` (routers ``pages``, ``api`` and a list ``extra``), ``leak``
(``FIXTURES``, ``CASES``), ``demo`` (``load``) and, optionally, ``cli`` (``register``).
:class:`Parts` gathers them for the module's plugin and vocabulary."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from types import ModuleType
from typing import TYPE_CHECKING, Any

from baken.core.principals import ObjectKind, kinds_from
from baken.core.vocab import load

if TYPE_CHECKING:
    import typer
    from fastapi import APIRouter
    from sqlalchemy.orm import Session

    from baken.core.config import Settings
    from baken.testing.leakmatrix import LeakCase, LeakFixture


@dataclass(frozen=True, slots=True)
class Parts:
    package: str
    names: tuple[str, ...]

    def modules(self, name: str, *, optional: bool = False) -> list[ModuleType]:
        found = []
        for part in self.names:
            try:
                found.append(importlib.import_module(f"{self.package}.{part}.{name}"))
            except ModuleNotFoundError as exc:
                if not optional or exc.name != f"{self.package}.{part}.{name}":
                    raise
        return found

    # The vocabulary of each part.
    def data(self, part: str) -> dict[str, Any]:
        return load("vocab", f"{self.package}.{part}")

    def label(self, part: str, group: str, code: str | None, locale: str = "nl") -> str:
        entry = self.data(part).get(group, {}).get(code) if code else None
        if entry is None:
            return code or ""
        return str(entry["en" if locale == "en" else "nl"])

    def codes(self, part: str, group: str) -> list[str]:
        return list(self.data(part).get(group, {}))

    def kinds(self) -> list[ObjectKind]:
        return [
            kind
            for part in self.names
            for kind in kinds_from({"kinds": self.data(part).get("kinds") or {}})
        ]

    # What the module's plugin registers.
    def routers(self) -> list[APIRouter]:
        return [
            router
            for routes in self.modules("routes")
            for router in (routes.pages, routes.api, *getattr(routes, "extra", []))
        ]

    def register_cli(self, app: typer.Typer) -> None:
        for cli in self.modules("cli", optional=True):
            cli.register(app)

    def load_demo(self, session: Session, users: dict[str, int], settings: Settings) -> None:
        for demo in self.modules("demo"):
            demo.load(session, users, settings)

    def leak_fixtures(self) -> list[LeakFixture]:
        return [f for leak in self.modules("leak") for f in leak.FIXTURES]

    def leak_cases(self) -> list[LeakCase]:
        return [c for leak in self.modules("leak") for c in leak.CASES]
