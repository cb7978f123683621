"""Pages and API of protect (resilience): the dashboard, a new resilience product, a
record's page (linked both ways with the product's own page ``/producten/{id}``), and the
partner's list of what was released to them, where a victim acknowledges a notification.

Internal staff and the oversight see the dashboard; a partner recipient sees the
resilience products released to their organisation (on ``/weerbaarheid`` and
``/weerbaarheid/meldingen``). A record the reader may not read answers 404 exactly like
one that does not exist.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Form
from fastapi.responses import RedirectResponse, Response

from baken.analysis.products.schemas import STATUSES, vlabel
from baken.core import policy
from baken.core.errors import DomainError
from baken.core.markings import Level, organisation_label
from baken.core.principals import Principal
from baken.protect.resilience import service, victims
from baken.protect.resilience.schemas import (
    KIND,
    RecordView,
    audiences,
    channels,
    product_types,
    rlabel,
    usual_recipients,
    victim_organisations,
    victim_type,
)
from baken.web.context import Ctx, CtxDep, NotFound
from baken.web.forms import attempt, optional_date, page_number
from baken.web.render import render

pages = APIRouter(tags=["pages"], include_in_schema=False)
api = APIRouter(prefix="/api/v1/protect", tags=["protect"])

Str = Annotated[str, Form(max_length=100_000)]
Short = Annotated[str, Form(max_length=2000)]
Many = Annotated[list[str] | None, Form()]


def _partner(principal: Principal) -> bool:
    """A partner recipient's view: external and not the oversight."""
    return principal.is_external and not principal.is_overseer


def _labels(ctx: Ctx) -> dict[str, Any]:
    return {
        "label": lambda group, code: rlabel(group, code, ctx.locale),
        "plabel": lambda group, code: vlabel(group, code, ctx.locale),
        "org": lambda code: organisation_label(code, ctx.locale),
    }


# --- dashboard -------------------------------------------------------------------------------


def _received_page(ctx: Ctx, *, status: int = 200, error: str = "") -> Response:
    principal = ctx.user()
    with ctx.db() as session:
        items = victims.received(session, principal=principal)
    return render(
        ctx,
        "protect/resilience/received.html",
        title=ctx._("Resilience products for your organisation"),
        status_code=status,
        markings=[i.marking for i in items],
        items=items,
        error=error,
        **_labels(ctx),
    )


@pages.get("/weerbaarheid")
def index(ctx: CtxDep) -> Response:
    principal = ctx.user()
    if _partner(principal):
        return _received_page(ctx)
    q = ctx.request.query_params
    status = q.get("status") or None
    sector = q.get("sector") or None
    with ctx.db() as session:
        found = service.dashboard(
            session, principal=principal, status=status, sector=sector, page=page_number(ctx)
        )
    return render(
        ctx,
        "protect/resilience/index.html",
        title=ctx._("Resilience"),
        markings=found.markings(),
        found=found,
        status=status if status in STATUSES else "",
        sector=sector if sector in audiences() else "",
        statuses=STATUSES,
        sectors=audiences(),
        can_write=service.may_write(principal),
        **_labels(ctx),
    )


# --- new ---------------------------------------------------------------------------------------


def _new_page(
    ctx: Ctx, *, status: int = 200, error: str = "", values: dict[str, Any] | None = None
) -> Response:
    principal = ctx.user()
    if not service.may_write(principal):
        raise policy.PolicyDenied(KIND)
    return render(
        ctx,
        "protect/resilience/new.html",
        title=ctx._("New resilience product"),
        status_code=status,
        error=error,
        values=values or {"level": str(int(Level.DEP_VERTROUWELIJK)), "audience": []},
        types=product_types(),
        victim_type=victim_type(),
        sectors=audiences(),
        victims=victim_organisations(),
        channels=channels(),
        levels=list(Level),
        **_labels(ctx),
    )


@pages.get("/weerbaarheid/nieuw")
def new_page(ctx: CtxDep) -> Response:
    return _new_page(ctx)


@pages.post("/weerbaarheid/nieuw")
def new_submit(
    ctx: CtxDep,
    type: Short = "",
    title: Short = "",
    summary: Str = "",
    body: Str = "",
    level: Short = "",
    audience: Many = None,
    topic: Short = "",
    victim: Short = "",
    incident: Str = "",
    observed_on: Short = "",
    channel: Short = "",
) -> Response:
    principal = ctx.user()
    values: dict[str, Any] = {
        "type": type,
        "title": title,
        "summary": summary,
        "body": body,
        "level": level,
        "audience": audience or [],
        "topic": topic,
        "victim": victim,
        "incident": incident,
        "observed_on": observed_on,
        "channel": channel,
    }
    try:
        observed = optional_date(observed_on)
        record_id = attempt(
            ctx,
            "resilience.create",
            KIND,
            lambda s: service.create(
                s,
                principal=principal,
                type=type,
                title=title,
                summary_text=summary,
                body=body,
                level=level or int(Level.DEP_VERTROUWELIJK),
                audience=audience or [],
                topic=topic,
                victim=victim or None,
                incident=incident,
                observed_on=observed,
                channel=channel,
                today=date.today(),
            ),
        )
    except DomainError as exc:
        return _new_page(ctx, status=422, error=exc.translate(ctx.locale), values=values)
    return RedirectResponse(f"/weerbaarheid/{record_id}", status_code=303)


