"""Pages and API of vetting (capacity): the scenarios page with its form, a scenario's
answer with its charts, the progress fragment its page polls while it runs, and the API.

A scenario runs in a worker thread of its own (one per process, in order); its progress
is in the database, so any page can show it.
"""

from __future__ import annotations

import logging
import math
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Annotated, Any

from fastapi import APIRouter, Form
from fastapi.responses import JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from baken.core.errors import DomainError
from baken.core.i18n import N_
from baken.core.principals import Principal
from baken.core.timeutil import utcnow
from baken.vetting.capacity import charts, service
from baken.vetting.capacity.service import CapacityError, ScenarioIn, ScenarioView
from baken.vetting.vocab import label
from baken.web.context import Ctx, CtxDep
from baken.web.render import render

pages = APIRouter(tags=["pages"], include_in_schema=False)
api = APIRouter(prefix="/api/v1/vetting", tags=["vetting"])

Str = Annotated[str, Form(max_length=300)]
log = logging.getLogger(__name__)
_runner_lock = threading.Lock()
STARTED = utcnow()  # scenarios queued before this process started have no worker left
FIELDS = (
    "title",
    "mode",
    "volume",
    "mix_a",
    "mix_b",
    "mix_c",
    "hours_a",
    "hours_b",
    "hours_c",
    "check_a",
    "check_b",
    "check_c",
    "fte",
    "target",
    "term_weeks",
    "hours_per_week",
    "external_share",
    "external_days",
    "seasonality",
    "seed",
    "marking",
)


def _label(group: str, code: str | None, locale: str) -> str:
    return label("capacity", group, code, locale)


# --- the background runner ----------------------------------------------------------------


def _runner(ctx: Ctx) -> ThreadPoolExecutor:
    state = ctx.request.app.state
    with _runner_lock:
        found: ThreadPoolExecutor | None = getattr(state, "capacity_runner", None)
        if found is None:
            with ctx.db() as session:
                service.interrupted(session, before=STARTED)
            found = ThreadPoolExecutor(max_workers=1, thread_name_prefix="baken-capacity")
            state.capacity_runner = found
    return found


def _submit(ctx: Ctx, principal: Principal, scenario_id: int) -> None:
    runner = _runner(ctx)
    factory = ctx.factory

    def work() -> None:
        try:
            service.execute(factory, principal=principal, scenario_id=scenario_id)
        except Exception:
            log.exception("capacity scenario %s failed", scenario_id)

    runner.submit(work)


# --- the form ------------------------------------------------------------------------------


def _number(text: str, what: str, *, whole: bool = False) -> float:
    cleaned = text.strip().replace(" ", "").replace("%", "").replace(",", ".")
    try:
        value = float(cleaned)
    except ValueError:
        raise CapacityError(N_("give a number for {what}"), what=what) from None
    if not math.isfinite(value):
        raise CapacityError(N_("give a number for {what}"), what=what)
    if whole and value != int(value):
        raise CapacityError(N_("give a whole number for {what}"), what=what)
    return value


def parse_form(ctx: Ctx, values: dict[str, str]) -> ScenarioIn:
    """The form's text as a question (percentages become shares where the model wants
    shares); a field that is not a number is refused with its name."""
    _ = ctx._

    def num(name: str, what: str, whole: bool = False) -> float:
        return _number(values.get(name, ""), what, whole=whole)

    mix, hours, checks = _("the mix"), _("hours per screening"), _("days for the record checks")
    mode = values.get("mode", "")
    fte_text = values.get("fte", "").strip()
    fte = int(num("fte", _("FTE"), whole=True)) if fte_text else None
    if mode == "simulate" and fte is None:
        raise CapacityError(N_("the FTE must be a whole number above zero"))
    return ScenarioIn.defaults(
        title=values.get("title", ""),
        mode=mode,
        volume=int(num("volume", _("volume"), whole=True)),
        mix=(num("mix_a", mix + " A"), num("mix_b", mix + " B"), num("mix_c", mix + " C")),
        hours=(
            num("hours_a", hours + " A"),
            num("hours_b", hours + " B"),
            num("hours_c", hours + " C"),
        ),
        check_days=(
            num("check_a", checks + " A"),
            num("check_b", checks + " B"),
            num("check_c", checks + " C"),
        ),
        fte=fte,
        target=num("target", _("target share")) / 100,
        term_weeks=int(num("term_weeks", _("term"), whole=True)),
        hours_per_week=num("hours_per_week", _("hours per week")),
        external_share=num("external_share", _("foreign inquiries")) / 100,
        external_days=num("external_days", _("wait for foreign inquiries")),
        seasonality=num("seasonality", _("seasonal swing")) / 100,
        seed=int(num("seed", _("seed"), whole=True)),
        marking=values.get("marking", ""),
    )


