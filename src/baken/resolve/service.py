"""Cross-referencing runs, candidate pairs, judgements and merged entities.

A run reads two collections as its principal may read them
(:func:`baken.resolve.records.load_records`, policy in the query), links them on a batch
engine (:func:`baken.resolve.linkage.link`) and stores, in one transaction, only the pairs
at or above its threshold. A run that fails stores nothing and can be run again.

Judgements are append-only (an undo is recorded on the judgement it undoes); the current
verdict on a pair of entities is the latest judgement not undone that the reader may
read. Canonical ids follow from the current "same" verdicts: an entity's group is what
those verdicts connect it to, and the group's id is its smallest entity id. Groups are
computed per principal from the judgements that principal may read, so a merged view
never joins entities through a verdict its reader could not see.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, sessionmaker

from baken.core import audit, policy
from baken.core.config import Settings
from baken.core.db import transaction
from baken.core.errors import DomainError
from baken.core.i18n import N_
from baken.core.marking_store import intern, load, load_one
from baken.core.markings import Marking, MarkingError, high_water, summary
from baken.core.principals import Principal
from baken.core.timeutil import utcnow
from baken.holdings.schemas import EntityView, ValueView
from baken.holdings.service import collections
from baken.holdings.service import entities as entity_service
from baken.resolve.models import CandidatePair, Judgement, XrefRun
from baken.resolve.vocab import VERDICTS, XREF

MIN_THRESHOLD = 0.05
DEFAULT_THRESHOLD = 0.3  # a review threshold: analysts judge what lies above it
PAGE = 50
MAX_NOTE = 2000
MAX_GROUP = 500  # entities in one merged view
PROGRESS_SECONDS = 1.0


class ResolveError(DomainError):
    """A request resolve refuses, with the reason."""


# --- views -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RunView:
    id: int
    left_collection: str
    right_collection: str
    left_collection_id: int
    right_collection_id: int
    engine: str
    threshold: float
    state: str
    step: str | None
    done: int
    total: int
    left_records: int
    right_records: int
    compared: int
    candidates: int
    error: str | None
    marking: Marking
    created_by: str
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None

    @property
    def busy(self) -> bool:
        return self.state in ("queued", "running")


@dataclass(frozen=True, slots=True)
class Contribution:
    comparison: str
    level: str
    weight: float


@dataclass(frozen=True, slots=True)
class PairView:
    id: int
    run_id: int
    left_id: str
    right_id: str
    left_caption: str
    right_caption: str
    schema: str
    probability: float
    match_weight: float
    explanation: tuple[Contribution, ...]
    marking: Marking
    verdict: str | None = None
    judgement_id: int | None = None
    judged_by: str | None = None
    judged_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class MergedView:
    canonical_id: str
    entity_id: str
    members: list[EntityView]
    properties: dict[str, list[tuple[ValueView, str]]]  # prop -> [(value, member id)]
    judgements: list[Judged]
    marking: Marking
    caption: str = ""
    schema: str = "Thing"


@dataclass(frozen=True, slots=True)
class Judged:
    id: int
    left_id: str
    right_id: str
    verdict: str
    note: str
    judged_by: str
    judged_at: datetime
    marking: Marking


@dataclass
class Page:
    items: list[PairView] = field(default_factory=list)
    total: int = 0
    page: int = 1

    @property
    def pages(self) -> int:
        return max(1, (self.total + PAGE - 1) // PAGE)


# --- runs --------------------------------------------------------------------------------


def _runs_readable(principal: Principal) -> Any:
    return policy.read_filter(principal, XREF, XrefRun.marking_id)


def start(
    session: Session,
    *,
    principal: Principal,
    left_collection_id: int,
    right_collection_id: int,
    threshold: float = DEFAULT_THRESHOLD,
    engine: str = "local",
    settings: Settings | None = None,
) -> int:
    """Register a run (state ``queued``); :func:`execute` does the work."""
    if not policy.role_may_write(principal, XREF) or principal.is_external:
        raise policy.PolicyDenied(N_("you may not run cross-referencing"))
    if left_collection_id == right_collection_id:
        raise ResolveError(N_("choose two different collections"))
    if not MIN_THRESHOLD <= threshold <= 1.0:
        raise ResolveError(
            N_("the review threshold must lie between {low} and 1"), low=MIN_THRESHOLD
        )
    if engine not in ("local", "spark"):
        raise ResolveError(N_("unknown engine {engine}"), engine=engine)
    if engine == "spark" and settings is not None and not settings.spark_master:
        raise ResolveError(N_("no Spark cluster is configured (BAKEN_SPARK_MASTER)"))
    left = collections.row(session, principal, left_collection_id)
    right = collections.row(session, principal, right_collection_id)
    try:
        marking = high_water(
            [load_one(session, left.marking_id), load_one(session, right.marking_id)]
        )
    except MarkingError:
        raise ResolveError(
            N_("no one marking covers both collections: they cannot be cross-referenced")
        ) from None
    policy.require_write(principal, XREF, marking)
    run = XrefRun(
        left_collection_id=left.id,
        right_collection_id=right.id,
        engine=engine,
        threshold=threshold,
        state="queued",
        marking_id=intern(session, marking),
        created_by=principal.id,
    )
    session.add(run)
    session.flush()
    audit.record(
        session,
        principal=principal,
        action="xref.start",
        kind=XREF,
        object_id=run.id,
        marking=marking,
        details={"left": left.name, "right": right.name, "threshold": threshold, "engine": engine},
    )
    return run.id


def rerun(session: Session, *, principal: Principal, run_id: int) -> int:
    """Put a failed run back in the queue (it stored nothing when it failed)."""
    run = _run_row(session, principal, run_id)
    marking = load_one(session, run.marking_id)
    policy.require_write(principal, XREF, marking)
    if run.state != "failed":
        raise ResolveError(N_("only a failed run can be run again"))
    run.state, run.error, run.step, run.done, run.total = "queued", None, None, 0, 0
    audit.record(
        session,
        principal=principal,
        action="xref.rerun",
        kind=XREF,
        object_id=run.id,
        marking=marking,
    )
    return run.id


def abandon(session: Session, *, principal: Principal, run_id: int) -> bool:
    """Mark failed a run left ``queued`` or ``running`` by a process that ended (killed):
    its store transaction never committed, so it stored nothing. The caller vouches that
    the process is gone. Returns whether the run was busy."""
    run = _run_row(session, principal, run_id)
    marking = load_one(session, run.marking_id)
    policy.require_write(principal, XREF, marking)
    if run.state not in ("queued", "running"):
        return False
    run.state, run.error, run.finished_at = "failed", "abandoned; run it again", utcnow()
    audit.record(
        session,
        principal=principal,
        action="xref.abandon",
        kind=XREF,
        object_id=run.id,
        marking=marking,
    )
    return True


def interrupted(session: Session, before: datetime) -> int:
    """Runs left ``running`` or ``queued`` by a process that ended (created ``before``
    this one started): failed, to run again."""
    stale = list(
        session.scalars(
            select(XrefRun).where(
                XrefRun.state.in_(("queued", "running")), XrefRun.created_at < before
            )
        )
    )
    for run in stale:
        run.state, run.error, run.finished_at = "failed", "interrupted; run it again", utcnow()
    return len(stale)


def execute(
    factory: sessionmaker[Session],
    *,
    principal: Principal,
    run_id: int,
    engine: Any,
    on_progress: Callable[[str, int, int], None] | None = None,
) -> None:
    """Do a queued run: load, link, store. Raises what made it fail, after recording it."""
    from baken.resolve.linkage import link, prepare
    from baken.resolve.records import load_records

    with transaction(factory) as session:
        run = _run_row(session, principal, run_id)
        if run.state not in ("queued",):
            raise ResolveError(N_("the run is not waiting to run"))
        run.state, run.step, run.started_at = "running", "load", utcnow()
        threshold, left_id, right_id = (
            run.threshold,
            run.left_collection_id,
            run.right_collection_id,
        )
    last = [0.0]

    def progress(step: str, done: int, total: int) -> None:
        if on_progress is not None:
            on_progress(step, done, total)
        now = time.monotonic()
        if now - last[0] < PROGRESS_SECONDS and done < total:
            return
        last[0] = now
        with transaction(factory) as s:
            row = s.get(XrefRun, run_id)
            if row is not None and row.state == "running":
                row.step, row.done, row.total = step, done, total

    try:
        with transaction(factory) as session:
            left = load_records(session, principal=principal, collection_id=left_id)
            right = load_records(session, principal=principal, collection_id=right_id)
        progress("link", 0, 1)
        if not left.records or not right.records:
            pairs: list[Any] = []
            compared, model = 0, None
        else:
            table = prepare([*left.records, *right.records])
            linked = link(
                table,
                engine=engine,
                threshold=threshold,
                link_type="link_only",
                progress=lambda done, total: progress("link", done, total),
            )
            pairs, compared, model = linked.pairs, linked.compared, linked.model
        progress("store", 0, len(pairs))
        with transaction(factory) as session:
            stored = _store(session, run_id, pairs, left, right)
            done = session.get(XrefRun, run_id)
            assert done is not None
            run = done
            run.state, run.step, run.finished_at = "done", None, utcnow()
            run.left_records, run.right_records = len(left.records), len(right.records)
            run.compared, run.candidates, run.model = compared, stored, model
            run.done = run.total = stored
            audit.record(
                session,
                principal=principal,
                action="xref.run",
                kind=XREF,
                object_id=run_id,
                marking=load_one(session, run.marking_id),
                details={
                    "left_records": len(left.records),
                    "right_records": len(right.records),
                    "compared": compared,
                    "candidates": stored,
                },
            )
    except Exception as exc:
        message = (
            exc.translate("en") if isinstance(exc, DomainError) else str(exc) or type(exc).__name__
        )
        with transaction(factory) as session:
            failed = session.get(XrefRun, run_id)
            # Not a run another process completed meanwhile (a rerun of a run wrongly
            # thought abandoned): its pairs stand.
            if failed is not None and failed.state != "done":
                failed.state, failed.error, failed.finished_at = "failed", message[:2000], utcnow()
                audit.record(
                    session,
                    principal=principal,
                    action="xref.run",
                    kind=XREF,
                    object_id=run_id,
                    marking=load_one(session, failed.marking_id),
                    outcome="failed",
                    details={"error": message[:500]},
                )
        raise


def _store(session: Session, run_id: int, pairs: Sequence[Any], left: Any, right: Any) -> int:
    marking_ids: dict[Marking, int] = {}
    stored = 0
    for pair in pairs:
        a, b = pair.left_id, pair.right_id
        if a not in left.markings or b not in right.markings:
            a, b = b, a  # the engine's order of the two sides is its own
        if a == b or a not in left.markings or b not in right.markings:
            continue
        try:
            marking = high_water([left.markings[a], right.markings[b]])
        except MarkingError:
            continue  # no marking covers both records: the pair cannot be kept
        if marking not in marking_ids:
            marking_ids[marking] = intern(session, marking)
        session.add(
            CandidatePair(
                run_id=run_id,
                left_id=a,
                right_id=b,
                left_caption=left.captions[a][:300],
                right_caption=right.captions[b][:300],
                schema=left.schemata[a],
                probability=float(pair.probability),
                match_weight=float(pair.match_weight),
                explanation=[
                    {"comparison": c.comparison, "level": c.level, "weight": round(c.weight, 4)}
                    for c in pair.contributions
                ],
                marking_id=marking_ids[marking],
            )
        )
        stored += 1
    return stored


def _run_row(session: Session, principal: Principal, run_id: int) -> XrefRun:
    run = session.scalar(select(XrefRun).where(XrefRun.id == run_id, _runs_readable(principal)))
    if run is None:
        raise LookupError(run_id)
    return run


def _run_views(session: Session, principal: Principal, runs: Sequence[XrefRun]) -> list[RunView]:
    from baken.core.models import User

    marks = load(session, {r.marking_id for r in runs})
    names = collections.names(
        session,
        principal,
        {r.left_collection_id for r in runs} | {r.right_collection_id for r in runs},
    )
    users = dict(
        session.execute(
            select(User.id, User.username).where(User.id.in_({r.created_by for r in runs}))
        ).all()
    )
    return [
        RunView(
            id=r.id,
            left_collection=names.get(r.left_collection_id, "—"),
            right_collection=names.get(r.right_collection_id, "—"),
            left_collection_id=r.left_collection_id,
            right_collection_id=r.right_collection_id,
            engine=r.engine,
            threshold=r.threshold,
            state=r.state,
            step=r.step,
            done=r.done,
            total=r.total,
            left_records=r.left_records,
            right_records=r.right_records,
            compared=r.compared,
            candidates=r.candidates,
            error=r.error,
            marking=marks[r.marking_id],
            created_by=users.get(r.created_by, "?"),
            created_at=r.created_at,
            started_at=r.started_at,
            finished_at=r.finished_at,
        )
        for r in runs
    ]


def list_runs(session: Session, *, principal: Principal, limit: int = 100) -> list[RunView]:
    runs = list(
        session.scalars(
            select(XrefRun)
            .where(_runs_readable(principal))
            .order_by(XrefRun.id.desc())
            .limit(limit)
        )
    )
    views = _run_views(session, principal, runs)
    audit.record(
        session,
        principal=principal,
        action="xref.list",
        kind=XREF,
        marking=summary(v.marking for v in views) if views else None,
        details={"runs": [v.id for v in views]},
    )
    return views


def get_run(session: Session, *, principal: Principal, run_id: int) -> RunView:
    view = _run_views(session, principal, [_run_row(session, principal, run_id)])[0]
    audit.record(
        session,
        principal=principal,
        action="xref.read",
        kind=XREF,
        object_id=run_id,
        marking=view.marking,
    )
    return view


# --- pairs and judgements ------------------------------------------------------------------


def _pairs_readable(principal: Principal) -> Any:
    return policy.read_filter(principal, XREF, CandidatePair.marking_id)


def _judgements_readable(principal: Principal) -> Any:
    return policy.read_filter(principal, XREF, Judgement.marking_id)


def ordered(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a <= b else (b, a)


def _current(
    session: Session, principal: Principal, keys: Iterable[tuple[str, str]]
) -> dict[tuple[str, str], Judgement]:
    """The current readable judgement of each pair of entity ids (sorted tuples)."""
    keys = set(keys)
    if not keys:
        return {}
    ids = {i for k in keys for i in k}
    rows = session.scalars(
        select(Judgement)
        .where(
            Judgement.left_id.in_(ids),
            Judgement.right_id.in_(ids),
            Judgement.undone_at.is_(None),
            _judgements_readable(principal),
        )
        .order_by(Judgement.id)
    )
    found: dict[tuple[str, str], Judgement] = {}
    for j in rows:
        key = (j.left_id, j.right_id)
        if key in keys:
            found[key] = j  # ascending ids: the latest wins
    return found


def _pair_views(
    session: Session, principal: Principal, rows: Sequence[CandidatePair]
) -> list[PairView]:
    from baken.core.models import User

    marks = load(session, {p.marking_id for p in rows})
    current = _current(session, principal, (ordered(p.left_id, p.right_id) for p in rows))
    users = dict(
        session.execute(
            select(User.id, User.username).where(
                User.id.in_({j.judged_by for j in current.values()})
            )
        ).all()
    )
    views = []
    for p in rows:
        j = current.get(ordered(p.left_id, p.right_id))
        views.append(
            PairView(
                id=p.id,
                run_id=p.run_id,
                left_id=p.left_id,
                right_id=p.right_id,
                left_caption=p.left_caption,
                right_caption=p.right_caption,
                schema=p.schema,
                probability=p.probability,
                match_weight=p.match_weight,
                explanation=tuple(
                    Contribution(str(c["comparison"]), str(c["level"]), float(c["weight"]))  # type: ignore[arg-type]
                    for c in p.explanation
                ),
                marking=marks[p.marking_id],
                verdict=j.verdict if j else None,
                judgement_id=j.id if j else None,
                judged_by=users.get(j.judged_by) if j else None,
                judged_at=j.judged_at if j else None,
            )
        )
    return views


def pairs(
    session: Session,
    *,
    principal: Principal,
    run_id: int,
    page: int = 1,
    verdict: str | None = None,
) -> Page:
    """A page of a run's readable candidate pairs, best first, with current verdicts.
    ``verdict``: ``open`` (not judged), or one of the verdicts."""
    run = _run_row(session, principal, run_id)
    query = select(CandidatePair).where(CandidatePair.run_id == run.id, _pairs_readable(principal))
    rows = list(
        session.scalars(query.order_by(CandidatePair.match_weight.desc(), CandidatePair.id))
    )
    views = _pair_views(session, principal, rows)
    if verdict == "open":
        views = [v for v in views if v.verdict is None]
    elif verdict in VERDICTS:
        views = [v for v in views if v.verdict == verdict]
    start_at = (max(1, page) - 1) * PAGE
    shown = views[start_at : start_at + PAGE]
    audit.record(
        session,
        principal=principal,
        action="xref.pairs",
        kind=XREF,
        object_id=run_id,
        marking=summary(v.marking for v in shown) if shown else None,
        details={"pairs": [v.id for v in shown], "page": page},
    )
    return Page(items=shown, total=len(views), page=max(1, page))


def _pair_row(session: Session, principal: Principal, pair_id: int) -> CandidatePair:
    row = session.scalar(
        select(CandidatePair).where(CandidatePair.id == pair_id, _pairs_readable(principal))
    )
    if row is None:
        raise LookupError(pair_id)
    return row


def get_pair(session: Session, *, principal: Principal, pair_id: int) -> PairView:
    view = _pair_views(session, principal, [_pair_row(session, principal, pair_id)])[0]
    audit.record(
        session,
        principal=principal,
        action="xref.pair.read",
        kind=XREF,
        object_id=pair_id,
        marking=view.marking,
    )
    return view


def judge(
    session: Session, *, principal: Principal, pair_id: int, verdict: str, note: str = ""
) -> int:
    """Record a verdict on a candidate pair; returns the judgement's id."""
    if verdict not in VERDICTS:
        raise ResolveError(N_("unknown verdict {verdict}"), verdict=verdict[:40])
    if len(note) > MAX_NOTE:
        raise ResolveError(N_("the note is longer than {max} characters"), max=MAX_NOTE)
    row = _pair_row(session, principal, pair_id)
    marking = load_one(session, row.marking_id)
    policy.require_write(principal, XREF, marking)
    left, right = ordered(row.left_id, row.right_id)
    judgement = Judgement(
        left_id=left,
        right_id=right,
        verdict=verdict,
        pair_id=row.id,
        note=note.strip(),
        marking_id=row.marking_id,
        judged_by=principal.id,
    )
    session.add(judgement)
    session.flush()
    audit.record(
        session,
        principal=principal,
        action="xref.judge",
        kind=XREF,
        object_id=judgement.id,
        marking=marking,
        details={"pair": pair_id, "left": left, "right": right, "verdict": verdict},
    )
    return judgement.id


