"""Register the web shell's own routes and navigation."""

from __future__ import annotations

from typing import TYPE_CHECKING

from baken.plugins import NavItem, hookimpl

if TYPE_CHECKING:
    from fastapi import APIRouter

    from baken.testing.leakmatrix import LeakCase


@hookimpl
def baken_routers() -> list[APIRouter]:
    from baken.web.routes import api, pages

    return [pages, api]


@hookimpl
def baken_navigation() -> list[NavItem]:
    return [
        NavItem("home", "/", "Start", "Start", order=0),
        NavItem(
            "sanitisations",
            "/saneringen",
            "Saneringen",
            "Sanitisations",
            order=80,
            roles=frozenset({"analyst", "team_lead", "classification_officer", "overseer"}),
        ),
        NavItem(
            "audit", "/audit", "Audit", "Audit", order=90, roles=frozenset({"admin", "overseer"})
        ),
        NavItem(
            "users",
            "/beheer/gebruikers",
            "Gebruikers",
            "Users",
            order=95,
            roles=frozenset({"admin"}),
        ),
    ]


@hookimpl
def baken_leak_cases() -> list[LeakCase]:
    from baken.web.leak import CASES

    return CASES
