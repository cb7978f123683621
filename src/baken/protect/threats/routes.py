"""Pages and API of protect (threats): the Bewaken en Beveiligen dashboard, a new threat
product, one threat product with its release to the addressee and the decision on
measures recorded back, and the API the addressee's systems use.

A threat product the reader may not read answers 404, exactly as one that does not
exist; a refused form is shown again with its message and the values typed (422), and
nothing of it is stored (:func:`baken.web.forms.attempt`).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Form
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, Field

from baken.analysis.products.schemas import vlabel
from baken.core import policy
from baken.core.errors import DomainError
from baken.core.markings import organisation_label
from baken.protect.threats import schemas, service
from baken.protect.threats.schemas import DECISION, KIND, DecisionView, ThreatView
from baken.protect.threats.service import ThreatNotFound
from baken.web.context import Ctx, CtxDep, NotFound
from baken.web.forms import attempt, form_date, optional_date, page_number
from baken.web.render import render

pages = APIRouter(tags=["pages"], include_in_schema=False)
api = APIRouter(prefix="/api/v1/protect", tags=["protect"])

Short = Annotated[str, Form(max_length=2000)]
Text = Annotated[str, Form(max_length=100_000)]
Many = Annotated[list[str] | None, Form()]


def _choices(ctx: Ctx) -> dict[str, Any]:
    return {
        "label": lambda group, code: schemas.tlabel(group, code, ctx.locale),
        "type_label": lambda code: vlabel("product_types", code, ctx.locale),
        "status_label": lambda code: vlabel("statuses", code, ctx.locale),
        "org": lambda code: organisation_label(code, ctx.locale),
        "threat_types": schemas.threat_types(),
        "subject_kinds": schemas.subject_kinds(),
        "domains": schemas.domains(),
        "addressing": schemas.addressing(),
        "measures": schemas.measures(),
        "public_2018": schemas.public_2018,
    }


# --- the dashboard ---------------------------------------------------------------------------


@pages.get("/bewaken-beveiligen")
def index(ctx: CtxDep) -> Response:
    principal = ctx.user()
    with ctx.db() as session:
        board = service.dashboard(session, principal, page=page_number(ctx))
    return render(
        ctx,
        "protect/threats/index.html",
        title=ctx._("Surveillance and protection"),
        markings=board.markings(),
        board=board,
        can_create=service.can_create(principal),
        **_choices(ctx),
    )


# --- a new threat product --------------------------------------------------------------------


def _new_page(
    ctx: Ctx, *, status: int = 200, error: str = "", values: dict[str, str] | None = None
) -> Response:
    if not service.can_create(ctx.user()):
        raise policy.PolicyDenied(KIND)
    return render(
        ctx,
        "protect/threats/new.html",
        status_code=status,
        title=ctx._("New threat product"),
        error=error,
        values=values or {"type": "dreigingsinschatting"},
        **_choices(ctx),
    )


@pages.get("/bewaken-beveiligen/nieuw")
def new_page(ctx: CtxDep) -> Response:
    return _new_page(ctx)


@pages.post("/bewaken-beveiligen/nieuw")
def new_submit(
    ctx: CtxDep,
    type: Short = "",
    subject_kind: Short = "",
    subject: Short = "",
    domain: Short = "",
    addressing: Short = "",
    event_on: Short = "",
    title: Short = "",
    summary: Text = "",
) -> Response:
    principal = ctx.user()
    values = {
        "type": type,
        "subject_kind": subject_kind,
        "subject": subject,
        "domain": domain,
        "addressing": addressing,
        "event_on": event_on,
        "title": title,
        "summary": summary,
    }
    authority, _, addressee = addressing.partition(":")
    try:
        day = optional_date(event_on)
        record_id = attempt(
            ctx,
            "threat.create",
            KIND,
            lambda s: service.create(
                s,
                principal=principal,
                type=type,
                subject_kind=subject_kind,
                subject=subject,
                domain=domain,
                authority=authority,
                addressee=addressee,
                title=title,
                summary_text=summary,
                event_on=day,
            ),
        )
    except DomainError as exc:
        return _new_page(ctx, status=422, error=exc.translate(ctx.locale), values=values)
    return RedirectResponse(f"/bewaken-beveiligen/{record_id}", status_code=303)


# --- one threat product ----------------------------------------------------------------------


def _record_page(
    ctx: Ctx,
    record_id: int,
    *,
    status: int = 200,
    error: str = "",
    release_error: str = "",
    values: dict[str, Any] | None = None,
) -> Response:
    principal = ctx.user()
    with ctx.db() as session:
        try:
            view = service.get(session, principal, record_id)
        except ThreatNotFound:
            raise NotFound from None
    return render(
        ctx,
        "protect/threats/record.html",
        status_code=status,
        title=view.title,
        markings=view.markings(),
        t=view,
        received=service.is_partner(principal),
        can_decide=service.can_decide(principal, view),
        can_release=service.can_release(principal, view),
        error=error,
        release_error=release_error,
        values=values or {"decided_on": date.today().isoformat(), "measures": []},
        **_choices(ctx),
    )


@pages.get("/bewaken-beveiligen/{record_id}")
def record_page(ctx: CtxDep, record_id: int) -> Response:
    return _record_page(ctx, record_id)


@pages.post("/bewaken-beveiligen/{record_id}/verstrekken")
def release(ctx: CtxDep, record_id: int, note: Short = "") -> Response:
    principal = ctx.user()
    try:
        attempt(
            ctx,
            "threat.release",
            KIND,
            lambda s: service.release_to_addressee(
                s, principal=principal, record_id=record_id, note=note
            ),
            record_id,
        )
    except ThreatNotFound:
        raise NotFound from None
    except DomainError as exc:
        return _record_page(ctx, record_id, status=422, release_error=exc.translate(ctx.locale))
    return RedirectResponse(f"/bewaken-beveiligen/{record_id}", status_code=303)


@pages.post("/bewaken-beveiligen/{record_id}/besluit")
def decide(
    ctx: CtxDep,
    record_id: int,
    measures: Many = None,
    decided_on: Short = "",
    text: Text = "",
) -> Response:
    principal = ctx.user()
    values = {"measures": measures or [], "decided_on": decided_on, "text": text}
    try:
        day = form_date(decided_on)
        attempt(
            ctx,
            "threat.decision",
            DECISION,
            lambda s: service.record_decision(
                s,
                principal=principal,
                record_id=record_id,
                measures_chosen=measures or [],
                decided_on=day,
                text=text,
            ),
            record_id,
        )
    except ThreatNotFound:
        raise NotFound from None
    except DomainError as exc:
        return _record_page(
            ctx, record_id, status=422, error=exc.translate(ctx.locale), values=values
        )
    return RedirectResponse(f"/bewaken-beveiligen/{record_id}#besluit", status_code=303)


# --- API -------------------------------------------------------------------------------------


def _decision_json(d: DecisionView) -> dict[str, Any]:
    return {
        "id": d.id,
        "version": d.version,
        "measures": d.measures,
        "decided_on": d.decided_on.isoformat(),
        "text": d.text,
        "recorded_for": d.recorded_for,
        "recorded_by": d.recorded_by,
        "recorded_at": d.recorded_at.isoformat(),
        "marking": d.marking.key(),
    }


def _json(v: ThreatView) -> dict[str, Any]:
    return {
        "id": v.id,
        "product_id": v.product_id,
        "type": v.type,
        "title": v.title,
        "status": v.status,
        "subject_kind": v.subject_kind,
        "subject": v.subject,
        "domain": v.domain,
        "authority": v.authority,
        "addressee": v.addressee,
        "event_on": v.event_on.isoformat() if v.event_on else None,
        "marking": v.marking.key(),
        "release": (
            {
                "id": v.release.id,
                "recipient": v.release.recipient,
                "released_at": v.release.released_at.isoformat(),
                "marking": v.release.marking.key(),
            }
            if v.release
            else None
        ),
        "decisions": [_decision_json(d) for d in v.decisions],
    }


@api.get("/threats", summary="Threat products the caller may read (for a partner: received)")
def api_threats(ctx: CtxDep, page: int = 1) -> dict[str, Any]:
    with ctx.db() as session:
        rows, more = service.search(session, ctx.user(), page=page)
    return {"page": max(page, 1), "more": more, "threats": [_json(v) for v in rows]}


@api.get("/threats/{record_id}", summary="One threat product with its release and decisions")
def api_threat(ctx: CtxDep, record_id: int) -> dict[str, Any]:
    with ctx.db() as session:
        view = service.get(session, ctx.user(), record_id)
    return _json(view)


class DecisionIn(BaseModel):
    measures: list[str] = Field(default_factory=list, max_length=20)
    decided_on: str = Field(default="", max_length=40)
    text: str = Field(default="", max_length=100_000)


@api.post(
    "/threats/{record_id}/decision",
    status_code=201,
    summary="Record the decision on measures (the addressee, or a protect officer for it)",
)
def api_decide(ctx: CtxDep, record_id: int, data: DecisionIn) -> dict[str, Any]:
    principal = ctx.user()
    day = form_date(data.decided_on)
    decision_id = attempt(
        ctx,
        "threat.decision",
        DECISION,
        lambda s: service.record_decision(
            s,
            principal=principal,
            record_id=record_id,
            measures_chosen=data.measures,
            decided_on=day,
            text=data.text,
        ),
        record_id,
    )
    with ctx.db() as session:
        view = service.get(session, principal, record_id)
    current = next(d for d in view.decisions if d.id == decision_id)
    return _decision_json(current)
