"""Per-request context: who is asking (session cookie or API token), in which language,
and a unit of work against the database. Routes get it through FastAPI's dependencies."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session, sessionmaker

from baken.core import i18n
from baken.core.config import Settings
from baken.core.db import transaction
from baken.core.principals import Principal
from baken.core.sessions import resolve, resolve_token
from baken.plugins import Registry
from baken.web.ratelimit import client_address, limits_of

SESSION_COOKIE = "baken_session"
PRELOGIN_COOKIE = "baken_prelogin"
LANG_COOKIE = "baken_lang"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"


class LoginRequired(Exception):
    """No valid session: pages redirect to the login page, the API answers 401."""

    def __init__(self, expired: bool = False) -> None:
        super().__init__("login required")
        self.expired = expired


class CsrfFailed(Exception):
    """A state-changing request without the right CSRF token."""


class Forbidden(Exception):
    """Signed in, but the role does not allow this (403)."""

    def __init__(self, what: str) -> None:
        super().__init__(what)
        self.what = what


class NotFound(Exception):
    """Unknown, or not readable by this principal: the two are not told apart (404)."""


@dataclass
class Ctx:
    request: Request
    settings: Settings
    registry: Registry
    factory: sessionmaker[Session]
    locale: str
    principal: Principal | None = None
    csrf_token: str | None = None
    via_token: bool = False
    new_prelogin: bool = False
    messages: list[str] = field(default_factory=list)

    @property
    def is_api(self) -> bool:
        return self.request.url.path.startswith("/api/")

    def _(self, message: str) -> str:
        return i18n.gettext(self.locale, message)

    @contextmanager
    def db(self) -> Iterator[Session]:
        with transaction(self.factory) as session:
            yield session

    def user(self) -> Principal:
        if self.principal is None:
            raise LoginRequired(expired=self.request.cookies.get(SESSION_COOKIE) is not None)
        return self.principal

    def require(self, permission: str) -> Principal:
        principal = self.user()
        if not principal.has_permission(permission):
            raise Forbidden(permission)
        return principal


async def _check_csrf(request: Request, expected: str | None) -> None:
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    sent = request.headers.get(CSRF_HEADER)
    if sent is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        form = await request.form()
        value = form.get(CSRF_FIELD)
        sent = value if isinstance(value, str) else None
    if not expected or not sent or not secrets.compare_digest(expected, sent):
        raise CsrfFailed


def bare_context(request: Request) -> Ctx:
    """A context for error pages: whatever the request established, nothing more."""
    app = request.app
    return Ctx(
        request=request,
        settings=app.state.settings,
        registry=app.state.registry,
        factory=app.state.sessionmaker,
        locale=getattr(request.state, "locale", None) or _locale(request),
        principal=getattr(request.state, "principal", None),
    )


def _locale(request: Request) -> str:
    """Before sign-in: the language cookie, else the browser's preference, else Dutch."""
    lang = request.cookies.get(LANG_COOKIE)
    return lang if lang in i18n.LOCALES else i18n.pick(request.headers.get("accept-language"))


def _authenticate(request: Request) -> tuple[Ctx, bool]:
    """Who is asking. A plain function: FastAPI runs it in the thread pool, so its
    database work never blocks the event loop."""
    app = request.app
    settings: Settings = app.state.settings
    ctx = Ctx(
        request=request,
        settings=settings,
        registry=app.state.registry,
        factory=app.state.sessionmaker,
        locale=_locale(request),
    )
    request.state.locale = ctx.locale
    auth = request.headers.get("authorization", "")
    cookie = request.cookies.get(SESSION_COOKIE)
    stale = False
    with ctx.db() as session:
        if auth.lower().startswith("bearer "):
            # An address that sent too many bad tokens is not even checked until its
            # window clears; each bad token counts.
            limits, address = limits_of(request), client_address(request)
            limits.check(limits.bad_token, address)
            ctx.principal = resolve_token(session, bearer=auth[7:].strip())
            ctx.via_token = True
            if ctx.principal is None:
                limits.hit(limits.bad_token, address)
                raise LoginRequired()
        elif cookie:
            active = resolve(session, settings=settings, token=cookie)
            if active is not None:
                ctx.principal, ctx.csrf_token = active.principal, active.csrf_token
            else:
                stale = True
    request.state.principal = ctx.principal
    if ctx.principal is not None and request.cookies.get(LANG_COOKIE) not in i18n.LOCALES:
        # Signed in: the user's own choice, Dutch unless they chose English.
        ctx.locale = request.state.locale = ctx.principal.locale
    return ctx, stale


async def context(
    authenticated: Annotated[tuple[Ctx, bool], Depends(_authenticate)],
) -> Ctx:
    ctx, stale = authenticated
    if ctx.via_token:
        # Browsers never send a bearer token on their own, so it needs no CSRF token.
        return ctx
    if ctx.principal is None:
        # Before login: double submit against a random cookie (the login form, the
        # language switch), so even those forms cannot be posted from another site.
        ctx.csrf_token = ctx.request.cookies.get(PRELOGIN_COOKIE)
        if not ctx.csrf_token:
            ctx.csrf_token, ctx.new_prelogin = secrets.token_urlsafe(32), True
    try:
        await _check_csrf(ctx.request, ctx.csrf_token if not ctx.new_prelogin else None)
    except CsrfFailed:
        # A form from a session that has since expired: say so, not "bad token".
        if stale:
            raise LoginRequired(expired=True) from None
        raise
    return ctx


CtxDep = Annotated[Ctx, Depends(context)]
