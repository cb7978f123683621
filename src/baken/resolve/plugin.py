"""Register resolve with Baken: kinds, routes, navigation, CLI, demo, leak matrix."""

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
    from baken.resolve.vocab import kinds

    return kinds()


@hookimpl
def baken_routers() -> list[APIRouter]:
    from baken.resolve.routes import api, pages, uploads

    return [pages, api, uploads]


@hookimpl
def baken_navigation() -> list[NavItem]:
    return [
        NavItem(
            "xref",
            "/kruisverwijzingen",
            "Kruisverwijzen",
            "Cross-reference",
            order=32,
            kind="koppeling",
        ),
        NavItem("screening", "/screening", "Screenen", "Screening", order=33, kind="screening"),
    ]


@hookimpl
def baken_cli(app: typer.Typer) -> None:
    from baken.resolve.cli import register

    register(app)


@hookimpl
def baken_demo(session: Session, users: dict[str, int], settings: Settings) -> None:
    from baken.resolve.demo import load

    load(session, users, settings)


@hookimpl
def baken_leak_fixtures() -> list[LeakFixture]:
    from baken.resolve.leak import FIXTURES

    return FIXTURES


@hookimpl
def baken_leak_cases() -> list[LeakCase]:
    from baken.resolve.leak import CASES

    return CASES
