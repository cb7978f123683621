"""Pages of the meetings planned in secure rooms, flagged when the room's sweep is overdue
on the meeting's day."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter
from fastapi.responses import RedirectResponse, Response

from baken.core.marking_store import load
from baken.core.markings import Level
from baken.core.policy import PolicyDenied
from baken.protect.sweeps import meetings, service
from baken.protect.sweeps.meetings import MEETING
from baken.protect.sweeps.service import SweepsError
from baken.protect.sweeps.views import MARKING_DENIED, REFUSED, Str, helpers
from baken.web.context import Ctx, CtxDep, NotFound
from baken.web.forms import attempt, form_date, form_int, page_number
from baken.web.render import render

pages = APIRouter(tags=["pages"], include_in_schema=False)

# --- meetings ------------------------------------------------------------------------------


def _meetings_page(
    ctx: Ctx, *, status: int = 200, error: str | None = None, values: dict[str, str] | None = None
) -> Response:
    principal = ctx.user()
    today = date.today()
    flagged_only = ctx.request.query_params.get("gemarkeerd") == "1"
    chosen_room = form_int(ctx.request.query_params.get("ruimte"))
    page = page_number(ctx)
    can_plan = meetings.can_plan(principal)
    with ctx.db() as session:
        rows, more = meetings.meetings(
            session, principal, today=today, flagged_only=flagged_only, page=page
        )
        choices = service.room_choices(session, principal) if can_plan else []
        markings = load(session, {m.meeting.marking_id for m in rows})
    defaults = {
        "planned_on": today.isoformat(),
        "room_id": str(chosen_room or ""),
        "marking_level": service.DEFAULT_MARKING_LEVEL,
    }
    return render(
        ctx,
        "protect/sweeps/meetings.html",
        title=ctx._("Planned meetings"),
        status_code=status,
        markings=list(markings.values()),
        rows=rows,
        page=page,
        more=more,
        flagged_only=flagged_only,
        marking_of=markings,
        rooms=choices,
        levels=service.room_levels(),
        all_levels=list(Level),
        can_plan=can_plan,
        error=error,
        values=values or defaults,
        **helpers(ctx),
    )


@pages.get("/vergaderingen")
def meetings_page(ctx: CtxDep) -> Response:
    return _meetings_page(ctx)


@pages.post("/vergaderingen")
def plan_meeting(
    ctx: CtxDep,
    title: Str = "",
    room_id: Str = "",
    level: Str = "",
    planned_on: Str = "",
    starts_at: Str = "",
    organiser: Str = "",
    marking_level: Str = "",
) -> Response:
    principal = ctx.user()
    values = {
        "title": title,
        "room_id": room_id,
        "level": level,
        "planned_on": planned_on,
        "starts_at": starts_at,
        "organiser": organiser,
        "marking_level": marking_level,
    }
    try:
        new_id = attempt(
            ctx,
            "meeting.plan",
            MEETING,
            lambda s: (
                meetings.plan_meeting(
                    s,
                    principal,
                    title=title,
                    room_id=form_int(room_id) or 0,
                    level=level,
                    planned_on=form_date(planned_on),
                    starts_at=starts_at,
                    organiser=organiser,
                    marking_level=marking_level,
                    today=date.today(),
                ).id
            ),
        )
    except REFUSED as exc:
        return _meetings_page(ctx, status=422, error=exc.translate(ctx.locale), values=values)
    except PolicyDenied:
        if not meetings.can_plan(principal):
            raise
        # The planner chose a marking they may not write: say so at the form.
        return _meetings_page(ctx, status=403, error=ctx._(MARKING_DENIED), values=values)
    return RedirectResponse(f"/vergaderingen/{new_id}", status_code=303)


@pages.get("/vergaderingen/{meeting_id}")
def meeting_page(ctx: CtxDep, meeting_id: int) -> Response:
    principal = ctx.user()
    with ctx.db() as session:
        try:
            found = meetings.meeting(session, principal, meeting_id)
        except SweepsError:
            raise NotFound from None
        markings = load(session, {found.meeting.marking_id})
    return render(
        ctx,
        "protect/sweeps/meeting.html",
        title=found.meeting.title,
        markings=list(markings.values()),
        row=found,
        meeting=found.meeting,
        **helpers(ctx),
    )
