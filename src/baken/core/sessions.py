"""Authentication: password login with lockout, server-side sessions, API tokens.

Cookies and bearer tokens carry random secrets; only their SHA-256 is stored, so a copy
of the database does not let anyone in. Passwords are argon2id hashes.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from baken.core import audit
from baken.core.config import Settings
from baken.core.errors import DomainError
from baken.core.i18n import N_
from baken.core.models import ApiToken, User, WebSession
from baken.core.principals import Principal
from baken.core.timeutil import aware, utcnow
from baken.core.users import dummy_hash, to_principal, verify_password

TOKEN_PREFIX = "bkn_"  # noqa: S105 - a marker, not a secret


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class LoginFailed(Exception):
    """Wrong username or password, or a disabled account: one message for all."""


class LockedOut(Exception):
    def __init__(self, until: datetime) -> None:
        super().__init__(until.isoformat())
        self.until = until


@dataclass(frozen=True, slots=True)
class NewSession:
    token: str
    csrf_token: str
    principal: Principal


_DUMMY: dict[int, str] = {}


def login(session: Session, *, settings: Settings, username: str, password: str) -> NewSession:
    """Check the password and open a session. Failures count towards a lockout that
    doubles with each further failure; every attempt is audited."""
    now = utcnow()
    user = session.scalar(select(User).where(User.username == username.strip().lower()))
    if user is None:
        # Spend the same time as a real check so usernames cannot be probed by timing.
        key = settings.argon2_memory_kib
        _DUMMY.setdefault(key, dummy_hash(settings))
        verify_password(settings, _DUMMY[key], password)
        audit.record(
            session,
            principal=None,
            actor=username[:64] or "-",
            action="auth.login",
            outcome="denied",
            details={"reason": "unknown user"},
        )
        raise LoginFailed
    if user.locked_until is not None and aware(user.locked_until) > now:
        audit.record(
            session,
            principal=None,
            actor=user.username,
            action="auth.login",
            outcome="denied",
            details={"reason": "locked"},
        )
        raise LockedOut(aware(user.locked_until))
    if user.disabled or not verify_password(settings, user.password_hash, password):
        user.failed_logins += 1
        over = user.failed_logins - settings.lockout_threshold
        if over >= 0:
            seconds = min(settings.lockout_base_seconds * 2**over, settings.lockout_max_seconds)
            user.locked_until = now + timedelta(seconds=seconds)
        audit.record(
            session,
            principal=None,
            actor=user.username,
            action="auth.login",
            outcome="denied",
            details={
                "reason": "disabled" if user.disabled else "password",
                "failures": user.failed_logins,
            },
        )
        raise LoginFailed
    user.failed_logins, user.locked_until = 0, None
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    session.add(
        WebSession(
            token_hash=_digest(token),
            csrf_token=csrf,
            user_id=user.id,
            created_at=now,
            last_seen_at=now,
            expires_at=now + timedelta(hours=settings.session_max_hours),
        )
    )
    principal = to_principal(user)
    audit.record(session, principal=principal, action="auth.login")
    return NewSession(token=token, csrf_token=csrf, principal=principal)


@dataclass(frozen=True, slots=True)
class ActiveSession:
    id: int
    csrf_token: str
    principal: Principal


def resolve(session: Session, *, settings: Settings, token: str) -> ActiveSession | None:
    """The session a cookie belongs to, if it is still valid; sliding idle timeout."""
    row = session.scalar(select(WebSession).where(WebSession.token_hash == _digest(token)))
    if row is None or row.ended_at is not None:
        return None
    now = utcnow()
    idle = timedelta(minutes=settings.session_idle_minutes)
    if aware(row.expires_at) <= now or aware(row.last_seen_at) + idle <= now:
        row.ended_at = now
        return None
    user = session.get(User, row.user_id)
    if user is None or user.disabled:
        return None
    # Writing last_seen on every request would serialise reads; a minute's grain is enough.
    if now - aware(row.last_seen_at) > timedelta(minutes=1):
        row.last_seen_at = now
    return ActiveSession(id=row.id, csrf_token=row.csrf_token, principal=to_principal(user))


def logout(session: Session, *, token: str, principal: Principal) -> None:
    session.execute(
        update(WebSession)
        .where(WebSession.token_hash == _digest(token), WebSession.ended_at.is_(None))
        .values(ended_at=utcnow())
    )
    audit.record(session, principal=principal, action="auth.logout")


def end_all_for(session: Session, user_id: int) -> None:
    session.execute(
        update(WebSession)
        .where(WebSession.user_id == user_id, WebSession.ended_at.is_(None))
        .values(ended_at=utcnow())
    )


# --- API tokens -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TokenPublic:
    id: int
    name: str
    prefix: str
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None
    revoked: bool


def _token_public(row: ApiToken) -> TokenPublic:
    return TokenPublic(
        id=row.id,
        name=row.name,
        prefix=row.prefix,
        created_at=aware(row.created_at),
        expires_at=aware(row.expires_at) if row.expires_at else None,
        last_used_at=aware(row.last_used_at) if row.last_used_at else None,
        revoked=row.revoked_at is not None,
    )


class TokenError(DomainError):
    pass


def create_token(
    session: Session, *, principal: Principal, name: str, days: int | None = 90
) -> tuple[str, TokenPublic]:
    """Make a token for the principal's own use; the secret is returned once only."""
    name = name.strip()
    if not 1 <= len(name) <= 100:
        raise TokenError(N_("give the token a name of 1-100 characters"))
    if days is not None and not 1 <= days <= 366:
        raise TokenError(N_("a token lives 1-366 days"))
    prefix, secret = secrets.token_hex(6), secrets.token_urlsafe(32)
    now = utcnow()
    row = ApiToken(
        user_id=principal.id,
        name=name,
        prefix=prefix,
        token_hash=_digest(secret),
        created_at=now,
        expires_at=now + timedelta(days=days) if days else None,
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        principal=principal,
        action="token.create",
        kind="token",
        object_id=row.id,
        details={"name": name, "prefix": prefix},
    )
    return f"{TOKEN_PREFIX}{prefix}_{secret}", _token_public(row)


def list_tokens(session: Session, *, principal: Principal) -> list[TokenPublic]:
    rows = session.scalars(
        select(ApiToken).where(ApiToken.user_id == principal.id).order_by(ApiToken.id.desc())
    ).all()
    return [_token_public(r) for r in rows]


def revoke_token(session: Session, *, principal: Principal, token_id: int) -> None:
    row = session.get(ApiToken, token_id)
    if row is None or row.user_id != principal.id:
        raise LookupError(token_id)
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        audit.record(
            session, principal=principal, action="token.revoke", kind="token", object_id=row.id
        )


def resolve_token(session: Session, *, bearer: str) -> Principal | None:
    if not bearer.startswith(TOKEN_PREFIX) or bearer.count("_") < 2:
        return None
    prefix, _, secret = bearer[len(TOKEN_PREFIX) :].partition("_")
    row = session.scalar(select(ApiToken).where(ApiToken.prefix == prefix))
    if row is None or row.revoked_at is not None:
        return None
    if not secrets.compare_digest(row.token_hash, _digest(secret)):
        return None
    now = utcnow()
    if row.expires_at is not None and aware(row.expires_at) <= now:
        return None
    user = session.get(User, row.user_id)
    if user is None or user.disabled:
        return None
    if row.last_used_at is None or now - aware(row.last_used_at) > timedelta(minutes=1):
        row.last_used_at = now
    return to_principal(user)
