"""Register oversight with Baken: kinds, routes, navigation, CLI, demo, leak matrix.

Each part (``permissions``, ``lifecycle``) keeps its own
routes, leak fixtures and demo data; this module gathers them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from baken.oversight.vocab import MODULE
from baken.plugins import NavItem, hookimpl

if TYPE_CHECKING:
    from datetime import date

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
        NavItem(
            "permissions",
            "/toestemmingen",
            "Toestemmingen",
            "Permissions",
            order=50,
            kind="toestemming",
        ),
        NavItem(
            "lifecycle",
            "/bulkdatasets",
            "Bulkdatasets",
            "Bulk datasets",
            order=51,
            kind="bewaartermijn",
        ),
        NavItem(
            "oversight",
            "/toezicht",
            "Toezicht",
            "Oversight",
            order=52,
            roles=frozenset({"overseer"}),
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
def baken_intake_check(
    session: Session, principal: Principal, collection_id: int, today: date
) -> None:
    from baken.oversight.lifecycle.service import check_intake

    check_intake(session, principal=principal, collection_id=collection_id, today=today)
