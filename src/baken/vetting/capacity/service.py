"""Capacity scenarios: check the inputs, store the question, run the simulation (one
run, or the search for the FTE) with its progress in the database, and read the answers.

Every service takes the principal; scenarios are read through the policy filter in the
query and every read and write is audited. Bad input raises :class:`CapacityError`
before anything is stored.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from baken.core import audit, policy, refusals
from baken.core.db import transaction
from baken.core.errors import DomainError
from baken.core.i18n import N_
from baken.core.marking_store import intern, load, load_one
from baken.core.markings import Level, Marking, Service
from baken.core.models import User
from baken.core.principals import Principal
from baken.core.timeutil import utcnow
from baken.vetting.capacity import sim
from baken.vetting.capacity.models import Scenario
from baken.vetting.vocab import data

T = TypeVar("T")
KIND = "capaciteitsscenario"
MODES = ("simulate", "find")
PROGRESS_SECONDS = 0.5
LIST_LIMIT = 100


class CapacityError(DomainError):
    """A capacity scenario refused for a domain reason (the message says why)."""


def vocab() -> dict[str, Any]:
    return data("capacity")


def limits() -> dict[str, int]:
    return {k: int(v) for k, v in vocab()["limits"].items()}


def term_weeks() -> int:
    """The legal term of the screenings part (Wvo: 8 weeks, configurable there)."""
    return int(data("screenings")["clock"]["term_weeks"])


def marking_for(level: str) -> Marking:
    """Scenarios are the joint screening unit's: unclassified or Dep. Vertrouwelijk."""
    if level not in vocab()["markings"]:
        raise CapacityError(N_("choose a marking: unclassified or Dep. Vertrouwelijk"))
    return Marking.of(Level[level], Service.JOINT)


@dataclass(frozen=True)
class ScenarioIn:
    """A question to the simulation, as typed (fractions, not percentages)."""

    title: str
    mode: str
    volume: int
    mix: tuple[float, float, float]  # percentages of A, B, C
    hours: tuple[float, float, float]
    fte: int | None = None
    target: float = 0.90
    term_weeks: int | None = None  # None: the screenings part's term
    hours_per_week: float = 28.0
    check_days: tuple[float, float, float] = (21.0, 14.0, 7.0)
    external_share: float = 0.10
    external_days: float = 35.0
    seasonality: float = 0.20
    peak_month: int = 6
    warmup_weeks: int = 13
    seed: int = 2026
    marking: str = "DEP_VERTROUWELIJK"

    @classmethod
    def defaults(cls, **changes: Any) -> ScenarioIn:
        d = vocab()["defaults"]
        found: dict[str, Any] = {
            "title": "",
            "mode": "find",
            "volume": 26438,
            "mix": tuple(float(x) for x in d["mix"]),
            "hours": tuple(float(x) for x in d["hours"]),
            "target": float(d["target"]),
            "hours_per_week": float(d["hours_per_week"]),
            "check_days": tuple(float(x) for x in d["check_days"]),
            "external_share": float(d["external_share"]),
            "external_days": float(d["external_days"]),
            "seasonality": float(d["seasonality"]),
            "peak_month": int(d["peak_month"]),
            "warmup_weeks": int(d["warmup_weeks"]),
            "seed": int(d["seed"]),
        }
        found.update(changes)
        return cls(**found)


def _between(value: float, low: float, high: float, *, low_open: bool = False) -> bool:
    if not math.isfinite(value):
        return False
    return (value > low if low_open else value >= low) and value <= high


