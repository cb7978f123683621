"""Pages and API of oversight (permissions): permission requests and their decisions,
complaints, the CTIVD's landing page and the dashboard.

Routes are thin: they parse input, call one service function and render. A refused write
(:class:`PermissionsError`) is answered 422 with the reason after its transaction commits,
so the refusal's audit entry stays while the work itself was undone (service.refusable).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Form
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from baken.core import policy
from baken.core.errors import DomainError
from baken.core.markings import Level, Service, organisation_codes
from baken.core.principals import Principal
from baken.core.timeutil import utcnow
from baken.oversight import vocab as oversight_vocab
from baken.oversight.lifecycle.destruction import Stores
from baken.oversight.permissions import complaints, dashboard, rules, service
from baken.oversight.permissions.api import api
from baken.oversight.permissions.api import attempt as _attempt
from baken.oversight.permissions.rules import KLACHT, TOESTEMMING
from baken.web.context import Ctx, CtxDep
from baken.web.forms import MarkingForm, field_errors
from baken.web.render import render

pages = APIRouter(tags=["pages"], include_in_schema=False)
__all__ = ["api", "pages"]  # the plugin collects both from here

Str = Annotated[str, Form(max_length=service.MAX_TEXT)]
T = TypeVar("T")


def label(group: str, code: str | None, locale: str = "nl") -> str:
    return oversight_vocab.label("permissions", group, code, locale)


def _choices() -> dict[str, Any]:
    return {
        "label": label,
        "powers": rules.powers(),
        "countries": rules.countries(),
        "country_label": rules.country_label,
        "criteria": rules.CRITERIA,
        "levels": list(Level),
        "services": list(Service),
        "organisations": sorted(organisation_codes()),
    }


def _owner(principal: Principal) -> str:
    return principal.service.value if principal.service else "JOINT"


def _today(ctx: Ctx) -> date:
    return utcnow().date()


def _can_write(ctx: Ctx) -> bool:
    principal = ctx.user()
    return not principal.is_external and policy.role_may_write(principal, TOESTEMMING)


# --- permission requests: pages -------------------------------------------------------------


@pages.get("/toestemmingen")
def list_page(ctx: CtxDep) -> Response:
    principal = ctx.user()
    status = ctx.request.query_params.get("status") or None
    if status not in oversight_vocab.codes("permissions", "statuses"):
        status = None
    today = _today(ctx)
    with ctx.db() as session:
        items = service.list_permissions(session, principal=principal, status=status)
        mine = (
            service.expiring(session, principal=principal, on=today, mine=True)
            if _can_write(ctx)
            else []
        )
    return render(
        ctx,
        "oversight/permissions/list.html",
        title=ctx._("Permission requests"),
        markings=[*(i.marking for i in items), *(m.marking for m in mine)],
        items=items,
        mine=mine,
        status=status or "",
        statuses=oversight_vocab.codes("permissions", "statuses"),
        can_create=_can_write(ctx),
        today=today,
        **_choices(),
    )


def _form_page(
    ctx: Ctx,
    *,
    status: int = 200,
    errors: dict[str, str] | None = None,
    values: dict[str, Any] | None = None,
) -> Response:
    principal = ctx.user()
    with ctx.db() as session:
        opdrachten = service.assignments(session, principal=principal) if _can_write(ctx) else []
    return render(
        ctx,
        "oversight/permissions/new.html",
        status_code=status,
        title=ctx._("New permission request"),
        markings=[a.marking for a in opdrachten],
        opdrachten=opdrachten,
        errors=errors or {},
        values=values or {"term_months": "3", "level": "STG_GEHEIM", "owner": _owner(principal)},
        can_create=_can_write(ctx),
        **_choices(),
    )


@pages.get("/toestemmingen/nieuw")
def new_page(ctx: CtxDep) -> Response:
    return _form_page(ctx)


def _int(text: str) -> int:
    try:
        return int(text.strip())
    except ValueError:
        return 0


@pages.post("/toestemmingen")
def create_page(
    ctx: CtxDep,
    marking_form: MarkingForm,
    power: Str = "",
    title: Str = "",
    targets: Str = "",
    country: Str = "",
    assignment_id: Str = "",
    necessity: Str = "",
    proportionality: Str = "",
    subsidiarity: Str = "",
    targeting: Str = "",
    term_months: Str = "",
    urgent: Str = "",
) -> Response:
    principal = ctx.user()
    values = {
        "power": power,
        "title": title,
        "targets": targets,
        "country": country,
        "assignment_id": assignment_id,
        "necessity": necessity,
        "proportionality": proportionality,
        "subsidiarity": subsidiarity,
        "targeting": targeting,
        "term_months": term_months,
        "urgent": urgent,
        **marking_form.values(),
    }
    try:
        data = service.PermissionCreate(
            power=power,
            title=title,
            targets=[t for t in targets.splitlines() if t.strip()],
            country=country or None,
            assignment_id=_int(assignment_id),
            necessity=necessity,
            proportionality=proportionality,
            subsidiarity=subsidiarity,
            targeting=targeting,
            term_months=_int(term_months),
            urgent=bool(urgent),
            marking=marking_form.parse(),
        )
    except ValidationError as exc:
        return _form_page(ctx, status=422, errors=field_errors(ctx, exc), values=values)
    new_id, error = _attempt(
        ctx, lambda s: service.create(s, principal=principal, data=data, on=_today(ctx))
    )
    if error is not None:
        return _form_page(
            ctx, status=422, errors={"form": error.translate(ctx.locale)}, values=values
        )
    return RedirectResponse(f"/toestemmingen/{new_id}", status_code=303)


def _detail(ctx: Ctx, permission_id: int, *, status: int = 200, error: str = "") -> Response:
    principal = ctx.user()
    today = _today(ctx)
    with ctx.db() as session:
        view = service.get(session, principal=principal, permission_id=permission_id)
    may_decide = view.decider is not None and rules.may_decide(
        principal, role=view.decider, kind=TOESTEMMING, marking=view.marking
    )
    writer = not principal.is_external and policy.can_write(principal, TOESTEMMING, view.marking)
    return render(
        ctx,
        "oversight/permissions/detail.html",
        status_code=status,
        title=f"{view.reference}: {view.title}",
        markings=[view.marking],
        p=view,
        error=error,
        today=today,
        can_submit=writer and view.status == "draft",
        can_team_lead=writer and "team_lead" in principal.roles and view.status == "team_lead",
        can_renew=writer and view.status in ("in_use", "expired"),
        may_decide=may_decide,
        outcomes=rules.PERMISSION_OUTCOMES.get(view.decider or "", ()),
        **_choices(),
    )


@pages.get("/toestemmingen/{permission_id}")
def detail_page(ctx: CtxDep, permission_id: int) -> Response:
    return _detail(ctx, permission_id)


def _step_result(ctx: Ctx, permission_id: int, error: DomainError | None) -> Response:
    if error is not None:
        return _detail(ctx, permission_id, status=422, error=error.translate(ctx.locale))
    return RedirectResponse(f"/toestemmingen/{permission_id}", status_code=303)


@pages.post("/toestemmingen/{permission_id}/indienen")
def submit_page(ctx: CtxDep, permission_id: int) -> Response:
    principal = ctx.user()
    _, error = _attempt(
        ctx, lambda s: service.submit(s, principal=principal, permission_id=permission_id)
    )
    return _step_result(ctx, permission_id, error)


@pages.post("/toestemmingen/{permission_id}/teamleider")
def team_lead_page(ctx: CtxDep, permission_id: int, outcome: Str = "", note: Str = "") -> Response:
    principal = ctx.user()
    _, error = _attempt(
        ctx,
        lambda s: service.team_lead(
            s,
            principal=principal,
            permission_id=permission_id,
            outcome=outcome,
            note=note,
            on=_today(ctx),
        ),
    )
    return _step_result(ctx, permission_id, error)


@pages.post("/toestemmingen/{permission_id}/besluit")
def decide_page(ctx: CtxDep, permission_id: int, outcome: Str = "", note: Str = "") -> Response:
    principal = ctx.user()
    _, error = _attempt(
        ctx,
        lambda s: service.decide(
            s,
            principal=principal,
            permission_id=permission_id,
            outcome=outcome,
            note=note,
            on=_today(ctx),
            stores=Stores.of(ctx.settings),
        ),
    )
    return _step_result(ctx, permission_id, error)


@pages.post("/toestemmingen/{permission_id}/verlengen")
def renew_page(ctx: CtxDep, permission_id: int) -> Response:
    principal = ctx.user()
    new_id, error = _attempt(
        ctx,
        lambda s: service.renew(
            s, principal=principal, permission_id=permission_id, on=_today(ctx)
        ),
    )
    if error is not None:
        return _step_result(ctx, permission_id, error)
    return RedirectResponse(f"/toestemmingen/{new_id}", status_code=303)


# --- the CTIVD's view, the dashboard ----------------------------------------------------------


@pages.get("/toezicht")
def oversight_page(ctx: CtxDep) -> Response:
    principal = ctx.user()
    with ctx.db() as session:
        items = (
            service.list_permissions(session, principal=principal)
            if policy.role_may_read(principal, TOESTEMMING)
            else []
        )
        reviews = (
            service.reviews(session, principal=principal)
            if policy.role_may_read(principal, TOESTEMMING)
            else []
        )
        open_complaints = (
            complaints.list_complaints(session, principal=principal)
            if policy.role_may_read(principal, KLACHT)
            else []
        )
    return render(
        ctx,
        "oversight/permissions/oversight.html",
        title=ctx._("Oversight"),
        markings=[*(i.marking for i in items), *(c.marking for c in open_complaints)],
        items=items,
        reviews=reviews,
        complaints=open_complaints,
        today=_today(ctx),
        can_audit=principal.has_permission("audit.read"),
        **_choices(),
    )


@pages.get("/toezicht/dashboard")
def dashboard_page(ctx: CtxDep) -> Response:
    principal = ctx.user()
    today = _today(ctx)
    with ctx.db() as session:
        board = dashboard.build(session, principal=principal, on=today)
    chart = dashboard.shares_chart(
        board.shares,
        title=ctx._("Share of requests found unlawful, per service and half year"),
        lang="en" if ctx.locale == "en" else "nl",
    )
    return render(
        ctx,
        "oversight/permissions/dashboard.html",
        title=ctx._("Oversight dashboard"),
        markings=[*(p.marking for p in board.expiring), *(c.marking for c in board.complaints)],
        board=board,
        chart=chart,
        today=today,
        **_choices(),
    )


# --- complaints -------------------------------------------------------------------------------


def _complaints_page(
    ctx: Ctx,
    *,
    status: int = 200,
    errors: dict[str, str] | None = None,
    values: dict[str, Any] | None = None,
) -> Response:
    principal = ctx.user()
    with ctx.db() as session:
        items = complaints.list_complaints(session, principal=principal)
    can_create = not principal.is_external and policy.role_may_write(principal, KLACHT)
    return render(
        ctx,
        "oversight/permissions/complaints.html",
        status_code=status,
        title=ctx._("Complaints"),
        markings=[c.marking for c in items],
        items=items,
        can_create=can_create,
        errors=errors or {},
        values=values
        or {
            "received_on": _today(ctx).isoformat(),
            "level": "DEP_VERTROUWELIJK",
            "owner": _owner(principal),
        },
        today=_today(ctx),
        **_choices(),
    )


@pages.get("/toezicht/klachten")
def complaints_page(ctx: CtxDep) -> Response:
    return _complaints_page(ctx)


@pages.post("/toezicht/klachten")
def complaint_create_page(
    ctx: CtxDep,
    marking_form: MarkingForm,
    subject: Str = "",
    body: Str = "",
    received_on: Str = "",
) -> Response:
    principal = ctx.user()
    values = {"subject": subject, "body": body, "received_on": received_on, **marking_form.values()}
    try:
        data = complaints.ComplaintCreate(
            subject=subject,
            body=body,
            received_on=received_on,
            marking=marking_form.parse(),
        )
    except ValidationError as exc:
        return _complaints_page(ctx, status=422, errors=field_errors(ctx, exc), values=values)
    new_id, error = _attempt(
        ctx, lambda s: complaints.create_complaint(s, principal=principal, data=data)
    )
    if error is not None:
        return _complaints_page(
            ctx, status=422, errors={"form": error.translate(ctx.locale)}, values=values
        )
    return RedirectResponse(f"/toezicht/klachten/{new_id}", status_code=303)


def _complaint(ctx: Ctx, complaint_id: int, *, status: int = 200, error: str = "") -> Response:
    principal = ctx.user()
    with ctx.db() as session:
        view = complaints.get_complaint(session, principal=principal, complaint_id=complaint_id)
    may_decide = rules.may_decide(principal, role=view.decider, kind=KLACHT, marking=view.marking)
    return render(
        ctx,
        "oversight/permissions/complaint.html",
        status_code=status,
        title=f"{view.reference}: {view.subject}",
        markings=[view.marking],
        c=view,
        error=error,
        may_decide=may_decide,
        outcomes=complaints.COMPLAINT_OUTCOMES.get(view.status, ()),
        today=_today(ctx),
        **_choices(),
    )


@pages.get("/toezicht/klachten/{complaint_id}")
def complaint_page(ctx: CtxDep, complaint_id: int) -> Response:
    return _complaint(ctx, complaint_id)


@pages.post("/toezicht/klachten/{complaint_id}/besluit")
def complaint_decide_page(
    ctx: CtxDep, complaint_id: int, outcome: Str = "", note: Str = ""
) -> Response:
    principal = ctx.user()
    _, error = _attempt(
        ctx,
        lambda s: complaints.decide_complaint(
            s,
            principal=principal,
            complaint_id=complaint_id,
            outcome=outcome,
            note=note,
            on=_today(ctx),
        ),
    )
    if error is not None:
        return _complaint(ctx, complaint_id, status=422, error=error.translate(ctx.locale))
    return RedirectResponse(f"/toezicht/klachten/{complaint_id}", status_code=303)
