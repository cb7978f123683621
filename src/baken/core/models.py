"""Core tables: interned markings, units, users, sessions, API tokens, audit log."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from baken.core.db import Base
from baken.core.timeutil import utcnow


class MarkingRow(Base):
    """One distinct marking. Marked rows point here by ``marking_id``, so the policy
    filter is a short subquery over this small table, the same on every backend."""

    __tablename__ = "markings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(1000), unique=True)
    level: Mapped[int] = mapped_column(Integer, index=True)
    owner: Mapped[str] = mapped_column(String(8))


class MarkingCompartment(Base):
    __tablename__ = "marking_compartments"

    marking_id: Mapped[int] = mapped_column(ForeignKey("markings.id"), primary_key=True)
    compartment: Mapped[str] = mapped_column(String(32), primary_key=True)


class MarkingOriginator(Base):
    __tablename__ = "marking_originators"

    marking_id: Mapped[int] = mapped_column(ForeignKey("markings.id"), primary_key=True)
    originator: Mapped[str] = mapped_column(String(32), primary_key=True)


class MarkingReleasability(Base):
    __tablename__ = "marking_releasability"

    marking_id: Mapped[int] = mapped_column(ForeignKey("markings.id"), primary_key=True)
    recipient: Mapped[str] = mapped_column(String(32), primary_key=True, index=True)


class Unit(Base):
    __tablename__ = "units"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name_nl: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    service: Mapped[str] = mapped_column(String(8))


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(200))
    clearance: Mapped[int] = mapped_column(Integer)
    service: Mapped[str | None] = mapped_column(String(8))
    organisation: Mapped[str | None] = mapped_column(String(32))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    locale: Mapped[str] = mapped_column(String(5), default="nl")
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    unit: Mapped[Unit | None] = relationship(lazy="joined")
    roles: Mapped[list[UserRole]] = relationship(cascade="all, delete-orphan", lazy="selectin")
    compartments: Mapped[list[UserCompartment]] = relationship(
        cascade="all, delete-orphan", lazy="selectin"
    )


class UserRole(Base):
    __tablename__ = "user_roles"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    role: Mapped[str] = mapped_column(String(32), primary_key=True)


class UserCompartment(Base):
    __tablename__ = "user_compartments"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    compartment: Mapped[str] = mapped_column(String(32), primary_key=True)


class WebSession(Base):
    """A server-side login session; the cookie carries a random token, we keep its hash."""

    __tablename__ = "web_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ApiToken(Base):
    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    prefix: Mapped[str] = mapped_column(String(16), unique=True)
    token_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class AuditEntry(Base):
    """One link of the audit hash chain. ``hash`` covers every other column and the
    previous entry's hash; :mod:`baken.core.audit` appends and verifies."""

    __tablename__ = "audit_log"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    ts: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    actor_id: Mapped[int | None] = mapped_column(Integer, index=True)
    actor: Mapped[str] = mapped_column(String(64))
    on_behalf_of: Mapped[str | None] = mapped_column(String(200))
    purpose: Mapped[str | None] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(64), index=True)
    kind: Mapped[str | None] = mapped_column(String(32))
    object_id: Mapped[str | None] = mapped_column(String(64))
    marking_id: Mapped[int | None] = mapped_column(ForeignKey("markings.id"))
    outcome: Mapped[str] = mapped_column(String(16))
    details: Mapped[dict[str, object]] = mapped_column(JSON, default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditHead(Base):
    """The last link, written in the same transaction as each append, so a truncated
    tail is detected as well as a broken link."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seq: Mapped[int] = mapped_column(Integer)
    hash: Mapped[str] = mapped_column(String(64))


class Sanitisation(Base):
    """A request to publish a lower-marked version of a marked object, and its decision.

    Until approved the proposal is held at the source's marking (``marking_id``)."""

    __tablename__ = "sanitisations"
    __table_args__ = (UniqueConstraint("kind", "target_id", name="target"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    source_id: Mapped[int] = mapped_column(Integer)
    marking_id: Mapped[int] = mapped_column(ForeignKey("markings.id"), index=True)
    proposed_marking_id: Mapped[int] = mapped_column(ForeignKey("markings.id"))
    proposed_fields: Mapped[dict[str, str]] = mapped_column(JSON)
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="requested")
    requested_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    requested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    decision_note: Mapped[str | None] = mapped_column(Text)
    target_id: Mapped[int | None] = mapped_column(Integer)
