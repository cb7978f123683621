"""Pages and API of analysis (graph): explore an entity's neighbourhood step by step in
an interactive graph, and save and reopen network views."""

from __future__ import annotations

import json
from importlib import resources
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Form, Query
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, Field

from baken.analysis.graph import service
from baken.analysis.graph.service import Graph, GraphError, ViewDetail
from baken.analysis.graph.vocab import VIEW
from baken.core import policy
from baken.core.i18n import N_
from baken.web.context import Ctx, CtxDep
from baken.web.render import render

pages = APIRouter(tags=["pages"], include_in_schema=False)
api = APIRouter(prefix="/api/v1/analysis/graph", tags=["analysis"])

Str = Annotated[str, Form(max_length=200_000)]


def _script() -> bytes:
    return resources.files("baken.analysis.graph").joinpath("static/graaf.js").read_bytes()


@pages.get("/graaf/graaf.js")
def script() -> Response:
    """The page's own script (the CSP allows no inline scripts): same origin, no data."""
    return Response(
        _script(),
        media_type="text/javascript",
        headers={"Cache-Control": "no-cache"},
    )


def _may_save(ctx: Ctx) -> bool:
    principal = ctx.user()
    return policy.role_may_write(principal, VIEW) and not principal.is_external


def _index(ctx: Ctx, *, status: int = 200, error: str = "") -> Response:
    principal = ctx.user()
    with ctx.db() as session:
        views = service.list_views(session, principal=principal)
    return render(
        ctx,
        "analysis/graph/index.html",
        status_code=status,
        title=ctx._("Network"),
        markings=[v.marking for v in views],
        views=views,
        error=error,
    )


@pages.get("/graaf")
def index(ctx: CtxDep, entiteit: Annotated[str, Query(max_length=128)] = "") -> Response:
    if entiteit.strip():
        target = quote(entiteit.strip(), safe="")
        return RedirectResponse(f"/graaf/entiteit/{target}", status_code=303)
    return _index(ctx)


def _graph_page(ctx: Ctx, graph: Graph, **values: Any) -> Response:
    return render(
        ctx,
        "analysis/graph/graph.html",
        title=values.pop("title"),
        markings=[graph.marking, *values.pop("markings", [])],
        graph=graph,
        by_id={n.id: n for n in graph.nodes},
        may_save=_may_save(ctx),
        **values,
    )


@pages.get("/graaf/entiteit/{entity_id}")
def entity_graph(ctx: CtxDep, entity_id: str) -> Response:
    principal = ctx.user()
    with ctx.db() as session:
        graph = service.neighbours(session, principal=principal, entity_id=entity_id)
    center = next(n for n in graph.nodes if n.id == entity_id)
    return _graph_page(
        ctx,
        graph,
        title=center.caption,
        heading=center.caption,
        source=f"/api/v1/analysis/graph/entities/{entity_id}/neighbours",
        layout={},
        view=None,
    )


@pages.post("/graaf/weergaven")
def view_save(
    ctx: CtxDep,
    title: Annotated[str, Form(max_length=2000)] = "",
    center: Annotated[str, Form(max_length=128)] = "",
    nodes: Str = "[]",
    layout: Str = "{}",
) -> Response:
    principal = ctx.user()
    try:
        try:
            node_list, positions = json.loads(nodes), json.loads(layout)
        except json.JSONDecodeError:
            raise GraphError(N_("the layout of the view is not valid")) from None
        if not isinstance(node_list, list):
            raise GraphError(N_("a view needs at least one entity"))
        with ctx.db() as session:
            view_id = service.save_view(
                session,
                principal=principal,
                title=title,
                center_id=center,
                nodes=[str(n) for n in node_list],
                layout=positions,
            )
    except GraphError as exc:
        return _index(ctx, status=422, error=exc.translate(ctx.locale))
    return RedirectResponse(f"/graaf/weergaven/{view_id}", status_code=303)


@pages.get("/graaf/weergaven/{view_id}")
def view_page(ctx: CtxDep, view_id: int) -> Response:
    principal = ctx.user()
    with ctx.db() as session:
        detail = service.get_view(session, principal=principal, view_id=view_id)
    return _graph_page(
        ctx,
        detail.graph,
        title=detail.view.title,
        heading=detail.view.title,
        markings=[detail.view.marking],
        source=f"/api/v1/analysis/graph/views/{view_id}",
        layout=detail.layout,
        view=detail.view,
    )


# --- API -------------------------------------------------------------------------------------


class ViewCreate(BaseModel):
    title: str = Field(max_length=2000)
    center: str = Field(max_length=128)
    nodes: list[str] = Field(max_length=service.MAX_VIEW_NODES + 1)
    layout: dict[str, dict[str, float]] = Field(default_factory=dict)


def _view_json(detail: ViewDetail, locale: str) -> dict[str, Any]:
    data = detail.graph.to_json(locale)
    data["view"] = {
        "id": detail.view.id,
        "title": detail.view.title,
        "center": detail.view.center_id,
        "marking": detail.view.marking.key(),
        "created_at": detail.view.created_at.isoformat(),
    }
    data["layout"] = detail.layout
    return data


@api.get("/entities/{entity_id}/neighbours", summary="An entity and its readable neighbours")
def api_neighbours(ctx: CtxDep, entity_id: str) -> dict[str, Any]:
    principal = ctx.user()
    with ctx.db() as session:
        graph = service.neighbours(session, principal=principal, entity_id=entity_id)
    return graph.to_json(ctx.locale)


@api.get("/views", summary="Saved network views the caller may read")
def api_views(ctx: CtxDep) -> list[dict[str, Any]]:
    principal = ctx.user()
    with ctx.db() as session:
        views = service.list_views(session, principal=principal)
    return [
        {
            "id": v.id,
            "title": v.title,
            "center": v.center_id,
            "nodes": v.node_count,
            "marking": v.marking.key(),
            "created_at": v.created_at.isoformat(),
        }
        for v in views
    ]


@api.post("/views", status_code=201, summary="Save a network view")
def api_view_create(ctx: CtxDep, data: ViewCreate) -> dict[str, Any]:
    principal = ctx.user()
    with ctx.db() as session:
        view_id = service.save_view(
            session,
            principal=principal,
            title=data.title,
            center_id=data.center,
            nodes=data.nodes,
            layout=data.layout,
        )
    return {"id": view_id}


@api.get("/views/{view_id}", summary="A saved view, re-assembled for the caller")
def api_view(ctx: CtxDep, view_id: int) -> dict[str, Any]:
    principal = ctx.user()
    with ctx.db() as session:
        detail = service.get_view(session, principal=principal, view_id=view_id)
    return _view_json(detail, ctx.locale)