def check(data_in: ScenarioIn) -> sim.Params:
    """The simulation's parameters, or the first thing wrong with the input."""
    cap = limits()
    if not data_in.title.strip():
        raise CapacityError(N_("give the scenario a title"))
    if len(data_in.title) > 200:
        raise CapacityError(N_("the title may be at most 200 characters"))
    if data_in.mode not in MODES:
        raise CapacityError(N_("choose one simulation or the search for the FTE"))
    if data_in.volume <= 0:
        raise CapacityError(N_("the volume must be a whole number of screenings above zero"))
    if data_in.volume > cap["volume"]:
        raise CapacityError(
            N_("the volume may be at most {max} screenings a year"), max=cap["volume"]
        )
    if len(data_in.mix) != 3 or any(not _between(m, 0, 100) for m in data_in.mix):
        raise CapacityError(N_("each share of the mix lies between 0% and 100%"))
    total = sum(data_in.mix)
    if abs(total - 100) > 1e-6:
        raise CapacityError(
            N_("the mix of levels A, B and C must add up to 100% (it adds up to {total}%)"),
            total=f"{total:g}",
        )
    if any(not _between(h, 0, cap["hours"], low_open=True) for h in data_in.hours):
        raise CapacityError(
            N_("the hours per screening must be above 0 and at most {max}"), max=cap["hours"]
        )
    fte = data_in.fte
    if (data_in.mode == "simulate" and fte is None) or (fte is not None and fte <= 0):
        raise CapacityError(N_("the FTE must be a whole number above zero"))
    if fte is not None and fte > cap["fte"]:
        raise CapacityError(N_("the FTE may be at most {max}"), max=cap["fte"])
    if not _between(data_in.target, 0, 1, low_open=True):
        raise CapacityError(N_("the target share must lie above 0% and at most 100%"))
    term = term_weeks() if data_in.term_weeks is None else data_in.term_weeks
    if not 1 <= term <= cap["term_weeks"]:
        raise CapacityError(N_("the term must be 1 to {max} weeks"), max=cap["term_weeks"])
    if not _between(data_in.hours_per_week, 0, cap["hours_per_week"], low_open=True):
        raise CapacityError(
            N_("the productive hours per FTE must be above 0 and at most {max} a week"),
            max=cap["hours_per_week"],
        )
    if len(data_in.check_days) != 3 or any(
        not _between(c, 0, cap["check_days"]) for c in data_in.check_days
    ):
        raise CapacityError(
            N_("the days until the record checks are back lie between 0 and {max}"),
            max=cap["check_days"],
        )
    if not _between(data_in.external_share, 0, 1):
        raise CapacityError(N_("the share waiting for a foreign inquiry lies between 0% and 100%"))
    if not _between(data_in.external_days, 0, cap["external_days"]):
        raise CapacityError(
            N_("the wait for a foreign inquiry lies between 0 and {max} days"),
            max=cap["external_days"],
        )
    if not _between(data_in.seasonality, 0, 0.9):
        raise CapacityError(N_("the seasonal swing lies between 0% and 90%"))
    if not 1 <= data_in.peak_month <= 12:
        raise CapacityError(N_("the busiest month is a month from 1 to 12"))
    if not 0 <= data_in.warmup_weeks <= cap["warmup_weeks"]:
        raise CapacityError(
            N_("the run-in lies between 0 and {max} weeks"), max=cap["warmup_weeks"]
        )
    if not 0 <= data_in.seed <= cap["seed"]:
        raise CapacityError(N_("the seed is a whole number from 0 to {max}"), max=cap["seed"])
    marking_for(data_in.marking)
    return sim.Params(
        volume=data_in.volume,
        mix=(data_in.mix[0] / 100, data_in.mix[1] / 100, data_in.mix[2] / 100),
        hours=data_in.hours,
        fte=data_in.fte or 1,
        hours_per_week=data_in.hours_per_week,
        check_days=data_in.check_days,
        term_weeks=term,
        external_share=data_in.external_share,
        external_days=data_in.external_days,
        seasonality=data_in.seasonality,
        peak_month=data_in.peak_month,
        warmup_weeks=data_in.warmup_weeks,
        seed=data_in.seed,
    )


# --- reading ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ScenarioView:
    id: int
    title: str
    mode: str
    inputs: dict[str, Any]
    results: dict[str, Any]
    state: str
    done: int
    total: int
    step: str
    error: str
    marking: Marking
    created_by: str
    created_at: datetime
    finished_at: datetime | None

    @property
    def busy(self) -> bool:
        return self.state in ("queued", "running")

    @property
    def params(self) -> dict[str, Any]:
        return dict(self.inputs.get("params", {}))

    @property
    def answer_fte(self) -> int | None:
        if self.mode == "find":
            fte = self.results.get("fte")
            return int(fte) if fte is not None else None
        fte = self.params.get("fte")
        return int(fte) if fte is not None else None

    @property
    def result(self) -> dict[str, Any] | None:
        found = self.results.get("result")
        return dict(found) if found else None


