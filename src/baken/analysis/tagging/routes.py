"""Pages and API of analysis (tagging): the review queue (/labels), a tag with its
explanation, confirming and rejecting (htmx), tagging by hand, and a requirement's feed
of incoming material (/labels/behoeften/{ref})."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, Field

from baken.analysis import vocab as analysis_vocab
from baken.analysis.tagging import service
from baken.analysis.tagging.service import TaggingError
from baken.core import policy
from baken.core.errors import DomainError
from baken.core.i18n import N_
from baken.core.markings import Marking
from baken.core.principals import Principal
from baken.steering import vocab as steering_vocab
from baken.web.context import Ctx, CtxDep
from baken.web.render import render

pages = APIRouter(tags=["pages"], include_in_schema=False)
api = APIRouter(prefix="/api/v1/analysis", tags=["analysis"])

Str = Annotated[str, Form(max_length=2000)]
PART = "tagging"


class _Vocab:
    """What the templates need to name codes."""

    @staticmethod
    def status(code: str, locale: str) -> str:
        return analysis_vocab.label(PART, "statuses", code, locale)

    @staticmethod
    def source(code: str, locale: str) -> str:
        return analysis_vocab.label(PART, "sources", code, locale)

    @staticmethod
    def decision(code: str, locale: str) -> str:
        return analysis_vocab.label(PART, "decisions", code, locale)

    @staticmethod
    def theme(code: str, locale: str) -> str:
        return steering_vocab.label("themes", code, locale)


def _choices(principal: Principal) -> dict[str, Any]:
    return {
        "tv": _Vocab,
        "themes": service.themes(),
        "statuses": service.STATUSES,
        "decisions": service.DECISIONS,
        "can_tag": policy.role_may_write(principal, service.KIND) and not principal.is_external,
    }


def _message(ctx: Ctx, exc: Exception) -> str:
    if isinstance(exc, DomainError):
        return exc.translate(ctx.locale)
    return ctx._(str(exc))


def _query(ctx: Ctx, name: str, allowed: list[str] | tuple[str, ...]) -> str | None:
    value = ctx.request.query_params.get(name) or None
    return value if value in allowed else None


def _page_number(ctx: Ctx) -> int:
    try:
        return max(1, min(10_000, int(ctx.request.query_params.get("pagina", "1"))))
    except ValueError:
        return 1


# --- pages -----------------------------------------------------------------------------------


def _queue(
    ctx: Ctx,
    *,
    status_code: int = 200,
    errors: dict[str, str] | None = None,
    values: dict[str, Any] | None = None,
) -> Response:
    principal = ctx.user()
    theme = _query(ctx, "thema", service.themes())
    status = _query(ctx, "status", service.STATUSES)
    ref = (ctx.request.query_params.get("behoefte") or "")[:32] or None
    with ctx.db() as session:
        found = service.list_tags(
            session,
            principal=principal,
            theme=theme,
            requirement_ref=ref,
            status=status,
            page=_page_number(ctx),
        )
        reqs = service.requirements(session, principal=principal)
    return render(
        ctx,
        "analysis/tagging/queue.html",
        status_code=status_code,
        title=ctx._("Tags"),
        markings=[*(t.marking for t in found.items), *(r.marking for r in reqs)],
        found=found,
        requirements=reqs,
        theme=theme or "",
        status=status or "",
        ref=ref or "",
        errors=errors or {},
        values=values or {},
        **_choices(principal),
    )


@pages.get("/labels")
def queue_page(ctx: CtxDep) -> Response:
    return _queue(ctx)


@pages.post("/labels")
def add_page(
    ctx: CtxDep,
    document: Str = "",
    entity: Str = "",
    theme: Str = "",
    requirement: Str = "",
    note: Str = "",
) -> Response:
    principal = ctx.user()
    values = {
        "document": document,
        "entity": entity,
        "theme": theme,
        "requirement": requirement,
        "note": note,
    }
    document_id: int | None = None
    if document.strip():
        try:
            document_id = int(document.strip())
        except ValueError:
            error = TaggingError(N_("the document number must be a whole number"))
            return _queue(
                ctx, status_code=422, errors={"document": _message(ctx, error)}, values=values
            )
    try:
        with ctx.db() as session:
            tag_id = service.add(
                session,
                principal=principal,
                theme=theme,
                document_id=document_id,
                entity_id=entity.strip() or None,
                requirement_ref=requirement.strip() or None,
                note=note,
            )
    except TaggingError as exc:
        return _queue(ctx, status_code=422, errors={"form": _message(ctx, exc)}, values=values)
    return RedirectResponse(f"/labels/{tag_id}", status_code=303)


def _tag_page(ctx: Ctx, tag_id: int, *, status_code: int = 200, error: str = "") -> Response:
    principal = ctx.user()
    with ctx.db() as session:
        tag = service.get_tag(session, principal=principal, tag_id=tag_id)
    return render(
        ctx,
        "analysis/tagging/tag.html",
        status_code=status_code,
        title=f"{ctx._('Tag')} #{tag.id}",
        markings=[tag.marking],
        tag=tag,
        error=error,
        **_choices(principal),
    )


@pages.get("/labels/{tag_id}")
def tag_page(ctx: CtxDep, tag_id: int) -> Response:
    return _tag_page(ctx, tag_id)


@pages.post("/labels/{tag_id}/oordeel")
def decide_page(ctx: CtxDep, tag_id: int, decision: Str = "") -> Response:
    principal = ctx.user()
    try:
        with ctx.db() as session:
            service.decide(session, principal=principal, tag_id=tag_id, decision=decision)
    except TaggingError as exc:
        return _tag_page(ctx, tag_id, status_code=422, error=_message(ctx, exc))
    if ctx.request.headers.get("HX-Request"):
        return _tag_page(ctx, tag_id)
    return RedirectResponse(f"/labels/{tag_id}", status_code=303)


@pages.get("/labels/behoeften/{ref}")
def feed_page(ctx: CtxDep, ref: str) -> Response:
    principal = ctx.user()
    status = _query(ctx, "status", service.STATUSES)
    with ctx.db() as session:
        found = service.feed(
            session, principal=principal, ref=ref[:32], status=status, page=_page_number(ctx)
        )
    return render(
        ctx,
        "analysis/tagging/feed.html",
        title=f"{ctx._('Requirement')} {found.requirement.ref}",
        markings=[found.requirement.marking, *(t.marking for t in found.page.items)],
        feed=found,
        found=found.page,
        status=status or "",
        **_choices(principal),
    )


# --- API -------------------------------------------------------------------------------------


def _json(value: Any) -> Any:
    return _plain(asdict(value))


def _plain(data: Any) -> Any:
    if isinstance(data, dict):
        return {k: _plain(v) for k, v in data.items()}
    if isinstance(data, list | tuple):
        return [_plain(v) for v in data]
    if isinstance(data, Marking):
        return data.key()
    if hasattr(data, "isoformat"):
        return data.isoformat()
    return data


def _page_json(found: service.TagPage) -> dict[str, Any]:
    return {
        "total": found.total,
        "page": found.page,
        "counts": found.counts,
        "items": [_json(t) for t in found.items],
    }


class TagIn(BaseModel):
    theme: str = Field(max_length=16)
    document_id: int | None = None
    entity_id: str | None = Field(default=None, max_length=128)
    requirement_ref: str | None = Field(default=None, max_length=32)
    note: str = Field(default="", max_length=service.MAX_NOTE)


class DecisionIn(BaseModel):
    decision: str = Field(max_length=16)


@api.get("/tags", summary="Tags the caller may read, newest first")
def api_tags(
    ctx: CtxDep,
    theme: Annotated[str | None, Query(max_length=16)] = None,
    requirement: Annotated[str | None, Query(max_length=32)] = None,
    status: Annotated[str | None, Query(max_length=16)] = None,
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
) -> dict[str, Any]:
    with ctx.db() as session:
        found = service.list_tags(
            session,
            principal=ctx.user(),
            theme=theme,
            requirement_ref=requirement,
            status=status,
            page=page,
        )
    return _page_json(found)


@api.post("/tags", status_code=201, summary="Tag a document or an entity by hand")
def api_add(ctx: CtxDep, body: TagIn) -> dict[str, Any]:
    with ctx.db() as session:
        tag_id = service.add(
            session,
            principal=ctx.user(),
            theme=body.theme,
            document_id=body.document_id,
            entity_id=body.entity_id,
            requirement_ref=body.requirement_ref,
            note=body.note,
        )
    return {"id": tag_id}


@api.get("/tags/coverage", summary="Confirmed tagged items per requirement and theme")
def api_coverage(ctx: CtxDep) -> dict[str, Any]:
    with ctx.db() as session:
        return service.coverage(session, principal=ctx.user())


@api.get("/tags/requirements", summary="Active requirements with their tag counts")
def api_requirements(ctx: CtxDep) -> list[Any]:
    with ctx.db() as session:
        return [_json(r) for r in service.requirements(session, principal=ctx.user())]


@api.get("/tags/requirements/{ref}/feed", summary="A requirement's incoming material")
def api_feed(
    ctx: CtxDep,
    ref: str,
    status: Annotated[str | None, Query(max_length=16)] = None,
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
) -> dict[str, Any]:
    with ctx.db() as session:
        found = service.feed(session, principal=ctx.user(), ref=ref[:32], status=status, page=page)
    return {"requirement": _json(found.requirement), **_page_json(found.page)}


@api.get("/tags/{tag_id}", summary="A tag with its explanation")
def api_tag(ctx: CtxDep, tag_id: int) -> Any:
    with ctx.db() as session:
        return _json(service.get_tag(session, principal=ctx.user(), tag_id=tag_id))


@api.post("/tags/{tag_id}/decision", summary="Confirm or reject a proposed tag")
def api_decide(ctx: CtxDep, tag_id: int, body: DecisionIn) -> Any:
    with ctx.db() as session:
        view = service.decide(session, principal=ctx.user(), tag_id=tag_id, decision=body.decision)
    return _json(view)
