"""Steering pages and API: parse, call one service, render."""

from __future__ import annotations

import csv
import io
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query
from fastapi.responses import JSONResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from baken.core import policy, sanitise
from baken.core.markings import Level, Service, organisation_codes
from baken.core.principals import Principal
from baken.plugins import registry
from baken.steering import charts, vocab
from baken.steering.schemas import (
    AssignmentCreate,
    CapacityIn,
    Establish,
    GaUpdateCreate,
    GaVersionCreate,
    JaarplanCreate,
    PlanTextCreate,
    ProgressEntryCreate,
    RequirementCreate,
    SolveRequest,
)
from baken.steering.service import ga, letter, plans, progress, solve, texts
from baken.web.context import Ctx, CtxDep
from baken.web.forms import MarkingForm, field_errors
from baken.web.render import render

pages = APIRouter(tags=["pages"], include_in_schema=False)
api = APIRouter(prefix="/api/v1/steering", tags=["steering"])

Str = Annotated[str, Form(max_length=8000)]
Codes = Annotated[list[str] | None, Form()]


def _choices() -> dict[str, Any]:
    return {
        "levels": list(Level),
        "services": list(Service),
        "organisations": sorted(organisation_codes()),
        "vocab": vocab,
    }


def _errors(ctx: Ctx, exc: Exception) -> dict[str, str]:
    if isinstance(exc, ValidationError):
        return field_errors(ctx, exc)
    return {"form": ctx._(str(exc))}


# --- overview and GA I&V -----------------------------------------------------------------


@pages.get("/sturing")
def overview(ctx: CtxDep) -> Response:
    return _overview_page(ctx)


def _material(session: Session, principal: Principal) -> dict[str, dict[str, int]]:
    """Analysis' "material" coverage: confirmed tagged items per requirement and theme
    that the viewer may read (policy-filtered by the tagging service, through a hook)."""
    found: dict[str, dict[str, int]] = {"requirements": {}, "themes": {}}
    for part in registry().hook.baken_requirement_coverage(session=session, principal=principal):
        for group, counts in part.items():
            for key, n in counts.items():
                found[group][key] = found[group].get(key, 0) + n
    return found


def _ga_page(
    ctx: Ctx,
    version_id: int,
    *,
    status: int = 200,
    errors: dict[str, str] | None = None,
    values: dict[str, Any] | None = None,
) -> Response:
    principal = ctx.user()
    theme = ctx.request.query_params.get("thema")
    with ctx.db() as session:
        version, items, diff = ga.get_version(session, principal=principal, version_id=version_id)
        material = _material(session, principal)
    shown = [i for i in items if not theme or i.theme == theme]
    return render(
        ctx,
        "steering/ga.html",
        status_code=status,
        title=version.label,
        markings=[version.marking, *(i.marking for i in items)],
        version=version,
        items=shown,
        diff=diff,
        theme=theme or "",
        errors=errors or {},
        values=values or {},
        can_write=policy.can_write(principal, ga.KIND, version.marking),
        material=material,
        **_choices(),
    )


def _pairs(text: str) -> dict[str, str]:
    """ "analyse=0.6, cyber=0.4" as a mapping; malformed parts are left for validation."""
    out: dict[str, str] = {}
    for part in text.replace(";", ",").split(","):
        if part.strip():
            key, _, value = part.partition("=")
            out[key.strip()] = value.strip()
    return out


def _overview_page(
    ctx: Ctx,
    *,
    status: int = 200,
    errors: dict[str, str] | None = None,
    values: dict[str, Any] | None = None,
) -> Response:
    principal = ctx.user()
    with ctx.db() as session:
        versions = ga.list_versions(session, principal=principal)
        plan_list = plans.list_plans(session, principal=principal)
    return render(
        ctx,
        "steering/overview.html",
        status_code=status,
        title=ctx._("Steering"),
        markings=[v.marking for v in versions] + [p.marking for p in plan_list],
        versions=versions,
        plans=plan_list,
        errors=errors or {},
        values=values or {},
        can_plan=policy.role_may_write(principal, plans.KIND),
        **_choices(),
    )


