"""Notice pages and API: parse, call one service function, render."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Query
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from baken.core import policy, sanitise
from baken.core.markings import Level, Service, organisation_codes
from baken.core.schemas import MarkingOut
from baken.notices import service
from baken.notices.schemas import NoticeCreate, NoticePublic
from baken.web.context import CtxDep, Forbidden
from baken.web.forms import MarkingForm, field_errors
from baken.web.render import render

pages = APIRouter(tags=["pages"], include_in_schema=False)
api = APIRouter(prefix="/api/v1/notices", tags=["notices"])


def _form_choices() -> dict[str, Any]:
    return {
        "levels": list(Level),
        "services": list(Service),
        "organisations": sorted(organisation_codes()),
    }


@pages.get("/mededelingen")
def notice_list(ctx: CtxDep, page: Annotated[int, Query(ge=1, le=10_000)] = 1) -> Response:
    principal = ctx.user()
    with ctx.db() as session:
        items, total = service.list_notices(
            session, principal=principal, limit=25, offset=(page - 1) * 25
        )
    return render(
        ctx,
        "notices/list.html",
        markings=[n.marking for n in items],
        title=ctx._("Notices"),
        items=items,
        total=total,
        page=page,
        pages=max(1, -(-total // 25)),
        can_write=policy.role_may_write(principal, service.KIND),
    )


@pages.get("/mededelingen/nieuw")
def notice_new(ctx: CtxDep) -> Response:
    if not policy.role_may_write(ctx.user(), service.KIND):
        raise Forbidden(service.KIND)
    return render(
        ctx, "notices/form.html", title=ctx._("New notice"), errors={}, values={}, **_form_choices()
    )


@pages.post("/mededelingen")
def notice_create(
    ctx: CtxDep,
    marking_form: MarkingForm,
    title: Annotated[str, Form(max_length=1000)] = "",
    body: Annotated[str, Form(max_length=40_000)] = "",
) -> Response:
    principal = ctx.user()
    values = {
        "title": title,
        "body": body,
        **marking_form.values(),
    }
    try:
        data = NoticeCreate(
            title=title,
            body=body,
            marking=marking_form.parse(),
        )
    except ValidationError as exc:
        return render(
            ctx,
            "notices/form.html",
            status_code=422,
            title=ctx._("New notice"),
            errors=field_errors(ctx, exc),
            values=values,
            **_form_choices(),
        )
    with ctx.db() as session:
        created = service.create(session, principal=principal, data=data)
    return RedirectResponse(f"/mededelingen/{created.id}", status_code=303)


@pages.get("/mededelingen/{notice_id}")
def notice_detail(ctx: CtxDep, notice_id: int) -> Response:
    principal = ctx.user()
    with ctx.db() as session:
        item = service.get(session, principal=principal, notice_id=notice_id)
    return render(
        ctx,
        "notices/detail.html",
        markings=[item.marking],
        title=item.title,
        item=item,
        can_sanitise=principal.has_permission("sanitise.request"),
    )


@pages.get("/mededelingen/{notice_id}/saneren")
def notice_sanitise_form(ctx: CtxDep, notice_id: int) -> Response:
    principal = ctx.user()
    with ctx.db() as session:
        item = service.get(session, principal=principal, notice_id=notice_id)
    return render(
        ctx,
        "notices/sanitise.html",
        markings=[item.marking],
        title=ctx._("Request a sanitised version"),
        item=item,
        errors={},
        values={"title": item.title, "body": item.body},
        **_form_choices(),
    )


@pages.post("/mededelingen/{notice_id}/saneren")
def notice_sanitise(
    ctx: CtxDep,
    marking_form: MarkingForm,
    notice_id: int,
    title: Annotated[str, Form(max_length=1000)] = "",
    body: Annotated[str, Form(max_length=40_000)] = "",
    reason: Annotated[str, Form(max_length=4000)] = "",
) -> Response:
    principal = ctx.user()
    values = {
        "title": title,
        "body": body,
        "reason": reason,
        **marking_form.values(),
    }
    with ctx.db() as session:
        item = service.get(session, principal=principal, notice_id=notice_id)
        errors: dict[str, str] = {}
        try:
            marking = marking_form.parse().to_marking()
            request_id = sanitise.request(
                session,
                principal=principal,
                kind=service.KIND,
                source_id=notice_id,
                marking=marking,
                fields={"title": title, "body": body},
                reason=reason,
            )
        except ValidationError as exc:
            errors = field_errors(ctx, exc)
        except sanitise.SanitisationError as exc:
            errors = {"form": ctx._(str(exc))}
        if not errors:
            return RedirectResponse(f"/saneringen/{request_id}", status_code=303)
    return render(
        ctx,
        "notices/sanitise.html",
        status_code=422,
        markings=[item.marking],
        title=ctx._("Request a sanitised version"),
        item=item,
        errors=errors,
        values=values,
        **_form_choices(),
    )


# --- API -----------------------------------------------------------------------------


def _out(item: NoticePublic, locale: str) -> dict[str, Any]:
    data = item.model_dump(exclude={"marking"})
    data["marking"] = MarkingOut.of(item.marking, locale).model_dump()
    return data


@api.get("", summary="Notices the caller may read, newest first")
def api_list(
    ctx: CtxDep,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> dict[str, Any]:
    principal = ctx.user()
    with ctx.db() as session:
        items, total = service.list_notices(
            session, principal=principal, limit=limit, offset=offset
        )
    return {"total": total, "items": [_out(i, ctx.locale) for i in items]}


@api.get("/{notice_id}", summary="One notice, if the caller may read it")
def api_get(ctx: CtxDep, notice_id: int) -> dict[str, Any]:
    principal = ctx.user()
    with ctx.db() as session:
        item = service.get(session, principal=principal, notice_id=notice_id)
    return _out(item, ctx.locale)


@api.post("", status_code=201, summary="Write a notice at a marking the caller may write")
def api_create(ctx: CtxDep, data: NoticeCreate) -> dict[str, Any]:
    principal = ctx.user()
    with ctx.db() as session:
        item = service.create(session, principal=principal, data=data)
    return _out(item, ctx.locale)
