"""The web shell's own pages and API: sign-in, start page, language, account and API
tokens, user administration, the audit log, and sanitisation decisions."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlsplit

from fastapi import APIRouter, Form, Query
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, Field

from baken.core import audit, auditlog, sanitise, sessions, users
from baken.core.i18n import LOCALES
from baken.core.marking_store import load
from baken.core.markings import Marking
from baken.core.models import User
from baken.core.schemas import MarkingOut
from baken.notices import service as notices
from baken.web.context import LANG_COOKIE, PRELOGIN_COOKIE, SESSION_COOKIE, CtxDep
from baken.web.errors import record_refusal
from baken.web.ratelimit import TooManyAttempts, client_address, limits_of
from baken.web.render import render

pages = APIRouter(tags=["pages"], include_in_schema=False)
api = APIRouter(prefix="/api/v1", tags=["account"])


def _safe_next(target: str | None) -> str:
    """Only same-site paths after login: never an open redirect."""
    if not target:
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    return target


@pages.get("/healthz")
def healthz(ctx: CtxDep) -> dict[str, str]:
    with ctx.db() as session:
        session.execute(User.__table__.select().limit(1))
    return {"status": "ok"}


@pages.get("/")
def home(ctx: CtxDep) -> Response:
    principal = ctx.user()
    with ctx.db() as session:
        items, total = notices.list_notices(session, principal=principal, limit=5)
    return render(
        ctx,
        "home.html",
        markings=[n.marking for n in items],
        title=ctx._("Start"),
        items=items,
        total=total,
    )


@pages.get("/login")
def login_form(
    ctx: CtxDep,
    next: Annotated[str | None, Query(max_length=500)] = None,
    expired: Annotated[int, Query(ge=0, le=1)] = 0,
) -> Response:
    if ctx.principal is not None:
        return RedirectResponse(_safe_next(next), status_code=303)
    notice = ctx._("Your session has expired. Please sign in again.") if expired else None
    return render(
        ctx,
        "login.html",
        title=ctx._("Sign in"),
        next=_safe_next(next),
        error=None,
        notice=notice,
        username="",
    )


@pages.post("/login")
def login(
    ctx: CtxDep,
    username: Annotated[str, Form(max_length=64)] = "",
    password: Annotated[str, Form(max_length=1024)] = "",
    next: Annotated[str, Form(max_length=500)] = "/",
) -> Response:
    def again(error: str, status: int = 401, headers: dict[str, str] | None = None) -> Response:
        response = render(
            ctx,
            "login.html",
            status_code=status,
            title=ctx._("Sign in"),
            next=_safe_next(next),
            error=error,
            notice=None,
            username=username,
        )
        response.headers.update(headers or {})
        return response

    limits = limits_of(ctx.request)
    try:
        limits.hit(limits.login, client_address(ctx.request))
    except TooManyAttempts as exc:
        # Not tried at all: no failed-login count, no session; the refusal is audited.
        record_refusal(ctx.request, 429, "rate limited: login")
        message = ctx._("Too many sign-in attempts from your address. Try again in a minute.")
        return again(message, 429, {"Retry-After": str(exc.retry_after)})
    with ctx.db() as session:
        try:
            new = sessions.login(
                session, settings=ctx.settings, username=username, password=password
            )
        except sessions.LockedOut:
            return again(ctx._("Too many failed attempts. The account is locked for a while."))
        except sessions.LoginFailed:
            return again(ctx._("Wrong username or password."))
    response = RedirectResponse(_safe_next(next), status_code=303)
    # A fresh token at login: a session id planted before login is never used after it.
    response.set_cookie(
        SESSION_COOKIE,
        new.token,
        httponly=True,
        samesite="strict",
        secure=ctx.settings.secure_cookies,
        path="/",
    )
    response.delete_cookie(PRELOGIN_COOKIE, path="/")
    return response


@pages.post("/logout")
def logout(ctx: CtxDep) -> Response:
    principal = ctx.user()
    token = ctx.request.cookies.get(SESSION_COOKIE, "")
    with ctx.db() as session:
        sessions.logout(session, token=token, principal=principal)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@pages.post("/taal")
def set_language(
    ctx: CtxDep,
    lang: Annotated[str, Form(pattern="^(nl|en)$")],
    next: Annotated[str, Form(max_length=500)] = "/",
) -> Response:
    if ctx.principal is not None:
        with ctx.db() as session:
            user = session.get(User, ctx.principal.id)
            if user is not None:
                user.locale = lang
    response = RedirectResponse(_safe_next(next), status_code=303)
    response.set_cookie(
        LANG_COOKIE,
        lang if lang in LOCALES else "nl",
        samesite="strict",
        secure=ctx.settings.secure_cookies,
        path="/",
        max_age=31_536_000,
    )
    return response


# --- account and API tokens ------------------------------------------------------------


@pages.get("/account")
def account(ctx: CtxDep) -> Response:
    principal = ctx.user()
    with ctx.db() as session:
        tokens = sessions.list_tokens(session, principal=principal)
    return render(
        ctx, "account.html", title=ctx._("My account"), tokens=tokens, new_token=None, error=None
    )


@pages.post("/account/tokens")
def account_token_create(
    ctx: CtxDep,
    name: Annotated[str, Form(max_length=200)] = "",
    days: Annotated[int, Form(ge=1, le=366)] = 90,
) -> Response:
    principal = ctx.user()
    new_token, error, status = None, None, 201
    limits = limits_of(ctx.request)
    try:
        limits.hit(limits.token_create, str(principal.id))
    except TooManyAttempts:
        record_refusal(ctx.request, 429, "rate limited: token_create")
        error, status = ctx._("You made too many API tokens in a short time. Try again later."), 429
    with ctx.db() as session:
        if error is None:
            try:
                new_token, _ = sessions.create_token(
                    session, principal=principal, name=name, days=days
                )
            except sessions.TokenError as exc:
                error, status = ctx._(str(exc)), 422
        tokens = sessions.list_tokens(session, principal=principal)
    return render(
        ctx,
        "account.html",
        status_code=status,
        title=ctx._("My account"),
        tokens=tokens,
        new_token=new_token,
        error=error,
    )


@pages.post("/account/tokens/{token_id}/intrekken")
def account_token_revoke(ctx: CtxDep, token_id: int) -> Response:
    principal = ctx.user()
    with ctx.db() as session:
        sessions.revoke_token(session, principal=principal, token_id=token_id)
    return RedirectResponse("/account", status_code=303)


# --- user administration ----------------------------------------------------------------


@pages.get("/beheer/gebruikers")
def admin_users(ctx: CtxDep) -> Response:
    principal = ctx.require("user.manage")
    with ctx.db() as session:
        people = users.list_users(session, principal=principal)
    return render(ctx, "users.html", title=ctx._("Users"), people=people, error=None)


@pages.post("/beheer/gebruikers/{username}/status")
def admin_user_status(
    ctx: CtxDep, username: str, disabled: Annotated[bool, Form()] = True
) -> Response:
    principal = ctx.require("user.manage")
    error = None
    with ctx.db() as session:
        try:
            users.set_disabled(session, principal=principal, username=username, disabled=disabled)
        except users.UserError as exc:
            error = ctx._(str(exc))
        people = users.list_users(session, principal=principal)
    if error:
        return render(
            ctx, "users.html", status_code=422, title=ctx._("Users"), people=people, error=error
        )
    return RedirectResponse("/beheer/gebruikers", status_code=303)


# --- audit log ---------------------------------------------------------------------------


@pages.get("/audit")
def audit_page(
    ctx: CtxDep,
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    action: Annotated[str | None, Query(max_length=64)] = None,
) -> Response:
    principal = ctx.user()
    with ctx.db() as session:
        entries, total, marks = auditlog.entries(
            session, principal=principal, page=page, action=action
        )
    return render(
        ctx,
        "audit.html",
        markings=marks.values(),
        title=ctx._("Audit log"),
        entries=entries,
        marks=marks,
        total=total,
        page=page,
        action=action or "",
        can_verify=principal.has_permission("audit.verify"),
        result=None,
    )


@pages.post("/audit/verify")
def audit_verify_page(ctx: CtxDep) -> Response:
    principal = ctx.require("audit.verify")
    with ctx.db() as session:
        result = auditlog.verify(session, principal=principal)
        entries, total, marks = auditlog.entries(session, principal=principal, page=1)
    return render(
        ctx,
        "audit.html",
        markings=marks.values(),
        title=ctx._("Audit log"),
        entries=entries,
        marks=marks,
        total=total,
        page=1,
        action="",
        can_verify=True,
        result=result,
    )


# --- sanitisation ------------------------------------------------------------------------


@pages.get("/saneringen")
def sanitisation_list(ctx: CtxDep) -> Response:
    principal = ctx.user()
    with ctx.db() as session:
        items = sanitise.list_for(session, principal=principal)
    return render(
        ctx,
        "sanitisations.html",
        markings=[i.marking for i in items],
        title=ctx._("Sanitisations"),
        items=items,
    )


@pages.get("/saneringen/{sanitisation_id}")
def sanitisation_detail(ctx: CtxDep, sanitisation_id: int) -> Response:
    principal = ctx.user()
    with ctx.db() as session:
        item = sanitise.get(session, principal=principal, sanitisation_id=sanitisation_id)
    return render(
        ctx,
        "sanitisation.html",
        markings=[item.marking],
        title=ctx._("Sanitisation"),
        item=item,
        error=None,
        can_decide=principal.has_permission("sanitise.approve")
        and item.status == "requested"
        and item.requested_by != principal.id,
    )


@pages.post("/saneringen/{sanitisation_id}/besluit")
def sanitisation_decide(
    ctx: CtxDep,
    sanitisation_id: int,
    decision: Annotated[str, Form(pattern="^(approve|reject)$")],
    note: Annotated[str, Form(max_length=4000)] = "",
) -> Response:
    principal = ctx.user()
    error = None
    with ctx.db() as session:
        try:
            target = sanitise.decide(
                session,
                principal=principal,
                sanitisation_id=sanitisation_id,
                approve=decision == "approve",
                note=note,
            )
        except sanitise.SanitisationError as exc:
            error = ctx._(str(exc))
        item = sanitise.get(session, principal=principal, sanitisation_id=sanitisation_id)
    if error is None:
        where = sanitise.link(item.kind, target) if target else f"/saneringen/{sanitisation_id}"
        return RedirectResponse(where, status_code=303)
    return render(
        ctx,
        "sanitisation.html",
        status_code=422,
        markings=[item.marking],
        title=ctx._("Sanitisation"),
        item=item,
        error=error,
        can_decide=True,
    )


# --- API ---------------------------------------------------------------------------------


class MePublic(BaseModel):
    username: str
    display_name: str
    clearance: str
    service: str | None
    organisation: str | None
    unit: str | None
    roles: list[str]
    compartments: list[str]


@api.get("/me", summary="Who the caller is")
def api_me(ctx: CtxDep) -> MePublic:
    p = ctx.user()
    return MePublic(
        username=p.username,
        display_name=p.display_name,
        clearance=p.clearance.name,
        service=p.service.value if p.service else None,
        organisation=p.organisation,
        unit=p.unit,
        roles=sorted(p.roles),
        compartments=sorted(p.compartments),
    )


class TokenCreate(BaseModel):
    name: str = Field(min_length=1, max_length=100)
    days: int = Field(default=90, ge=1, le=366)


@api.post("/tokens", status_code=201, summary="Make an API token for yourself")
def api_token_create(ctx: CtxDep, data: TokenCreate) -> dict[str, Any]:
    principal = ctx.user()
    limits = limits_of(ctx.request)
    limits.hit(limits.token_create, str(principal.id))  # 429 with Retry-After when full
    with ctx.db() as session:
        token, public = sessions.create_token(
            session, principal=principal, name=data.name, days=data.days
        )
    return {
        "token": token,
        "id": public.id,
        "prefix": public.prefix,
        "expires_at": public.expires_at,
    }


@api.get("/audit", summary="Audit entries the caller may see (CTIVD, administrators)")
def api_audit(
    ctx: CtxDep,
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    action: Annotated[str | None, Query(max_length=64)] = None,
) -> dict[str, Any]:
    principal = ctx.user()
    with ctx.db() as session:
        entries, total, marks = auditlog.entries(
            session, principal=principal, page=page, action=action
        )
    return {"total": total, "items": [auditlog.as_dict(e, marks, ctx.locale) for e in entries]}


@api.post("/audit/verify", summary="Check the audit hash chain (CTIVD)")
def api_audit_verify(ctx: CtxDep) -> dict[str, Any]:
    principal = ctx.require("audit.verify")
    with ctx.db() as session:
        result = auditlog.verify(session, principal=principal)
    return {
        "ok": result.ok,
        "checked": result.checked,
        "bad_seq": result.bad_seq,
        "reason": result.reason,
    }


def marking_out(marking: Marking, locale: str) -> dict[str, Any]:
    return MarkingOut.of(marking, locale).model_dump()


__all__ = ["api", "audit", "load", "marking_out", "pages"]
