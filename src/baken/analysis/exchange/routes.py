"""Pages and API of analysis (exchange): import a STIX 2.1 bundle into a collection,
export a collection as FtM JSON lines, and a cyber product as STIX 2.1 or MISP."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, UploadFile
from fastapi.responses import Response

from baken.analysis.exchange import service
from baken.analysis.exchange.errors import ExchangeError
from baken.analysis.exchange.service import Export
from baken.core.i18n import N_
from baken.holdings.routes import holdings_runtime
from baken.holdings.service import collections
from baken.web.context import Ctx, CtxDep
from baken.web.render import render

pages = APIRouter(tags=["pages"], include_in_schema=False)
api = APIRouter(prefix="/api/v1/analysis", tags=["analysis"])
# The STIX upload gets the larger body limit (settings.upload_max_bytes).
uploads = APIRouter(tags=["analysis"])
uploads.baken_uploads = True  # type: ignore[attr-defined]
extra = [uploads]


def _download(export: Export) -> Response:
    return Response(
        export.body,
        media_type=export.media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{export.filename}"',
            "X-Baken-Marking": export.marking.banner("en").encode("ascii", "replace").decode(),
        },
    )


def _page(
    ctx: Ctx,
    *,
    status: int = 200,
    error: str = "",
    done: service.Imported | None = None,
    chosen: str = "",
) -> Response:
    principal = ctx.user()
    with ctx.db() as session:
        items = collections.list_collections(session, principal=principal)
    return render(
        ctx,
        "analysis/exchange/index.html",
        status_code=status,
        title=ctx._("Exchange"),
        markings=[c.marking for c in items],
        collections=items,
        error=error,
        done=done,
        chosen=chosen,
    )


@pages.get("/uitwisseling")
def index(ctx: CtxDep) -> Response:
    return _page(ctx)


@uploads.post("/uitwisseling")
def import_stix(
    ctx: CtxDep,
    collection: Annotated[str, Form(max_length=20)] = "",
    file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    principal = ctx.user()
    try:
        try:
            collection_id = int(collection)
        except ValueError:
            raise ExchangeError(N_("choose a collection")) from None
        if file is None:
            raise ExchangeError(N_("choose a STIX 2.1 file"))
        raw = file.file.read()
        with ctx.db() as session:
            done = service.import_stix(
                session, principal=principal, collection_id=collection_id, raw=raw
            )
    except ExchangeError as exc:
        return _page(ctx, status=422, error=exc.translate(ctx.locale), chosen=collection)
    except LookupError:
        # Unknown and unreadable collections are alike.
        error = ExchangeError(N_("choose a collection you may add to"))
        return _page(ctx, status=422, error=error.translate(ctx.locale), chosen=collection)
    holdings_runtime(ctx).feeder.try_sync()
    return _page(ctx, done=done, chosen=collection)


@pages.get("/uitwisseling/collecties/{collection_id}/ftm")
def collection_ftm(ctx: CtxDep, collection_id: int) -> Response:
    principal = ctx.user()
    with ctx.db() as session:
        export = service.export_ftm(session, principal=principal, collection_id=collection_id)
    return _download(export)


@pages.get("/producten/{product_id}/stix")
def product_stix(ctx: CtxDep, product_id: int) -> Response:
    principal = ctx.user()
    with ctx.db() as session:
        export = service.export_stix(session, principal=principal, product_id=product_id)
    return _download(export)


@pages.get("/producten/{product_id}/misp")
def product_misp(ctx: CtxDep, product_id: int) -> Response:
    principal = ctx.user()
    with ctx.db() as session:
        export = service.export_misp(session, principal=principal, product_id=product_id)
    return _download(export)


@api.get(
    "/products/{product_id}/stix",
    summary="A cyber product as a STIX 2.1 bundle",
    response_class=Response,
    responses={200: {"description": "STIX 2.1 bundle", "content": {"application/stix+json": {}}}},
)
def api_product_stix(ctx: CtxDep, product_id: int) -> Response:
    return product_stix(ctx, product_id)


@api.get("/products/{product_id}/misp", summary="A cyber product as a MISP event")
def api_product_misp(ctx: CtxDep, product_id: int) -> Response:
    return product_misp(ctx, product_id)


@api.get(
    "/exchange/collections/{collection_id}/ftm",
    summary="A collection's entities as FtM JSON lines (readable statements only)",
    response_class=Response,
    responses={200: {"description": "FtM JSON lines", "content": {"application/x-ndjson": {}}}},
)
def api_collection_ftm(ctx: CtxDep, collection_id: int) -> Response:
    return collection_ftm(ctx, collection_id)
