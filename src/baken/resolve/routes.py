"""Resolve pages and API: cross-referencing runs, candidate pairs and judgements, merged
entities, and screening a person (or a CSV of people) against the holdings."""

from __future__ import annotations

import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Query, UploadFile
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, Field

from baken.core import policy
from baken.core.config import Settings
from baken.core.errors import DomainError
from baken.core.i18n import N_
from baken.core.markings import summary
from baken.core.principals import Principal
from baken.core.timeutil import utcnow
from baken.holdings.routes import holdings_runtime
from baken.holdings.service import collections
from baken.resolve import screening, vocab
from baken.resolve import service as xref
from baken.resolve.service import ResolveError
from baken.web.context import Ctx, CtxDep
from baken.web.render import render

pages = APIRouter(tags=["pages"], include_in_schema=False)
api = APIRouter(prefix="/api/v1/resolve", tags=["resolve"])
# Batch screening takes a CSV upload: the larger body limit (settings.upload_max_bytes).
uploads = APIRouter(tags=["resolve"])
uploads.baken_uploads = True  # type: ignore[attr-defined]

Str = Annotated[str, Form(max_length=2000)]
MAX_CSV_BYTES = 20 * 1024 * 1024
_runner_lock = threading.Lock()
log = logging.getLogger(__name__)
STARTED = utcnow()  # runs queued before this process started have no worker left


# --- the background runner ------------------------------------------------------------------


def engine_for(settings: Settings, name: str) -> Any:
    """The batch engine a run asked for."""
    from baken.engines import get_engine

    if name == "spark":
        if not settings.spark_master:
            raise ResolveError(N_("no Spark cluster is configured (BAKEN_SPARK_MASTER)"))
        return get_engine(
            "spark", master=settings.spark_master, driver_host=settings.spark_driver_host
        )
    return get_engine("local")


def _runner(ctx: Ctx) -> ThreadPoolExecutor:
    """One worker thread per process runs the queued xref runs in order. Runs a previous
    process left unfinished are marked failed (to run again) when it starts."""
    state = ctx.request.app.state
    with _runner_lock:
        found: ThreadPoolExecutor | None = getattr(state, "resolve_runner", None)
        if found is None:
            with ctx.db() as session:
                xref.interrupted(session, before=STARTED)
            found = ThreadPoolExecutor(max_workers=1, thread_name_prefix="baken-xref")
            state.resolve_runner = found
    return found


def _submit(ctx: Ctx, principal: Principal, run_id: int, engine: str) -> None:
    runner = _runner(ctx)
    settings, factory = ctx.settings, ctx.factory

    def work() -> None:
        try:
            xref.execute(
                factory,
                principal=principal,
                run_id=run_id,
                engine=engine_for(settings, engine),
            )
        except Exception:
            log.exception("xref run %s failed", run_id)

    runner.submit(work)


def _choices() -> dict[str, Any]:
    return {"vocab": vocab, "verdicts": vocab.VERDICTS}


def _message(ctx: Ctx, exc: Exception) -> str:
    if isinstance(exc, DomainError):
        return exc.translate(ctx.locale)
    return ctx._(str(exc))


# --- runs ---------------------------------------------------------------------------------


def _runs_page(
    ctx: Ctx,
    *,
    status: int = 200,
    errors: dict[str, str] | None = None,
    values: dict[str, Any] | None = None,
) -> Response:
    principal = ctx.user()
    with ctx.db() as session:
        runs = xref.list_runs(session, principal=principal)
        items = collections.list_collections(session, principal=principal)
    return render(
        ctx,
        "resolve/runs.html",
        status_code=status,
        title=ctx._("Cross-reference"),
        markings=[*(r.marking for r in runs), *(c.marking for c in items)],
        runs=runs,
        collections=items,
        errors=errors or {},
        values=values
        or {"threshold": str(xref.DEFAULT_THRESHOLD), "engine": ctx.settings.xref_engine},
        can_run=policy.role_may_write(principal, vocab.XREF) and not principal.is_external,
        spark=bool(ctx.settings.spark_master),
        **_choices(),
    )