@pages.post("/sturing/ga")
def ga_create(
    ctx: CtxDep,
    marking_form: MarkingForm,
    label: Str = "",
    period_start: Str = "",
    period_end: Str = "",
) -> Response:
    principal = ctx.user()
    fields = {"label": label, "period_start": period_start, "period_end": period_end}
    values = {**fields, **marking_form.values()}
    try:
        data = GaVersionCreate.model_validate({**fields, "marking": marking_form.parse()})
        with ctx.db() as session:
            version_id = ga.create_version(session, principal=principal, data=data)
    except (ValidationError, ga.SteeringError) as exc:
        return _overview_page(ctx, status=422, errors=_errors(ctx, exc), values=values)
    return RedirectResponse(f"/sturing/ga/{version_id}", status_code=303)


@pages.post("/sturing/jaarplannen")
def plan_create(
    ctx: CtxDep,
    marking_form: MarkingForm,
    service: Str = "",
    year: Str = "",
    ga_version_id: Str = "",
    title: Str = "",
    budget_meur: Str = "",
) -> Response:
    principal = ctx.user()
    fields = {
        "service": service,
        "year": year,
        "ga_version_id": ga_version_id,
        "title": title,
        "budget_meur": budget_meur,
    }
    values = {**fields, **marking_form.values()}
    try:
        data = JaarplanCreate.model_validate({**fields, "marking": marking_form.parse()})
        with ctx.db() as session:
            plan_id = plans.create_plan(session, principal=principal, data=data)
    except (ValidationError, ga.SteeringError) as exc:
        return _overview_page(ctx, status=422, errors=_errors(ctx, exc), values=values)
    return RedirectResponse(f"/sturing/jaarplan/{plan_id}", status_code=303)


@pages.get("/sturing/ga/{version_id}")
def ga_detail(ctx: CtxDep, version_id: int) -> Response:
    return _ga_page(ctx, version_id)


@pages.post("/sturing/ga/{version_id}/actualisatie")
def ga_update(ctx: CtxDep, version_id: int, update_year: Annotated[str, Form()] = "") -> Response:
    principal = ctx.user()
    try:
        data = GaUpdateCreate.model_validate({"update_year": update_year})
        with ctx.db() as session:
            new_id = ga.create_update(
                session, principal=principal, version_id=version_id, data=data
            )
    except (ValidationError, ga.SteeringError) as exc:
        return _ga_page(ctx, version_id, status=422, errors=_errors(ctx, exc))
    return RedirectResponse(f"/sturing/ga/{new_id}", status_code=303)


@pages.post("/sturing/ga/{version_id}/vaststellen")
def ga_establish(
    ctx: CtxDep, version_id: int, staatscourant_ref: Annotated[str, Form(max_length=100)] = ""
) -> Response:
    principal = ctx.user()
    try:
        data = Establish(staatscourant_ref=staatscourant_ref)
        with ctx.db() as session:
            ga.establish(session, principal=principal, version_id=version_id, data=data)
    except (ValidationError, ga.SteeringError) as exc:
        return _ga_page(
            ctx,
            version_id,
            status=422,
            errors=_errors(ctx, exc),
            values={"staatscourant_ref": staatscourant_ref},
        )
    return RedirectResponse(f"/sturing/ga/{version_id}", status_code=303)


@pages.post("/sturing/ga/{version_id}/behoeften")
def ga_add_requirement(
    ctx: CtxDep,
    marking_form: MarkingForm,
    version_id: int,
    ref: Str = "",
    question: Str = "",
    theme: Str = "",
    ministry: Str = "",
    priority: Str = "",
    service: Str = "",
    task: Str = "",
) -> Response:
    principal = ctx.user()
    values = {
        "ref": ref,
        "question": question,
        "theme": theme,
        "ministry": ministry,
        "priority": priority,
        "service": service,
        "task": task,
        **marking_form.values(),
    }
    try:
        data = RequirementCreate.model_validate(
            {
                **{
                    k: values[k]
                    for k in ("ref", "question", "theme", "ministry", "priority", "service", "task")
                },
                "marking": marking_form.parse(),
            }
        )
        with ctx.db() as session:
            ga.add_requirement(session, principal=principal, version_id=version_id, data=data)
    except (ValidationError, ga.SteeringError) as exc:
        return _ga_page(ctx, version_id, status=422, errors=_errors(ctx, exc), values=values)
    return RedirectResponse(f"/sturing/ga/{version_id}#behoeften", status_code=303)


