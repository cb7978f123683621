"""Register notices with Baken: routes, navigation, the sanitiser and the leak matrix."""

from __future__ import annotations

from typing import TYPE_CHECKING

from baken.plugins import NavItem, hookimpl

if TYPE_CHECKING:
    from fastapi import APIRouter
    from sqlalchemy.orm import Session

    from baken.core.sanitise import Sanitiser
    from baken.testing.leakmatrix import LeakCase, LeakFixture


@hookimpl
def baken_routers() -> list[APIRouter]:
    from baken.notices.routes import api, pages

    return [pages, api]


@hookimpl
def baken_navigation() -> list[NavItem]:
    return [
        NavItem("notices", "/mededelingen", "Mededelingen", "Notices", order=10, kind="mededeling")
    ]


@hookimpl
def baken_sanitisers() -> list[Sanitiser]:
    from baken.notices.service import SANITISER

    return [SANITISER]


@hookimpl
def baken_demo(session: Session, users: dict[str, int]) -> None:
    from baken.notices.demo import load

    load(session, users)


@hookimpl
def baken_leak_fixtures() -> list[LeakFixture]:
    from baken.notices.leak import FIXTURES

    return FIXTURES


@hookimpl
def baken_leak_cases() -> list[LeakCase]:
    from baken.notices.leak import CASES

    return CASES
