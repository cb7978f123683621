"""A discrete-event simulation of the screening queue (SimPy), and the search for the
least FTE that keeps a share of decisions within the legal term.

The model, in calendar days:

* Requests arrive as a Poisson process over one year (``volume`` a year), optionally with
  a seasonal swing (a peak month), after a run-in at the same volume that is not counted
  (so the year does not start with an empty queue); each is level A, B or C by the mix.
* The record checks (holdings, municipal, police and justice records; at A the
  interviews planned) take a fixed number of days per level before an officer can
  start; that time counts against the term.
* Screening officers are one :class:`simpy.Resource` with one place per FTE. A case
  holds an officer for its work (hours per level, turned into days at the FTE's weekly
  hours spread over seven days), first the intake and investigation, then, after any
  wait, the decision.
* A share of the cases waits for an external check (a foreign partner's inquiry) between
  the two. The clock is suspended meanwhile (opschorting): the wait does not count
  against the term, but it does count in the throughput time.
* A decision is within the term when the time counted (throughput minus suspension) is at
  most ``term_weeks`` weeks. The search for the FTE also asks that the year's work fits
  in the officers' time (:func:`meets`): a backlog that grows would miss the next year.

Every random draw of a case is made from the seed before the run, independent of the
FTE, so that runs at different FTE see the same year (common random numbers): more FTE
then does not lower the share, and :func:`find_fte` can bisect.

The run goes on until every request of the year is decided (the backlog drains after
the year), so an overloaded year shows as late decisions, not as missing ones. The
figures of the model (hours per level, waits) are illustrative, not the unit's own.
"""

from __future__ import annotations

import math
import random
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from typing import Any

import simpy

LEVELS = ("A", "B", "C")
DAYS_PER_YEAR = 365
WEEKS_SHOWN = 53  # backlog at the start of each week of the year, and at its end

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Params:
    """What one simulation needs. Check input with :func:`baken.vetting.capacity.service`;
    this class trusts its values."""

    volume: int
    mix: tuple[float, float, float]  # shares of A, B, C (sum 1)
    hours: tuple[float, float, float]  # officer hours per case at A, B, C
    fte: int
    hours_per_week: float = 28.0  # productive hours per FTE a week
    # Days until the record checks (holdings, municipal, police, justice; the interviews
    # planned at A) are back, per level; they count against the term.
    check_days: tuple[float, float, float] = (21.0, 14.0, 7.0)
    term_weeks: int = 8
    external_share: float = 0.10  # share of cases waiting for a foreign inquiry
    external_days: float = 35.0  # mean of that wait (exponential), suspended
    seasonality: float = 0.0  # 0: flat; 0.3: the busiest month 30% above the mean
    peak_month: int = 6  # 1..12
    warmup_weeks: int = 13  # a run-in at the same volume before the year, not counted
    seed: int = 2026

    def as_dict(self) -> dict[str, Any]:
        found = asdict(self)
        found["mix"], found["hours"] = list(self.mix), list(self.hours)
        found["check_days"] = list(self.check_days)
        return found


@dataclass(frozen=True)
class Result:
    fte: int
    decisions: int
    within_term: int
    share_within_term: float
    # Percentiles of the throughput time in days (arrival to decision), and of the time
    # counted against the term (throughput minus suspension).
    throughput_days: dict[str, float]
    counted_days: dict[str, float]
    backlog: list[int]  # open cases at the start of each week of the year (53 values)
    # The year's work over the officers' time in the year: 1 or more means the backlog
    # grows from year to year, whatever the share within the term this year.
    utilisation: float
    drained_day: float  # days after the year began that the last request was decided

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Search:
    """The answer of :func:`find_fte`: the least FTE meeting the target (None when even
    ``max_fte`` does not), the curve of every run (FTE, share within the term, the
    year's work over the officers' time), and the run at the answer."""

    target: float
    fte: int | None
    curve: list[tuple[int, float, float]]
    result: Result | None
    runs: int = 0
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "target": self.target,
            "fte": self.fte,
            "curve": [list(point) for point in self.curve],
            "result": self.result.as_dict() if self.result else None,
            "runs": self.runs,
        }


@dataclass(frozen=True)
class Year:
    """The draws of one year: arrivals, levels, waits and the split of the work."""

    arrivals: list[float]  # days since the run-in began
    levels: list[int]
    waits: list[float]  # 0.0: no external check
    start: float  # the first day of the year measured (after the run-in)


