"""Pages and API of vetting (positions): vertrouwensfuncties and designated locations.

Screening officers see and keep both lists; an employer's officer sees its own positions
(the read filter) and the designated locations; nothing here reveals a position the
reader may not read (404, exactly as for one that does not exist).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Form
from fastapi.responses import RedirectResponse, Response

from baken.core.errors import DomainError
from baken.core.i18n import N_
from baken.core.marking_store import load
from baken.core.markings import organisation_label
from baken.vetting import access
from baken.vetting.positions import service
from baken.vetting.positions.models import Location, Position
from baken.vetting.positions.service import PositionsError
from baken.vetting.vocab import label
from baken.web.context import Ctx, CtxDep, NotFound
from baken.web.forms import attempt, form_date, form_int, page_number
from baken.web.render import render

pages = APIRouter(tags=["pages"], include_in_schema=False)
api = APIRouter(prefix="/api/v1/vetting", tags=["vetting"])

T = TypeVar("T")
Str = Annotated[str, Form(max_length=4000)]


def _label(group: str, code: str | None, locale: str) -> str:
    return label("positions", group, code, locale)


# --- positions -----------------------------------------------------------------------------


def _list_page(
    ctx: Ctx, *, status: int = 200, error: str | None = None, values: dict[str, str] | None = None
) -> Response:
    principal = ctx.user()
    q = ctx.request.query_params
    employer = q.get("werkgever") or None
    level = q.get("niveau") or None
    location_id = form_int(q.get("locatie"))
    with ctx.db() as session:
        found = service.search(
            session,
            principal,
            employer=employer,
            level=level,
            location_id=location_id,
            page=page_number(ctx),
        )
        places = service.location_names(session, principal)
        markings = load(session, {p.marking_id for p in found.rows})
    return render(
        ctx,
        "vetting/positions/positions.html",
        title=ctx._("Positions of trust"),
        status_code=status,
        markings=list(markings.values()),
        found=found,
        places=places,
        marking_of=markings,
        filters={"werkgever": employer or "", "niveau": level or "", "locatie": location_id},
        employers=access.employers(),
        levels=service.LEVELS,
        ministers=service.ministers(),
        can_write=service.can_write(principal),
        error=error,
        values=values or {"designated_on": date.today().isoformat()},
        label=_label,
        org=organisation_label,
    )


@pages.get("/vertrouwensfuncties")
def positions_page(ctx: CtxDep) -> Response:
    return _list_page(ctx)


@pages.post("/vertrouwensfuncties")
def create_position(
    ctx: CtxDep,
    title: Str = "",
    level: Str = "",
    employer: Str = "",
    minister: Str = "",
    designated_on: Str = "",
    location_id: Str = "",
) -> Response:
    principal = ctx.user()
    values = {
        "title": title,
        "level": level,
        "employer": employer,
        "minister": minister,
        "designated_on": designated_on,
        "location_id": location_id,
    }
    try:
        day = form_date(designated_on)
        place = form_int(location_id)
        if location_id and place is None:
            raise PositionsError(N_("no such designated location"))
        new_id = attempt(
            ctx,
            "position.create",
            service.KIND,
            lambda s: (
                service.create(
                    s,
                    principal,
                    title=title,
                    level=level,
                    employer=employer,
                    minister=minister,
                    designated_on=day,
                    location_id=place,
                    today=date.today(),
                ).id
            ),
        )
    except DomainError as exc:
        return _list_page(ctx, status=422, error=exc.translate(ctx.locale), values=values)
    return RedirectResponse(f"/vertrouwensfuncties/{new_id}", status_code=303)


@pages.get("/vertrouwensfuncties/{position_id}")
def position_page(ctx: CtxDep, position_id: int) -> Response:
    principal = ctx.user()
    with ctx.db() as session:
        try:
            position = service.get(session, principal, position_id)
        except PositionsError:
            raise NotFound from None
        place = (
            service.location(session, principal, position.location_id)
            if position.location_id is not None
            else None
        )
        markings = load(session, {position.marking_id})
    return render(
        ctx,
        "vetting/positions/position.html",
        title=f"{position.ref} {position.title}",
        markings=list(markings.values()),
        position=position,
        place=place,
        can_write=service.can_write(principal),
        label=_label,
        org=organisation_label,
    )


@pages.post("/vertrouwensfuncties/{position_id}/beeindigen")
def deactivate_position(ctx: CtxDep, position_id: int) -> Response:
    principal = ctx.user()
    try:
        attempt(
            ctx,
            "position.deactivate",
            service.KIND,
            lambda s: service.deactivate(s, principal, position_id),
            position_id,
        )
    except PositionsError as exc:
        if exc.message == "no such position of trust":
            raise NotFound from None
        raise
    return RedirectResponse(f"/vertrouwensfuncties/{position_id}", status_code=303)


# --- locations -----------------------------------------------------------------------------


def _locations_page(
    ctx: Ctx, *, status: int = 200, error: str | None = None, values: dict[str, str] | None = None
) -> Response:
    principal = ctx.user()
    with ctx.db() as session:
        rows = service.locations(session, principal)
        markings = load(session, {r.marking_id for r in rows})
    return render(
        ctx,
        "vetting/positions/locations.html",
        title=ctx._("Designated locations"),
        status_code=status,
        markings=list(markings.values()),
        rows=rows,
        kinds=service.location_kinds(),
        ministers=service.ministers(),
        can_write=service.can_write(principal),
        error=error,
        values=values or {"designated_on": date.today().isoformat(), "kind": "airport"},
        label=_label,
    )


@pages.get("/locaties")
def locations_page(ctx: CtxDep) -> Response:
    return _locations_page(ctx)


@pages.post("/locaties")
def create_location(
    ctx: CtxDep,
    code: Str = "",
    name: Str = "",
    kind: Str = "",
    minister: Str = "",
    designated_on: Str = "",
    description: Str = "",
) -> Response:
    principal = ctx.user()
    values = {
        "code": code,
        "name": name,
        "kind": kind,
        "minister": minister,
        "designated_on": designated_on,
        "description": description,
    }
    try:
        day = form_date(designated_on)
        new_id = attempt(
            ctx,
            "location.create",
            service.KIND,
            lambda s: (
                service.create_location(
                    s,
                    principal,
                    code=code,
                    name=name,
                    kind=kind,
                    minister=minister,
                    designated_on=day,
                    description=description,
                    today=date.today(),
                ).id
            ),
        )
    except DomainError as exc:
        return _locations_page(ctx, status=422, error=exc.translate(ctx.locale), values=values)
    return RedirectResponse(f"/locaties/{new_id}", status_code=303)


@pages.get("/locaties/{location_id}")
def location_page(ctx: CtxDep, location_id: int) -> Response:
    from baken.vetting.register import service as register

    principal = ctx.user()
    with ctx.db() as session:
        try:
            place = service.location(session, principal, location_id)
        except PositionsError:
            raise NotFound from None
        found = service.search(session, principal, location_id=location_id, page=page_number(ctx))
        officer = service.can_write(principal)
        active = register.count_active_at(session, principal, location_id) if officer else None
        markings = load(session, {place.marking_id, *(p.marking_id for p in found.rows)})
    return render(
        ctx,
        "vetting/positions/location.html",
        title=place.name,
        markings=list(markings.values()),
        place=place,
        found=found,
        active=active,
        can_write=officer,
        label=_label,
        org=organisation_label,
    )


@pages.post("/locaties/{location_id}/beeindigen")
def deactivate_location(ctx: CtxDep, location_id: int) -> Response:
    principal = ctx.user()
    try:
        attempt(
            ctx,
            "location.deactivate",
            service.KIND,
            lambda s: service.deactivate_location(s, principal, location_id),
            location_id,
        )
    except PositionsError as exc:
        if exc.message == "no such designated location":
            raise NotFound from None
        raise
    return RedirectResponse(f"/locaties/{location_id}", status_code=303)


# --- API -------------------------------------------------------------------------------------


def position_json(p: Position) -> dict[str, Any]:
    return {
        "id": p.id,
        "ref": p.ref,
        "title": p.title,
        "level": p.level,
        "employer": p.employer,
        "minister": p.minister,
        "designated_on": p.designated_on.isoformat(),
        "location_id": p.location_id,
        "active": p.active,
    }


def location_json(loc: Location) -> dict[str, Any]:
    return {
        "id": loc.id,
        "code": loc.code,
        "name": loc.name,
        "kind": loc.kind,
        "minister": loc.minister,
        "designated_on": loc.designated_on.isoformat(),
        "active": loc.active,
    }


@api.get("/positions", summary="Positions of trust the caller may read (paginated)")
def api_positions(
    ctx: CtxDep,
    employer: str | None = None,
    level: str | None = None,
    location: int | None = None,
    page: int = 1,
) -> dict[str, Any]:
    principal = ctx.user()
    with ctx.db() as session:
        found = service.search(
            session, principal, employer=employer, level=level, location_id=location, page=page
        )
    return {
        "page": found.page,
        "more": found.more,
        "positions": [position_json(p) for p in found.rows],
    }


@api.get("/locations", summary="Designated locations")
def api_locations(ctx: CtxDep) -> list[dict[str, Any]]:
    principal = ctx.user()
    with ctx.db() as session:
        rows = service.locations(session, principal)
    return [location_json(r) for r in rows]
