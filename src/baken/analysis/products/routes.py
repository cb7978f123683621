"""Pages and API of analysis (products): the product list and editor, the flow (submit,
approve, send back, release, consent), the PDF, and the partner portal."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form
from fastapi.responses import RedirectResponse, Response

from baken.analysis.products import dissemination, pdf, schemas
from baken.analysis.products import service as products
from baken.analysis.products.schemas import PRODUCT, ProductView, ReleaseView
from baken.analysis.products.service import ProductError
from baken.core import policy
from baken.core.markings import Level, organisation_label
from baken.core.principals import Principal
from baken.web.context import Ctx, CtxDep
from baken.web.render import render

pages = APIRouter(tags=["pages"], include_in_schema=False)
api = APIRouter(prefix="/api/v1/analysis", tags=["analysis"])

Str = Annotated[str, Form(max_length=100_000)]
Short = Annotated[str, Form(max_length=2000)]
Many = Annotated[list[str] | None, Form()]


def _choices(ctx: Ctx) -> dict[str, Any]:
    return {
        "label": lambda group, code: schemas.vlabel(group, code, ctx.locale),
        "org": lambda code: organisation_label(code, ctx.locale),
        "product_types": schemas.product_types(),
        "observable_types": schemas.observable_types(),
        "recipient_codes": schemas.recipient_codes(),
        "usual_recipients": schemas.usual_recipients,
        "levels": list(Level),
    }


def _may_write(principal: Principal) -> bool:
    return policy.role_may_write(principal, PRODUCT) and not principal.is_external


def _download(pdf: bytes, name: str) -> Response:
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


# --- list and new ----------------------------------------------------------------------------


@pages.get("/producten")
def list_page(ctx: CtxDep) -> Response:
    principal = ctx.user()
    status = ctx.request.query_params.get("status") or None
    with ctx.db() as session:
        items = products.list_products(session, principal=principal, status=status)
    return render(
        ctx,
        "analysis/products/list.html",
        title=ctx._("Products"),
        markings=[i.marking for i in items],
        items=items,
        status=status if status in schemas.STATUSES else "",
        statuses=schemas.STATUSES,
        can_write=_may_write(principal),
        **_choices(ctx),
    )


def _new_page(
    ctx: Ctx, *, status: int = 200, error: str = "", values: dict[str, Any] | None = None
) -> Response:
    principal = ctx.user()
    if not _may_write(principal):
        raise policy.PolicyDenied(PRODUCT)
    return render(
        ctx,
        "analysis/products/new.html",
        status_code=status,
        title=ctx._("New product"),
        error=error,
        values=values or {"level": str(int(Level.DEP_VERTROUWELIJK))},
        **_choices(ctx),
    )


@pages.get("/producten/nieuw")
def new_page(ctx: CtxDep) -> Response:
    return _new_page(ctx)


@pages.post("/producten/nieuw")
def new_submit(
    ctx: CtxDep,
    type: Short = "",
    title: Short = "",
    summary: Str = "",
    body: Str = "",
    level: Short = "1",
) -> Response:
    principal = ctx.user()
    values = {"type": type, "title": title, "summary": summary, "body": body, "level": level}
    try:
        with ctx.db() as session:
            product_id = products.create(
                session,
                principal=principal,
                type=type,
                title=title,
                summary_text=summary,
                body=body,
                level=level,
            )
    except ProductError as exc:
        return _new_page(ctx, status=422, error=exc.translate(ctx.locale), values=values)
    return RedirectResponse(f"/producten/{product_id}", status_code=303)


# --- one product ------------------------------------------------------------------------------


def _search(ctx: Ctx, principal: Principal, query: str) -> list[dict[str, Any]]:
    """Sources for the citation picker: the holdings search, policy in the index query."""
    from baken.holdings.routes import holdings_runtime
    from baken.holdings.service import search as search_service

    rt = holdings_runtime(ctx)
    rt.feeder.try_sync()
    with ctx.db() as session:
        found = search_service.search(
            session, principal=principal, index=rt.feeder.index, query=query
        )
    hits = []
    for hit in found.result.hits:
        kind, _, rest = hit.doc_id.partition(":")
        target = rest if kind == "doc" else rest.split("|", 1)[0]
        hits.append(
            {
                "kind": "document" if kind == "doc" else "entity",
                "target_id": target,
                "title": hit.title,
                "marking": search_service.hit_marking(hit),
            }
        )
    return hits


def _product_page(
    ctx: Ctx, product_id: int, *, status: int = 200, error: str = "", query: str = ""
) -> Response:
    principal = ctx.user()
    with ctx.db() as session:
        view = products.get(session, principal=principal, product_id=product_id)
    query = (query or ctx.request.query_params.get("zoek", "")).strip()[:200]
    hits = _search(ctx, principal, query) if query and view.status == "draft" else []
    may_write = _may_write(principal) and policy.can_write(principal, PRODUCT, view.marking)
    return render(
        ctx,
        "analysis/products/product.html",
        status_code=status,
        title=view.title,
        markings=[*view.markings(), *(h["marking"] for h in hits)],
        p=view,
        hits=hits,
        query=query,
        error=error,
        can_edit=may_write and view.status == "draft",
        can_review=may_write
        and view.status == "submitted"
        and "team_lead" in principal.roles
        and view.author_id != principal.id,
        can_release=may_write and view.status in ("approved", "released"),
        **_choices(ctx),
    )


@pages.get("/producten/{product_id}")
def product_page(ctx: CtxDep, product_id: int) -> Response:
    return _product_page(ctx, product_id)


def _act(ctx: Ctx, product_id: int, work: Any) -> Response:
    """Run one service call; a refusal shows on the product page (422), nothing stored."""
    principal = ctx.user()
    try:
        with ctx.db() as session:
            work(session, principal)
    except ProductError as exc:
        return _product_page(ctx, product_id, status=422, error=exc.translate(ctx.locale))
    return RedirectResponse(f"/producten/{product_id}", status_code=303)


@pages.post("/producten/{product_id}")
def product_edit(
    ctx: CtxDep,
    product_id: int,
    title: Short = "",
    summary: Str = "",
    body: Str = "",
    level: Short = "",
) -> Response:
    return _act(
        ctx,
        product_id,
        lambda s, p: products.update(
            s,
            principal=p,
            product_id=product_id,
            title=title,
            summary_text=summary,
            body=body,
            level=level or None,
        ),
    )


@pages.post("/producten/{product_id}/bronnen")
def product_cite(ctx: CtxDep, product_id: int, kind: Short = "", target_id: Short = "") -> Response:
    return _act(
        ctx,
        product_id,
        lambda s, p: products.cite(
            s, principal=p, product_id=product_id, kind=kind, target_id=target_id
        ),
    )


@pages.post("/producten/{product_id}/bronnen/{citation_id}/verwijderen")
def product_uncite(ctx: CtxDep, product_id: int, citation_id: int) -> Response:
    return _act(
        ctx,
        product_id,
        lambda s, p: products.uncite(
            s, principal=p, product_id=product_id, citation_id=citation_id
        ),
    )


@pages.post("/producten/{product_id}/observabelen")
def product_observable(
    ctx: CtxDep, product_id: int, type: Short = "", value: Short = "", description: Short = ""
) -> Response:
    return _act(
        ctx,
        product_id,
        lambda s, p: products.add_observable(
            s, principal=p, product_id=product_id, type=type, value=value, description=description
        ),
    )


@pages.post("/producten/{product_id}/observabelen/{observable_id}/verwijderen")
def product_observable_remove(ctx: CtxDep, product_id: int, observable_id: int) -> Response:
    return _act(
        ctx,
        product_id,
        lambda s, p: products.remove_observable(
            s, principal=p, product_id=product_id, observable_id=observable_id
        ),
    )


@pages.post("/producten/{product_id}/indienen")
def product_submit(ctx: CtxDep, product_id: int) -> Response:
    return _act(
        ctx, product_id, lambda s, p: products.submit(s, principal=p, product_id=product_id)
    )


@pages.post("/producten/{product_id}/goedkeuren")
def product_approve(ctx: CtxDep, product_id: int, recipients: Many = None) -> Response:
    return _act(
        ctx,
        product_id,
        lambda s, p: products.approve(
            s, principal=p, product_id=product_id, recipients=recipients or []
        ),
    )


@pages.post("/producten/{product_id}/terugsturen")
def product_send_back(ctx: CtxDep, product_id: int, note: Short = "") -> Response:
    return _act(
        ctx,
        product_id,
        lambda s, p: products.send_back(s, principal=p, product_id=product_id, note=note),
    )


@pages.post("/producten/{product_id}/instemming")
def product_consent(
    ctx: CtxDep, product_id: int, partner: Short = "", recipient: Short = "", reference: Short = ""
) -> Response:
    return _act(
        ctx,
        product_id,
        lambda s, p: dissemination.record_consent(
            s,
            principal=p,
            product_id=product_id,
            partner=partner,
            recipient=recipient,
            reference=reference,
        ),
    )


@pages.post("/producten/{product_id}/verstrekken")
def product_release(
    ctx: CtxDep, product_id: int, recipient: Short = "", note: Short = ""
) -> Response:
    return _act(
        ctx,
        product_id,
        lambda s, p: dissemination.release(
            s, principal=p, product_id=product_id, recipient=recipient, note=note
        ),
    )


@pages.get("/producten/{product_id}/pdf")
def product_pdf(ctx: CtxDep, product_id: int) -> Response:
    with ctx.db() as session:
        data, _ = pdf.product_pdf(
            session, principal=ctx.user(), product_id=product_id, locale=ctx.locale
        )
    return _download(data, f"product-{product_id}.pdf")


# --- the partner portal -------------------------------------------------------------------------


@pages.get("/portaal")
def portal_page(ctx: CtxDep) -> Response:
    principal = ctx.user()
    with ctx.db() as session:
        items = dissemination.releases(session, principal=principal)
    return render(
        ctx,
        "analysis/products/portal.html",
        title=ctx._("Received products"),
        markings=[i.marking for i in items],
        items=items,
        **_choices(ctx),
    )


@pages.get("/portaal/{release_id}")
def portal_release(ctx: CtxDep, release_id: int) -> Response:
    principal = ctx.user()
    with ctx.db() as session:
        view = dissemination.get_release(session, principal=principal, release_id=release_id)
        links = [
            link
            for found in ctx.registry.hook.baken_release_links(
                session=session, principal=principal, release_id=release_id
            )
            for link in found
        ]
    return render(
        ctx,
        "analysis/products/release.html",
        title=str(view.content.get("title", "")),
        markings=[view.marking],
        r=view,
        links=links,
        **_choices(ctx),
    )


@pages.get("/portaal/{release_id}/pdf")
def portal_pdf(ctx: CtxDep, release_id: int) -> Response:
    with ctx.db() as session:
        data, _ = pdf.release_pdf(
            session, principal=ctx.user(), release_id=release_id, locale=ctx.locale
        )
    return _download(data, f"verstrekking-{release_id}.pdf")


# --- API -----------------------------------------------------------------------------------------


def _product_json(view: ProductView) -> dict[str, Any]:
    return {
        "id": view.id,
        "type": view.type,
        "title": view.title,
        "summary": view.summary,
        "body": view.body,
        "status": view.status,
        "marking": view.marking.key(),
        "author": view.author,
        "created_at": view.created_at.isoformat(),
        "recipients": view.recipients,
        "citations": [
            {
                "kind": c.kind,
                "target_id": c.target_id,
                "caption": c.caption,
                "marking": c.marking.key(),
            }
            for c in view.citations
        ],
        "observables": [
            {"type": o.type, "value": o.value, "description": o.description}
            for o in view.observables
        ],
        "releases": [{"id": r.id, "recipient": r.recipient} for r in view.releases],
    }


def _release_json(view: ReleaseView) -> dict[str, Any]:
    return {
        "id": view.id,
        "recipient": view.recipient,
        "marking": view.marking.key(),
        "released_at": view.released_at.isoformat(),
        "content": view.content,
    }


@api.get("/products", summary="Products the caller may read")
def api_products(ctx: CtxDep) -> list[dict[str, Any]]:
    with ctx.db() as session:
        items = products.list_products(session, principal=ctx.user())
    return [
        {
            "id": i.id,
            "type": i.type,
            "title": i.title,
            "status": i.status,
            "marking": i.marking.key(),
        }
        for i in items
    ]


@api.get("/products/{product_id}", summary="One product with its sources and observables")
def api_product(ctx: CtxDep, product_id: int) -> dict[str, Any]:
    with ctx.db() as session:
        view = products.get(session, principal=ctx.user(), product_id=product_id)
    return _product_json(view)


@api.get("/releases", summary="Releases the caller may read (for a recipient: its own)")
def api_releases(ctx: CtxDep) -> list[dict[str, Any]]:
    with ctx.db() as session:
        items = dissemination.releases(session, principal=ctx.user())
    return [_release_json(i) for i in items]
