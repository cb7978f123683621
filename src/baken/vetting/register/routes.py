"""Pages and API of vetting (register): the register of active vertrouwensfunctionarissen.

An employer's officer sees its own active staff by default and registers, deregisters and
moves its own people; a screening officer searches by BSN, employer and location. Every
look-up is audited by the service; a refusal of a look-up is committed with its audit
entry (the page shows the message), refusals of writes go through
:func:`baken.core.refusals.attempt`.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Form
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from baken.core.errors import DomainError
from baken.core.marking_store import load
from baken.core.markings import organisation_label
from baken.core.principals import Principal
from baken.vetting import access
from baken.vetting.positions import service as positions
from baken.vetting.register import service
from baken.vetting.register.models import RegisterEntry
from baken.vetting.register.service import RegisterError
from baken.web.context import Ctx, CtxDep, NotFound
from baken.web.errors import TITLES
from baken.web.forms import attempt, form_date, form_int, page_number
from baken.web.render import render

pages = APIRouter(tags=["pages"], include_in_schema=False)
api = APIRouter(prefix="/api/v1/vetting", tags=["vetting"])

T = TypeVar("T")
Str = Annotated[str, Form(max_length=4000)]


def _is_employer(principal: Principal) -> bool:
    return access.EMPLOYER in principal.roles


def _may_write(principal: Principal) -> bool:
    return _is_employer(principal) or positions.can_write(principal)


def _lookup(
    session: Session,
    principal: Principal,
    *,
    bsn: str,
    employer: str,
    location_id: int | None,
    active: bool,
    page: int,
) -> service.Page | None:
    """The search a page or the API asked for (every criterion given must hold); an
    employer without a query sees its own staff, anyone else sees the search form."""
    if not (bsn or employer or location_id is not None):
        if not (_is_employer(principal) and principal.organisation):
            return None
        employer = principal.organisation
    return service.lookup(
        session,
        principal,
        bsn=bsn or None,
        employer=employer or None,
        location_id=location_id,
        active=active,
        page=page,
    )


def _labels(
    session: Session, principal: Principal, rows: list[RegisterEntry]
) -> tuple[dict[int, Any], dict[int, str]]:
    return (
        positions.by_ids(session, principal, {r.position_id for r in rows}),
        positions.location_names(session, principal),
    )


# --- the search page -------------------------------------------------------------------------


@pages.get("/register")
def register_page(ctx: CtxDep) -> Response:
    principal = ctx.user()
    q = ctx.request.query_params
    bsn = (q.get("bsn") or "").strip()
    employer = "" if _is_employer(principal) else (q.get("werkgever") or "").strip()
    location_id = form_int(q.get("locatie"))
    active = q.get("verleden") != "1"
    page = page_number(ctx)
    error: str | None = None
    found: service.Page | None = None
    with ctx.db() as session:
        try:
            found = _lookup(
                session,
                principal,
                bsn=bsn,
                employer=employer,
                location_id=location_id,
                active=active,
                page=page,
            )
        except DomainError as exc:  # the refusal's audit entry commits with the session
            error = exc.translate(ctx.locale)
        rows = found.rows if found else []
        by_id, places = _labels(session, principal, rows)
        markings = load(session, {r.marking_id for r in rows})
    return render(
        ctx,
        "vetting/register/search.html",
        title=ctx._("Register of holders of positions of trust"),
        status_code=422 if error else 200,
        markings=list(markings.values()),
        found=found,
        rows=rows,
        positions=by_id,
        places=places,
        marking_of=markings,
        error=error,
        query={"bsn": bsn, "werkgever": employer, "locatie": location_id, "verleden": not active},
        employers=access.employers(),
        is_employer=_is_employer(principal),
        may_write=_may_write(principal),
        org=organisation_label,
    )


# --- registering -----------------------------------------------------------------------------


def _form_page(
    ctx: Ctx, *, status: int = 200, error: str | None = None, values: dict[str, str] | None = None
) -> Response:
    principal = ctx.user()
    if not _may_write(principal):
        raise NotFound
    with ctx.db() as session:
        choices = positions.choices(session, principal)
        places = positions.location_names(session, principal)
        markings = load(session, {p.marking_id for p in choices})
    return render(
        ctx,
        "vetting/register/enrol.html",
        title=ctx._("Register a person"),
        status_code=status,
        markings=list(markings.values()),
        choices=choices,
        places=places,
        error=error,
        values=values or {"on": date.today().isoformat()},
        org=organisation_label,
    )


@pages.get("/register/inschrijven")
def enrol_form(ctx: CtxDep) -> Response:
    return _form_page(ctx)


@pages.post("/register/inschrijven")
def enrol(
    ctx: CtxDep,
    bsn: Str = "",
    position_id: Str = "",
    on: Str = "",
    vgb_ref: Str = "",
    move: Str = "",
) -> Response:
    principal = ctx.user()
    values = {"bsn": bsn, "position_id": position_id, "on": on, "vgb_ref": vgb_ref, "move": move}
    try:
        day = form_date(on)
        pid = form_int(position_id) or 0
        if move:
            new_id = attempt(
                ctx,
                "register.move_in",
                service.KIND,
                lambda s: (
                    service.move_in(
                        s,
                        principal,
                        bsn=bsn,
                        vgb_ref=vgb_ref,
                        new_position_id=pid,
                        on=day,
                        today=date.today(),
                    ).id
                ),
            )
        else:
            new_id = attempt(
                ctx,
                "register.create",
                service.KIND,
                lambda s: (
                    service.register(
                        s,
                        principal,
                        bsn=bsn,
                        position_id=pid,
                        on=day,
                        vgb_ref=vgb_ref or None,
                        today=date.today(),
                    ).id
                ),
            )
    except DomainError as exc:
        return _form_page(ctx, status=422, error=exc.translate(ctx.locale), values=values)
    return RedirectResponse(f"/register/{new_id}", status_code=303)


# --- one entry -------------------------------------------------------------------------------


def _entry_page(
    ctx: Ctx,
    entry_id: int,
    *,
    template: str = "vetting/register/entry.html",
    status: int = 200,
    error: str | None = None,
    values: dict[str, str] | None = None,
) -> Response:
    principal = ctx.user()
    with ctx.db() as session:
        try:
            entry = service.get(session, principal, entry_id)
        except RegisterError:
            raise NotFound from None
        vgb = service.vgb_facts(session, principal, entry)
        past = service.history(session, principal, entry)
        targets = (
            [
                p
                for p in positions.choices(session, principal, location_id=entry.location_id)
                if p.id != entry.position_id
            ]
            if entry.location_id is not None and entry.deregistered_on is None
            else []
        )
        by_id, places = _labels(session, principal, [entry, *past])
        by_id.update({p.id: p for p in targets})
        markings = load(session, {entry.marking_id, *(e.marking_id for e in past)})
    return render(
        ctx,
        template,
        title=ctx._("Register entry"),
        status_code=status,
        markings=list(markings.values()),
        entry=entry,
        reason=(
            ctx._(entry.deregister_reason)
            if entry.deregister_reason in service.SYSTEM_REASONS
            else entry.deregister_reason
        ),
        vgb=vgb,
        past=past,
        targets=targets,
        positions=by_id,
        places=places,
        may_write=_may_write(principal),
        error=error,
        values=values or {"on": date.today().isoformat()},
        org=organisation_label,
    )


@pages.get("/register/{entry_id}")
def entry_page(ctx: CtxDep, entry_id: int) -> Response:
    return _entry_page(ctx, entry_id)


def _refused_or_missing(ctx: Ctx, exc: DomainError) -> None:
    if exc.message == "no such register entry":
        raise NotFound from None


@pages.post("/register/{entry_id}/uitschrijven")
def deregister(ctx: CtxDep, entry_id: int, on: Str = "", reason: Str = "") -> Response:
    principal = ctx.user()
    try:
        day = form_date(on)
        attempt(
            ctx,
            "register.deregister",
            service.KIND,
            lambda s: service.deregister(
                s, principal, entry_id, on=day, reason=reason, today=date.today()
            ),
            entry_id,
        )
    except DomainError as exc:
        _refused_or_missing(ctx, exc)
        return _entry_page(
            ctx,
            entry_id,
            status=422,
            error=exc.translate(ctx.locale),
            values={"on": on, "reason": reason},
        )
    return RedirectResponse(f"/register/{entry_id}", status_code=303)


@pages.get("/register/{entry_id}/wisselen")
def move_form(ctx: CtxDep, entry_id: int) -> Response:
    return _entry_page(ctx, entry_id, template="vetting/register/move.html")


@pages.post("/register/{entry_id}/wisselen")
def move(ctx: CtxDep, entry_id: int, position_id: Str = "", on: Str = "") -> Response:
    principal = ctx.user()
    try:
        day = form_date(on)
        pid = form_int(position_id) or 0
        new_id = attempt(
            ctx,
            "register.change",
            service.KIND,
            lambda s: (
                service.change(
                    s, principal, entry_id, new_position_id=pid, on=day, today=date.today()
                ).id
            ),
            entry_id,
        )
    except DomainError as exc:
        _refused_or_missing(ctx, exc)
        return _entry_page(
            ctx,
            entry_id,
            template="vetting/register/move.html",
            status=422,
            error=exc.translate(ctx.locale),
            values={"on": on, "position_id": position_id},
        )
    return RedirectResponse(f"/register/{new_id}", status_code=303)


# --- API -------------------------------------------------------------------------------------


def entry_json(e: RegisterEntry) -> dict[str, Any]:
    return {
        "id": e.id,
        "person_name": e.person_name,
        "person_bsn": e.person_bsn,
        "employer": e.employer,
        "position_id": e.position_id,
        "location_id": e.location_id,
        "vgb_ref": e.vgb_ref,
        "vgb_scope": e.vgb_scope,
        "registered_on": e.registered_on.isoformat(),
        "deregistered_on": e.deregistered_on.isoformat() if e.deregistered_on else None,
        "deregister_reason": e.deregister_reason,
    }


@api.get("/register", summary="Look up the register (by BSN, employer or location; audited)")
def api_register(
    ctx: CtxDep,
    bsn: str = "",
    employer: str = "",
    location: int | None = None,
    active: bool = True,
    page: int = 1,
) -> Any:
    from fastapi.responses import JSONResponse

    principal = ctx.user()
    error: DomainError | None = None
    with ctx.db() as session:
        try:
            found = _lookup(
                session,
                principal,
                bsn=bsn.strip(),
                employer=employer.strip(),
                location_id=location,
                active=active,
                page=page,
            )
        except DomainError as exc:  # committed with its audit entry, then answered
            error, found = exc, None
    if error is not None:
        # Problem details, as every other refusal of the API (RFC 9457).
        problem = {"type": "about:blank", "title": TITLES[422], "status": 422}
        return JSONResponse(
            {**problem, "detail": error.translate(ctx.locale)},
            status_code=422,
            media_type="application/problem+json",
        )
    if found is None:
        return {"page": 1, "more": False, "entries": []}
    return {
        "page": found.page,
        "more": found.more,
        "entries": [entry_json(e) for e in found.rows],
    }