def undo(session: Session, *, principal: Principal, pair_id: int) -> int:
    """Undo the current verdict on a pair's two entities; the one before (if any) is
    current again. Returns the id of the judgement undone."""
    row = _pair_row(session, principal, pair_id)
    key = ordered(row.left_id, row.right_id)
    current = _current(session, principal, [key]).get(key)
    if current is None:
        raise ResolveError(N_("there is no verdict to undo"))
    marking = load_one(session, current.marking_id)
    policy.require_write(principal, XREF, marking)
    current.undone_at, current.undone_by = utcnow(), principal.id
    audit.record(
        session,
        principal=principal,
        action="xref.undo",
        kind=XREF,
        object_id=current.id,
        marking=marking,
        details={"pair": pair_id, "verdict": current.verdict},
    )
    return current.id


# --- canonical ids and merged entities -------------------------------------------------------


def group(
    session: Session, principal: Principal, entity_id: str
) -> tuple[set[str], list[Judgement]]:
    """The entities the principal's readable "same" verdicts connect ``entity_id`` to, and
    those verdicts."""
    members, frontier = {entity_id}, {entity_id}
    used: dict[int, Judgement] = {}
    while frontier and len(members) < MAX_GROUP:
        rows = session.scalars(
            select(Judgement)
            .where(
                or_(Judgement.left_id.in_(frontier), Judgement.right_id.in_(frontier)),
                Judgement.undone_at.is_(None),
                _judgements_readable(principal),
            )
            .order_by(Judgement.id)
        )
        latest: dict[tuple[str, str], Judgement] = {}
        for j in rows:
            latest[(j.left_id, j.right_id)] = j
        frontier = set()
        for j in latest.values():
            if j.verdict != "same":
                continue
            used[j.id] = j
            for other in (j.left_id, j.right_id):
                if other not in members:
                    members.add(other)
                    frontier.add(other)
    return members, sorted(used.values(), key=lambda j: j.id)


