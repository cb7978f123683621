"""Register vetting with Baken: kinds, routes, navigation, CLI, demo, leak matrix.

Each part (``positions``, ``screenings``, ``register``, ``portal``, ``capacity``) keeps its own
routes, leak fixtures and demo data; this module gathers them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from baken.plugins import NavItem, hookimpl
from baken.vetting.vocab import MODULE

if TYPE_CHECKING:
    import typer
    from fastapi import APIRouter
    from sqlalchemy.orm import Session

    from baken.core.config import Settings
    from baken.core.principals import ObjectKind
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
        NavItem(
            "screenings",
            "/veiligheidsonderzoeken",
            "Veiligheidsonderzoeken",
            "Security screenings",
            order=60,
            kind="veiligheidsonderzoek",
        ),
        NavItem(
            "register",
            "/register",
            "Register",
            "Register",
            order=61,
            kind="registerinschrijving",
        ),
        NavItem(
            "positions",
            "/vertrouwensfuncties",
            "Vertrouwensfuncties",
            "Positions of trust",
            order=62,
            kind="vertrouwensfunctie",
        ),
        NavItem(
            "portal",
            "/werkgever",
            "Werkgeversportaal",
            "Employer portal",
            order=59,
            roles=frozenset({"employer_security_officer"}),
        ),
        NavItem(
            "capacity",
            "/capaciteit",
            "Capaciteit",
            "Capacity",
            order=63,
            kind="capaciteitsscenario",
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