def _form_values(preset: str, rise_percent: float) -> dict[str, str]:
    d = service.ScenarioIn.defaults()
    volume = service.preset_volume(preset, rise_percent / 100)
    title = service.vocab()["presets"][preset]["nl"]
    return {
        "title": title,
        "mode": "find",
        "volume": str(volume),
        "mix_a": f"{d.mix[0]:g}",
        "mix_b": f"{d.mix[1]:g}",
        "mix_c": f"{d.mix[2]:g}",
        "hours_a": f"{d.hours[0]:g}",
        "hours_b": f"{d.hours[1]:g}",
        "hours_c": f"{d.hours[2]:g}",
        "check_a": f"{d.check_days[0]:g}",
        "check_b": f"{d.check_days[1]:g}",
        "check_c": f"{d.check_days[2]:g}",
        "fte": "",
        "target": f"{d.target * 100:g}",
        "term_weeks": str(service.term_weeks()),
        "hours_per_week": f"{d.hours_per_week:g}",
        "external_share": f"{d.external_share * 100:g}",
        "external_days": f"{d.external_days:g}",
        "seasonality": f"{d.seasonality * 100:g}",
        "seed": str(d.seed),
        "marking": "DEP_VERTROUWELIJK",
    }


def _rise(ctx: Ctx) -> float:
    default = float(service.vocab()["rise_2026"]) * 100
    try:
        value = float(ctx.request.query_params.get("stijging", default))
    except ValueError:
        return default
    return min(200.0, max(0.0, value))


def _list_page(
    ctx: Ctx,
    *,
    status: int = 200,
    error: str = "",
    values: dict[str, str] | None = None,
) -> Response:
    principal = ctx.user()
    presets = service.vocab()["presets"]
    preset = ctx.request.query_params.get("voorinstelling", "uvo_2026")
    preset = preset if preset in presets else "uvo_2026"
    rise = _rise(ctx)
    with ctx.db() as session:
        items = service.list_scenarios(session, principal=principal)
    return render(
        ctx,
        "vetting/capacity/list.html",
        status_code=status,
        title=ctx._("Screening capacity"),
        markings=[i.marking for i in items],
        items=items,
        error=error,
        values=values or _form_values(preset, rise),
        presets=presets,
        preset=preset,
        rise=rise,
        volumes={code: service.preset_volume(code, rise / 100) for code in presets},
        can_create=service.may_create(principal),
        label=_label,
    )


@pages.get("/capaciteit")
def list_page(ctx: CtxDep) -> Response:
    return _list_page(ctx)


@pages.post("/capaciteit")
def create_page(
    ctx: CtxDep,
    title: Str = "",
    mode: Str = "",
    volume: Str = "",
    mix_a: Str = "",
    mix_b: Str = "",
    mix_c: Str = "",
    hours_a: Str = "",
    hours_b: Str = "",
    hours_c: Str = "",
    check_a: Str = "",
    check_b: Str = "",
    check_c: Str = "",
    fte: Str = "",
    target: Str = "",
    term_weeks: Str = "",
    hours_per_week: Str = "",
    external_share: Str = "",
    external_days: Str = "",
    seasonality: Str = "",
    seed: Str = "",
    marking: Str = "",
) -> Response:
    principal = ctx.user()
    values = {name: value for name, value in locals().items() if name in FIELDS}
    try:
        question = parse_form(ctx, values)
        scenario_id = service.attempt(
            ctx.factory,
            principal,
            "capacity.create",
            lambda s: service.create(s, principal=principal, data_in=question),
        )
    except DomainError as exc:
        return _list_page(ctx, status=422, error=exc.translate(ctx.locale), values=values)
    _submit(ctx, principal, scenario_id)
    return RedirectResponse(f"/capaciteit/{scenario_id}", status_code=303)


def _percent(value: float) -> str:
    return f"{value * 100:.1f}".replace(".", ",")


