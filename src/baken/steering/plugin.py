"""Register steering with Baken: kinds, routes, navigation, sanitiser, demo, leak matrix."""

from __future__ import annotations

from typing import TYPE_CHECKING

from baken.plugins import NavItem, hookimpl

if TYPE_CHECKING:
    from fastapi import APIRouter
    from sqlalchemy.orm import Session

    from baken.core.principals import ObjectKind
    from baken.core.sanitise import Sanitiser
    from baken.testing.leakmatrix import LeakCase, LeakFixture


@hookimpl
def baken_object_kinds() -> list[ObjectKind]:
    from baken.steering.vocab import kinds

    return kinds()


@hookimpl
def baken_routers() -> list[APIRouter]:
    from baken.steering.routes import api, pages

    return [pages, api]


@hookimpl
def baken_navigation() -> list[NavItem]:
    return [NavItem("steering", "/sturing", "Sturing", "Steering", order=20, kind="jaarplan")]


@hookimpl
def baken_sanitisers() -> list[Sanitiser]:
    from baken.steering.service.texts import SANITISER

    return [SANITISER]


@hookimpl
def baken_demo(session: Session, users: dict[str, int]) -> None:
    from baken.steering.demo import load

    load(session, users)


@hookimpl
def baken_leak_fixtures() -> list[LeakFixture]:
    from baken.steering.leak import FIXTURES

    return FIXTURES


@hookimpl
def baken_leak_cases() -> list[LeakCase]:
    from baken.steering.leak import CASES

    return CASES
