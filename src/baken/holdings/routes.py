"""Holdings pages and API: parse, call one service, render."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import threading
from datetime import date
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Query, UploadFile
from fastapi.responses import FileResponse, RedirectResponse, Response, StreamingResponse
from pydantic import ValidationError

from baken.core import policy
from baken.core.errors import DomainError
from baken.core.i18n import N_
from baken.core.markings import Level, Service, organisation_codes
from baken.holdings import runtime, vocab
from baken.holdings.blobs import BlobStore
from baken.holdings.pipeline import STAGES, Task, pending
from baken.holdings.schemas import CollectionCreate
from baken.holdings.service import HoldingsError, collections, documents, entities, ingest
from baken.holdings.service import jobs as job_service
from baken.holdings.service import search as search_service
from baken.holdings.types import QUARANTINE_REASONS
from baken.web.context import Ctx, CtxDep
from baken.web.forms import MarkingForm, field_errors
from baken.web.render import render

pages = APIRouter(tags=["pages"], include_in_schema=False)
api = APIRouter(prefix="/api/v1/holdings", tags=["holdings"])
# Uploads get the larger body limit (settings.upload_max_bytes), see baken.web.app.
uploads = APIRouter(tags=["holdings"])
uploads.baken_uploads = True  # type: ignore[attr-defined]

Str = Annotated[str, Form(max_length=8000)]
_runtime_lock = threading.Lock()


def holdings_runtime(ctx: Ctx) -> runtime.Runtime:
    """The app's ingest machinery, started on first use; unfinished documents (after a
    crash or a restart) are submitted again then."""
    state = ctx.request.app.state
    with _runtime_lock:
        found: runtime.Runtime | None = getattr(state, "holdings", None)
        if found is None:
            found = runtime.start(ctx.settings, ctx.factory)
            state.holdings = found
            clean_spools()
            threading.Thread(target=_resume, args=(found, ctx), daemon=True).start()
    return found


# Uploads are spooled to a folder named after the serving process, so that the folders
# of a process that died mid-upload (kill -9) can be told apart and removed.
SPOOL_PREFIX = "baken-upload-"


def _spool_dir() -> tempfile.TemporaryDirectory[str]:
    return tempfile.TemporaryDirectory(prefix=f"{SPOOL_PREFIX}{os.getpid()}-")


def clean_spools() -> None:
    """Remove the spool folders of processes that are gone."""
    for path in Path(tempfile.gettempdir()).glob(f"{SPOOL_PREFIX}*-*"):
        pid = path.name.removeprefix(SPOOL_PREFIX).split("-", 1)[0]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(path, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        pass
    return True


def _resume(rt: runtime.Runtime, ctx: Ctx) -> None:
    from sqlalchemy import select

    from baken.holdings.models import Collection

    with ctx.db() as session:
        ids = list(session.scalars(select(Collection.id)))
        todo = [doc for cid in ids for doc in pending(session, cid)]
    for doc_id in todo:
        rt.submit(Task(doc_id))


def _errors(ctx: Ctx, exc: Exception) -> dict[str, str]:
    if isinstance(exc, ValidationError):
        return field_errors(ctx, exc)
    if isinstance(exc, DomainError):
        return {"form": exc.translate(ctx.locale)}
    return {"form": ctx._(str(exc))}


def _choices() -> dict[str, Any]:
    return {
        "levels": list(Level),
        "services": list(Service),
        "organisations": sorted(organisation_codes()),
        "vocab": vocab,
        "stages": STAGES,
        "reasons": QUARANTINE_REASONS,
    }


# --- collections -------------------------------------------------------------------------


def _collections_page(
    ctx: Ctx,
    *,
    status: int = 200,
    errors: dict[str, str] | None = None,
    values: dict[str, Any] | None = None,
) -> Response:
    principal = ctx.user()
    with ctx.db() as session:
        items = collections.list_collections(session, principal=principal)
    return render(
        ctx,
        "holdings/collections.html",
        status_code=status,
        title=ctx._("Collections"),
        markings=[c.marking for c in items],
        items=items,
        errors=errors or {},
        values=values or {"acquired_on": date.today().isoformat()},
        can_create=policy.role_may_write(principal, vocab.COLLECTION) and not principal.is_external,
        **_choices(),
    )


@pages.get("/collecties")
def collections_page(ctx: CtxDep) -> Response:
    return _collections_page(ctx)


@pages.post("/collecties")
def collection_create(
    ctx: CtxDep,
    marking_form: MarkingForm,
    name: Str = "",
    title: Str = "",
    description: Str = "",
    kind: Str = "documents",
    legal_basis: Str = "",
    originator: Str = "",
    permission_ref: Str = "",
    acquired_on: Str = "",
    retention_until: Str = "",
) -> Response:
    principal = ctx.user()
    fields = {
        "name": name,
        "title": title,
        "description": description,
        "kind": kind,
        "legal_basis": legal_basis,
        "originator": originator,
        "permission_ref": permission_ref,
        "acquired_on": acquired_on,
        "retention_until": retention_until or None,
    }
    values = {**fields, **marking_form.values()}
    try:
        data = CollectionCreate.model_validate({**fields, "marking": marking_form.parse()})
        with ctx.db() as session:
            collection_id = collections.create(session, principal=principal, data=data)
    except (ValidationError, HoldingsError) as exc:
        return _collections_page(ctx, status=422, errors=_errors(ctx, exc), values=values)
    return RedirectResponse(f"/collecties/{collection_id}", status_code=303)


def _collection_page(
    ctx: Ctx, collection_id: int, *, status: int = 200, errors: dict[str, str] | None = None
) -> Response:
    principal = ctx.user()
    state = ctx.request.query_params.get("status") or None
    if state not in vocab.codes("states"):
        state = None
    try:
        page = max(1, int(ctx.request.query_params.get("pagina", "1")))
    except ValueError:
        page = 1
    with ctx.db() as session:
        item = collections.get(session, principal=principal, collection_id=collection_id)
        docs, total = documents.list_documents(
            session, principal=principal, collection_id=collection_id, state=state, page=page
        )
        recent = job_service.list_jobs(session, principal=principal, collection_id=collection_id)
    return render(
        ctx,
        "holdings/collection.html",
        status_code=status,
        title=item.title,
        markings=[item.marking, *(d.marking for d in docs), *(j.marking for j in recent)],
        item=item,
        docs=docs,
        total=total,
        page=page,
        pages=(total + documents.PAGE - 1) // documents.PAGE,
        state=state or "",
        jobs=recent,
        errors=errors or {},
        can_write=policy.can_write(principal, vocab.COLLECTION, item.marking),
        **_choices(),
    )


@pages.get("/collecties/{collection_id}")
def collection_page(ctx: CtxDep, collection_id: int) -> Response:
    return _collection_page(ctx, collection_id)


@pages.get("/collecties/{collection_id}/voortgang")
def collection_progress(ctx: CtxDep, collection_id: int) -> Response:
    """The processing state of a collection (polled by the page while work runs)."""
    principal = ctx.user()
    with ctx.db() as session:
        item = collections.get(session, principal=principal, collection_id=collection_id)
        recent = job_service.list_jobs(session, principal=principal, collection_id=collection_id)
    return render(
        ctx,
        "holdings/progress.html",
        title=item.title,
        markings=[item.marking, *(j.marking for j in recent)],
        item=item,
        jobs=recent,
        **_choices(),
    )


def _spool(upload: UploadFile, directory: Path) -> Path:
    target = directory / f"upload-{len(list(directory.iterdir()))}"
    with target.open("wb") as out:
        shutil.copyfileobj(upload.file, out, 1024 * 1024)
    return target


def _ingest_uploads(ctx: Ctx, collection_id: int, files: list[UploadFile]) -> int:
    """Register the uploads and queue them; returns the job id."""
    principal = ctx.user()
    real = [f for f in files if f.filename]
    if not real:
        raise HoldingsError(N_("choose one or more files"))
    rt = holdings_runtime(ctx)
    blobs = BlobStore(ctx.settings.blob_dir)
    tasks: list[int] = []
    with _spool_dir() as tmp, ctx.db() as session:
        job_id = ingest.new_job(
            session,
            principal=principal,
            collection_id=collection_id,
            kind="upload",
            args={"files": len(real)},
        )
        for upload in real:
            path = _spool(upload, Path(tmp))
            reg = ingest.register_file(
                session,
                principal=principal,
                collection_id=collection_id,
                path=path,
                name=upload.filename or "upload",
                blobs=blobs,
                max_bytes=ctx.settings.ingest_max_bytes,
            )
            if reg.new and reg.state == "pending":
                tasks.append(reg.document_id)
        ingest.add_to_job(session, job_id, len(tasks))
        if not tasks:
            ingest.job_progress(session, job_id, 0)
    for doc_id in tasks:
        rt.submit(Task(doc_id, STAGES, job_id))
    return job_id


@uploads.post("/collecties/{collection_id}/upload")
def collection_upload(
    ctx: CtxDep,
    collection_id: int,
    # Optional here so that a form sent without a file gets the form's own message
    # ("choose one or more files"), not the generic 422 page; a file part without a
    # name (what a browser sends when none was chosen) arrives as an empty string.
    files: Annotated[list[UploadFile | str] | None, File()] = None,
) -> Response:
    chosen = [f for f in files or [] if not isinstance(f, str)]
    try:
        _ingest_uploads(ctx, collection_id, chosen)
    except HoldingsError as exc:
        return _collection_page(ctx, collection_id, status=422, errors=_errors(ctx, exc))
    return RedirectResponse(f"/collecties/{collection_id}", status_code=303)


@pages.post("/collecties/{collection_id}/herverwerken")
def collection_rerun(ctx: CtxDep, collection_id: int, stage: Str = "") -> Response:
    principal = ctx.user()
    try:
        with ctx.db() as session:
            job_id, docs = job_service.rerun(
                session, principal=principal, collection_id=collection_id, stage=stage
            )
    except HoldingsError as exc:
        return _collection_page(ctx, collection_id, status=422, errors=_errors(ctx, exc))
    rt = holdings_runtime(ctx)
    stages = STAGES[STAGES.index(stage) :]
    for doc_id in docs:
        rt.submit(Task(doc_id, stages, job_id))
    return RedirectResponse(f"/collecties/{collection_id}", status_code=303)


@uploads.post("/collecties/{collection_id}/ftm")
def collection_import(
    ctx: CtxDep, collection_id: int, file: Annotated[UploadFile, File()]
) -> Response:
    principal = ctx.user()
    try:
        lines = _lines(file)
        with ctx.db() as session:
            entities.import_ftm(
                session, principal=principal, collection_id=collection_id, lines=lines
            )
    except HoldingsError as exc:
        return _collection_page(ctx, collection_id, status=422, errors=_errors(ctx, exc))
    holdings_runtime(ctx).feeder.try_sync()
    return RedirectResponse(f"/collecties/{collection_id}", status_code=303)


def _lines(file: UploadFile) -> list[str]:
    try:
        return file.file.read().decode("utf-8").splitlines()
    except UnicodeDecodeError:
        raise HoldingsError(N_("the file is not UTF-8 text")) from None


@pages.get("/collecties/{collection_id}/ftm")
def collection_export(ctx: CtxDep, collection_id: int) -> Response:
    principal = ctx.user()
    with ctx.db() as session:
        items, marking = entities.export(session, principal=principal, collection_id=collection_id)
    body = "".join(json.dumps(e, ensure_ascii=False, sort_keys=True) + "\n" for e in items)
    return Response(
        body,
        media_type="application/x-ndjson",
        headers={
            "Content-Disposition": f'attachment; filename="collectie-{collection_id}.ftm.json"',
            "X-Baken-Marking": marking.banner("en").encode("ascii", "replace").decode(),
        },
    )


# --- documents and entities --------------------------------------------------------------


@pages.get("/documenten/{document_id}")
def document_page(ctx: CtxDep, document_id: int) -> Response:
    principal = ctx.user()
    with ctx.db() as session:
        doc = documents.get(session, principal=principal, document_id=document_id)
        item = collections.public(session, collections.row(session, principal, doc.collection_id))
    return render(
        ctx,
        "holdings/document.html",
        title=doc.title or doc.name,
        markings=[
            doc.marking,
            item.marking,
            *(m.marking for m in doc.mentions),
            *(c.marking for c in doc.children),
        ],
        doc=doc,
        collection=item,
        **_choices(),
    )


@pages.get("/documenten/{document_id}/bestand")
def document_download(ctx: CtxDep, document_id: int) -> Response:
    principal = ctx.user()
    with ctx.db() as session:
        doc, sha = documents.blob_of(session, principal=principal, document_id=document_id)
    path = BlobStore(ctx.settings.blob_dir).path(sha)
    return FileResponse(
        path,
        media_type="application/octet-stream",
        filename=doc.name.rsplit("/", 1)[-1],
        headers={"X-Baken-Marking": doc.marking.banner("en").encode("ascii", "replace").decode()},
    )


@pages.get("/entiteiten/{entity_id}")
def entity_page(ctx: CtxDep, entity_id: str) -> Response:
    principal = ctx.user()
    with ctx.db() as session:
        view = entities.get(session, principal=principal, entity_id=entity_id)
    values = [v for vs in view.properties.values() for v in vs]
    return render(
        ctx,
        "holdings/entity.html",
        title=view.caption,
        markings=[view.marking, *(v.marking for v in values), *(d.marking for d in view.documents)],
        entity=view,
        **_choices(),
    )


# --- search --------------------------------------------------------------------------------


def _filters(ctx: Ctx) -> dict[str, list[str]]:
    params = ctx.request.query_params
    return {f: params.getlist(f) for f in search_service.FACETS if params.getlist(f)}


def _search(ctx: Ctx, q: str, page: int) -> search_service.Found:
    principal = ctx.user()
    rt = holdings_runtime(ctx)
    # What committed before this request is found (one batch: a backlog left by another
    # process is not worked off inside a request).
    rt.feeder.try_sync(batches=1)
    with ctx.db() as session:
        return search_service.search(
            session,
            principal=principal,
            index=rt.feeder.index,
            query=q,
            filters=_filters(ctx),
            page=page,
        )


@pages.get("/zoeken")
def search_page(
    ctx: CtxDep,
    q: Annotated[str, Query(max_length=500)] = "",
    pagina: Annotated[int, Query(ge=1, le=500)] = 1,
) -> Response:
    ctx.user()  # signed-in users only, with or without a query
    found = _search(ctx, q, pagina) if q.strip() else None
    hits = found.result.hits if found else []
    return render(
        ctx,
        "holdings/search.html",
        title=ctx._("Search"),
        markings=[search_service.hit_marking(h) for h in hits],
        q=q,
        found=found,
        facet_names=search_service.FACETS,
        hit_marking=search_service.hit_marking,
        kind_label=lambda name: ctx.registry.kinds()[name].label(ctx.locale),
        hit_url=search_service.hit_url,
        **_choices(),
    )


# --- API -------------------------------------------------------------------------------------


def _out(model: Any) -> dict[str, Any]:
    data: dict[str, Any] = model.model_dump(mode="json", exclude={"marking"})
    data["marking"] = model.marking.key()
    return data


@api.get("/collections", summary="Collections the caller may read")
def api_collections(ctx: CtxDep) -> list[dict[str, Any]]:
    principal = ctx.user()
    with ctx.db() as session:
        return [_out(c) for c in collections.list_collections(session, principal=principal)]


@api.post("/collections", status_code=201, summary="Create a collection")
def api_collection_create(ctx: CtxDep, data: CollectionCreate) -> dict[str, Any]:
    principal = ctx.user()
    with ctx.db() as session:
        collection_id = collections.create(session, principal=principal, data=data)
        return _out(collections.get(session, principal=principal, collection_id=collection_id))


@api.get("/collections/{collection_id}", summary="A collection with its counts")
def api_collection(ctx: CtxDep, collection_id: int) -> dict[str, Any]:
    principal = ctx.user()
    with ctx.db() as session:
        return _out(collections.get(session, principal=principal, collection_id=collection_id))


@api.get("/collections/{collection_id}/documents", summary="A page of a collection's documents")
def api_documents(
    ctx: CtxDep,
    collection_id: int,
    state: Annotated[str | None, Query(max_length=16)] = None,
    page: Annotated[int, Query(ge=1, le=100000)] = 1,
) -> dict[str, Any]:
    principal = ctx.user()
    with ctx.db() as session:
        items, total = documents.list_documents(
            session, principal=principal, collection_id=collection_id, state=state, page=page
        )
    return {"total": total, "page": page, "items": [_out(d) for d in items]}


@uploads.post(
    "/api/v1/holdings/collections/{collection_id}/documents",
    status_code=202,
    summary="Upload files for ingest; returns the job",
)
def api_upload(
    ctx: CtxDep, collection_id: int, files: Annotated[list[UploadFile], File()]
) -> dict[str, Any]:
    job_id = _ingest_uploads(ctx, collection_id, files)
    with ctx.db() as session:
        return _out(job_service.get(session, principal=ctx.user(), job_id=job_id))


@api.get("/jobs/{job_id}", summary="The progress of a background job")
def api_job(ctx: CtxDep, job_id: int) -> dict[str, Any]:
    with ctx.db() as session:
        return _out(job_service.get(session, principal=ctx.user(), job_id=job_id))


@api.get("/documents/{document_id}", summary="A document with its text and entities")
def api_document(ctx: CtxDep, document_id: int) -> dict[str, Any]:
    principal = ctx.user()
    with ctx.db() as session:
        doc = documents.get(session, principal=principal, document_id=document_id)
    data = _out(doc)
    data["children"] = [_out(c) for c in doc.children]
    data["mentions"] = [_out(m) for m in doc.mentions]
    return data


@api.get("/entities/{entity_id}", summary="An entity from the statements the caller may read")
def api_entity(ctx: CtxDep, entity_id: str) -> dict[str, Any]:
    principal = ctx.user()
    with ctx.db() as session:
        view = entities.get(session, principal=principal, entity_id=entity_id)
    data = _out(view)
    data["properties"] = {p: [_out(v) for v in vs] for p, vs in view.properties.items()}
    data["documents"] = [_out(d) for d in view.documents]
    return data


@api.get(
    "/collections/{collection_id}/entities",
    summary="FtM export (JSON lines)",
    response_class=StreamingResponse,
    responses={200: {"description": "FtM JSON lines", "content": {"application/x-ndjson": {}}}},
)
def api_export(ctx: CtxDep, collection_id: int) -> StreamingResponse:
    principal = ctx.user()
    with ctx.db() as session:
        items, marking = entities.export(session, principal=principal, collection_id=collection_id)
    return StreamingResponse(
        iter([json.dumps(e, ensure_ascii=False, sort_keys=True) + "\n" for e in items]),
        media_type="application/x-ndjson",
        headers={"X-Baken-Marking": marking.key()},
    )


@api.get("/search", summary="Full-text search with facets")
def api_search(
    ctx: CtxDep,
    q: Annotated[str, Query(min_length=1, max_length=500)],
    page: Annotated[int, Query(ge=1, le=500)] = 1,
) -> dict[str, Any]:
    found = _search(ctx, q, page)
    return {
        "total": found.result.total,
        "page": found.page,
        "hits": [
            {
                "id": h.doc_id,
                "kind": h.kind,
                "title": h.title,
                "snippet": str(h.snippet),
                "collection": found.collection_names.get(h.collection),
                "marking": h.marking_key,
                "url": search_service.hit_url(h),
            }
            for h in found.result.hits
        ],
        "facets": {k: [[v, n] for v, n in vs] for k, vs in found.result.facets.items()},
    }