@pages.post("/sturing/behoeften/{requirement_id}/verwijderen")
def ga_remove_requirement(
    ctx: CtxDep, requirement_id: int, version_id: Annotated[int, Form()]
) -> Response:
    principal = ctx.user()
    try:
        with ctx.db() as session:
            ga.remove_requirement(session, principal=principal, requirement_id=requirement_id)
    except ga.SteeringError as exc:
        return _ga_page(ctx, version_id, status=422, errors=_errors(ctx, exc))
    return RedirectResponse(f"/sturing/ga/{version_id}", status_code=303)


# --- jaarplan and solving ------------------------------------------------------------------


def _plan_page(
    ctx: Ctx,
    plan_id: int,
    *,
    status: int = 200,
    errors: dict[str, str] | None = None,
    reasons: list[Any] | None = None,
    form: dict[str, Any] | None = None,
) -> Response:
    principal = ctx.user()
    with ctx.db() as session:
        plan = plans.get_plan(session, principal=principal, jaarplan_id=plan_id)
        versions = solve.list_versions(session, principal=principal, jaarplan_id=plan_id)
    latest = versions[0] if versions else None
    return render(
        ctx,
        "steering/plan.html",
        status_code=status,
        title=plan.title,
        markings=[
            plan.marking,
            *(a.marking for a in plan.assignments),
            *(v.marking for v in versions),
        ],
        plan=plan,
        versions=versions,
        latest=latest,
        errors=errors or {},
        reasons=reasons or [],
        form=form or {},
        vocab=vocab,
        can_write=policy.can_write(principal, plans.KIND, plan.marking),
        skills=sorted({c.skill for c in plan.capacity}),
        capacity_chart=charts.capacity(plan, latest, ctx.locale) if latest else "",
    )


@pages.get("/sturing/jaarplan/{plan_id}")
def plan_detail(ctx: CtxDep, plan_id: int) -> Response:
    return _plan_page(ctx, plan_id)


@pages.post("/sturing/jaarplan/{plan_id}/opdrachten")
def plan_add_assignment(
    ctx: CtxDep,
    marking_form: MarkingForm,
    plan_id: int,
    code: Str = "",
    title: Str = "",
    description: Str = "",
    theme: Str = "",
    min_fte: Str = "",
    max_fte: Str = "",
    skill_mix: Str = "",
    cost_meur_per_fte: Str = "",
    mandatory: Str = "",
    joint_with: Str = "",
    joint_share: Str = "",
    covers: Str = "",
) -> Response:
    principal = ctx.user()
    values = {
        "code": code,
        "title": title,
        "description": description,
        "theme": theme,
        "min_fte": min_fte,
        "max_fte": max_fte,
        "skill_mix": skill_mix,
        "cost_meur_per_fte": cost_meur_per_fte,
        "mandatory": mandatory,
        "joint_with": joint_with,
        "joint_share": joint_share,
        "covers": covers,
    }
    try:
        data = AssignmentCreate.model_validate(
            {
                "code": code,
                "title": title,
                "description": description,
                "theme": theme,
                "min_fte": min_fte,
                "max_fte": max_fte,
                "skill_mix": _pairs(skill_mix),
                "cost_meur_per_fte": cost_meur_per_fte,
                "mandatory": bool(mandatory),
                "joint_with": joint_with or None,
                "joint_share": joint_share or 0,
                "covers": _pairs(covers),
                "marking": marking_form.parse(),
            }
        )
        with ctx.db() as session:
            plans.add_assignment(session, principal=principal, jaarplan_id=plan_id, data=data)
    except (ValidationError, ga.SteeringError) as exc:
        return _plan_page(ctx, plan_id, status=422, errors=_errors(ctx, exc), form=values)
    return RedirectResponse(f"/sturing/jaarplan/{plan_id}#opdrachten", status_code=303)


@pages.post("/sturing/jaarplan/{plan_id}/capaciteit")
def plan_capacity(
    ctx: CtxDep, plan_id: int, unit: Str = "", skill: Str = "", fte: Str = ""
) -> Response:
    principal = ctx.user()
    try:
        data = CapacityIn.model_validate({"unit": unit, "skill": skill, "fte": fte})
        with ctx.db() as session:
            plans.set_capacity(session, principal=principal, jaarplan_id=plan_id, data=data)
    except (ValidationError, ga.SteeringError) as exc:
        return _plan_page(
            ctx,
            plan_id,
            status=422,
            errors=_errors(ctx, exc),
            form={"unit": unit, "skill": skill, "fte": fte},
        )
    return RedirectResponse(f"/sturing/jaarplan/{plan_id}#capaciteit", status_code=303)


