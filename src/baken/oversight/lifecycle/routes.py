"""Pages and API of oversight (lifecycle): bulk datasets with their term, assessment,
legal hold, destruction and extensions; destruction records with their check; and the
legal basis of a collection, shown wherever its data is (an htmx fragment)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Form
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from baken.core import policy
from baken.core.errors import DomainError
from baken.core.i18n import N_
from baken.holdings.routes import holdings_runtime
from baken.oversight.lifecycle import destruction, extensions, service
from baken.oversight.lifecycle.destruction import Stores
from baken.oversight.vocab import label
from baken.web.context import Ctx, CtxDep
from baken.web.forms import form_date
from baken.web.render import render

pages = APIRouter(tags=["pages"], include_in_schema=False)
api = APIRouter(prefix="/api/v1/oversight", tags=["oversight"])

T = TypeVar("T")
Str = Annotated[str, Form(max_length=4000)]


def _label(group: str, code: str | None, locale: str) -> str:
    return label("lifecycle", group, code, locale)


def _run(ctx: Ctx, action: str, work: Callable[[Session], T], object_id: object = None) -> T:
    return service.attempt(ctx.factory, ctx.user(), action, work, object_id=object_id)


# --- the legal basis (a fragment) ----------------------------------------------------------


@pages.get("/collecties/{collection_id}/rechtsgrond")
def legal_basis_fragment(ctx: CtxDep, collection_id: int, kort: int = 0) -> Response:
    principal = ctx.user()
    with ctx.db() as session:
        view = service.legal_basis(
            session, principal=principal, collection_id=collection_id, today=date.today()
        )
    if view is None:
        return HTMLResponse("")
    return render(
        ctx,
        "oversight/lifecycle/legal_basis.html",
        markings=[view.marking],
        basis=view,
        short=bool(kort),
    )


@pages.post("/collecties/{collection_id}/rechtsgrond")
def legal_basis_link(ctx: CtxDep, collection_id: int, permission_id: Str = "") -> Response:
    principal = ctx.user()
    try:
        pid = int(permission_id)
    except ValueError:
        pid = 0
    try:
        _run(
            ctx,
            "legal_basis.link",
            lambda s: service.link_permission(
                s,
                principal=principal,
                collection_id=collection_id,
                permission_id=pid,
                today=date.today(),
            ),
            collection_id,
        )
    except DomainError as exc:
        return HTMLResponse(
            f'<p class="error" role="alert">{_escape(exc.translate(ctx.locale))}</p>',
            status_code=422,
        )
    return RedirectResponse(f"/collecties/{collection_id}", status_code=303)


def _escape(text: str) -> str:
    from markupsafe import escape

    return str(escape(text))


# --- bulk datasets -------------------------------------------------------------------------


@pages.get("/bulkdatasets")
def datasets_page(ctx: CtxDep) -> Response:
    principal = ctx.user()
    today = date.today()
    with ctx.db() as session:
        items = service.list_datasets(session, principal=principal, today=today)
        requests = extensions.list_extensions(session, principal=principal)
    return render(
        ctx,
        "oversight/lifecycle/datasets.html",
        title=ctx._("Bulk datasets"),
        markings=[*(i.marking for i in items), *(e.marking for e in requests)],
        items=items,
        extensions=requests,
        today=today,
        label=_label,
        is_minister="minister_office" in principal.roles,
        is_ctivd="overseer" in principal.roles,
    )


def _dataset_page(
    ctx: Ctx, collection_id: int, *, status: int = 200, error: str | None = None
) -> Response:
    principal = ctx.user()
    today = date.today()
    try:
        page = max(1, int(ctx.request.query_params.get("pagina", "1")))
    except ValueError:
        page = 1
    with ctx.db() as session:
        view = service.get_dataset(
            session, principal=principal, collection_id=collection_id, today=today
        )
        items, total = service.list_items(
            session, principal=principal, collection_id=collection_id, page=page
        )
        requests = extensions.list_extensions(
            session, principal=principal, collection_id=collection_id
        )
        records = destruction.list_records(
            session, principal=principal, collection_id=collection_id
        )
    return render(
        ctx,
        "oversight/lifecycle/dataset.html",
        status_code=status,
        title=view.title,
        markings=[
            view.marking,
            *(i.marking for i in items),
            *(e.marking for e in requests),
            *(r.marking for r in records),
        ],
        item=view,
        items=items,
        total=total,
        page=page,
        pages=max(1, (total + service.PAGE - 1) // service.PAGE),
        extensions=requests,
        records=records,
        error=error,
        today=today,
        label=_label,
        can_write=policy.can_write(principal, service.TERM, view.marking),
        can_destroy=policy.can_write(principal, service.DESTRUCTION, view.marking),
    )


@pages.get("/bulkdatasets/{collection_id}")
def dataset_page(ctx: CtxDep, collection_id: int) -> Response:
    return _dataset_page(ctx, collection_id)


def _after(ctx: Ctx, collection_id: int, action: str, work: Callable[[Session], Any]) -> Response:
    try:
        _run(ctx, action, work, collection_id)
    except DomainError as exc:
        return _dataset_page(ctx, collection_id, status=422, error=exc.translate(ctx.locale))
    return RedirectResponse(f"/bulkdatasets/{collection_id}", status_code=303)


@pages.post("/bulkdatasets/{collection_id}/beoordeling")
def dataset_assess(
    ctx: CtxDep,
    collection_id: int,
    item: Annotated[list[str] | None, Form(max_length=300)] = None,
    verdict: Str = "",
) -> Response:
    principal = ctx.user()
    keys = [k.split(":", 1) for k in (item or [])[:500] if ":" in k]
    return _after(
        ctx,
        collection_id,
        "bulkdataset.assess",
        lambda s: service.assess(
            s,
            principal=principal,
            collection_id=collection_id,
            items=[(k[0], k[1]) for k in keys],
            verdict=verdict,
            today=date.today(),
        ),
    )


@pages.post("/bulkdatasets/{collection_id}/beoordeling/rest")
def dataset_assess_rest(ctx: CtxDep, collection_id: int, verdict: Str = "") -> Response:
    principal = ctx.user()

    def work(session: Session) -> int:
        rest = service.unassessed(session, principal=principal, collection_id=collection_id)
        return service.assess(
            session,
            principal=principal,
            collection_id=collection_id,
            items=rest,
            verdict=verdict,
            today=date.today(),
        )

    return _after(ctx, collection_id, "bulkdataset.assess", work)


@pages.post("/bulkdatasets/{collection_id}/bewaring")
def dataset_hold(ctx: CtxDep, collection_id: int, hold: Str = "", reason: Str = "") -> Response:
    principal = ctx.user()
    return _after(
        ctx,
        collection_id,
        "bulkdataset.hold",
        lambda s: service.set_hold(
            s,
            principal=principal,
            collection_id=collection_id,
            hold=hold == "1",
            reason=reason,
            today=date.today(),
        ),
    )


@pages.post("/bulkdatasets/{collection_id}/vernietigen")
def dataset_destroy(
    ctx: CtxDep, collection_id: int, scope: Str = "", reason: Str = "", confirm: Str = ""
) -> Response:
    principal = ctx.user()
    stores = Stores.of(ctx.settings)

    def work(session: Session) -> int:
        if confirm != "vernietigen":
            raise service.LifecycleError(N_("type the word vernietigen to confirm"))
        return destruction.destroy(
            session,
            principal=principal,
            collection_id=collection_id,
            scope=scope,
            reason=reason,
            today=date.today(),
            stores=stores,
        )

    response = _after(ctx, collection_id, "destruction.execute", work)
    if response.status_code == 303:
        holdings_runtime(ctx).feeder.try_sync()  # the index forgets the items at once
    return response


@pages.post("/bulkdatasets/{collection_id}/verlenging")
def dataset_extend(
    ctx: CtxDep, collection_id: int, new_until: Str = "", motivation: Str = ""
) -> Response:
    principal = ctx.user()
    return _after(
        ctx,
        collection_id,
        "extension.request",
        lambda s: extensions.request_extension(
            s,
            principal=principal,
            collection_id=collection_id,
            new_until=form_date(new_until),
            motivation=motivation,
            today=date.today(),
        ),
    )


def _decision(ctx: Ctx, action: str, extension_id: int, work: Callable[[Session], Any]) -> Response:
    try:
        _run(ctx, action, work, extension_id)
    except DomainError as exc:
        return HTMLResponse(
            f'<p class="error" role="alert">{_escape(exc.translate(ctx.locale))}</p>'
            '<p><a href="/bulkdatasets">' + _escape(ctx._("Bulk datasets")) + "</a></p>",
            status_code=422,
        )
    return RedirectResponse("/bulkdatasets", status_code=303)


@pages.post("/verlengingen/{extension_id}/minister")
def extension_minister(
    ctx: CtxDep, extension_id: int, decision: Str = "", inform_parliament: Str = ""
) -> Response:
    principal = ctx.user()
    return _decision(
        ctx,
        "extension.minister",
        extension_id,
        lambda s: extensions.minister_decide(
            s,
            principal=principal,
            extension_id=extension_id,
            decision=decision,
            inform_parliament=inform_parliament == "1",
        ),
    )


@pages.post("/verlengingen/{extension_id}/ctivd")
def extension_ctivd(ctx: CtxDep, extension_id: int, review: Str = "", note: Str = "") -> Response:
    principal = ctx.user()
    return _decision(
        ctx,
        "extension.ctivd",
        extension_id,
        lambda s: extensions.ctivd_review(
            s, principal=principal, extension_id=extension_id, review=review, note=note
        ),
    )


# --- destruction records -------------------------------------------------------------------


@pages.get("/vernietigingen")
def records_page(ctx: CtxDep) -> Response:
    principal = ctx.user()
    with ctx.db() as session:
        records = destruction.list_records(session, principal=principal)
    return render(
        ctx,
        "oversight/lifecycle/records.html",
        title=ctx._("Destruction records"),
        markings=[r.marking for r in records],
        records=records,
        label=_label,
    )


def _verify(ctx: Ctx, record_id: int) -> destruction.Check:
    principal = ctx.user()
    index = holdings_runtime(ctx).feeder.index
    stores = Stores.of(ctx.settings)
    with ctx.db() as session:
        return destruction.verify(
            session, principal=principal, record_id=record_id, stores=stores, index=index
        )


@pages.post("/vernietigingen/{record_id}/controle")
def record_verify(ctx: CtxDep, record_id: int) -> Response:
    check = _verify(ctx, record_id)
    return render(ctx, "oversight/lifecycle/check.html", check=check)


# --- API -----------------------------------------------------------------------------------


def _jsonable(value: Any) -> Any:
    if hasattr(value, "key") and hasattr(value, "level"):
        return value.key()
    if isinstance(value, date):
        return value.isoformat()
    return value


@api.get("/bulkdatasets", summary="Bulk datasets with their term and assessment counts")
def api_datasets(ctx: CtxDep) -> list[dict[str, Any]]:
    principal = ctx.user()
    with ctx.db() as session:
        items = service.list_datasets(session, principal=principal, today=date.today())
    return [
        {
            **{k: _jsonable(v) for k, v in i.__dict__.items()},
            "assessed": i.assessed,
            "unassessed": i.unassessed,
        }
        for i in items
    ]


@api.get("/destructions", summary="Destruction records the caller may read")
def api_records(ctx: CtxDep) -> list[dict[str, Any]]:
    principal = ctx.user()
    with ctx.db() as session:
        records = destruction.list_records(session, principal=principal)
    return [{k: _jsonable(v) for k, v in r.__dict__.items()} for r in records]


@api.post("/destructions/{record_id}/verify", summary="Check a destruction record again")
def api_verify(ctx: CtxDep, record_id: int) -> dict[str, Any]:
    check = _verify(ctx, record_id)
    return {"id": check.record_id, "ok": check.ok, "problems": check.problems}
