"""Pages of protect (sweeps): the EVO dashboard, secure rooms, sweeps and their findings.
Meetings are in :mod:`baken.protect.sweeps.meeting_routes` (``extra``), the API in
:mod:`baken.protect.sweeps.api`.

Routes are thin: they read the form, call one service function and render. A room,
sweep, finding or meeting the reader may not read answers 404, exactly as one that does
not exist; a refused form is shown again with the message and the values typed (422).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Form
from fastapi.responses import RedirectResponse, Response

from baken.core import policy
from baken.core.marking_store import load
from baken.core.markings import Level, Service
from baken.protect.sweeps import dashboard, meetings, service
from baken.protect.sweeps.api import api
from baken.protect.sweeps.meeting_routes import pages as meeting_pages
from baken.protect.sweeps.service import ROOM, SWEEP, SweepsError
from baken.protect.sweeps.views import MARKING_DENIED, REFUSED, Str, helpers, run
from baken.web.context import Ctx, CtxDep, NotFound
from baken.web.forms import form_date, optional_date, page_number
from baken.web.render import render

pages = APIRouter(tags=["pages"], include_in_schema=False)
extra = [meeting_pages]
__all__ = ["api", "extra", "pages"]

# --- the dashboard -------------------------------------------------------------------------


@pages.get("/veegonderzoeken")
def dashboard_page(ctx: CtxDep) -> Response:
    principal = ctx.user()
    today = date.today()
    with ctx.db() as session:
        board = dashboard.dashboard(session, principal, today=today)
        markings = load(
            session,
            {
                *(r.marking_id for r in board.attention),
                *(f.finding.marking_id for f in board.findings),
                *(m.meeting.marking_id for m in board.flagged),
                *(s.marking_id for s, _ in board.planned),
            },
        )
    return render(
        ctx,
        "protect/sweeps/index.html",
        title=ctx._("Sweeps"),
        markings=list(markings.values()),
        board=board,
        today=today,
        state=service.state,
        reads_sweeps=policy.role_may_read(principal, SWEEP),
        can_write=service.can_write(principal),
        can_plan=meetings.can_plan(principal),
        **helpers(ctx),
    )


# --- rooms ---------------------------------------------------------------------------------


def _rooms_page(
    ctx: Ctx, *, status: int = 200, error: str | None = None, values: dict[str, str] | None = None
) -> Response:
    principal = ctx.user()
    page = page_number(ctx)
    with ctx.db() as session:
        rows, more = service.rooms(session, principal, page=page)
        markings = load(session, {r.marking_id for r in rows})
    return render(
        ctx,
        "protect/sweeps/rooms.html",
        title=ctx._("Secure rooms"),
        status_code=status,
        markings=list(markings.values()),
        rows=rows,
        page=page,
        more=more,
        marking_of=markings,
        today=date.today(),
        state=service.state,
        levels=service.room_levels(),
        all_levels=list(Level),
        services=list(Service),
        risks=service.risks(),
        can_write=service.can_write(principal),
        error=error,
        values=values or {"marking_level": service.DEFAULT_MARKING_LEVEL, "risk": "midden"},
        **helpers(ctx),
    )


@pages.get("/beveiligde-ruimtes")
def rooms_page(ctx: CtxDep) -> Response:
    return _rooms_page(ctx)


@pages.post("/beveiligde-ruimtes")
def create_room(
    ctx: CtxDep,
    name: Str = "",
    location: Str = "",
    level: Str = "",
    owner: Str = "",
    service_code: Annotated[str, Form(alias="service", max_length=8)] = "",
    risk: Str = "",
    marking_level: Str = "",
    marking_owner: Str = "",
) -> Response:
    principal = ctx.user()
    values = {
        "name": name,
        "location": location,
        "level": level,
        "owner": owner,
        "service": service_code,
        "risk": risk,
        "marking_level": marking_level,
        "marking_owner": marking_owner,
    }
    try:
        new_id = run(
            ctx,
            "room.create",
            ROOM,
            lambda s: (
                service.create_room(
                    s,
                    principal,
                    name=name,
                    location=location,
                    level=level,
                    owner=owner,
                    service=service_code,
                    risk=risk,
                    marking_level=marking_level,
                    marking_owner=marking_owner,
                ).id
            ),
        )
    except REFUSED as exc:
        return _rooms_page(ctx, status=422, error=exc.translate(ctx.locale), values=values)
    except policy.PolicyDenied:
        if not service.can_write(principal):
            raise
        # The officer chose a marking they may not write: say so at the form.
        return _rooms_page(ctx, status=403, error=ctx._(MARKING_DENIED), values=values)
    return RedirectResponse(f"/beveiligde-ruimtes/{new_id}", status_code=303)


def _room_page(
    ctx: Ctx,
    room_id: int,
    *,
    status: int = 200,
    error: str | None = None,
    values: dict[str, str] | None = None,
) -> Response:
    principal = ctx.user()
    today = date.today()
    reads_sweeps = policy.role_may_read(principal, SWEEP)
    with ctx.db() as session:
        try:
            place = service.room(session, principal, room_id)
        except SweepsError:
            raise NotFound from None
        sweeps = service.sweeps_of(session, principal, room_id) if reads_sweeps else []
        planned, _ = meetings.meetings(session, principal, today=today, room_id=room_id)
        markings = load(
            session,
            {
                place.marking_id,
                *(r.sweep.marking_id for r in sweeps),
                *(m.meeting.marking_id for m in planned),
            },
        )
    can_write = service.can_write(principal) and policy.can_write(
        principal, ROOM, markings[place.marking_id]
    )
    return render(
        ctx,
        "protect/sweeps/room.html",
        title=f"{place.ref} {place.name}",
        status_code=status,
        markings=list(markings.values()),
        room=place,
        sweeps=sweeps,
        meetings=planned,
        marking_of=markings,
        today=today,
        state=service.state,
        reads_sweeps=reads_sweeps,
        can_write=can_write,
        can_plan=meetings.can_plan(principal),
        reasons=service.reasons(),
        all_levels=list(Level),
        levels=service.room_levels(),
        risks=service.risks(),
        error=error,
        values=values
        or {"planned_on": service.plan_next(place, today).isoformat(), "reason": "interval"},
        **helpers(ctx),
    )


@pages.get("/beveiligde-ruimtes/{room_id}")
def room_page(ctx: CtxDep, room_id: int) -> Response:
    return _room_page(ctx, room_id)


@pages.post("/beveiligde-ruimtes/{room_id}/veegonderzoek")
def plan_sweep(
    ctx: CtxDep,
    room_id: int,
    planned_on: Str = "",
    reason: Str = "interval",
    team: Str = "",
    notes: Str = "",
    marking_level: Str = "",
    compartments: Str = "",
) -> Response:
    principal = ctx.user()
    values = {
        "planned_on": planned_on,
        "reason": reason,
        "team": team,
        "notes": notes,
        "marking_level": marking_level,
        "compartments": compartments,
    }
    try:
        new_id = run(
            ctx,
            "sweep.plan",
            SWEEP,
            lambda s: (
                service.plan_sweep(
                    s,
                    principal,
                    room_id,
                    planned_on=form_date(planned_on),
                    reason=reason,
                    team=team,
                    notes=notes,
                    marking_level=marking_level,
                    compartments=compartments,
                    today=date.today(),
                ).id
            ),
            room_id,
        )
    except REFUSED as exc:
        return _room_page(ctx, room_id, status=422, error=exc.translate(ctx.locale), values=values)
    return RedirectResponse(f"/veegonderzoeken/{new_id}", status_code=303)


@pages.post("/beveiligde-ruimtes/{room_id}/herbeoordelen")
def reassess_room(
    ctx: CtxDep,
    room_id: int,
    level: Str = "",
    risk: Str = "",
    location: Str = "",
    owner: Str = "",
) -> Response:
    principal = ctx.user()
    values = {"form": "reassess", "level": level, "risk": risk, "location": location}
    values["owner"] = owner
    try:
        run(
            ctx,
            "room.reassess",
            ROOM,
            lambda s: service.reassess_room(
                s, principal, room_id, level=level, risk=risk, location=location, owner=owner,
                today=date.today(),
            ),
            room_id,
        )  # fmt: skip
    except REFUSED as exc:
        return _room_page(ctx, room_id, status=422, error=exc.translate(ctx.locale), values=values)
    return RedirectResponse(f"/beveiligde-ruimtes/{room_id}", status_code=303)


@pages.post("/beveiligde-ruimtes/{room_id}/buiten-gebruik")
def deactivate_room(ctx: CtxDep, room_id: int) -> Response:
    principal = ctx.user()
    try:
        run(
            ctx,
            "room.deactivate",
            ROOM,
            lambda s: service.deactivate_room(s, principal, room_id),
            room_id,
        )
    except REFUSED as exc:
        return _room_page(ctx, room_id, status=422, error=exc.translate(ctx.locale))
    return RedirectResponse(f"/beveiligde-ruimtes/{room_id}", status_code=303)


# --- sweeps and findings -------------------------------------------------------------------


def _sweep_page(
    ctx: Ctx,
    sweep_id: int,
    *,
    status: int = 200,
    form: str = "",
    error: str | None = None,
    values: dict[str, str] | None = None,
) -> Response:
    principal = ctx.user()
    with ctx.db() as session:
        try:
            found = service.sweep(session, principal, sweep_id)
        except SweepsError:
            raise NotFound from None
        markings = load(
            session,
            {
                found.sweep.marking_id,
                *(f.marking_id for f in found.findings),
                *([found.room.marking_id] if found.room else []),
            },
        )
    can_write = policy.can_write(principal, SWEEP, markings[found.sweep.marking_id])
    return render(
        ctx,
        "protect/sweeps/sweep.html",
        title=found.sweep.ref,
        status_code=status,
        markings=list(markings.values()),
        file=found,
        sweep=found.sweep,
        room=found.room,
        marking_of=markings,
        can_write=can_write,
        severities=service.severities(),
        kinds=service.finding_kinds(),
        today=date.today(),
        form=form,
        error=error,
        values=values or {},
        **helpers(ctx),
    )


@pages.get("/veegonderzoeken/{sweep_id}")
def sweep_page(ctx: CtxDep, sweep_id: int) -> Response:
    return _sweep_page(ctx, sweep_id)


@pages.post("/veegonderzoeken/{sweep_id}/uitgevoerd")
def record_performed(
    ctx: CtxDep, sweep_id: int, performed_on: Str = "", team: Str = "", notes: Str = ""
) -> Response:
    principal = ctx.user()
    values = {"performed_on": performed_on, "team": team, "notes": notes}
    try:
        run(
            ctx,
            "sweep.perform",
            SWEEP,
            lambda s: service.record_performed(
                s,
                principal,
                sweep_id,
                performed_on=form_date(performed_on),
                team=team,
                notes=notes,
                today=date.today(),
            ),
            sweep_id,
        )
    except REFUSED as exc:
        return _sweep_page(
            ctx,
            sweep_id,
            status=422,
            form="perform",
            error=exc.translate(ctx.locale),
            values=values,
        )
    return RedirectResponse(f"/veegonderzoeken/{sweep_id}", status_code=303)


@pages.post("/veegonderzoeken/{sweep_id}/annuleren")
def cancel_sweep(ctx: CtxDep, sweep_id: int) -> Response:
    principal = ctx.user()
    try:
        run(
            ctx,
            "sweep.cancel",
            SWEEP,
            lambda s: service.cancel_sweep(s, principal, sweep_id),
            sweep_id,
        )
    except REFUSED as exc:
        return _sweep_page(
            ctx, sweep_id, status=422, form="cancel", error=exc.translate(ctx.locale)
        )
    return RedirectResponse(f"/veegonderzoeken/{sweep_id}", status_code=303)


@pages.post("/veegonderzoeken/{sweep_id}/bevindingen")
def add_finding(
    ctx: CtxDep, sweep_id: int, description: Str = "", severity: Str = "", kind: Str = ""
) -> Response:
    principal = ctx.user()
    values = {"description": description, "severity": severity, "kind": kind}
    try:
        run(
            ctx,
            "finding.create",
            SWEEP,
            lambda s: service.add_finding(
                s, principal, sweep_id, description=description, severity=severity, kind=kind
            ),
            sweep_id,
        )
    except REFUSED as exc:
        return _sweep_page(
            ctx,
            sweep_id,
            status=422,
            form="finding",
            error=exc.translate(ctx.locale),
            values=values,
        )
    return RedirectResponse(f"/veegonderzoeken/{sweep_id}#bevindingen", status_code=303)


@pages.post("/veegonderzoeken/{sweep_id}/bevindingen/{finding_id}/sluiten")
def close_finding(
    ctx: CtxDep, sweep_id: int, finding_id: int, remediation: Str = "", remediated_on: Str = ""
) -> Response:
    principal = ctx.user()
    values = {"remediation": remediation, "remediated_on": remediated_on}
    try:
        run(
            ctx,
            "finding.close",
            SWEEP,
            lambda s: service.close_finding(
                s,
                principal,
                sweep_id,
                finding_id,
                remediation=remediation,
                remediated_on=optional_date(remediated_on),
                today=date.today(),
            ),
            finding_id,
        )
    except REFUSED as exc:
        return _sweep_page(
            ctx,
            sweep_id,
            status=422,
            form=f"close-{finding_id}",
            error=exc.translate(ctx.locale),
            values=values,
        )
    return RedirectResponse(f"/veegonderzoeken/{sweep_id}#bevindingen", status_code=303)