@pages.post("/sturing/jaarplan/{plan_id}/oplossen")
def plan_solve(
    ctx: CtxDep,
    plan_id: int,
    pins: Codes = None,
    excludes: Codes = None,
    note: Str = "",
    extra_skill: Str = "",
    extra_fte: Str = "",
    extra_budget_meur: Str = "",
) -> Response:
    principal = ctx.user()
    form = {
        "pins": pins or [],
        "excludes": excludes or [],
        "note": note,
        "extra_skill": extra_skill,
        "extra_fte": extra_fte,
        "extra_budget_meur": extra_budget_meur,
    }
    try:
        data = SolveRequest.model_validate(
            {
                "pins": pins or [],
                "excludes": excludes or [],
                "note": note,
                "extra_fte": {extra_skill: extra_fte} if extra_skill and extra_fte else {},
                "extra_budget_meur": extra_budget_meur or 0,
            }
        )
        with ctx.db() as session:
            version_id = solve.solve(session, principal=principal, jaarplan_id=plan_id, data=data)
    except solve.SolveInfeasible as exc:
        return _plan_page(ctx, plan_id, status=422, reasons=list(exc.reasons), form=form)
    except (ValidationError, ga.SteeringError) as exc:
        return _plan_page(ctx, plan_id, status=422, errors=_errors(ctx, exc), form=form)
    return RedirectResponse(f"/sturing/versies/{version_id}", status_code=303)


@pages.get("/sturing/versies/{version_id}")
def version_detail(
    ctx: CtxDep, version_id: int, met: Annotated[int | None, Query(ge=1)] = None
) -> Response:
    principal = ctx.user()
    with ctx.db() as session:
        version = solve.get_version(session, principal=principal, version_id=version_id)
        plan = plans.get_plan(session, principal=principal, jaarplan_id=version.jaarplan_id)
        material = _material(session, principal)
        others = solve.list_versions(session, principal=principal, jaarplan_id=version.jaarplan_id)
        other = solve.get_version(session, principal=principal, version_id=met) if met else None
    diff = solve.compare(other, version) if other else None
    return render(
        ctx,
        "steering/version.html",
        title=ctx._("{plan} — version {number}").format(plan=plan.title, number=version.number),
        markings=[version.marking, plan.marking, *([other.marking] if other else [])],
        version=version,
        plan=plan,
        others=others,
        other=other,
        diff=diff,
        vocab=vocab,
        charts=charts.for_version(version, ctx.locale),
        material=material,
    )


@pages.get("/sturing/versies/{version_id}/export.csv")
def version_csv(ctx: CtxDep, version_id: int) -> Response:
    principal = ctx.user()
    with ctx.db() as session:
        version = solve.get_version(session, principal=principal, version_id=version_id)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow([f"# {version.marking.banner(ctx.locale)}"])
    writer.writerow(["soort", "code", "fte", "kosten_meur", "dekking", "thema", "ministerie"])
    for c in version.result["chosen"]:
        writer.writerow(
            ["opdracht", c["id"], round(c["fte"], 2), round(c["cost_meur"], 3), "", "", ""]
        )
    for r in version.result["requirements"]:
        writer.writerow(
            ["behoefte", r["id"], "", "", round(r["coverage"], 3), r["theme"], r["ministry"]]
        )
    return _csv(out.getvalue(), f"plan-versie-{version.number}.csv")