def _views(session: Session, rows: list[Scenario]) -> list[ScenarioView]:
    markings = load(session, {r.marking_id for r in rows})
    users = dict(
        session.execute(
            select(User.id, User.username).where(User.id.in_({r.created_by for r in rows}))
        ).all()
    )
    return [
        ScenarioView(
            id=r.id,
            title=r.title,
            mode=r.mode,
            inputs=dict(r.inputs or {}),
            results=dict(r.results or {}),
            state=r.state,
            done=r.done,
            total=r.total,
            step=r.step,
            error=r.error,
            marking=markings[r.marking_id],
            created_by=users.get(r.created_by, "?"),
            created_at=r.created_at,
            finished_at=r.finished_at,
        )
        for r in rows
    ]


def _row(session: Session, principal: Principal, scenario_id: int) -> Scenario:
    row = session.scalar(
        select(Scenario).where(
            Scenario.id == scenario_id,
            policy.read_filter(principal, KIND, Scenario.marking_id),
        )
    )
    if row is None:
        raise LookupError(scenario_id)
    return row


def get(
    session: Session, *, principal: Principal, scenario_id: int, audited: bool = True
) -> ScenarioView:
    """A scenario the principal may read (``LookupError`` otherwise, as for none)."""
    row = _row(session, principal, scenario_id)
    view = _views(session, [row])[0]
    if audited:
        audit.record(
            session,
            principal=principal,
            action="capacity.read",
            kind=KIND,
            object_id=row.id,
            marking=view.marking,
        )
    return view


def list_scenarios(session: Session, *, principal: Principal) -> list[ScenarioView]:
    """The newest scenarios the principal may read."""
    rows = list(
        session.scalars(
            select(Scenario)
            .where(policy.read_filter(principal, KIND, Scenario.marking_id))
            .order_by(Scenario.created_at.desc(), Scenario.id.desc())
            .limit(LIST_LIMIT)
        )
    )
    if rows:
        audit.record(
            session,
            principal=principal,
            action="capacity.list",
            kind=KIND,
            details={"ids": [r.id for r in rows]},
        )
    return _views(session, rows)


# --- writing ---------------------------------------------------------------------------


def may_create(principal: Principal) -> bool:
    return policy.can_write(principal, KIND, marking_for("ONGERUBRICEERD"))


def create(session: Session, *, principal: Principal, data_in: ScenarioIn) -> int:
    """Store the question (state ``queued``); :func:`execute` answers it."""
    params = check(data_in)
    marking = marking_for(data_in.marking)
    policy.require_write(principal, KIND, marking)
    inputs: dict[str, Any] = {
        "params": params.as_dict(),
        "mix_percent": list(data_in.mix),
        "target": data_in.target,
    }
    if data_in.mode == "find":
        inputs["params"].pop("fte")
    row = Scenario(
        title=data_in.title.strip(),
        mode=data_in.mode,
        inputs=inputs,
        results={},
        state="queued",
        done=0,
        total=0,
        step="",
        error="",
        marking_id=intern(session, marking),
        created_by=principal.id,
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        principal=principal,
        action="capacity.create",
        kind=KIND,
        object_id=row.id,
        marking=marking,
        details={"mode": data_in.mode, "volume": data_in.volume},
    )
    return int(row.id)


def attempt(
    factory: sessionmaker[Session],
    principal: Principal,
    action: str,
    work: Callable[[Session], T],
    *,
    object_id: object | None = None,
) -> T:
    """Run ``work`` in one unit of work; a refusal is rolled back, then audited."""
    return refusals.attempt(factory, principal, action, KIND, work, object_id=object_id)


def interrupted(session: Session, before: datetime) -> int:
    """Scenarios left queued or running by a process that ended: failed, to ask again."""
    stale = list(
        session.scalars(
            select(Scenario).where(
                Scenario.state.in_(("queued", "running")), Scenario.created_at < before
            )
        )
    )
    for row in stale:
        row.state, row.error, row.finished_at = "failed", "interrupted; ask again", utcnow()
    return len(stale)


