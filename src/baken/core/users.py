"""Accounts: create, list, disable, and turn a user row into a :class:`Principal`."""

from __future__ import annotations

import re
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from sqlalchemy import select
from sqlalchemy.orm import Session

from baken.core import audit
from baken.core.config import Settings
from baken.core.errors import DomainError
from baken.core.i18n import N_
from baken.core.markings import Level, Service, organisation_codes, valid_code
from baken.core.models import Unit, User, UserCompartment, UserRole
from baken.core.principals import Principal, external_roles, role_names

USERNAME = re.compile(r"^[a-z][a-z0-9._-]{2,63}$")
MIN_PASSWORD = 12


class UserError(DomainError):
    """Invalid account data; the message names the field."""


def hasher(settings: Settings) -> PasswordHasher:
    # argon2id is PasswordHasher's default type.
    return PasswordHasher(
        time_cost=settings.argon2_time_cost, memory_cost=settings.argon2_memory_kib
    )


def verify_password(settings: Settings, stored: str, password: str) -> bool:
    try:
        return hasher(settings).verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


# A hash of a random password: checked against when the user does not exist, so that
# a wrong username costs the same time as a wrong password.
def dummy_hash(settings: Settings) -> str:
    return hasher(settings).hash(secrets.token_urlsafe(16))


class UserCreate(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    username: str
    display_name: str = Field(min_length=1, max_length=200)
    password: str = Field(min_length=MIN_PASSWORD, max_length=1024)
    clearance: Level
    service: Service | None = None
    organisation: str | None = None
    unit: str | None = None
    roles: frozenset[str] = Field(min_length=1)
    compartments: frozenset[str] = frozenset()
    locale: str = "nl"

    @field_validator("username")
    @classmethod
    def _username(cls, value: str) -> str:
        if not USERNAME.fullmatch(value):
            raise ValueError(N_("3-64 characters: a-z first, then a-z, 0-9, '.', '_' or '-'"))
        return value

    @field_validator("roles")
    @classmethod
    def _roles(cls, value: frozenset[str]) -> frozenset[str]:
        unknown = value - set(role_names())
        if unknown:
            raise ValueError(f"unknown roles: {', '.join(sorted(unknown))}")
        return value

    @field_validator("compartments")
    @classmethod
    def _compartments(cls, value: frozenset[str]) -> frozenset[str]:
        return frozenset(valid_code(c) for c in value)

    @field_validator("locale")
    @classmethod
    def _locale(cls, value: str) -> str:
        if value not in ("nl", "en"):
            raise ValueError(N_("locale must be nl or en"))
        return value

    @model_validator(mode="after")
    def _internal_or_external(self) -> UserCreate:
        external = bool(self.roles & external_roles())
        if external and self.roles - external_roles():
            raise ValueError(N_("external roles cannot be combined with internal ones"))
        if external:
            if self.service is not None or not self.organisation:
                raise ValueError(N_("an external user has an organisation and no service"))
            if self.organisation not in organisation_codes():
                raise ValueError(f"unknown organisation {self.organisation}")
        elif self.service is None or self.service is Service.JOINT:
            raise ValueError(N_("an internal user belongs to AIVD or MIVD"))
        return self


class UserPublic(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: int
    username: str
    display_name: str
    clearance: Level
    service: Service | None
    organisation: str | None
    unit: str | None
    roles: frozenset[str]
    compartments: frozenset[str]
    disabled: bool
    locale: str


def to_principal(user: User) -> Principal:
    return Principal(
        id=user.id,
        username=user.username,
        display_name=user.display_name,
        clearance=Level(user.clearance),
        service=Service(user.service) if user.service else None,
        organisation=user.organisation,
        unit=user.unit.code if user.unit else None,
        compartments=frozenset(c.compartment for c in user.compartments),
        roles=frozenset(r.role for r in user.roles),
        locale=user.locale,
    )


def to_public(user: User) -> UserPublic:
    p = to_principal(user)
    return UserPublic(
        id=user.id,
        username=user.username,
        display_name=user.display_name,
        clearance=p.clearance,
        service=p.service,
        organisation=p.organisation,
        unit=p.unit,
        roles=p.roles,
        compartments=p.compartments,
        disabled=user.disabled,
        locale=user.locale,
    )


def _require_admin(principal: Principal | None) -> None:
    # ``None`` is the operator at the console (``baken user …``), who is root already.
    if principal is not None and not principal.has_permission("user.manage"):
        from baken.core.policy import PolicyDenied

        raise PolicyDenied("user.manage")


def create(
    session: Session, *, settings: Settings, principal: Principal | None, data: UserCreate
) -> UserPublic:
    _require_admin(principal)
    if session.scalar(select(User.id).where(User.username == data.username)) is not None:
        raise UserError(f"username {data.username} is taken")
    unit_id = None
    if data.unit:
        unit_id = session.scalar(select(Unit.id).where(Unit.code == data.unit))
        if unit_id is None:
            raise UserError(f"unknown unit {data.unit}")
    user = User(
        username=data.username,
        display_name=data.display_name,
        password_hash=hasher(settings).hash(data.password),
        clearance=int(data.clearance),
        service=data.service.value if data.service else None,
        organisation=data.organisation,
        unit_id=unit_id,
        locale=data.locale,
        roles=[UserRole(role=r) for r in sorted(data.roles)],
        compartments=[UserCompartment(compartment=c) for c in sorted(data.compartments)],
    )
    session.add(user)
    session.flush()
    audit.record(
        session,
        principal=principal,
        actor="console",
        action="user.create",
        kind="user",
        object_id=user.id,
        details={"username": user.username, "roles": sorted(data.roles)},
    )
    return to_public(user)


def list_users(session: Session, *, principal: Principal | None) -> list[UserPublic]:
    _require_admin(principal)
    users = session.scalars(select(User).order_by(User.username)).all()
    audit.record(session, principal=principal, actor="console", action="user.list")
    return [to_public(u) for u in users]


def set_disabled(
    session: Session, *, principal: Principal | None, username: str, disabled: bool = True
) -> UserPublic:
    _require_admin(principal)
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise UserError(f"no user {username}")
    if principal is not None and user.id == principal.id and disabled:
        raise UserError(N_("you cannot disable your own account"))
    user.disabled = disabled
    if disabled:
        from baken.core.sessions import end_all_for

        end_all_for(session, user.id)
    audit.record(
        session,
        principal=principal,
        actor="console",
        action="user.disable" if disabled else "user.enable",
        kind="user",
        object_id=user.id,
        details={"username": username},
    )
    return to_public(user)


def ensure_unit(
    session: Session, *, code: str, name_nl: str, name_en: str, service: Service
) -> int:
    found = session.scalar(select(Unit).where(Unit.code == code))
    if found:
        return found.id
    unit = Unit(code=code, name_nl=name_nl, name_en=name_en, service=service.value)
    session.add(unit)
    session.flush()
    return unit.id
