"""Pages of protect (industrial): the NBIV dashboard, suppliers, and special assignments
(the list, a new one, one assignment's page); the assignment's actions are in
:mod:`baken.protect.industrial.actions` and the API in :mod:`baken.protect.industrial.api`.

Routes are thin: they read the form, call one service in a unit of work of its own
(:func:`baken.web.forms.attempt`, so a refusal changes nothing and is audited) and render
the answer. A supplier or assignment the reader may not read answers 404, exactly like
one that does not exist.
"""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter
from fastapi.responses import RedirectResponse, Response

from baken.core.errors import DomainError
from baken.core.i18n import N_
from baken.core.marking_store import load
from baken.core.markings import Level
from baken.protect.industrial import dashboard, service, views
from baken.protect.industrial.actions import actions
from baken.protect.industrial.api import api
from baken.protect.industrial.service import ASSIGNMENT, SUPPLIER, IndustrialError
from baken.protect.industrial.views import (
    ASSIGNMENTS,
    SUPPLIERS,
    Str,
    common,
)
from baken.web.context import Ctx, CtxDep, NotFound
from baken.web.forms import attempt, form_date, form_int, page_number
from baken.web.render import render

pages = APIRouter(tags=["pages"], include_in_schema=False)
extra = [actions]
__all__ = ["api", "extra", "pages"]


# --- the dashboard ---------------------------------------------------------------------------


@pages.get("/industriele-veiligheid")
def dashboard_page(ctx: CtxDep) -> Response:
    principal = ctx.user()
    with ctx.db() as session:
        board = dashboard.dashboard(session, principal, date.today())
        rows = [*board.investigations, *(d.assignment for d in board.due), *board.abdo]
        names = service.supplier_names(session, principal, {r.supplier_id for r in rows})
        markings = load(session, {r.marking_id for r in rows})
    return render(
        ctx,
        "protect/industrial/index.html",
        title=ctx._("Industrial security"),
        markings=list(markings.values()),
        board=board,
        names=names,
        marking_of=markings,
        statuses=service.statuses(),
        tbbs=service.tbb_levels(),
        **common(ctx),
    )


# --- suppliers -------------------------------------------------------------------------------


def _suppliers_page(
    ctx: Ctx, *, status: int = 200, error: str | None = None, values: dict[str, str] | None = None
) -> Response:
    principal = ctx.user()
    query = (ctx.request.query_params.get("q") or "")[:200]
    with ctx.db() as session:
        found = service.suppliers(session, principal, query=query, page=page_number(ctx))
        markings = load(session, {r.marking_id for r in found.rows})
    return render(
        ctx,
        "protect/industrial/suppliers.html",
        title=ctx._("Suppliers"),
        status_code=status,
        markings=list(markings.values()),
        found=found,
        query=query,
        marking_of=markings,
        levels=service.marking_levels(),
        error=error,
        values=values or {"country": "nl", "level": "STG_CONFIDENTIEEL"},
        **common(ctx),
    )


@pages.get(SUPPLIERS)
def suppliers_page(ctx: CtxDep) -> Response:
    return _suppliers_page(ctx)


@pages.post(SUPPLIERS)
def create_supplier(
    ctx: CtxDep,
    name: Str = "",
    kvk: Str = "",
    branch: Str = "",
    country: Str = "nl",
    address: Str = "",
    entity_id: Str = "",
    level: Str = "STG_CONFIDENTIEEL",
) -> Response:
    principal = ctx.user()
    values = {
        "name": name,
        "kvk": kvk,
        "branch": branch,
        "country": country,
        "address": address,
        "entity_id": entity_id,
        "level": level,
    }
    try:
        new_id = attempt(
            ctx,
            "supplier.create",
            SUPPLIER,
            lambda s: (
                service.create_supplier(
                    s,
                    principal,
                    name=name,
                    kvk=kvk,
                    branch=branch,
                    country=country,
                    address=address,
                    entity_id=entity_id,
                    level=level,
                ).id
            ),
        )
    except DomainError as exc:
        return _suppliers_page(ctx, status=422, error=exc.translate(ctx.locale), values=values)
    return RedirectResponse(f"{SUPPLIERS}/{new_id}", status_code=303)


def _supplier_page(
    ctx: Ctx,
    supplier_id: int,
    *,
    status: int = 200,
    error: str | None = None,
    values: dict[str, str] | None = None,
) -> Response:
    principal = ctx.user()
    with ctx.db() as session:
        try:
            row = service.supplier(session, principal, supplier_id)
        except IndustrialError:
            raise NotFound from None
        found = service.search(session, principal, supplier_id=row.id, page=page_number(ctx))
        markings = load(session, {row.marking_id, *(a.marking_id for a in found.rows)})
    return render(
        ctx,
        "protect/industrial/supplier.html",
        title=row.name,
        status_code=status,
        markings=list(markings.values()),
        supplier=row,
        found=found,
        marking_of=markings,
        error=error,
        values=values
        or {
            "name": row.name,
            "country": row.country,
            "address": row.address,
            "entity_id": row.entity_id or "",
        },
        **common(ctx),
    )


