"""Pages and API of vetting (portal): the employer's home, its request form, the status
of one of its screenings, passing a delay notice on; and the officers' page of delay
notices with the button that sends them."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Form
from fastapi.responses import RedirectResponse, Response

from baken.core import policy
from baken.core.errors import DomainError
from baken.core.i18n import N_
from baken.vetting import access
from baken.vetting.portal import service
from baken.vetting.portal.schemas import ScreeningStatusPublic
from baken.vetting.vocab import label
from baken.web.context import Ctx, CtxDep
from baken.web.render import render

pages = APIRouter(tags=["pages"], include_in_schema=False)
api = APIRouter(prefix="/api/v1/vetting", tags=["vetting"])

Str = Annotated[str, Form(max_length=400)]


def _label(part: str, group: str, code: str | None, locale: str) -> str:
    return label(part, group, code, locale)


def _page(ctx: Ctx) -> int:
    try:
        return max(1, int(ctx.request.query_params.get("pagina", "1")))
    except ValueError:
        return 1


# --- the employer's home -------------------------------------------------------------------


@pages.get("/werkgever")
def home_page(ctx: CtxDep) -> Response:
    principal = ctx.user()
    page = _page(ctx)
    with ctx.db() as session:
        view = service.home(session, principal=principal, today=date.today(), page=page)
    return render(
        ctx,
        "vetting/portal/home.html",
        title=ctx._("Employer portal"),
        markings=view.markings,
        view=view,
        page=page,
        pages=max(1, (view.total + service.PAGE - 1) // service.PAGE),
        label=_label,
    )


# --- requesting a screening ----------------------------------------------------------------


def _form(
    ctx: Ctx, *, values: dict[str, str] | None = None, error: str | None = None, status: int = 200
) -> Response:
    principal = ctx.user()
    with ctx.db() as session:
        positions = service.own_positions(session, principal=principal)
    return render(
        ctx,
        "vetting/portal/request.html",
        status_code=status,
        title=ctx._("Request a security screening"),
        markings=[p.marking for p in positions],
        positions=positions,
        values=values or {},
        error=error,
        label=_label,
    )


@pages.get("/werkgever/aanvragen")
def request_form(ctx: CtxDep) -> Response:
    access.employer_of(ctx.user())
    return _form(ctx)


@pages.post("/werkgever/aanvragen")
def request_submit(
    ctx: CtxDep,
    position_id: Str = "",
    person_name: Str = "",
    person_birth_date: Str = "",
    person_bsn: Str = "",
) -> Response:
    principal = ctx.user()
    access.employer_of(principal)
    values = {
        "position_id": position_id,
        "person_name": person_name,
        "person_birth_date": person_birth_date,
        "person_bsn": person_bsn,
    }
    try:
        born = service.parse_birth_date(person_birth_date)
        try:
            pid = int(position_id)
        except ValueError:
            raise service.PortalError(N_("choose one of your positions")) from None
        new_id = service.attempt(
            ctx.factory,
            principal,
            "screening.request",
            lambda s: service.request(
                s,
                principal=principal,
                position_id=pid,
                person_name=person_name,
                person_birth_date=born,
                person_bsn=person_bsn,
            ),
        )
    except DomainError as exc:
        return _form(ctx, values=values, error=exc.translate(ctx.locale), status=422)
    return RedirectResponse(f"/werkgever/onderzoeken/{new_id}", status_code=303)


# --- one screening -------------------------------------------------------------------------


@pages.get("/werkgever/onderzoeken/{screening_id}")
def screening_page(ctx: CtxDep, screening_id: int) -> Response:
    principal = ctx.user()
    with ctx.db() as session:
        detail = service.screening_status(
            session, principal=principal, screening_id=screening_id, today=date.today()
        )
    return render(
        ctx,
        "vetting/portal/screening.html",
        title=detail.screening.ref,
        markings=detail.markings,
        detail=detail,
        s=detail.screening,
        label=_label,
    )


@pages.post("/werkgever/berichten/{notice_id}/doorgegeven")
def notice_passed_on(ctx: CtxDep, notice_id: int, terug: Str = "") -> Response:
    principal = ctx.user()
    with ctx.db() as session:
        service.mark_passed_on(
            session, principal=principal, notice_id=notice_id, today=date.today()
        )
    target = terug if terug.startswith("/werkgever/onderzoeken/") else "/werkgever"
    return RedirectResponse(target, status_code=303)


# --- the officers' page of delay notices ---------------------------------------------------


def _notices_page(ctx: Ctx, *, sent: int | None = None) -> Response:
    principal = ctx.user()
    with ctx.db() as session:
        notices = service.list_notices(session, principal=principal)
    return render(
        ctx,
        "vetting/portal/notices.html",
        title=ctx._("Delay notices"),
        markings=[n.marking for n in notices],
        notices=notices,
        sent=sent,
        can_send=policy.role_may_write(principal, service.KIND),
        label=_label,
    )


@pages.get("/werkgever/vertragingen")
def notices_page(ctx: CtxDep) -> Response:
    try:
        sent = int(ctx.request.query_params.get("verzonden", ""))
    except ValueError:
        sent = None
    return _notices_page(ctx, sent=sent)


@pages.post("/werkgever/vertragingen")
def notices_send(ctx: CtxDep) -> Response:
    principal = ctx.user()
    count = service.attempt(
        ctx.factory,
        principal,
        "vetting.delay.notify",
        lambda s: service.notify_delays(s, principal=principal, today=date.today()),
        kind=service.KIND,
    )
    return RedirectResponse(f"/werkgever/vertragingen?verzonden={count}", status_code=303)


# --- API -----------------------------------------------------------------------------------


@api.get(
    "/employer/screenings",
    summary="The employer's own screenings: status, dates and outcome only (50 a page)",
    response_model=list[ScreeningStatusPublic],
)
def api_screenings(ctx: CtxDep, page: int = 1) -> list[ScreeningStatusPublic]:
    principal = ctx.user()
    with ctx.db() as session:
        items = service.employer_screenings(
            session, principal=principal, today=date.today(), page=page
        )
    return [ScreeningStatusPublic.of(s, ctx.locale) for s in items]
