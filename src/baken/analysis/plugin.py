"""Register analysis with Baken: kinds, routes, navigation, CLI, demo, leak matrix.

Each part (``tagging``, ``warning``, ``graph``, ``products``, ``exchange``) keeps its own
routes, leak fixtures and demo data; this module gathers them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from baken.analysis.vocab import MODULE
from baken.plugins import NavItem, hookimpl

if TYPE_CHECKING:
    import typer
    from fastapi import APIRouter
    from sqlalchemy.orm import Session

    from baken.core.config import Settings
    from baken.core.principals import ObjectKind, Principal
    from baken.testing.leakmatrix import LeakCase, LeakFixture


@hookimpl
def baken_object_kinds() -> list[ObjectKind]:
    return MODULE.kinds()


@hookimpl
def baken_routers() -> list[APIRouter]:
    return MODULE.routers()


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
    MODULE.register_cli(app)


@hookimpl
def baken_demo(session: Session, users: dict[str, int], settings: Settings) -> None:
    MODULE.load_demo(session, users, settings)


@hookimpl
def baken_leak_fixtures() -> list[LeakFixture]:
    return MODULE.leak_fixtures()


@hookimpl
def baken_leak_cases() -> list[LeakCase]:
    return MODULE.leak_cases()


@hookimpl
def baken_document_stored(session: Session, document_id: int) -> None:
    from baken.analysis.tagging.service import score_arrival

    score_arrival(session, document_id=document_id)


@hookimpl
def baken_requirement_coverage(session: Session, principal: Principal) -> dict[str, dict[str, int]]:
    from baken.analysis.tagging.service import coverage

    return coverage(session, principal=principal)