def _params(inputs: dict[str, Any], fte: int = 1) -> sim.Params:
    p = dict(inputs["params"])
    p.setdefault("fte", fte)
    p["mix"], p["hours"] = tuple(p["mix"]), tuple(p["hours"])
    p["check_days"] = tuple(p["check_days"])
    return sim.Params(**p)


def execute(
    factory: sessionmaker[Session],
    *,
    principal: Principal,
    scenario_id: int,
    on_progress: Callable[[int, int, str], None] | None = None,
) -> None:
    """Answer a queued scenario: progress (simulated weeks) goes to the database at most
    every half second; the results and the audit entry are stored at the end."""
    with transaction(factory) as session:
        row = _row(session, principal, scenario_id)
        if row.state != "queued":
            raise CapacityError(N_("the scenario is not waiting to run"))
        policy.require_write(principal, KIND, load_one(session, row.marking_id))
        row.state = "running"
        mode, inputs = row.mode, dict(row.inputs)
    params = _params(inputs)
    weeks = params.warmup_weeks + sim.WEEKS_SHOWN - 1
    last = [0.0]

    def progress(done: int, total: int, step: str, force: bool = False) -> None:
        if on_progress is not None:
            on_progress(done, total, step)
        now = time.monotonic()
        if not force and now - last[0] < PROGRESS_SECONDS:
            return
        last[0] = now
        with transaction(factory) as s:
            found = s.get(Scenario, scenario_id)
            if found is not None:
                found.done, found.total, found.step = done, total, step[:200]

    try:
        results: dict[str, Any]
        if mode == "simulate":
            result = sim.simulate(
                params, on_progress=lambda w, n: progress(w, n, f"FTE {params.fte}")
            )
            results = {
                "result": result.as_dict(),
                "curve": [[params.fte, result.share_within_term, result.utilisation]],
            }
        else:
            runs: list[int] = [0, 1]
            year = sim.draw_year(params)

            def heard(done: int, estimate: int, fte: int) -> None:
                runs[0], runs[1] = done, max(estimate, done + 1)
                progress(done * weeks, runs[1] * weeks, f"{done + 1} / ~{runs[1]}: FTE {fte}", True)

            search = sim.find_fte(
                params,
                target=float(inputs["target"]),
                max_fte=limits()["fte"],
                on_progress=heard,
                year=year,
                on_week=lambda w, n: progress(
                    runs[0] * weeks + w, runs[1] * weeks, f"{runs[0] + 1} / ~{runs[1]}"
                ),
            )
            results = search.as_dict()
        with transaction(factory) as session:
            found = session.get(Scenario, scenario_id)
            assert found is not None
            found.results = results
            found.state, found.finished_at = "done", utcnow()
            found.done = found.total = max(found.total, 1)
            audit.record(
                session,
                principal=principal,
                action="capacity.run",
                kind=KIND,
                object_id=scenario_id,
                marking=load_one(session, found.marking_id),
                details={"mode": mode, "fte": results.get("fte")},
            )
    except Exception as exc:
        message = (
            exc.translate("en") if isinstance(exc, DomainError) else str(exc) or type(exc).__name__
        )
        with transaction(factory) as session:
            failed = session.get(Scenario, scenario_id)
            if failed is not None:
                failed.state, failed.error, failed.finished_at = "failed", message, utcnow()
        raise


def run_now(
    factory: sessionmaker[Session],
    *,
    principal: Principal,
    data_in: ScenarioIn,
    on_progress: Callable[[int, int, str], None] | None = None,
) -> int:
    """Store and answer a scenario at once (the CLI's way)."""
    scenario_id = attempt(
        factory,
        principal,
        "capacity.create",
        lambda s: create(s, principal=principal, data_in=data_in),
    )
    execute(factory, principal=principal, scenario_id=scenario_id, on_progress=on_progress)
    return scenario_id


def preset_volume(code: str, rise: float) -> int:
    """The volume of a seeded scenario, with the 2026 rise where it applies."""
    preset = vocab()["presets"][code]
    volume = int(preset["volume"])
    return round(volume * (1 + rise)) if preset.get("rise") else volume
