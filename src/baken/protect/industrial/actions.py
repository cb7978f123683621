"""The actions on a special assignment (pages): start the investigation, check the
ownership graph, assess the checklist, key staff, hosting, the declaration, monitoring,
the move to ABRO 2026 and closing. Each runs in a unit of work of its own; a refusal
re-renders the assignment page with the message at its form (422) and changes nothing;
an assignment the reader may not read answers 404."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from fastapi import APIRouter
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from baken.core.errors import DomainError
from baken.protect.industrial import checklist, service, structure
from baken.protect.industrial.service import ASSIGNMENT, IndustrialError
from baken.protect.industrial.views import ASSIGNMENTS, Str, assignment_page
from baken.web.context import Ctx, CtxDep, NotFound
from baken.web.forms import attempt, form_date

actions = APIRouter(tags=["pages"], include_in_schema=False)
NOT_FOUND = "no such special assignment"


def _act(
    ctx: Ctx,
    assignment_id: int,
    action: str,
    form: str,
    values: dict[str, str],
    work: Callable[[Session], object],
) -> Response:
    """Run one action on an assignment; a refusal re-renders the page with the message at
    the form and the values typed (422), an unreadable assignment answers 404."""
    try:
        attempt(ctx, action, ASSIGNMENT, work, object_id=assignment_id)
    except DomainError as exc:
        if exc.message == NOT_FOUND:
            raise NotFound from None
        return assignment_page(
            ctx,
            assignment_id,
            status=422,
            error=exc.translate(ctx.locale),
            form=form,
            values=values,
        )
    return RedirectResponse(f"{ASSIGNMENTS}/{assignment_id}#{form}", status_code=303)


@actions.post(ASSIGNMENTS + "/{assignment_id}/onderzoek")
def start_investigation(ctx: CtxDep, assignment_id: int, on: Str = "") -> Response:
    principal = ctx.user()
    today = date.today()
    return _act(
        ctx,
        assignment_id,
        "assignment.investigate",
        "onderzoek",
        {"on": on},
        lambda s: service.start_investigation(
            s, principal, assignment_id=assignment_id, on=form_date(on, default=today), today=today
        ),
    )


@actions.post(ASSIGNMENTS + "/{assignment_id}/structuur")
def structure_check(ctx: CtxDep, assignment_id: int) -> Response:
    """Walk the ownership graph and screen the owners and directors (resolve's index,
    as it stands after what committed before this request)."""
    from baken.holdings.routes import holdings_runtime

    principal = ctx.user()
    today = date.today()
    with ctx.db() as session:
        # Only a writer of a readable assignment reaches the index.
        try:
            service.writable(session, principal, assignment_id)
        except IndustrialError:
            raise NotFound from None
    runtime = holdings_runtime(ctx)
    runtime.feeder.try_sync()
    index = runtime.feeder.index
    return _act(
        ctx,
        assignment_id,
        "assignment.structure",
        "structuur",
        {},
        lambda s: structure.check(
            s, principal, assignment_id=assignment_id, index=index, on=today, today=today
        ),
    )


@actions.post(ASSIGNMENTS + "/{assignment_id}/checklist")
def set_check(
    ctx: CtxDep,
    assignment_id: int,
    item: Str = "",
    state: Str = "",
    note: Str = "",
    on: Str = "",
) -> Response:
    principal = ctx.user()
    today = date.today()
    return _act(
        ctx,
        assignment_id,
        "assignment.check",
        "checklist",
        {"item": item, "state": state, "note": note, "on": on},
        lambda s: checklist.set_check(
            s,
            principal,
            assignment_id=assignment_id,
            item=item,
            state=state,
            note_text=note,
            on=form_date(on, default=today),
            today=today,
        ),
    )


@actions.post(ASSIGNMENTS + "/{assignment_id}/personeel")
def add_staff(
    ctx: CtxDep,
    assignment_id: int,
    name: Str = "",
    function: Str = "",
    vgb_ref: Str = "",
    not_needed: Str = "",
) -> Response:
    principal = ctx.user()
    today = date.today()
    return _act(
        ctx,
        assignment_id,
        "assignment.staff",
        "personeel",
        {"name": name, "function": function, "vgb_ref": vgb_ref, "not_needed": not_needed},
        lambda s: checklist.add_staff(
            s,
            principal,
            assignment_id=assignment_id,
            name=name,
            function=function,
            vgb_ref=vgb_ref,
            not_needed=not_needed,
            on=today,
            today=today,
        ),
    )


@actions.post(ASSIGNMENTS + "/{assignment_id}/cloud")
def add_hosting(
    ctx: CtxDep,
    assignment_id: int,
    provider: Str = "",
    cloud: Str = "",
    country: Str = "",
    certifications: Str = "",
    note: Str = "",
) -> Response:
    principal = ctx.user()
    today = date.today()
    return _act(
        ctx,
        assignment_id,
        "assignment.hosting",
        "cloud",
        {
            "provider": provider,
            "cloud": cloud,
            "country": country,
            "certifications": certifications,
            "hosting_note": note,
        },
        lambda s: checklist.add_hosting(
            s,
            principal,
            assignment_id=assignment_id,
            provider=provider,
            cloud=cloud == "yes",
            country=country,
            certifications=certifications,
            note_text=note,
            on=today,
            today=today,
        ),
    )


@actions.post(ASSIGNMENTS + "/{assignment_id}/verklaring")
def declare(
    ctx: CtxDep,
    assignment_id: int,
    declared_on: Str = "",
    valid_until: Str = "",
    conditions: Str = "",
) -> Response:
    principal = ctx.user()
    today = date.today()
    return _act(
        ctx,
        assignment_id,
        "assignment.declare",
        "verklaring",
        {"declared_on": declared_on, "valid_until": valid_until, "conditions": conditions},
        lambda s: checklist.declare(
            s,
            principal,
            assignment_id=assignment_id,
            declared_on=form_date(declared_on, default=today),
            valid_until=form_date(valid_until),
            conditions=conditions,
            today=today,
        ),
    )


@actions.post(ASSIGNMENTS + "/{assignment_id}/monitoring")
def record_event(
    ctx: CtxDep, assignment_id: int, kind: Str = "", on: Str = "", note: Str = ""
) -> Response:
    principal = ctx.user()
    today = date.today()
    return _act(
        ctx,
        assignment_id,
        "assignment.monitor",
        "monitoring",
        {"kind": kind, "event_on": on, "event_note": note},
        lambda s: checklist.record_event(
            s,
            principal,
            assignment_id=assignment_id,
            kind=kind,
            on=form_date(on, default=today),
            note_text=note,
            today=today,
        ),
    )


@actions.post(ASSIGNMENTS + "/{assignment_id}/abro")
def move_to_abro(ctx: CtxDep, assignment_id: int, on: Str = "") -> Response:
    principal = ctx.user()
    today = date.today()
    return _act(
        ctx,
        assignment_id,
        "assignment.move",
        "regime",
        {"moved_on": on},
        lambda s: service.move_to_abro(
            s, principal, assignment_id=assignment_id, on=form_date(on, default=today), today=today
        ),
    )


@actions.post(ASSIGNMENTS + "/{assignment_id}/status")
def close(
    ctx: CtxDep, assignment_id: int, to: Str = "", on: Str = "", reason: Str = ""
) -> Response:
    principal = ctx.user()
    today = date.today()
    return _act(
        ctx,
        assignment_id,
        "assignment.close",
        "status",
        {"to": to, "closed_on": on, "reason": reason},
        lambda s: service.close(
            s,
            principal,
            assignment_id=assignment_id,
            to=to,
            on=form_date(on, default=today),
            reason=reason,
            today=today,
        ),
    )
