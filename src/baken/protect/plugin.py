"""Register protect with Baken: kinds, routes, navigation, CLI, demo, leak matrix.

Each part (``sweeps``, ``industrial``, ``resilience``, ``threats``, ``overview``) keeps its
own routes, leak fixtures and demo data; this module gathers them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from baken.plugins import NavItem, hookimpl
from baken.protect.vocab import MODULE

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
        NavItem(
            "protect",
            "/beveiliging",
            "Beveiligingsbevordering",
            "Protective security",
            order=70,
            roles=frozenset({"protect_officer", "overseer"}),
        ),
        NavItem(
            "sweeps",
            "/veegonderzoeken",
            "Veegonderzoeken",
            "Sweeps",
            order=71,
            kind="beveiligde_ruimte",
        ),
        NavItem(
            "industrial",
            "/industriele-veiligheid",
            "Industriële veiligheid",
            "Industrial security",
            order=72,
            kind="leverancier",
        ),
        NavItem(
            "resilience",
            "/weerbaarheid",
            "Weerbaarheid",
            "Resilience",
            order=73,
            kind="weerbaarheidsproduct",
        ),
        NavItem(
            "threats",
            "/bewaken-beveiligen",
            "Bewaken en beveiligen",
            "Surveillance and protection",
            order=74,
            kind="dreigingsproduct",
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
def baken_release_links(
    session: Session, principal: Principal, release_id: int
) -> list[tuple[str, str, str]]:
    """On a release's page in the partner portal: the threat product's record (for the
    addressee, where it records the decision) and the resilience record (for a victim,
    where it confirms receipt)."""
    from baken.protect.resilience.hooks import release_links as resilience_links
    from baken.protect.threats.hooks import release_links as threat_links

    return [
        *threat_links(session, principal, release_id),
        *resilience_links(session, principal, release_id),
    ]
