"""Register analysis with Baken: kinds, routes, navigation, CLI, demo, leak matrix.

Each part (``tagging``, ``warning``, ``graph``, ``products``, ``exchange``) keeps its own
routes, leak fixtures and demo data; this module gathers them.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from baken.analysis.vocab import PARTS
from baken.plugins import NavItem, hookimpl

if TYPE_CHECKING:
    import typer
    from fastapi import APIRouter
    from sqlalchemy.orm import Session

    from baken.core.config import Settings
    from baken.core.principals import ObjectKind
    from baken.testing.leakmatrix import LeakCase, LeakFixture


def _parts(module: str) -> list[Any]:
    return [importlib.import_module(f"baken.analysis.{part}.{module}") for part in PARTS]


@hookimpl
def baken_object_kinds() -> list[ObjectKind]:
    from baken.analysis.vocab import kinds

    return kinds()


@hookimpl
def baken_routers() -> list[APIRouter]:
    routers: list[APIRouter] = []
    for routes in _parts("routes"):
        routers += [routes.pages, routes.api, *getattr(routes, "extra", [])]
    return routers


@hookimpl
def baken_navigation() -> list[NavItem]:
    return [
        NavItem("tags", "/labels", "Labels", "Tags", order=40, kind="label"),
        NavItem(
            "warning",
            "/vroegsignalering",
            "Vroegsignalering",
            "Early warning",
            order=41,
            kind="signaal",
        ),
        NavItem("graph", "/graaf", "Netwerk", "Network", order=42, kind="netwerkweergave"),
        NavItem("products", "/producten", "Producten", "Products", order=43, kind="product"),
        NavItem(
            "exchange",
            "/uitwisseling",
            "Uitwisseling",
            "Exchange",
            order=45,
            kind="entiteit",
        ),
        NavItem(
            "portal",
            "/portaal",
            "Ontvangen producten",
            "Received products",
            order=44,
            roles=frozenset({"partner_recipient"}),
        ),
    ]


@hookimpl
def baken_cli(app: typer.Typer) -> None:
    for part in PARTS:
        try:
            cli = importlib.import_module(f"baken.analysis.{part}.cli")
        except ModuleNotFoundError:
            continue
        cli.register(app)


@hookimpl
def baken_demo(session: Session, users: dict[str, int], settings: Settings) -> None:
    for demo in _parts("demo"):
        demo.load(session, users, settings)


@hookimpl
def baken_leak_fixtures() -> list[LeakFixture]:
    return [f for leak in _parts("leak") for f in leak.FIXTURES]


@hookimpl
def baken_leak_cases() -> list[LeakCase]:
    return [c for leak in _parts("leak") for c in leak.CASES]
