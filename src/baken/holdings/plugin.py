"""Register holdings with Baken: kinds, routes, navigation, CLI, demo, leak matrix."""

from __future__ import annotations

from typing import TYPE_CHECKING

from baken.plugins import NavItem, hookimpl

if TYPE_CHECKING:
    import typer
    from fastapi import APIRouter
    from sqlalchemy.orm import Session

    from baken.core.config import Settings
    from baken.core.principals import ObjectKind
    from baken.testing.leakmatrix import LeakCase, LeakFixture


@hookimpl
def baken_object_kinds() -> list[ObjectKind]:
    from baken.holdings.vocab import kinds

    return kinds()


@hookimpl
def baken_routers() -> list[APIRouter]:
    from baken.holdings.routes import api, pages, uploads

    return [pages, api, uploads]


@hookimpl
def baken_navigation() -> list[NavItem]:
    return [
        NavItem("holdings", "/collecties", "Collecties", "Collections", order=30, kind="collectie"),
        NavItem("search", "/zoeken", "Zoeken", "Search", order=31, kind="document"),
    ]


@hookimpl
def baken_cli(app: typer.Typer) -> None:
    from baken.holdings.cli import register

    register(app)


@hookimpl
def baken_demo(session: Session, users: dict[str, int], settings: Settings) -> None:
    from baken.holdings.demo import load

    load(session, users, settings)


@hookimpl
def baken_leak_fixtures() -> list[LeakFixture]:
    from baken.holdings.leak import FIXTURES

    return FIXTURES


@hookimpl
def baken_leak_cases() -> list[LeakCase]:
    from baken.holdings.leak import CASES

    return CASES