def canonical_id(session: Session, *, principal: Principal, entity_id: str) -> str:
    members, _ = group(session, principal, entity_id)
    return min(members)


def merged(session: Session, *, principal: Principal, entity_id: str) -> MergedView:
    """The entity with every entity the reader's "same" verdicts join it to: the
    statements the reader may read, each value with the member it came from."""
    from baken.core.models import User

    members, used = group(session, principal, entity_id)
    views: list[EntityView] = []
    for member in sorted(members):
        try:
            views.append(entity_service.get(session, principal=principal, entity_id=member))
        except LookupError:
            continue  # nothing of it the reader may read
    if not any(v.id == entity_id for v in views):
        raise LookupError(entity_id)
    props: dict[str, list[tuple[ValueView, str]]] = defaultdict(list)
    seen: set[tuple[str, str]] = set()
    for view in views:
        for prop, values in view.properties.items():
            for value in values:
                if (prop, value.value) not in seen:
                    seen.add((prop, value.value))
                    props[prop].append((value, view.id))
    marks = load(session, {j.marking_id for j in used})
    users = dict(
        session.execute(
            select(User.id, User.username).where(User.id.in_({j.judged_by for j in used}))
        ).all()
    )
    judged = [
        Judged(
            id=j.id,
            left_id=j.left_id,
            right_id=j.right_id,
            verdict=j.verdict,
            note=j.note,
            judged_by=users.get(j.judged_by, "?"),
            judged_at=j.judged_at,
            marking=marks[j.marking_id],
        )
        for j in used
    ]
    marking = summary([*(v.marking for v in views), *(j.marking for j in judged)])
    main = next(v for v in views if v.id == entity_id)
    result = MergedView(
        canonical_id=min(v.id for v in views),
        entity_id=entity_id,
        members=views,
        properties=dict(props),
        judgements=judged,
        marking=marking,
        caption=main.caption,
        schema=main.schema_name,
    )
    audit.record(
        session,
        principal=principal,
        action="xref.merged.read",
        kind=XREF,
        object_id=result.canonical_id,
        marking=marking,
        details={"members": [v.id for v in views]},
    )
    return result