# --- the partner's list ------------------------------------------------------------------------


@pages.get("/weerbaarheid/meldingen")
def received_page(ctx: CtxDep) -> Response:
    return _received_page(ctx)


@pages.post("/weerbaarheid/meldingen/{release_id}/ontvangst")
def acknowledge(ctx: CtxDep, release_id: int) -> Response:
    principal = ctx.user()
    try:
        attempt(
            ctx,
            "resilience.acknowledge",
            KIND,
            lambda s: victims.acknowledge(s, principal=principal, release_id=release_id),
            object_id=release_id,
        )
    except DomainError as exc:
        return _received_page(ctx, status=422, error=exc.translate(ctx.locale))
    return RedirectResponse("/weerbaarheid/meldingen", status_code=303)


# --- one record --------------------------------------------------------------------------------


def _record_page(
    ctx: Ctx,
    record_id: int,
    *,
    status: int = 200,
    error: str = "",
    values: dict[str, Any] | None = None,
) -> Response:
    principal = ctx.user()
    with ctx.db() as session:
        try:
            view = service.get(session, principal=principal, record_id=record_id)
        except service.RecordNotFound:
            raise NotFound from None
    return render(
        ctx,
        "protect/resilience/record.html",
        title=view.title,
        status_code=status,
        markings=[view.marking, *(r.marking for r in view.releases)],
        r=view,
        error=error,
        values=values or _values(view),
        usual=usual_recipients(view.audiences, view.victim),
        sectors=audiences(),
        channels=channels(),
        can_write=service.may_write(principal),
        **_labels(ctx),
    )


def _values(view: RecordView) -> dict[str, Any]:
    return {
        "audience": view.audiences,
        "topic": view.topic,
        "incident": view.incident,
        "observed_on": view.observed_on.isoformat() if view.observed_on else "",
        "channel": view.channel,
    }


@pages.get("/weerbaarheid/{record_id}")
def record_page(ctx: CtxDep, record_id: int) -> Response:
    return _record_page(ctx, record_id)


@pages.post("/weerbaarheid/{record_id}")
def record_update(
    ctx: CtxDep,
    record_id: int,
    audience: Many = None,
    topic: Short = "",
    incident: Str = "",
    observed_on: Short = "",
    channel: Short = "",
) -> Response:
    principal = ctx.user()
    values = {
        "audience": audience or [],
        "topic": topic,
        "incident": incident,
        "observed_on": observed_on,
        "channel": channel,
    }
    try:
        observed = optional_date(observed_on)
        attempt(
            ctx,
            "resilience.update",
            KIND,
            lambda s: service.update(
                s,
                principal=principal,
                record_id=record_id,
                audience=audience or [],
                topic=topic,
                incident=incident,
                observed_on=observed,
                channel=channel,
                today=date.today(),
            ),
            object_id=record_id,
        )
    except DomainError as exc:
        return _record_page(
            ctx, record_id, status=422, error=exc.translate(ctx.locale), values=values
        )
    return RedirectResponse(f"/weerbaarheid/{record_id}", status_code=303)


# --- API ---------------------------------------------------------------------------------------


def record_json(r: RecordView) -> dict[str, Any]:
    return {
        "id": r.id,
        "product_id": r.product_id,
        "type": r.type,
        "title": r.title,
        "status": r.status,
        "marking": r.marking.key(),
        "topic": r.topic,
        "audience": r.audiences,
        "victim": r.victim,
        "incident": r.incident,
        "observed_on": r.observed_on.isoformat() if r.observed_on else None,
        "channel": r.channel or None,
        "acknowledged_at": r.acknowledged_at.isoformat() if r.acknowledged_at else None,
        "releases": [
            {"id": x.id, "recipient": x.recipient, "released_at": x.released_at.isoformat()}
            for x in r.releases
        ],
    }


@api.get("/resilience", summary="Resilience products the caller may read (paginated)")
def api_list(
    ctx: CtxDep, status: str | None = None, sector: str | None = None, page: int = 1
) -> dict[str, Any]:
    principal = ctx.user()
    with ctx.db() as session:
        if _partner(principal):
            items = victims.received(session, principal=principal)
            return {
                "received": [
                    {
                        "release_id": i.release_id,
                        "type": i.type,
                        "title": i.title,
                        "released_at": i.released_at.isoformat(),
                        "notification": i.notification,
                        "acknowledged_at": (
                            i.acknowledged_at.isoformat() if i.acknowledged_at else None
                        ),
                    }
                    for i in items
                ]
            }
        found = service.dashboard(
            session, principal=principal, status=status, sector=sector, page=page
        )
    return {
        "page": found.page,
        "more": found.more,
        "by_sector": found.by_sector,
        "by_status": found.by_status,
        "awaiting_acknowledgement": [r.id for r in found.awaiting],
        "products": [record_json(r) for r in found.rows],
    }


@api.get("/resilience/{record_id}", summary="One resilience product")
def api_get(ctx: CtxDep, record_id: int) -> dict[str, Any]:
    principal = ctx.user()
    with ctx.db() as session:
        view = service.get(session, principal=principal, record_id=record_id)
    return record_json(view)
