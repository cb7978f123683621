"""Principals (who is asking) and the role vocabulary."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from baken.core.markings import Level, Service
from baken.core.vocab import load


@dataclass(frozen=True, slots=True)
class ObjectKind:
    """A kind of marked object, with the roles that may read and write it."""

    name: str
    nl: str
    en: str
    read_roles: frozenset[str]
    write_roles: frozenset[str]

    def label(self, locale: str = "nl") -> str:
        return self.en if locale == "en" else self.nl


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is acting. Internal staff have a service; external users an organisation."""

    id: int
    username: str
    display_name: str
    clearance: Level
    service: Service | None
    organisation: str | None = None
    unit: str | None = None
    compartments: frozenset[str] = field(default_factory=frozenset)
    roles: frozenset[str] = field(default_factory=frozenset)
    # A preference, not a security attribute: the language of the user's pages.
    locale: str = "nl"

    @property
    def is_external(self) -> bool:
        return self.service is None

    @property
    def is_overseer(self) -> bool:
        return any(role_info(r).get("oversight", False) for r in self.roles)

    def has_permission(self, permission: str) -> bool:
        return any(permission in role_permissions(r) for r in self.roles)


def role_names() -> tuple[str, ...]:
    return tuple(load("roles")["roles"])


def role_info(role: str) -> dict[str, object]:
    info = load("roles")["roles"].get(role)
    if info is None:
        raise KeyError(f"unknown role {role!r}")
    return dict(info)


def role_permissions(role: str) -> list[str]:
    return [str(p) for p in load("roles")["roles"][role].get("permissions", [])]


def role_label(role: str, locale: str = "nl") -> str:
    return str(role_info(role)["en" if locale == "en" else "nl"])


def external_roles() -> frozenset[str]:
    return frozenset(r for r, info in load("roles")["roles"].items() if info.get("external"))


def kinds_from(vocabulary: Mapping[str, Any]) -> tuple[ObjectKind, ...]:
    """The object kinds of a module's vocabulary (its ``kinds`` mapping)."""
    return tuple(
        ObjectKind(
            name=name,
            nl=info["nl"],
            en=info["en"],
            read_roles=frozenset(info["read"]),
            write_roles=frozenset(info["write"]),
        )
        for name, info in vocabulary["kinds"].items()
    )


@cache
def core_kinds() -> tuple[ObjectKind, ...]:
    return kinds_from(load("roles"))