@pages.get(SUPPLIERS + "/{supplier_id}")
def supplier_page(ctx: CtxDep, supplier_id: int) -> Response:
    return _supplier_page(ctx, supplier_id)


@pages.post(SUPPLIERS + "/{supplier_id}")
def update_supplier(
    ctx: CtxDep,
    supplier_id: int,
    name: Str = "",
    country: Str = "",
    address: Str = "",
    entity_id: Str = "",
) -> Response:
    principal = ctx.user()
    values = {"name": name, "country": country, "address": address, "entity_id": entity_id}
    try:
        attempt(
            ctx,
            "supplier.update",
            SUPPLIER,
            lambda s: service.update_supplier(
                s, principal, supplier_id, name=name, country=country, address=address,
                entity_id=entity_id, on=date.today(),
            ),
            supplier_id,
        )  # fmt: skip
    except DomainError as exc:
        if exc.message == "no such supplier":
            raise NotFound from None
        return _supplier_page(
            ctx, supplier_id, status=422, error=exc.translate(ctx.locale), values=values
        )
    return RedirectResponse(f"{SUPPLIERS}/{supplier_id}", status_code=303)


# --- assignments -----------------------------------------------------------------------------


def _assignments_page(
    ctx: Ctx, *, status: int = 200, error: str | None = None, values: dict[str, str] | None = None
) -> Response:
    principal = ctx.user()
    q = ctx.request.query_params
    wanted = {
        "status": q.get("status") or "",
        "tbb": q.get("tbb") or "",
        "client": q.get("client") or "",
    }
    with ctx.db() as session:
        found = service.search(
            session,
            principal,
            status=wanted["status"] or None,
            tbb=wanted["tbb"] or None,
            client=wanted["client"] or None,
            page=page_number(ctx),
        )
        names = service.supplier_names(session, principal, {a.supplier_id for a in found.rows})
        choices = (
            service.supplier_choices(session, principal) if service.can_write(principal) else []
        )
        markings = load(session, {a.marking_id for a in found.rows})
    return render(
        ctx,
        "protect/industrial/assignments.html",
        title=ctx._("Special assignments"),
        status_code=status,
        markings=list(markings.values()),
        found=found,
        names=names,
        choices=choices,
        filters=wanted,
        marking_of=markings,
        statuses=service.statuses(),
        tbbs=service.tbb_levels(),
        clients=service.clients(),
        levels=service.marking_levels(),
        all_levels=list(Level),
        error=error,
        values=values
        or {
            "assessed_on": date.today().isoformat(),
            "abro_applies": "yes",
            "level": "STG_CONFIDENTIEEL",
            "classification": "STG_CONFIDENTIEEL",
            "supplier_id": q.get("leverancier") or "",
        },
        **common(ctx),
    )


@pages.get(ASSIGNMENTS)
def assignments_page(ctx: CtxDep) -> Response:
    return _assignments_page(ctx)


@pages.post(ASSIGNMENTS)
def create_assignment(
    ctx: CtxDep,
    supplier_id: Str = "",
    client: Str = "",
    title: Str = "",
    tbb: Str = "",
    classification: Str = "",
    abro_applies: Str = "",
    assessed_on: Str = "",
    level: Str = "STG_CONFIDENTIEEL",
) -> Response:
    principal = ctx.user()
    values = {
        "supplier_id": supplier_id,
        "client": client,
        "title": title,
        "tbb": tbb,
        "classification": classification,
        "abro_applies": abro_applies,
        "assessed_on": assessed_on,
        "level": level,
    }
    try:
        day = form_date(assessed_on)
        company = form_int(supplier_id)
        if company is None:
            raise IndustrialError(N_("no such supplier"))
        if abro_applies not in ("yes", "no"):
            raise IndustrialError(N_("record whether ABRO applies according to the client"))
        new_id = attempt(
            ctx,
            "assignment.create",
            ASSIGNMENT,
            lambda s: (
                service.create_assignment(
                    s,
                    principal,
                    supplier_id=company,
                    client=client,
                    title=title,
                    tbb=tbb,
                    classification=classification,
                    abro_applies=abro_applies == "yes",
                    assessed_on=day,
                    level=level,
                    today=date.today(),
                ).id
            ),
        )
    except DomainError as exc:
        return _assignments_page(ctx, status=422, error=exc.translate(ctx.locale), values=values)
    return RedirectResponse(f"{ASSIGNMENTS}/{new_id}", status_code=303)


@pages.get(ASSIGNMENTS + "/{assignment_id}")
def assignment_page(ctx: CtxDep, assignment_id: int) -> Response:
    return views.assignment_page(ctx, assignment_id)
