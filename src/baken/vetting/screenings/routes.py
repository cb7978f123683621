"""Pages and API of vetting (screenings): the officers' worklist, registering a request,
the case with a form for each step, the VGB; the status API.

Routes parse the form and call one service function in one unit of work; a refusal
(:class:`ScreeningsError`) re-renders the page with the message and what was typed, and
is audited by the service's savepoint in the same, committed, transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Form
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from baken.core import policy
from baken.core.errors import DomainError
from baken.vetting import access
from baken.vetting.positions import service as positions
from baken.vetting.screenings import clock, decisions, file, service, views
from baken.vetting.vocab import label
from baken.web.context import Ctx, CtxDep
from baken.web.forms import form_date, form_int
from baken.web.render import render

pages = APIRouter(tags=["pages"], include_in_schema=False)
api = APIRouter(prefix="/api/v1/vetting", tags=["vetting"])

Str = Annotated[str, Form(max_length=8000)]
BASE = "/veiligheidsonderzoeken"


def _label(group: str, code: str | None, locale: str) -> str:
    return label("screenings", group, code, locale)


def _work(ctx: Ctx, work: Callable[[Session], Any]) -> DomainError | None:
    """Run ``work`` in one unit of work that commits even when it is refused for a
    domain reason: the service's savepoint undid the work and audited the refusal."""
    with ctx.db() as session:
        try:
            work(session)
        except DomainError as exc:
            return exc
    return None


# --- the worklist ----------------------------------------------------------------------------


def _queue_args(ctx: Ctx) -> tuple[str, int]:
    # Staff start at their own cases; an employer or the oversight at all it may read.
    principal = ctx.user()
    staff = bool({access.SCREENER, access.MANDATED} & principal.roles)
    default = "mijn" if staff else "alle"
    tab = ctx.request.query_params.get("wachtrij", default)
    if tab not in service.tabs_for(principal):
        tab = default
    return tab, max(1, form_int(ctx.request.query_params.get("pagina", "1")) or 1)


@pages.get(BASE)
def queue_page(ctx: CtxDep) -> Response:
    principal = ctx.user()
    tab, page = _queue_args(ctx)
    today = date.today()
    with ctx.db() as session:
        found = service.queue(session, principal, tab=tab, page=page, today=today)
    return render(
        ctx,
        "vetting/screenings/queue.html",
        title=ctx._("Security screenings"),
        markings=[r.marking for r in found.rows],
        queue=found,
        tabs=service.tabs_for(principal),
        label=_label,
        may_register=access.SCREENER in principal.roles,
    )


@api.get("/screenings", summary="A page of a worklist tab (?wachtrij=, ?pagina=)")
def api_queue(ctx: CtxDep) -> dict[str, Any]:
    principal = ctx.user()
    tab, page = _queue_args(ctx)
    with ctx.db() as session:
        found = service.queue(session, principal, tab=tab, page=page, today=date.today())
    return {
        "tab": found.tab,
        "page": found.page,
        "pages": found.pages,
        "counts": found.counts,
        "count_cap": service.CAP,
        "more": found.more,
        "rows": [_row_json(r) for r in found.rows],
    }


def _row_json(r: service.Row) -> dict[str, Any]:
    return {
        "id": r.id,
        "ref": r.ref,
        "person_name": r.person_name,
        "employer": r.employer,
        "level": r.level,
        "kind": r.kind,
        "status": r.status,
        "handled_by": r.handled_by,
        "received_on": r.received_on.isoformat(),
        "due_on": r.clock.due_on.isoformat(),
        "days_left": r.clock.days_left,
        "overdue": r.clock.overdue,
        "at_risk": r.clock.at_risk,
        "suspended": r.clock.suspended,
        "decided_on": r.decided_on.isoformat() if r.decided_on else None,
        "outcome": r.outcome,
        "marking": r.marking.key(),
    }


@api.get("/screenings/{screening_id}", summary="Status, dates and outcome of a screening")
def api_status(ctx: CtxDep, screening_id: int) -> dict[str, Any]:
    principal = ctx.user()
    with ctx.db() as session:
        found = service.status(session, principal, screening_id=screening_id, today=date.today())
    return _row_json(found)


# --- a new request ---------------------------------------------------------------------------