def _csv(text: str, name: str) -> Response:
    return Response(
        text,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


# --- voortgang ---------------------------------------------------------------------------------


def _progress_page(
    ctx: Ctx, plan_id: int, *, status: int = 200, errors: dict[str, str] | None = None
) -> Response:
    principal = ctx.user()
    with ctx.db() as session:
        plan = plans.get_plan(session, principal=principal, jaarplan_id=plan_id)
        reports = progress.list_reports(session, principal=principal, jaarplan_id=plan_id)
    return render(
        ctx,
        "steering/progress_list.html",
        status_code=status,
        title=ctx._("Progress reports"),
        markings=[plan.marking, *(r.marking for r in reports)],
        plan=plan,
        reports=reports,
        errors=errors or {},
        vocab=vocab,
        periods=range(1, int(vocab.data()["periods_per_year"]) + 1),
        can_write=policy.can_write(principal, progress.KIND, plan.marking),
        chart=charts.progress(reports, ctx.locale),
    )


@pages.get("/sturing/jaarplan/{plan_id}/voortgang")
def progress_list(ctx: CtxDep, plan_id: int) -> Response:
    return _progress_page(ctx, plan_id)


@pages.post("/sturing/jaarplan/{plan_id}/voortgang")
def progress_create(
    ctx: CtxDep, plan_id: int, period: Annotated[int, Form(ge=1, le=12)]
) -> Response:
    principal = ctx.user()
    try:
        with ctx.db() as session:
            report_id = progress.create_report(
                session, principal=principal, jaarplan_id=plan_id, period=period
            )
    except ga.SteeringError as exc:
        return _progress_page(ctx, plan_id, status=422, errors=_errors(ctx, exc))
    return RedirectResponse(f"/sturing/voortgang/{report_id}", status_code=303)


def _report_page(
    ctx: Ctx,
    report_id: int,
    *,
    status: int = 200,
    errors: dict[str, str] | None = None,
    values: dict[str, Any] | None = None,
) -> Response:
    principal = ctx.user()
    with ctx.db() as session:
        report = progress.get_report(session, principal=principal, report_id=report_id)
        plan = plans.get_plan(session, principal=principal, jaarplan_id=report.jaarplan_id)
    return render(
        ctx,
        "steering/progress.html",
        status_code=status,
        title=ctx._("Progress report"),
        markings=[report.marking, *(e.marking for e in report.entries)],
        report=report,
        plan=plan,
        errors=errors or {},
        values=values or {},
        vocab=vocab,
        can_write=report.status == "draft"
        and policy.can_write(principal, progress.KIND, report.marking),
    )


@pages.get("/sturing/voortgang/{report_id}")
def progress_detail(ctx: CtxDep, report_id: int) -> Response:
    return _report_page(ctx, report_id)


@pages.post("/sturing/voortgang/{report_id}/regels")
def progress_entry(
    ctx: CtxDep,
    report_id: int,
    assignment_id: Str = "",
    status: Str = "",
    narrative: Str = "",
    indicator_name: Str = "",
    indicator_value: Str = "",
) -> Response:
    principal = ctx.user()
    values = {
        "assignment_id": assignment_id,
        "status": status,
        "narrative": narrative,
        "indicator_name": indicator_name,
        "indicator_value": indicator_value,
    }
    try:
        data = ProgressEntryCreate.model_validate(
            {
                "assignment_id": assignment_id,
                "status": status,
                "narrative": narrative,
                "indicators": {indicator_name: indicator_value} if indicator_name else {},
            }
        )
        with ctx.db() as session:
            progress.record_entry(session, principal=principal, report_id=report_id, data=data)
    except (ValidationError, ga.SteeringError) as exc:
        return _report_page(ctx, report_id, status=422, errors=_errors(ctx, exc), values=values)
    return RedirectResponse(f"/sturing/voortgang/{report_id}", status_code=303)


@pages.post("/sturing/voortgang/{report_id}/versturen")
def progress_send(ctx: CtxDep, report_id: int) -> Response:
    principal = ctx.user()
    try:
        with ctx.db() as session:
            progress.send_report(session, principal=principal, report_id=report_id)
    except ga.SteeringError as exc:
        return _report_page(ctx, report_id, status=422, errors=_errors(ctx, exc))
    return RedirectResponse(f"/sturing/voortgang/{report_id}", status_code=303)


@pages.get("/sturing/voortgang/{report_id}/export.csv")
def progress_csv(ctx: CtxDep, report_id: int) -> Response:
    principal = ctx.user()
    with ctx.db() as session:
        report = progress.get_report(session, principal=principal, report_id=report_id)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow([f"# {report.marking.banner(ctx.locale)}"])
    writer.writerow(["periode", "opdracht", "thema", "status", "toelichting", "indicatoren"])
    for e in report.entries:
        writer.writerow(
            [
                report.period,
                e.assignment_code,
                e.theme,
                e.status,
                e.narrative,
                "; ".join(f"{k}={v:g}" for k, v in e.indicators.items()),
            ]
        )
    return _csv(out.getvalue(), f"voortgang-periode-{report.period}.csv")


# --- texts and the public letter ---------------------------------------------------------------


def _texts_page(
    ctx: Ctx,
    plan_id: int,
    *,
    status: int = 200,
    errors: dict[str, str] | None = None,
    values: dict[str, Any] | None = None,
) -> Response:
    principal = ctx.user()
    with ctx.db() as session:
        plan = plans.get_plan(session, principal=principal, jaarplan_id=plan_id)
        items = texts.list_texts(session, principal=principal, jaarplan_id=plan_id)
    return render(
        ctx,
        "steering/texts.html",
        status_code=status,
        title=ctx._("Plan texts"),
        markings=[plan.marking, *(t.marking for t in items)],
        plan=plan,
        items=items,
        errors=errors or {},
        values=values or {},
        can_write=policy.role_may_write(principal, texts.KIND),
        can_sanitise=principal.has_permission("sanitise.request"),
        **_choices(),
    )


@pages.get("/sturing/jaarplan/{plan_id}/teksten")
def texts_list(ctx: CtxDep, plan_id: int) -> Response:
    return _texts_page(ctx, plan_id)


@pages.post("/sturing/jaarplan/{plan_id}/teksten")
def texts_create(
    ctx: CtxDep,
    marking_form: MarkingForm,
    plan_id: int,
    section: Str = "",
    heading: Str = "",
    body: Str = "",
) -> Response:
    principal = ctx.user()
    values = {
        "section": section,
        "heading": heading,
        "body": body,
        **marking_form.values(),
    }
    try:
        data = PlanTextCreate.model_validate(
            {
                "section": section,
                "heading": heading,
                "body": body,
                "marking": marking_form.parse(),
            }
        )
        with ctx.db() as session:
            texts.create_text(session, principal=principal, jaarplan_id=plan_id, data=data)
    except (ValidationError, ga.SteeringError) as exc:
        return _texts_page(ctx, plan_id, status=422, errors=_errors(ctx, exc), values=values)
    return RedirectResponse(f"/sturing/jaarplan/{plan_id}/teksten", status_code=303)


def _sanitise_page(
    ctx: Ctx,
    text_id: int,
    *,
    status: int = 200,
    errors: dict[str, str] | None = None,
    values: dict[str, Any] | None = None,
) -> Response:
    principal = ctx.user()
    with ctx.db() as session:
        item = texts.get_text(session, principal=principal, text_id=text_id)
    return render(
        ctx,
        "steering/sanitise.html",
        status_code=status,
        title=ctx._("Request a public version"),
        markings=[item.marking],
        item=item,
        errors=errors or {},
        values=values
        or {
            "heading": item.heading,
            "body": item.body,
            "level": "ONGERUBRICEERD",
            "owner": item.marking.owner.value,
        },
        **_choices(),
    )


@pages.get("/sturing/teksten/{text_id}")
def text_detail(ctx: CtxDep, text_id: int) -> Response:
    principal = ctx.user()
    with ctx.db() as session:
        item = texts.get_text(session, principal=principal, text_id=text_id)
    return render(
        ctx,
        "steering/text.html",
        title=item.heading,
        markings=[item.marking],
        item=item,
        vocab=vocab,
        can_sanitise=principal.has_permission("sanitise.request") and not item.public,
    )


@pages.get("/sturing/teksten/{text_id}/saneren")
def text_sanitise_form(ctx: CtxDep, text_id: int) -> Response:
    return _sanitise_page(ctx, text_id)


@pages.post("/sturing/teksten/{text_id}/saneren")
def text_sanitise(
    ctx: CtxDep,
    marking_form: MarkingForm,
    text_id: int,
    heading: Str = "",
    body: Str = "",
    reason: Str = "",
) -> Response:
    principal = ctx.user()
    values = {
        "heading": heading,
        "body": body,
        "reason": reason,
        **marking_form.values(),
    }
    try:
        marking = marking_form.parse().to_marking()
        with ctx.db() as session:
            texts.get_text(session, principal=principal, text_id=text_id)
            request_id = sanitise.request(
                session,
                principal=principal,
                kind=texts.KIND,
                source_id=text_id,
                marking=marking,
                fields={"heading": heading, "body": body},
                reason=reason,
            )
    except (ValidationError, sanitise.SanitisationError) as exc:
        return _sanitise_page(ctx, text_id, status=422, errors=_errors(ctx, exc), values=values)
    return RedirectResponse(f"/saneringen/{request_id}", status_code=303)


@pages.get("/sturing/jaarplan/{plan_id}/jaarplanbrief")
def letter_html(
    ctx: CtxDep,
    plan_id: int,
    soort: Annotated[str, Query(pattern="^(brief|jaarverslag)$")] = "brief",
) -> Response:
    principal = ctx.user()
    kind = "letter" if soort == "brief" else "chapter"
    try:
        with ctx.db() as session:
            plan = plans.get_plan(session, principal=principal, jaarplan_id=plan_id)
            fragment = letter.html(session, principal=principal, jaarplan_id=plan_id, kind=kind)
    except letter.NothingPublic:
        fragment = None
    return render(
        ctx,
        "steering/letter.html",
        title=ctx._("Public annual-plan letter"),
        markings=[plan.marking],  # the page names the (classified) plan
        plan=plan,
        fragment=fragment,
        soort=soort,
    )


@pages.get("/sturing/jaarplan/{plan_id}/jaarplanbrief.pdf")
def letter_pdf(
    ctx: CtxDep,
    plan_id: int,
    soort: Annotated[str, Query(pattern="^(brief|jaarverslag)$")] = "brief",
) -> Response:
    principal = ctx.user()
    kind = "letter" if soort == "brief" else "chapter"
    with ctx.db() as session:
        data = letter.pdf(session, principal=principal, jaarplan_id=plan_id, kind=kind)
    name = "jaarplanbrief" if kind == "letter" else "jaarverslag-hoofdstuk"
    return Response(
        data,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{name}-{plan_id}.pdf"'},
    )


# --- API --------------------------------------------------------------------------------------


@api.get("/ga", summary="GA I&V versions the caller may read")
def api_ga(ctx: CtxDep) -> list[dict[str, Any]]:
    principal = ctx.user()
    with ctx.db() as session:
        items = ga.list_versions(session, principal=principal)
    return [_out(v) for v in items]


@api.get("/ga/{version_id}/requirements", summary="Requirements of a GA version")
def api_requirements(ctx: CtxDep, version_id: int) -> list[dict[str, Any]]:
    principal = ctx.user()
    with ctx.db() as session:
        _, items, _ = ga.get_version(session, principal=principal, version_id=version_id)
    return [_out(i) for i in items]


@api.get("/plans/{plan_id}", summary="A jaarplan with its assignments")
def api_plan(ctx: CtxDep, plan_id: int) -> dict[str, Any]:
    principal = ctx.user()
    with ctx.db() as session:
        plan = plans.get_plan(session, principal=principal, jaarplan_id=plan_id)
    data = _out(plan)
    data["assignments"] = [_out(a) for a in plan.assignments]
    return data


@api.post(
    "/plans/{plan_id}/solve",
    status_code=201,
    response_model=None,
    summary="Solve a new plan version",
)
def api_solve(ctx: CtxDep, plan_id: int, data: SolveRequest) -> Any:
    principal = ctx.user()
    try:
        with ctx.db() as session:
            version_id = solve.solve(session, principal=principal, jaarplan_id=plan_id, data=data)
            version = solve.get_version(session, principal=principal, version_id=version_id)
    except solve.SolveInfeasible as exc:
        return JSONResponse(
            status_code=422,
            media_type="application/problem+json",
            content={
                "type": "about:blank",
                "title": "The plan is infeasible",
                "status": 422,
                "detail": "; ".join(f"{r.code} {r.subject}" for r in exc.reasons),
                "reasons": [solve._plain(r) for r in exc.reasons],
            },
        )
    return _out(version)


@api.get("/versions/{version_id}", summary="A solved plan version")
def api_version(ctx: CtxDep, version_id: int) -> dict[str, Any]:
    principal = ctx.user()
    with ctx.db() as session:
        version = solve.get_version(session, principal=principal, version_id=version_id)
    return _out(version)


def _out(item: Any) -> dict[str, Any]:
    from baken.core.schemas import MarkingOut

    data: dict[str, Any] = item.model_dump(exclude={"marking", "assignments", "entries"})
    data["marking"] = MarkingOut.of(item.marking).model_dump()
    return data