def _rate(params: Params, day: float) -> float:
    """Arrivals a day on ``day`` of the year (negative in the run-in)."""
    base = params.volume / DAYS_PER_YEAR
    if not params.seasonality:
        return base
    peak = (params.peak_month - 0.5) * DAYS_PER_YEAR / 12
    return base * (1 + params.seasonality * math.cos(2 * math.pi * (day - peak) / DAYS_PER_YEAR))


def draw_year(params: Params) -> Year:
    """Arrivals by thinning a Poisson process at the highest rate; then, per case, its
    level and its external wait. One generator, one order of draws: deterministic."""
    rng = random.Random(params.seed)  # noqa: S311 - a model, not a secret
    top = params.volume / DAYS_PER_YEAR * (1 + params.seasonality)
    start = params.warmup_weeks * 7.0
    arrivals: list[float] = []
    day = 0.0
    if top > 0:
        while True:
            day += rng.expovariate(top)
            if day >= start + DAYS_PER_YEAR:
                break
            if not params.seasonality or rng.random() * top <= _rate(params, day - start):
                arrivals.append(day)
    a, b = params.mix[0], params.mix[0] + params.mix[1]
    levels: list[int] = []
    waits: list[float] = []
    mean_wait = params.external_days
    for _ in arrivals:
        u = rng.random()
        levels.append(0 if u < a else 1 if u < b else 2)
        external = rng.random() < params.external_share and mean_wait > 0
        waits.append(rng.expovariate(1 / mean_wait) if external else 0.0)
    return Year(arrivals, levels, waits, start)


def _percentiles(values: list[float]) -> dict[str, float]:
    if not values:
        return {"p50": 0.0, "p90": 0.0, "p95": 0.0, "max": 0.0}
    ordered = sorted(values)

    def at(q: float) -> float:
        return round(ordered[min(len(ordered) - 1, math.ceil(q * len(ordered)) - 1)], 1)

    return {"p50": at(0.50), "p90": at(0.90), "p95": at(0.95), "max": round(ordered[-1], 1)}


def simulate(
    params: Params, *, year: Year | None = None, on_progress: Progress | None = None
) -> Result:
    """One run: the requests of the run-in and the year through ``params.fte`` officers,
    to the last decision; the figures are of the year's requests. ``on_progress(done,
    total)`` hears of each simulated week."""
    year = year or draw_year(params)
    env = simpy.Environment()
    officers = simpy.Resource(env, capacity=params.fte)
    per_day = params.hours_per_week / 7  # officer hours per calendar day
    work = [h / per_day for h in params.hours]  # days of one officer per case
    # An investigation is the larger part; the decision after a wait is the rest.
    first = [w * 0.8 for w in work]
    rest = [w * 0.2 for w in work]
    start = year.start
    done_at: list[float] = []
    throughput: list[float] = []
    counted: list[float] = []

    arrivals, levels, waits = year.arrivals, year.levels, year.waits

    # A case is a chain of callbacks on SimPy events, not a process of its own: a year
    # is some 70,000 cases, and a generator per case would double the work per event.
    def ask(i: int, stage: int) -> None:
        officers.request().callbacks.append(lambda req: begin(i, stage, req))

    def begin(i: int, stage: int, req: Any) -> None:
        level = levels[i]
        days = work[level] if not waits[i] else first[level] if stage == 0 else rest[level]
        env.timeout(days, value=req).callbacks.append(lambda done: end(i, stage, done))

    def end(i: int, stage: int, done: Any) -> None:
        officers.release(done.value)
        wait = waits[i]
        if wait and stage == 0:
            # Waiting for a foreign inquiry: no officer is held, the clock is suspended.
            env.timeout(wait).callbacks.append(lambda _: ask(i, 1))
            return
        now, arrived = env.now, arrivals[i]
        done_at.append(now)
        if arrived >= start:
            throughput.append(now - arrived)
            counted.append(now - arrived - wait)

    # A case joins the officers' queue when its record checks are back (they count
    # against the term); the checks take a fixed time per level, so the order in which
    # cases become ready is known before the run. Each one schedules the next, so that
    # the event queue stays short.
    ready = sorted(
        range(len(arrivals)), key=lambda i: (arrivals[i] + params.check_days[levels[i]], i)
    )
    times = [arrivals[i] + params.check_days[levels[i]] for i in ready]

    def arrive(k: int) -> None:
        ask(ready[k], 0)
        if k + 1 < len(ready):
            env.timeout(times[k + 1] - times[k]).callbacks.append(lambda _: arrive(k + 1))

    if ready:
        env.timeout(times[0]).callbacks.append(lambda _: arrive(0))

    weeks_total = params.warmup_weeks + WEEKS_SHOWN - 1

    def weeks() -> Any:
        for week in range(1, weeks_total + 1):
            yield env.timeout(7)
            if on_progress is not None:
                on_progress(week, weeks_total)

    env.process(weeks())
    env.run()
    term = params.term_weeks * 7
    within = sum(1 for c in counted if c <= term + 1e-9)
    decided = sorted(done_at)
    backlog = [
        bisect_right(year.arrivals, start + 7 * w) - bisect_right(decided, start + 7 * w)
        for w in range(WEEKS_SHOWN)
    ]
    first_of_year = bisect_right(year.arrivals, start - 1e-9)
    load = sum(work[lv] for lv in year.levels[first_of_year:])
    capacity = params.fte * DAYS_PER_YEAR
    return Result(
        fte=params.fte,
        decisions=len(counted),
        within_term=within,
        share_within_term=round(within / len(counted), 4) if counted else 1.0,
        throughput_days=_percentiles(throughput),
        counted_days=_percentiles(counted),
        backlog=backlog,
        utilisation=round(load / capacity, 4) if capacity else 0.0,
        drained_day=round(decided[-1] - start, 1) if decided else 0.0,
    )