def _new_page(
    ctx: Ctx, *, status: int = 200, error: str = "", values: dict[str, str] | None = None
) -> Response:
    principal = ctx.user()
    if access.SCREENER not in principal.roles:
        raise policy.PolicyDenied(service.KIND)
    with ctx.db() as session:
        choices = positions.search(session, principal, active_only=True).rows
        options = [(p.id, f"{p.ref} · {p.title} · {p.employer} · {p.level}") for p in choices]
    return render(
        ctx,
        "vetting/screenings/new.html",
        status_code=status,
        title=ctx._("Register a screening request"),
        options=options,
        error=error,
        values=values or {},
        today=date.today(),
    )


@pages.get(f"{BASE}/nieuw")
def new_page(ctx: CtxDep) -> Response:
    return _new_page(ctx)


@pages.post(f"{BASE}/nieuw")
def new_submit(
    ctx: CtxDep,
    position_id: Str = "",
    person_name: Str = "",
    person_birth_date: Str = "",
    person_bsn: Str = "",
    kind: Str = "new",
) -> Response:
    principal = ctx.user()
    values = {
        "position_id": position_id,
        "person_name": person_name,
        "person_birth_date": person_birth_date,
        "person_bsn": person_bsn,
        "kind": kind,
    }
    made: list[int] = []

    def work(session: Session) -> None:
        birth = form_date(person_birth_date)
        made.append(
            service.request(
                session,
                principal,
                position_id=form_int(position_id) or 0,
                person_name=person_name,
                person_birth_date=birth,
                person_bsn=person_bsn,
                kind=kind,
                on=date.today(),
            ).id
        )

    error = _work(ctx, work)
    if error is not None:
        return _new_page(ctx, status=422, error=error.translate(ctx.locale), values=values)
    return RedirectResponse(f"{BASE}/{made[0]}", status_code=303)


# --- the case --------------------------------------------------------------------------------


def _case_page(
    ctx: Ctx,
    screening_id: int,
    *,
    status: int = 200,
    error: str = "",
    values: dict[str, str] | None = None,
) -> Response:
    principal = ctx.user()
    today = date.today()
    with ctx.db() as session:
        case = views.get_case(session, principal, screening_id=screening_id, today=today)
        officers = []
        if case.file is not None and case.can_write:
            row = service.row(session, principal, screening_id)
            officers = [(u.id, u.display_name) for u in service.officer_choices(session, row)]
    markings = [case.row.marking, *([case.vgb.marking] if case.vgb else [])]
    if case.file is not None:
        markings.append(access.file_marking())
    return render(
        ctx,
        "vetting/screenings/case.html",
        status_code=status,
        title=case.row.ref,
        markings=markings,
        case=case,
        officers=officers,
        error=error,
        values=values or {},
        today=today,
        label=_label,
        checklist=file.items(),
        parties=access.mandated_parties(),
        is_uvo=access.SCREENER in principal.roles,
        is_mandated=service.mandated_only(principal),
        extension_weeks=clock.Rules.load().extension_weeks,
    )


@pages.get(BASE + "/{screening_id}")
def case_page(ctx: CtxDep, screening_id: int) -> Response:
    return _case_page(ctx, screening_id)


def _act(
    ctx: Ctx, screening_id: int, values: dict[str, str], work: Callable[[Session], Any]
) -> Response:
    def guarded(session: Session) -> None:
        work(session)

    error = _work(ctx, guarded)
    if error is not None:
        return _case_page(
            ctx, screening_id, status=422, error=error.translate(ctx.locale), values=values
        )
    return RedirectResponse(f"{BASE}/{screening_id}", status_code=303)


@pages.post(BASE + "/{screening_id}/intake")
def act_intake(ctx: CtxDep, screening_id: int, on: Str = "") -> Response:
    p = ctx.user()
    return _act(
        ctx,
        screening_id,
        {"on": on},
        lambda s: service.intake(
            s, p, screening_id=screening_id, on=form_date(on, default=date.today())
        ),
    )


@pages.post(BASE + "/{screening_id}/behandelaars")
def act_officers(
    ctx: CtxDep, screening_id: int, officer: Annotated[list[str] | None, Form()] = None
) -> Response:
    p = ctx.user()
    ids = [form_int(o) or 0 for o in (officer or [])[:50]]
    return _act(
        ctx,
        screening_id,
        {},
        lambda s: service.add_officers(s, p, screening_id=screening_id, officer_ids=ids),
    )


