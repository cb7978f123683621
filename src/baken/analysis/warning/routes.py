"""Pages and API of analysis (warning): the dashboard, a series with its baseline, events,
follows, signals, and running the detector."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, Field, ValidationError

from baken.analysis import vocab
from baken.analysis.warning import charts, places, service
from baken.analysis.warning.detect import DetectorError, Params, parse_params
from baken.analysis.warning.series import SeriesKey
from baken.analysis.warning.service import EventIn, WarningError
from baken.core import policy
from baken.core.errors import DomainError
from baken.core.markings import Level, Marking, Service, organisation_codes
from baken.core.schemas import MarkingIn
from baken.steering import vocab as steering_vocab
from baken.web.context import Ctx, CtxDep
from baken.web.forms import MarkingForm, field_errors
from baken.web.render import render

pages = APIRouter(tags=["pages"], include_in_schema=False)
api = APIRouter(prefix="/api/v1/analysis/warning", tags=["analysis"])

Str = Annotated[str, Form(max_length=6000)]
QStr = Annotated[str | None, Query(max_length=40)]


def _choices(ctx: Ctx) -> dict[str, Any]:
    return {
        "levels": list(Level),
        "services": list(Service),
        "organisations": sorted(organisation_codes()),
        "event_types": vocab.codes("warning", "event_types"),
        "follow_kinds": vocab.codes("warning", "follow_kinds"),
        "themes": steering_vocab.codes("themes"),
        "regions": sorted(places.regions()),
        "countries": places.countries(ctx.locale),
        "label": lambda group, code: vocab.label("warning", group, code, ctx.locale),
        "theme_label": lambda code: steering_vocab.label("themes", code, ctx.locale),
        "place_label": lambda code: places.label(code, ctx.locale),
        "series_url": _series_url,
    }


def _series_url(key: SeriesKey, params: Params | None = None) -> str:
    from urllib.parse import urlencode

    query = {
        k: v
        for k, v in (("plaats", key.place), ("thema", key.theme), ("entiteit", key.entity))
        if v
    }
    if params is not None and params != Params():
        query |= {
            "seizoen": str(params.season),
            "venster": str(params.window),
            "drempel": str(params.threshold),
        }
    return "/vroegsignalering/reeks?" + urlencode(query)


def _params(ctx: Ctx) -> tuple[Params, str]:
    """The detector parameters of the query string, or the defaults and why not."""
    q = ctx.request.query_params
    try:
        return parse_params(q.get("seizoen"), q.get("venster"), q.get("drempel")), ""
    except DetectorError as exc:
        return Params(), exc.translate(ctx.locale)


def _message(ctx: Ctx, exc: Exception) -> str:
    if isinstance(exc, DomainError):
        return exc.translate(ctx.locale)
    return ctx._(str(exc))


def _may_write(principal: Any, kind: str) -> bool:
    return policy.role_may_write(principal, kind) and not principal.is_external


# --- dashboard and series ----------------------------------------------------------------------


@pages.get("/vroegsignalering")
def dashboard_page(ctx: CtxDep) -> Response:
    principal = ctx.user()
    params, error = _params(ctx)
    with ctx.db() as session:
        board = service.dashboard(session, principal=principal, params=params)
    regions = sorted({r for r, _ in board.cells})
    return render(
        ctx,
        "analysis/warning/dashboard.html",
        status_code=422 if error else 200,
        title=ctx._("Early warning"),
        markings=board.markings,
        board=board,
        params=params,
        error=error,
        region_charts=[(r, charts.region_chart(board, r, ctx.locale)) for r in regions],
        theme_chart=charts.theme_chart(board, ctx.locale) if board.cells else "",
        can_detect=_may_write(principal, service.ALERT),
        SeriesKey=SeriesKey,
        **_choices(ctx),
    )


@pages.get("/vroegsignalering/reeks")
def series_page(
    ctx: CtxDep,
    plaats: QStr = None,
    thema: QStr = None,
    entiteit: Annotated[str | None, Query(max_length=128)] = None,
) -> Response:
    principal = ctx.user()
    params, error = _params(ctx)
    key = SeriesKey(
        (plaats or "").strip().upper() or None, (thema or "").strip() or None, entiteit or None
    )
    try:
        service.check_key(key)
    except WarningError as exc:
        error, key = _message(ctx, exc), SeriesKey()
    with ctx.db() as session:
        view = service.get_series(session, principal=principal, key=key, params=params)
    title = _title(ctx, key)
    return render(
        ctx,
        "analysis/warning/series.html",
        status_code=422 if error else 200,
        title=title,
        markings=[view.marking],
        view=view,
        key=key,
        params=params,
        error=error,
        chart=charts.series_chart(view, ctx.locale, title),
        **_choices(ctx),
    )


def _title(ctx: Ctx, key: SeriesKey) -> str:
    parts = [
        places.label(key.place, ctx.locale) if key.place else ctx._("all places"),
        steering_vocab.label("themes", key.theme, ctx.locale) if key.theme else ctx._("all themes"),
    ]
    if key.entity:
        parts.append(key.entity)
    return " · ".join(parts)


# --- events ------------------------------------------------------------------------------


def _events_page(
    ctx: Ctx,
    *,
    status: int = 200,
    errors: dict[str, str] | None = None,
    values: dict[str, Any] | None = None,
) -> Response:
    principal = ctx.user()
    with ctx.db() as session:
        events = service.list_events(session, principal=principal)
    return render(
        ctx,
        "analysis/warning/events.html",
        status_code=status,
        title=ctx._("Events"),
        markings=[e.marking for e in events],
        events=events,
        errors=errors or {},
        values=values or {"occurred_on": service.today().isoformat()},
        can_record=_may_write(principal, service.EVENT),
        **_choices(ctx),
    )


@pages.get("/vroegsignalering/gebeurtenissen")
def events_page(ctx: CtxDep) -> Response:
    return _events_page(ctx)


@pages.post("/vroegsignalering/gebeurtenissen")
def event_create(
    ctx: CtxDep,
    marking_form: MarkingForm,
    occurred_on: Str = "",
    country: Str = "",
    place: Str = "",
    event_type: Str = "",
    theme: Str = "",
    actor: Str = "",
    actor_entity_id: Str = "",
    description: Str = "",
) -> Response:
    principal = ctx.user()
    fields = {
        "occurred_on": occurred_on,
        "country": country,
        "place": place,
        "event_type": event_type,
        "theme": theme,
        "actor": actor,
        "actor_entity_id": actor_entity_id,
        "description": description,
    }
    values = {**fields, **marking_form.values()}
    try:
        marking = marking_form.parse().to_marking()
        with ctx.db() as session:
            event_id = service.record_event(
                session, principal=principal, data=EventIn(marking=marking, **fields)
            )
    except ValidationError as exc:
        return _events_page(ctx, status=422, errors=field_errors(ctx, exc), values=values)
    except (WarningError, ValueError) as exc:
        return _events_page(ctx, status=422, errors={"form": _message(ctx, exc)}, values=values)
    return RedirectResponse(f"/vroegsignalering/gebeurtenissen/{event_id}", status_code=303)


@pages.get("/vroegsignalering/gebeurtenissen/{event_id}")
def event_page(ctx: CtxDep, event_id: int) -> Response:
    principal = ctx.user()
    with ctx.db() as session:
        event = service.get_event(session, principal=principal, event_id=event_id)
    return render(
        ctx,
        "analysis/warning/event.html",
        title=f"{ctx._('Event')} #{event.id}",
        markings=[event.marking],
        event=event,
        SeriesKey=SeriesKey,
        **_choices(ctx),
    )


# --- follows, signals, detection ------------------------------------------------------------


def _alerts_page(ctx: Ctx, *, status: int = 200, errors: dict[str, str] | None = None) -> Response:
    principal = ctx.user()
    unread_only = ctx.request.query_params.get("ongelezen") == "1"
    with ctx.db() as session:
        alerts = service.list_alerts(session, principal=principal, unread_only=unread_only)
        follows = service.list_follows(session, principal=principal)
    created = ctx.request.query_params.get("nieuw")
    return render(
        ctx,
        "analysis/warning/alerts.html",
        status_code=status,
        title=ctx._("Signals"),
        markings=[a.marking for a in alerts],
        alerts=alerts,
        follows=follows,
        unread_only=unread_only,
        created=created if created and created.isdigit() else None,
        errors=errors or {},
        can_follow=not principal.is_external and policy.role_may_read(principal, service.ALERT),
        can_detect=_may_write(principal, service.ALERT),
        params=Params(),
        **_choices(ctx),
    )


@pages.get("/vroegsignalering/signalen")
def alerts_page(ctx: CtxDep) -> Response:
    return _alerts_page(ctx)


@pages.post("/vroegsignalering/signalen/{alert_id}/gelezen")
def alert_read(ctx: CtxDep, alert_id: int) -> Response:
    with ctx.db() as session:
        service.mark_read(session, principal=ctx.user(), alert_id=alert_id)
    return RedirectResponse("/vroegsignalering/signalen", status_code=303)


@pages.post("/vroegsignalering/volgen")
def follow_create(ctx: CtxDep, target_kind: Str = "", target: Str = "") -> Response:
    try:
        with ctx.db() as session:
            service.follow(session, principal=ctx.user(), target_kind=target_kind, target=target)
    except WarningError as exc:
        return _alerts_page(ctx, status=422, errors={"follow": _message(ctx, exc)})
    return RedirectResponse("/vroegsignalering/signalen", status_code=303)


@pages.post("/vroegsignalering/volgen/{follow_id}/verwijderen")
def follow_delete(ctx: CtxDep, follow_id: int) -> Response:
    with ctx.db() as session:
        service.unfollow(session, principal=ctx.user(), follow_id=follow_id)
    return RedirectResponse("/vroegsignalering/signalen", status_code=303)


@pages.post("/vroegsignalering/detectie")
def detect_run(ctx: CtxDep, seizoen: Str = "", venster: Str = "", drempel: Str = "") -> Response:
    principal = ctx.user()
    try:
        params = parse_params(seizoen, venster, drempel)
        with ctx.db() as session:
            created = service.run_detection(session, principal=principal, params=params)
    except DetectorError as exc:
        return _alerts_page(ctx, status=422, errors={"detect": _message(ctx, exc)})
    return RedirectResponse(f"/vroegsignalering/signalen?nieuw={created}", status_code=303)


# --- API -----------------------------------------------------------------------------------------


def _json(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json(v) for v in value]
    if isinstance(value, Marking):
        return value.key()
    if isinstance(value, date):
        return value.isoformat()
    return value


class EventBody(BaseModel):
    occurred_on: str = Field(max_length=20)
    country: str = Field(max_length=10)
    event_type: str = Field(max_length=40)
    theme: str = Field(max_length=20)
    marking: MarkingIn
    place: str = Field(default="", max_length=service.MAX_PLACE)
    actor: str = Field(default="", max_length=service.MAX_ACTOR)
    actor_entity_id: str = Field(default="", max_length=128)
    description: str = Field(default="", max_length=service.MAX_DESCRIPTION)


class FollowBody(BaseModel):
    target_kind: str = Field(max_length=16)
    target: str = Field(max_length=128)


class DetectBody(BaseModel):
    season: int = Params().season
    window: int = Params().window
    threshold: float = Params().threshold


@api.get("/events", summary="Events the caller may read, newest first")
def api_events(ctx: CtxDep, place: QStr = None, theme: QStr = None) -> list[Any]:
    with ctx.db() as session:
        found = service.list_events(
            session,
            principal=ctx.user(),
            place=place.upper() if place else None,
            theme=theme,
        )
    return [_json(asdict(e)) for e in found]


@api.post("/events", status_code=201, summary="Record an event")
def api_event_create(ctx: CtxDep, body: EventBody) -> dict[str, Any]:
    data = body.model_dump(exclude={"marking"})
    with ctx.db() as session:
        event_id = service.record_event(
            session,
            principal=ctx.user(),
            data=EventIn(marking=body.marking.to_marking(), **data),
        )
    return {"id": event_id, "url": f"/api/v1/analysis/warning/events/{event_id}"}


@api.get("/events/{event_id}", summary="One event")
def api_event(ctx: CtxDep, event_id: int) -> Any:
    with ctx.db() as session:
        return _json(asdict(service.get_event(session, principal=ctx.user(), event_id=event_id)))


@api.get("/series", summary="A weekly indicator series with its baseline and flagged weeks")
def api_series(
    ctx: CtxDep,
    place: QStr = None,
    theme: QStr = None,
    entity: Annotated[str | None, Query(max_length=128)] = None,
    season: Annotated[int, Query()] = Params().season,
    window: Annotated[int, Query()] = Params().window,
    threshold: Annotated[float, Query()] = Params().threshold,
) -> dict[str, Any]:
    key = SeriesKey(place.upper() if place else None, theme, entity)
    params = Params(season=season, window=window, threshold=threshold)
    with ctx.db() as session:
        view = service.get_series(session, principal=ctx.user(), key=key, params=params)
    return {
        "series": key.code(),
        "params": asdict(view.params),
        "marking": view.marking.key(),
        "weeks": [
            {
                "week": w.isoformat(),
                "value": p.value,
                "expected": p.expected,
                "score": p.score,
                "flagged": p.flagged,
            }
            for w, p in zip(view.weeks, view.points, strict=True)
        ],
    }


@api.get("/alerts", summary="The caller's signals")
def api_alerts(ctx: CtxDep, unread: bool = False) -> list[Any]:
    with ctx.db() as session:
        found = service.list_alerts(session, principal=ctx.user(), unread_only=unread)
    return [{**_json(asdict(a)), "series": a.key.code()} for a in found]


@api.post("/alerts/{alert_id}/read", summary="Mark one of the caller's signals read")
def api_alert_read(ctx: CtxDep, alert_id: int) -> dict[str, Any]:
    with ctx.db() as session:
        service.mark_read(session, principal=ctx.user(), alert_id=alert_id)
    return {"id": alert_id, "read": True}


@api.get("/follows", summary="What the caller follows")
def api_follows(ctx: CtxDep) -> list[Any]:
    with ctx.db() as session:
        return [_json(asdict(f)) for f in service.list_follows(session, principal=ctx.user())]


@api.post("/follows", status_code=201, summary="Follow a requirement, place or entity")
def api_follow(ctx: CtxDep, body: FollowBody) -> dict[str, Any]:
    with ctx.db() as session:
        follow_id = service.follow(
            session, principal=ctx.user(), target_kind=body.target_kind, target=body.target
        )
    return {"id": follow_id}


@api.delete("/follows/{follow_id}", summary="Stop following")
def api_unfollow(ctx: CtxDep, follow_id: int) -> dict[str, Any]:
    with ctx.db() as session:
        service.unfollow(session, principal=ctx.user(), follow_id=follow_id)
    return {"id": follow_id, "deleted": True}


@api.post("/detect", summary="Run the detector over every follower's series")
def api_detect(ctx: CtxDep, body: DetectBody) -> dict[str, Any]:
    params = Params(season=body.season, window=body.window, threshold=body.threshold)
    with ctx.db() as session:
        created = service.run_detection(session, principal=ctx.user(), params=params)
    return {"created_for_you": created}