@pages.get("/capaciteit/{scenario_id}")
def scenario_page(ctx: CtxDep, scenario_id: int) -> Response:
    principal = ctx.user()
    with ctx.db() as session:
        view = service.get(session, principal=principal, scenario_id=scenario_id)
    done = view.state == "done"
    return render(
        ctx,
        "vetting/capacity/scenario.html",
        title=view.title,
        markings=[view.marking],
        item=view,
        run=view,
        curve_chart=charts.curve_chart(view, ctx.locale) if done else "",
        backlog_chart=charts.backlog_chart(view, ctx.locale) if done and view.result else "",
        percent=_percent,
        label=_label,
    )


@pages.get("/capaciteit/{scenario_id}/voortgang")
def scenario_progress(ctx: CtxDep, scenario_id: int) -> Response:
    """The state of a scenario, polled by its page while it runs."""
    principal = ctx.user()
    with ctx.db() as session:
        view = service.get(session, principal=principal, scenario_id=scenario_id, audited=False)
    response = render(
        ctx,
        "vetting/capacity/progress.html",
        title=view.title,
        markings=[view.marking],
        run=view,
        label=_label,
    )
    if not view.busy and ctx.request.headers.get("HX-Request"):
        response.headers["HX-Refresh"] = "true"  # the page polled a run that just ended
    return response


# --- API -----------------------------------------------------------------------------------


class CapacityRequest(BaseModel):
    """A question to the simulation. Shares are fractions (target 0.9); the mix is in
    percent of levels A, B, C. Omitted fields take the (illustrative) defaults."""

    model_config = ConfigDict(extra="forbid")

    title: str = Field(max_length=200)
    mode: str = Field(default="find", description="simulate | find")
    volume: int
    mix: list[float] = Field(min_length=3, max_length=3)
    hours: list[float] | None = Field(default=None, min_length=3, max_length=3)
    check_days: list[float] | None = Field(default=None, min_length=3, max_length=3)
    fte: int | None = None
    target: float = 0.90
    term_weeks: int | None = None
    hours_per_week: float | None = None
    external_share: float | None = None
    external_days: float | None = None
    seasonality: float | None = None
    seed: int | None = None
    marking: str = "DEP_VERTROUWELIJK"

    def question(self) -> ScenarioIn:
        given = {
            k: v
            for k, v in self.model_dump().items()
            if v is not None and k not in ("mix", "hours", "check_days")
        }
        given["mix"] = (self.mix[0], self.mix[1], self.mix[2])
        if self.hours is not None:
            given["hours"] = (self.hours[0], self.hours[1], self.hours[2])
        if self.check_days is not None:
            given["check_days"] = (self.check_days[0], self.check_days[1], self.check_days[2])
        return ScenarioIn.defaults(**given)


def _public(view: ScenarioView) -> dict[str, Any]:
    return {
        "id": view.id,
        "title": view.title,
        "mode": view.mode,
        "state": view.state,
        "progress": {"done": view.done, "total": view.total, "step": view.step},
        "inputs": view.inputs,
        "results": view.results,
        "answer_fte": view.answer_fte,
        "error": view.error,
        "marking": view.marking.key(),
        "created_by": view.created_by,
        "created_at": view.created_at.isoformat(),
    }


@api.get("/capacity", summary="Capacity scenarios the caller may read")
def api_list(ctx: CtxDep) -> list[dict[str, Any]]:
    principal = ctx.user()
    with ctx.db() as session:
        items = service.list_scenarios(session, principal=principal)
    return [_public(v) for v in items]


@api.post("/capacity", summary="Ask the simulation (runs in the background)", status_code=202)
def api_create(ctx: CtxDep, body: CapacityRequest) -> Response:
    principal = ctx.user()
    question = body.question()
    scenario_id = service.attempt(
        ctx.factory,
        principal,
        "capacity.create",
        lambda s: service.create(s, principal=principal, data_in=question),
    )
    _submit(ctx, principal, scenario_id)
    return JSONResponse(
        {"id": scenario_id, "state": "queued", "url": f"/api/v1/vetting/capacity/{scenario_id}"},
        status_code=202,
    )


@api.get("/capacity/{scenario_id}", summary="A capacity scenario, its progress and answer")
def api_get(ctx: CtxDep, scenario_id: int) -> dict[str, Any]:
    principal = ctx.user()
    with ctx.db() as session:
        view = service.get(session, principal=principal, scenario_id=scenario_id)
    return _public(view)