@pages.post(BASE + "/{screening_id}/mandaat")
def act_mandate(ctx: CtxDep, screening_id: int, party: Str = "") -> Response:
    p = ctx.user()
    return _act(
        ctx,
        screening_id,
        {"party": party},
        lambda s: service.mandate(s, p, screening_id=screening_id, party=party),
    )


@pages.post(BASE + "/{screening_id}/controle")
def act_check(
    ctx: CtxDep,
    screening_id: int,
    item: Str = "",
    state: Str = "",
    result: Str = "",
    note: Str = "",
    on: Str = "",
) -> Response:
    p = ctx.user()
    values = {"item": item, "state": state, "result": result, "note": note, "on": on}
    return _act(
        ctx,
        screening_id,
        values,
        lambda s: file.update_check(
            s,
            p,
            screening_id=screening_id,
            item=item,
            state=state,
            result=result or None,
            note=note,
            on=form_date(on, default=date.today()),
        ),
    )


@pages.post(BASE + "/{screening_id}/bestanden")
def act_holdings(ctx: CtxDep, screening_id: int) -> Response:
    """The holdings check: the person screened against AIVD/MIVD holdings through
    resolve's screening, under the officer's own read rule."""
    from baken.holdings.routes import holdings_runtime

    p = ctx.user()
    with ctx.db() as session:
        # Only an officer on the case reaches the index (nothing is screened otherwise).
        screening = service.writable(session, p, screening_id)
        service.require_on_case(session, p, screening)
    rt = holdings_runtime(ctx)
    rt.feeder.try_sync()
    index = rt.feeder.index
    return _act(
        ctx,
        screening_id,
        {},
        lambda s: file.holdings_check(
            s, p, screening_id=screening_id, index=index, on=date.today()
        ),
    )


@pages.post(BASE + "/{screening_id}/partner")
def act_partner(
    ctx: CtxDep, screening_id: int, name: Str = "", birth_date: Str = "", on: Str = ""
) -> Response:
    p = ctx.user()
    values = {"partner_name": name, "partner_birth_date": birth_date}

    def work(s: Session) -> None:
        birth = form_date(birth_date) if birth_date.strip() else None
        file.set_partner(
            s, p, screening_id=screening_id, name=name, birth_date=birth, on=date.today()
        )

    return _act(ctx, screening_id, values, work)


@pages.post(BASE + "/{screening_id}/opschorten")
def act_suspend(ctx: CtxDep, screening_id: int, reason: Str = "", on: Str = "") -> Response:
    p = ctx.user()
    return _act(
        ctx,
        screening_id,
        {"suspend_reason": reason, "suspend_on": on},
        lambda s: decisions.suspend(
            s, p, screening_id=screening_id, reason=reason, on=form_date(on, default=date.today())
        ),
    )


@pages.post(BASE + "/{screening_id}/hervatten")
def act_resume(ctx: CtxDep, screening_id: int, on: Str = "") -> Response:
    p = ctx.user()
    return _act(
        ctx,
        screening_id,
        {"resume_on": on},
        lambda s: decisions.resume(
            s, p, screening_id=screening_id, on=form_date(on, default=date.today())
        ),
    )


@pages.post(BASE + "/{screening_id}/verlengen")
def act_extend(ctx: CtxDep, screening_id: int, reason: Str = "", on: Str = "") -> Response:
    p = ctx.user()
    return _act(
        ctx,
        screening_id,
        {"extend_reason": reason},
        lambda s: decisions.extend(
            s, p, screening_id=screening_id, reason=reason, on=form_date(on, default=date.today())
        ),
    )


@pages.post(BASE + "/{screening_id}/overdracht")
def act_hand_over(ctx: CtxDep, screening_id: int, reason: Str = "", on: Str = "") -> Response:
    p = ctx.user()
    return _act(
        ctx,
        screening_id,
        {"handover_reason": reason},
        lambda s: decisions.hand_over(
            s, p, screening_id=screening_id, reason=reason, on=form_date(on, default=date.today())
        ),
    )