def meets(result: Result, target: float) -> bool:
    """The target is met: the share within the term, and a backlog that does not grow
    (the year's work fits in the officers' time; a growing queue would miss next year)."""
    return result.share_within_term >= target and result.utilisation < 1.0


def workload_fte(params: Params) -> float:
    """The FTE the year's work needs with no queue at all (a lower bound)."""
    hours = params.volume * sum(m * h for m, h in zip(params.mix, params.hours, strict=True))
    return hours / (params.hours_per_week * DAYS_PER_YEAR / 7)


def find_fte(
    params: Params,
    *,
    target: float = 0.90,
    max_fte: int = 5000,
    on_progress: Callable[[int, int, int], None] | None = None,
    on_week: Progress | None = None,
    year: Year | None = None,
) -> Search:
    """The least whole FTE with at least ``target`` of decisions within the term.

    Starts at the workload's lower bound, widens (doubling the step) until one FTE
    fails and one meets the target, then bisects between them: each step is one
    simulation of the same year. ``on_progress(runs, estimate, fte)`` hears of each run
    before it starts, ``on_week`` of the weeks within it.
    """
    year = year or draw_year(params)
    runs: dict[int, Result] = {}

    def run(fte: int) -> Result:
        if fte not in runs:
            if on_progress is not None:
                on_progress(len(runs), _estimate(), fte)
            runs[fte] = simulate(_with(params, fte), year=year, on_progress=on_week)
        return runs[fte]

    def ok(fte: int) -> bool:
        return meets(run(fte), target)

    bounds: dict[str, int] = {}

    def _estimate() -> int:
        # Runs done so far plus what bisection still needs (the bar's total).
        lo, hi = bounds.get("lo"), bounds.get("hi")
        if lo is None or hi is None:
            return len(runs) + 3 + math.ceil(math.log2(max(2, max_fte // 8)))
        return len(runs) + 2 + max(0, math.ceil(math.log2(max(1, hi - lo))))

    start = min(max_fte, max(1, math.ceil(workload_fte(params))))
    step = max(1, start // 8)
    if ok(start):
        hi, lo = start, start - step
        while lo >= 1 and ok(lo):
            hi, step = lo, step * 2
            lo = hi - step
        lo = max(lo, 0)
    else:
        lo, hi = start, start + step
        while hi <= max_fte and not ok(hi):
            lo, step = hi, step * 2
            hi = lo + step
        if hi > max_fte:
            if lo < max_fte and ok(max_fte):
                hi = max_fte
            else:
                if on_progress is not None:
                    on_progress(len(runs), len(runs), max_fte)
                return Search(target, None, _curve(runs), None, len(runs))
    bounds["lo"], bounds["hi"] = lo, hi
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if ok(mid):
            hi = mid
        else:
            lo = mid
        bounds["lo"], bounds["hi"] = lo, hi
    # Two more points below the answer, so that the curve shows what less would mean.
    for below in (round(hi * 0.85), round(hi * 0.93)):
        if 1 <= below < hi and below not in runs:
            bounds["lo"] = bounds["hi"] = hi  # the estimate: these runs only
            run(below)
    if on_progress is not None:
        on_progress(len(runs), len(runs), hi)
    return Search(target, hi, _curve(runs), runs[hi], len(runs))


def _curve(runs: dict[int, Result]) -> list[tuple[int, float, float]]:
    return sorted((f, r.share_within_term, r.utilisation) for f, r in runs.items())


def _with(params: Params, fte: int) -> Params:
    return replace(params, fte=fte)