@pages.get("/kruisverwijzingen")
def runs_page(ctx: CtxDep) -> Response:
    return _runs_page(ctx)


def _float(text: str) -> float:
    try:
        return float(text.replace(",", "."))
    except ValueError:
        raise ResolveError(N_("the review threshold must be a number")) from None


def _int(text: str, what: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise ResolveError(N_("choose a {what}"), what=what) from None


@pages.post("/kruisverwijzingen")
def run_start(
    ctx: CtxDep,
    left: Str = "",
    right: Str = "",
    threshold: Str = "",
    engine: Str = "",
) -> Response:
    principal = ctx.user()
    engine = engine or ctx.settings.xref_engine
    values = {"left": left, "right": right, "threshold": threshold, "engine": engine}
    try:
        with ctx.db() as session:
            run_id = xref.start(
                session,
                principal=principal,
                left_collection_id=_int(left, ctx._("first collection")),
                right_collection_id=_int(right, ctx._("second collection")),
                threshold=_float(threshold or str(xref.DEFAULT_THRESHOLD)),
                engine=engine,
                settings=ctx.settings,
            )
    except (ResolveError, LookupError) as exc:
        message = (
            _message(ctx, exc) if isinstance(exc, DomainError) else ctx._("choose a collection")
        )
        return _runs_page(ctx, status=422, errors={"form": message}, values=values)
    _submit(ctx, principal, run_id, engine)
    return RedirectResponse(f"/kruisverwijzingen/{run_id}", status_code=303)


def _verdict_filter(ctx: Ctx) -> str | None:
    value = ctx.request.query_params.get("oordeel") or None
    return value if value in (*vocab.VERDICTS, "open") else None


def _page_number(ctx: Ctx) -> int:
    try:
        return max(1, min(10_000, int(ctx.request.query_params.get("pagina", "1"))))
    except ValueError:
        return 1


def _run_page(ctx: Ctx, run_id: int, *, status: int = 200, error: str = "") -> Response:
    principal = ctx.user()
    verdict = _verdict_filter(ctx)
    page = _page_number(ctx)
    with ctx.db() as session:
        run = xref.get_run(session, principal=principal, run_id=run_id)
        found = (
            xref.pairs(session, principal=principal, run_id=run_id, page=page, verdict=verdict)
            if run.state == "done"
            else xref.Page()
        )
    return render(
        ctx,
        "resolve/run.html",
        status_code=status,
        title=f"{ctx._('Cross-reference')} #{run.id}",
        markings=[run.marking, *(p.marking for p in found.items)],
        run=run,
        found=found,
        verdict=verdict or "",
        error=error,
        can_judge=policy.role_may_write(principal, vocab.XREF) and not principal.is_external,
        **_choices(),
    )


@pages.get("/kruisverwijzingen/{run_id}")
def run_page(ctx: CtxDep, run_id: int) -> Response:
    return _run_page(ctx, run_id)


@pages.get("/kruisverwijzingen/{run_id}/voortgang")
def run_progress(ctx: CtxDep, run_id: int) -> Response:
    """The state of a run, polled by its page while it works."""
    principal = ctx.user()
    with ctx.db() as session:
        run = xref.get_run(session, principal=principal, run_id=run_id)
    response = render(
        ctx,
        "resolve/progress.html",
        title=f"#{run.id}",
        markings=[run.marking],
        run=run,
        **_choices(),
    )
    if not run.busy and ctx.request.headers.get("HX-Request"):
        response.headers["HX-Refresh"] = "true"  # the page polled a run that just ended
    return response


@pages.post("/kruisverwijzingen/{run_id}/opnieuw")
def run_again(ctx: CtxDep, run_id: int) -> Response:
    principal = ctx.user()
    try:
        with ctx.db() as session:
            xref.rerun(session, principal=principal, run_id=run_id)
            engine = xref.get_run(session, principal=principal, run_id=run_id).engine
    except ResolveError as exc:
        return _run_page(ctx, run_id, status=422, error=_message(ctx, exc))
    _submit(ctx, principal, run_id, engine)
    return RedirectResponse(f"/kruisverwijzingen/{run_id}", status_code=303)


# --- pairs and judgements --------------------------------------------------------------------


def _pair_row(ctx: Ctx, pair_id: int, *, status: int = 200, error: str = "") -> Response:
    principal = ctx.user()
    with ctx.db() as session:
        pair = xref.get_pair(session, principal=principal, pair_id=pair_id)
    return render(
        ctx,
        "resolve/pair.html",
        status_code=status,
        title=f"{pair.left_caption} / {pair.right_caption}",
        markings=[pair.marking],
        pair=pair,
        error=error,
        can_judge=policy.role_may_write(principal, vocab.XREF) and not principal.is_external,
        **_choices(),
    )


@pages.get("/kandidaten/{pair_id}")
def pair_page(ctx: CtxDep, pair_id: int) -> Response:
    return _pair_row(ctx, pair_id)


@pages.post("/kandidaten/{pair_id}/oordeel")
def pair_judge(ctx: CtxDep, pair_id: int, verdict: Str = "", note: Str = "") -> Response:
    principal = ctx.user()
    try:
        with ctx.db() as session:
            xref.judge(session, principal=principal, pair_id=pair_id, verdict=verdict, note=note)
    except ResolveError as exc:
        return _pair_row(ctx, pair_id, status=422, error=_message(ctx, exc))
    if ctx.request.headers.get("HX-Request"):
        return _pair_row(ctx, pair_id)
    return RedirectResponse(f"/kandidaten/{pair_id}", status_code=303)


@pages.post("/kandidaten/{pair_id}/herstel")
def pair_undo(ctx: CtxDep, pair_id: int) -> Response:
    principal = ctx.user()
    try:
        with ctx.db() as session:
            xref.undo(session, principal=principal, pair_id=pair_id)
    except ResolveError as exc:
        return _pair_row(ctx, pair_id, status=422, error=_message(ctx, exc))
    if ctx.request.headers.get("HX-Request"):
        return _pair_row(ctx, pair_id)
    return RedirectResponse(f"/kandidaten/{pair_id}", status_code=303)


@pages.get("/entiteiten/{entity_id}/samengevoegd")
def merged_page(ctx: CtxDep, entity_id: str) -> Response:
    principal = ctx.user()
    with ctx.db() as session:
        view = xref.merged(session, principal=principal, entity_id=entity_id)
    return render(
        ctx,
        "resolve/merged.html",
        title=view.caption,
        markings=[
            view.marking,
            *(v.marking for vs in view.properties.values() for v, _ in vs),
            *(j.marking for j in view.judgements),
        ],
        view=view,
        **_choices(),
    )


# --- screening -----------------------------------------------------------------------------


def _screen_policy(ctx: Ctx) -> tuple[Principal, Any]:
    from baken.core.policy_index import index_policy
    from baken.holdings.vocab import ENTITY

    principal = ctx.user()
    if not policy.role_may_read(principal, vocab.SCREENING):
        raise policy.PolicyDenied("screening")
    return principal, index_policy(principal, [ENTITY])


def _index(ctx: Ctx) -> Any:
    rt = holdings_runtime(ctx)
    rt.feeder.try_sync()  # what committed before this request is screened against
    return rt.feeder.index


def _audit_screening(ctx: Ctx, principal: Principal, queries: int, matches: list[Any]) -> None:
    from baken.core import audit

    with ctx.db() as session:
        audit.record(
            session,
            principal=principal,
            action="screening.query",
            kind=vocab.SCREENING,
            marking=summary(m.marking for m in matches) if matches else None,
            details={"queries": queries, "matches": sorted({m.entity_id for m in matches})},
        )


def _screening_page(
    ctx: Ctx,
    *,
    status: int = 200,
    values: dict[str, str] | None = None,
    results: list[Any] | None = None,
    batch: list[tuple[Any, list[Any]]] | None = None,
    error: str = "",
) -> Response:
    ctx.user()
    shown = [*(results or []), *(m for _, ms in batch or [] for m in ms)]
    return render(
        ctx,
        "resolve/screening.html",
        status_code=status,
        title=ctx._("Screening"),
        markings=[m.marking for m in shown],
        values=values or {},
        results=results,
        batch=batch,
        error=error,
        **_choices(),
    )


@pages.get("/screening")
def screening_page(ctx: CtxDep) -> Response:
    _screen_policy(ctx)
    return _screening_page(ctx)


@pages.post("/screening")
def screening_run(
    ctx: CtxDep,
    names: Str = "",
    birth_date: Str = "",
    nationality: Str = "",
    identifiers: Str = "",
) -> Response:
    principal, index_policy = _screen_policy(ctx)
    values = {
        "names": names,
        "birth_date": birth_date,
        "nationality": nationality,
        "identifiers": identifiers,
    }
    try:
        query = screening.parse_query(
            names=[n for n in names.splitlines() if n.strip()],
            birth_date=birth_date.strip() or None,
            nationality=nationality.strip() or None,
            identifiers=[i.strip() for i in identifiers.split(",") if i.strip()],
        )
    except DomainError as exc:
        return _screening_page(ctx, status=422, values=values, error=_message(ctx, exc))
    matches = screening.screen(_index(ctx), index_policy, query)
    _audit_screening(ctx, principal, 1, matches)
    return _screening_page(ctx, values=values, results=matches)


@uploads.post("/screening/batch")
def screening_batch(ctx: CtxDep, file: Annotated[UploadFile | None, File()] = None) -> Response:
    principal, index_policy = _screen_policy(ctx)
    data = file.file.read(MAX_CSV_BYTES + 1) if file is not None and file.filename else b""
    try:
        if len(data) > MAX_CSV_BYTES:
            raise ResolveError(N_("the file is larger than {max} MB"), max=MAX_CSV_BYTES >> 20)
        queries = screening.parse_csv(data)
    except DomainError as exc:
        return _screening_page(ctx, status=422, error=_message(ctx, exc))
    results = screening.screen_batch(_index(ctx), index_policy, queries)
    _audit_screening(ctx, principal, len(queries), [m for ms in results for m in ms])
    return _screening_page(ctx, batch=list(zip(queries, results, strict=True)))


# --- API ---------------------------------------------------------------------------------------


def _json(value: Any) -> Any:
    data = asdict(value)
    return _marking_keys(data)


def _marking_keys(data: Any) -> Any:
    from baken.core.markings import Marking

    if isinstance(data, dict):
        return {k: _marking_keys(v) for k, v in data.items()}
    if isinstance(data, list | tuple):
        return [_marking_keys(v) for v in data]
    if isinstance(data, Marking):
        return data.key()
    if hasattr(data, "isoformat"):
        return data.isoformat()
    return data


class RunIn(BaseModel):
    left_collection_id: int
    right_collection_id: int
    threshold: float = Field(default=xref.DEFAULT_THRESHOLD)
    engine: str | None = Field(default=None, max_length=16)  # None: BAKEN_XREF_ENGINE


class JudgementIn(BaseModel):
    verdict: str = Field(max_length=16)
    note: str = Field(default="", max_length=xref.MAX_NOTE)


class ScreenIn(BaseModel):
    names: list[str] = Field(min_length=1, max_length=20)
    birth_date: str | None = Field(default=None, max_length=20)
    nationality: str | None = Field(default=None, max_length=60)
    identifiers: list[str] = Field(default_factory=list, max_length=20)


@api.get("/runs", summary="Cross-referencing runs the caller may read")
def api_runs(ctx: CtxDep) -> list[Any]:
    with ctx.db() as session:
        return [_json(r) for r in xref.list_runs(session, principal=ctx.user())]


@api.post("/runs", status_code=202, summary="Start cross-referencing two collections")
def api_run_start(ctx: CtxDep, body: RunIn) -> dict[str, Any]:
    principal = ctx.user()
    engine = body.engine or ctx.settings.xref_engine
    with ctx.db() as session:
        run_id = xref.start(
            session,
            principal=principal,
            left_collection_id=body.left_collection_id,
            right_collection_id=body.right_collection_id,
            threshold=body.threshold,
            engine=engine,
            settings=ctx.settings,
        )
    _submit(ctx, principal, run_id, engine)
    return {"id": run_id, "url": f"/api/v1/resolve/runs/{run_id}"}


@api.get("/runs/{run_id}", summary="A run: its state and counts")
def api_run(ctx: CtxDep, run_id: int) -> Any:
    with ctx.db() as session:
        return _json(xref.get_run(session, principal=ctx.user(), run_id=run_id))


@api.get("/runs/{run_id}/pairs", summary="A page of a run's candidate pairs, best first")
def api_pairs(
    ctx: CtxDep,
    run_id: int,
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
    verdict: Annotated[str | None, Query(max_length=16)] = None,
) -> dict[str, Any]:
    with ctx.db() as session:
        found = xref.pairs(session, principal=ctx.user(), run_id=run_id, page=page, verdict=verdict)
    return {"total": found.total, "page": found.page, "items": [_json(p) for p in found.items]}


@api.post("/pairs/{pair_id}/judgement", status_code=201, summary="Judge a candidate pair")
def api_judge(ctx: CtxDep, pair_id: int, body: JudgementIn) -> dict[str, Any]:
    with ctx.db() as session:
        judgement_id = xref.judge(
            session, principal=ctx.user(), pair_id=pair_id, verdict=body.verdict, note=body.note
        )
    return {"id": judgement_id}


@api.post("/pairs/{pair_id}/undo", summary="Undo the current verdict on a pair")
def api_undo(ctx: CtxDep, pair_id: int) -> dict[str, Any]:
    with ctx.db() as session:
        undone = xref.undo(session, principal=ctx.user(), pair_id=pair_id)
    return {"undone": undone}


@api.get("/entities/{entity_id}/merged", summary="An entity merged with its judged matches")
def api_merged(ctx: CtxDep, entity_id: str) -> Any:
    with ctx.db() as session:
        view = xref.merged(session, principal=ctx.user(), entity_id=entity_id)
    return {
        "canonical_id": view.canonical_id,
        "entity_id": view.entity_id,
        "caption": view.caption,
        "schema": view.schema,
        "marking": view.marking.key(),
        "members": [m.id for m in view.members],
        "properties": {
            prop: [
                {
                    "value": v.value,
                    "marking": v.marking.key(),
                    "entity": member,
                    "collection": v.collection,
                }
                for v, member in values
            ]
            for prop, values in view.properties.items()
        },
        "judgements": [_json(j) for j in view.judgements],
    }


@api.post("/screening", summary="Screen one person against the holdings the caller may read")
def api_screen(ctx: CtxDep, body: ScreenIn) -> dict[str, Any]:
    principal, index_policy = _screen_policy(ctx)
    query = screening.parse_query(
        names=body.names,
        birth_date=body.birth_date,
        nationality=body.nationality,
        identifiers=body.identifiers,
    )
    matches = screening.screen(_index(ctx), index_policy, query)
    _audit_screening(ctx, principal, 1, matches)
    return {"matches": [_json(m) for m in matches]}


@uploads.post("/api/v1/resolve/screening/batch", summary="Screen a CSV of people")
def api_screen_batch(ctx: CtxDep, file: Annotated[UploadFile, File()]) -> dict[str, Any]:
    principal, index_policy = _screen_policy(ctx)
    data = file.file.read(MAX_CSV_BYTES + 1)
    if len(data) > MAX_CSV_BYTES:
        raise ResolveError(N_("the file is larger than {max} MB"), max=MAX_CSV_BYTES >> 20)
    queries = screening.parse_csv(data)
    results = screening.screen_batch(_index(ctx), index_policy, queries)
    _audit_screening(ctx, principal, len(queries), [m for ms in results for m in ms])
    return {
        "results": [
            {"line": n, "matches": [_json(m) for m in ms]} for n, ms in enumerate(results, start=2)
        ]
    }