@pages.post(BASE + "/{screening_id}/voornemen")
def act_intend(ctx: CtxDep, screening_id: int, reasons: Str = "", on: Str = "") -> Response:
    p = ctx.user()
    return _act(
        ctx,
        screening_id,
        {"intend_reasons": reasons, "intend_on": on},
        lambda s: decisions.intend_refusal(
            s, p, screening_id=screening_id, reasons=reasons, on=form_date(on, default=date.today())
        ),
    )


@pages.post(BASE + "/{screening_id}/zienswijze")
def act_view(
    ctx: CtxDep, screening_id: int, received: Str = "", text: Str = "", on: Str = ""
) -> Response:
    p = ctx.user()
    return _act(
        ctx,
        screening_id,
        {"view_text": text, "view_on": on},
        lambda s: decisions.record_view(
            s,
            p,
            screening_id=screening_id,
            received=received == "1",
            text=text,
            on=form_date(on, default=date.today()),
        ),
    )


@pages.post(BASE + "/{screening_id}/besluit")
def act_decide(
    ctx: CtxDep, screening_id: int, outcome: Str = "", reasons: Str = "", on: Str = ""
) -> Response:
    p = ctx.user()
    return _act(
        ctx,
        screening_id,
        {"decision_reasons": reasons, "decision_on": on, "outcome": outcome},
        lambda s: decisions.decide(
            s,
            p,
            screening_id=screening_id,
            outcome=outcome,
            reasons=reasons,
            on=form_date(on, default=date.today()),
        ),
    )


@pages.post(BASE + "/{screening_id}/rechtsmiddel")
def act_lodge(
    ctx: CtxDep, screening_id: int, step: Str = "", reasons: Str = "", on: Str = ""
) -> Response:
    p = ctx.user()
    return _act(
        ctx,
        screening_id,
        {"lodge_reasons": reasons, "lodge_on": on, "step": step},
        lambda s: decisions.lodge(
            s,
            p,
            screening_id=screening_id,
            step=step,
            reasons=reasons,
            on=form_date(on, default=date.today()),
        ),
    )


@pages.post(BASE + "/{screening_id}/uitspraak")
def act_rule(
    ctx: CtxDep, screening_id: int, outcome: Str = "", reasons: Str = "", on: Str = ""
) -> Response:
    p = ctx.user()
    return _act(
        ctx,
        screening_id,
        {"ruling_reasons": reasons, "ruling_on": on},
        lambda s: decisions.rule(
            s,
            p,
            screening_id=screening_id,
            outcome=outcome,
            reasons=reasons,
            on=form_date(on, default=date.today()),
        ),
    )


# --- the VGB ---------------------------------------------------------------------------------


def _vgb_page(
    ctx: Ctx,
    vgb_id: int,
    *,
    status: int = 200,
    error: str = "",
    values: dict[str, str] | None = None,
) -> Response:
    principal = ctx.user()
    with ctx.db() as session:
        vgb = views.get_vgb(session, principal, vgb_id=vgb_id)
    return render(
        ctx,
        "vetting/screenings/vgb.html",
        status_code=status,
        title=vgb.ref,
        markings=[vgb.marking],
        vgb=vgb,
        error=error,
        values=values or {},
        today=date.today(),
        label=_label,
        may_withdraw=access.SCREENER in principal.roles
        and policy.can_write(principal, service.KIND, vgb.marking),
    )


@pages.get("/vgb/{vgb_id}")
def vgb_page(ctx: CtxDep, vgb_id: int) -> Response:
    return _vgb_page(ctx, vgb_id)


@pages.post("/vgb/{vgb_id}/intrekken")
def vgb_withdraw(ctx: CtxDep, vgb_id: int, reasons: Str = "", on: Str = "") -> Response:
    p = ctx.user()
    error = _work(
        ctx,
        lambda s: decisions.withdraw(
            s, p, vgb_id=vgb_id, reasons=reasons, on=form_date(on, default=date.today())
        ),
    )
    if error is not None:
        return _vgb_page(
            ctx, vgb_id, status=422, error=error.translate(ctx.locale), values={"reasons": reasons}
        )
    return RedirectResponse(f"/vgb/{vgb_id}", status_code=303)


__all__ = ["api", "pages"]
