"""The hook interface through which modules register themselves (pluggy, as Datasette).

Each module has a ``plugin`` module that implements some of these hooks. Nothing is
imported until :func:`registry` is first called.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    import typer
    from fastapi import APIRouter
    from sqlalchemy.orm import Session

    from baken.core.config import Settings
    from baken.core.principals import ObjectKind, Principal
    from baken.core.sanitise import Sanitiser
    from baken.testing.leakmatrix import LeakCase, LeakFixture

hookspec = pluggy.HookspecMarker("baken")
hookimpl = pluggy.HookimplMarker("baken")

# Built-in modules, in navigation order. A module is listed here when it has code.
BUILTIN = (
    "baken.core.plugin",
    "baken.notices.plugin",
    "baken.steering.plugin",
    "baken.holdings.plugin",
    "baken.resolve.plugin",
    "baken.analysis.plugin",
    "baken.oversight.plugin",
    "baken.vetting.plugin",
    "baken.protect.plugin",
    "baken.web.plugin",
)


@dataclass(frozen=True, slots=True)
class NavItem:
    """A navigation entry, shown to holders of ``roles`` or to those who may read
    ``kind``; with neither set, to every signed-in user."""

    key: str
    href: str
    label_nl: str
    label_en: str
    order: int = 100
    roles: frozenset[str] = frozenset()
    kind: str | None = None

    def label(self, locale: str) -> str:
        return self.label_en if locale == "en" else self.label_nl


class Hooks:
    @hookspec
    def baken_object_kinds(self) -> list[ObjectKind]:  # type: ignore[empty-body]
        """Kinds of marked object the module stores, with the roles that may use them."""

    @hookspec
    def baken_routers(self) -> list[APIRouter]:  # type: ignore[empty-body]
        """Routers with the module's pages and API endpoints."""

    @hookspec
    def baken_navigation(self) -> list[NavItem]:  # type: ignore[empty-body]
        """Entries for the main navigation."""

    @hookspec
    def baken_cli(self, app: typer.Typer) -> None:
        """Add the module's commands to the ``baken`` CLI."""

    @hookspec
    def baken_demo(self, session: Session, users: dict[str, int], settings: Settings) -> None:
        """Load the module's part of the fictional demo world (``users``: name -> id)."""

    @hookspec
    def baken_sanitisers(self) -> list[Sanitiser]:  # type: ignore[empty-body]
        """Kinds of object whose lower-marked version can be made by sanitisation."""

    # What one module tells another without importing it (a lower module never imports
    # a higher one: holdings and steering ask through these hooks).

    @hookspec
    def baken_document_stored(self, session: Session, document_id: int) -> None:
        """A document finished processing, in the transaction that stores it. Each
        implementation runs in a savepoint of its own; a failure is logged, not raised."""

    @hookspec
    def baken_intake_check(
        self, session: Session, principal: Principal, collection_id: int, today: date
    ) -> None:
        """Refuse adding data to a collection by raising a DomainError."""

    @hookspec
    def baken_requirement_coverage(  # type: ignore[empty-body]
        self, session: Session, principal: Principal
    ) -> dict[str, dict[str, int]]:
        """Material the principal may read, per requirement ref and per theme:
        ``{"requirements": {ref: n}, "themes": {theme: n}}``."""

    @hookspec
    def baken_release_links(  # type: ignore[empty-body]
        self, session: Session, principal: Principal, release_id: int
    ) -> list[tuple[str, str, str]]:
        """Links shown on a release's page in the partner portal, for a release the
        principal may read: (href, label nl, label en). Each module reads its own rows
        through the policy filter (protect: the threat product, to record the decision)."""

    @hookspec
    def baken_leak_fixtures(self) -> list[LeakFixture]:  # type: ignore[empty-body]
        """Makers of marked objects carrying secret strings, for the leak matrix."""

    @hookspec
    def baken_leak_cases(self) -> list[LeakCase]:  # type: ignore[empty-body]
        """How the leak matrix calls each of the module's routes."""


class Registry:
    def __init__(self, modules: tuple[str, ...] = BUILTIN, extra: tuple[object, ...] = ()):
        self._kinds: dict[str, ObjectKind] | None = None
        self.pm = pluggy.PluginManager("baken")
        self.pm.add_hookspecs(Hooks)
        for name in modules:
            self.pm.register(importlib.import_module(name), name=name)
        for plugin in extra:
            self.pm.register(plugin)

    @property
    def hook(self) -> Any:
        return self.pm.hook

    def collect(self, hook: Callable[[], list[Any]]) -> list[Any]:
        return [item for items in hook() for item in items]

    def kinds(self) -> dict[str, ObjectKind]:
        # Asked on every policy check: the plugins are fixed once registered, so the
        # kinds are gathered once.
        if self._kinds is None:
            self._kinds = {k.name: k for k in self.collect(self.hook.baken_object_kinds)}
        return self._kinds

    def navigation(self) -> list[NavItem]:
        return sorted(self.collect(self.hook.baken_navigation), key=lambda n: n.order)

    def sanitisers(self) -> dict[str, Sanitiser]:
        return {s.kind: s for s in self.collect(self.hook.baken_sanitisers)}


@cache
def registry() -> Registry:
    return Registry()
