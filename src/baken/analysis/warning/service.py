"""Early warning: record events, read indicator series, follow things, run the detector
and deliver signals.

Every read of marked rows has the policy filter in its query (here or in
:mod:`baken.analysis.warning.series`) and is audited; writes check
:func:`baken.core.policy.require_write` and are audited in the same transaction.

Detection runs per follower: each follower's series is computed with *their* policy
filter, so a signal never counts, and its numbers never reveal, what its recipient may
not read. A signal's marking is the high-water mark of every row its series counted.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from baken.analysis.vocab import codes
from baken.analysis.warning import places, series
from baken.analysis.warning.detect import Params, Point, detect
from baken.analysis.warning.models import Alert, Event, Follow
from baken.core import audit, policy
from baken.core.errors import DomainError
from baken.core.i18n import N_
from baken.core.marking_store import intern, load, load_one
from baken.core.markings import Marking, MarkingError, summary
from baken.core.models import User
from baken.core.principals import Principal
from baken.core.timeutil import utcnow
from baken.core.users import to_principal
from baken.steering import vocab as steering_vocab

EVENT = series.EVENT
ALERT = "signaal"
HISTORY_WEEKS = 156  # three seasons of a year: what the detector looks back on
RECENT_WEEKS = 4  # flagged weeks this recent become signals
MAX_ACTOR = 300
MAX_PLACE = 200
MAX_DESCRIPTION = 5000
MAX_EVENTS = 200
ENTITY_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$")


class WarningError(DomainError):
    """A request early warning refuses, with the reason."""


def today() -> date:
    return utcnow().date()


# --- events --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class EventIn:
    occurred_on: str | date
    country: str
    event_type: str
    theme: str
    marking: Marking
    place: str = ""
    actor: str = ""
    actor_entity_id: str = ""
    description: str = ""


@dataclass(frozen=True, slots=True)
class EventView:
    id: int
    occurred_on: date
    country: str
    place: str
    event_type: str
    theme: str
    actor: str
    actor_entity_id: str | None
    description: str
    marking: Marking
    created_by: str
    created_at: datetime


def _date(value: str | date) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise WarningError(N_("the date must be a date (YYYY-MM-DD)")) from None


def _validate(data: EventIn) -> dict[str, object]:
    day = _date(data.occurred_on)
    if day > today():
        raise WarningError(N_("the date {day} lies in the future"), day=day.isoformat())
    if day < date(1900, 1, 1):
        raise WarningError(N_("the date {day} is too long ago"), day=day.isoformat())
    country = data.country.strip().upper()
    if not places.is_country(country):
        raise WarningError(N_("unknown country {code}"), code=data.country.strip()[:10])
    if data.event_type not in codes("warning", "event_types"):
        raise WarningError(N_("unknown event type {code}"), code=data.event_type[:40])
    if data.theme not in steering_vocab.codes("themes"):
        raise WarningError(N_("unknown theme {code}"), code=data.theme[:20])
    entity = data.actor_entity_id.strip()
    if entity and not ENTITY_ID.fullmatch(entity):
        raise WarningError(N_("an entity id has letters, digits and . _ : - only"))
    actor = data.actor.strip()
    if not actor and not entity:
        raise WarningError(N_("name the actor (free text or an entity id)"))
    if len(actor) > MAX_ACTOR or len(data.place) > MAX_PLACE:
        raise WarningError(N_("the actor or place is too long"))
    if len(data.description) > MAX_DESCRIPTION:
        raise WarningError(N_("the description is too long (at most {n} characters)"), n=5000)
    return {
        "occurred_on": day,
        "country": country,
        "place": data.place.strip(),
        "event_type": data.event_type,
        "theme": data.theme,
        "actor": actor,
        "actor_entity_id": entity or None,
        "description": data.description.strip(),
    }


def record_event(
    session: Session, *, principal: Principal, data: EventIn, run_detection: bool = True
) -> int:
    """Store one event; then run the detector for those who follow what it bears on."""
    fields = _validate(data)
    policy.require_write(principal, EVENT, data.marking)
    if fields["actor_entity_id"]:
        from baken.holdings.service import entities

        try:
            entities.get(session, principal=principal, entity_id=str(fields["actor_entity_id"]))
        except LookupError:
            raise WarningError(
                N_("unknown entity {code}"), code=fields["actor_entity_id"]
            ) from None
    row = Event(**fields, marking_id=intern(session, data.marking), created_by=principal.id)
    session.add(row)
    session.flush()
    audit.record(
        session,
        principal=principal,
        action="warning.event.create",
        kind=EVENT,
        object_id=row.id,
        marking=data.marking,
        details={"country": row.country, "theme": row.theme, "type": row.event_type},
    )
    if run_detection:
        keys = {
            series.SeriesKey(theme=row.theme),
            series.SeriesKey(entity=row.actor_entity_id) if row.actor_entity_id else None,
            series.SeriesKey(place=row.country),
            *(series.SeriesKey(place=r) for r in places.regions_of(row.country)),
        }
        detect_followers(session, only={k for k in keys if k is not None})
    return row.id


def _event_views(session: Session, rows: list[Event]) -> list[EventView]:
    marks = load(session, {r.marking_id for r in rows})
    found = session.execute(
        select(User.id, User.username).where(User.id.in_({r.created_by for r in rows}))
    )
    users = {user_id: name for user_id, name in found}
    return [
        EventView(
            id=r.id,
            occurred_on=r.occurred_on,
            country=r.country,
            place=r.place,
            event_type=r.event_type,
            theme=r.theme,
            actor=r.actor,
            actor_entity_id=r.actor_entity_id,
            description=r.description,
            marking=marks[r.marking_id],
            created_by=users.get(r.created_by, "?"),
            created_at=r.created_at,
        )
        for r in rows
    ]


def list_events(
    session: Session,
    *,
    principal: Principal,
    place: str | None = None,
    theme: str | None = None,
    limit: int = MAX_EVENTS,
) -> list[EventView]:
    query = select(Event).where(policy.read_filter(principal, EVENT, Event.marking_id))
    if place:
        query = query.where(Event.country.in_(sorted(places.countries_of(place))))
    if theme:
        query = query.where(Event.theme == theme)
    rows = list(
        session.scalars(query.order_by(Event.occurred_on.desc(), Event.id.desc()).limit(limit))
    )
    views = _event_views(session, rows)
    audit.record(
        session,
        principal=principal,
        action="warning.event.list",
        kind=EVENT,
        marking=summary(v.marking for v in views) if views else None,
        details={"ids": [v.id for v in views], "place": place, "theme": theme},
    )
    return views


def get_event(session: Session, *, principal: Principal, event_id: int) -> EventView:
    row = session.scalar(
        select(Event).where(
            Event.id == event_id, policy.read_filter(principal, EVENT, Event.marking_id)
        )
    )
    if row is None:
        raise LookupError(event_id)
    view = _event_views(session, [row])[0]
    audit.record(
        session,
        principal=principal,
        action="warning.event.read",
        kind=EVENT,
        object_id=event_id,
        marking=view.marking,
    )
    return view


# --- series --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SeriesView:
    key: series.SeriesKey
    weeks: list[date]
    points: list[Point]
    params: Params
    marking: Marking

    @property
    def flagged(self) -> list[tuple[date, Point]]:
        return [(w, p) for w, p in zip(self.weeks, self.points, strict=True) if p.flagged]


def check_key(key: series.SeriesKey) -> series.SeriesKey:
    if key.place and not places.known(key.place):
        raise WarningError(N_("unknown country or region {code}"), code=key.place[:20])
    if key.theme and key.theme not in steering_vocab.codes("themes"):
        raise WarningError(N_("unknown theme {code}"), code=key.theme[:20])
    if key.entity and not ENTITY_ID.fullmatch(key.entity):
        raise WarningError(N_("an entity id has letters, digits and . _ : - only"))
    return key


def _marking(session: Session, ids: set[int]) -> Marking:
    found = list(load(session, ids).values())
    try:
        return policy.derived_marking(found)
    except MarkingError:  # an overseer's view over both services' rows
        return summary(found)


def get_series(
    session: Session,
    *,
    principal: Principal,
    key: series.SeriesKey,
    params: Params | None = None,
    weeks: int = HISTORY_WEEKS,
    until: date | None = None,
) -> SeriesView:
    p = (params or Params()).check()
    check_key(key)
    counted = series.counts(session, principal, key, series.weeks_ending(until or today(), weeks))
    view = SeriesView(
        key, counted.weeks, detect(counted.values, p), p, _marking(session, counted.marking_ids)
    )
    audit.record(
        session,
        principal=principal,
        action="warning.series.read",
        kind=EVENT,
        marking=view.marking if counted.marking_ids else None,
        details={"series": key.code(), "weeks": weeks},
    )
    return view


@dataclass
class Dashboard:
    weeks: list[date]
    cells: dict[tuple[str, str], list[float]]
    flagged: list[tuple[str, str, date, Point]]
    markings: list[Marking]
    params: Params


def dashboard(
    session: Session,
    *,
    principal: Principal,
    params: Params | None = None,
    until: date | None = None,
) -> Dashboard:
    """Counts per region and theme, and the recently flagged weeks, for one viewer."""
    p = (params or Params()).check()
    weeks = series.weeks_ending(until or today(), HISTORY_WEEKS)
    found = series.grid(session, principal, weeks)
    flagged = []
    for (region, theme), values in sorted(found.cells.items()):
        points = detect(values, p, last=RECENT_WEEKS)
        for week, point in zip(weeks[-RECENT_WEEKS:], points[-RECENT_WEEKS:], strict=True):
            if point.flagged:
                flagged.append((region, theme, week, point))
    markings = found.markings(session)
    audit.record(
        session,
        principal=principal,
        action="warning.dashboard.read",
        kind=EVENT,
        marking=summary(markings) if markings else None,
        details={"series": len(found.cells)},
    )
    return Dashboard(weeks, found.cells, flagged, markings, p)


# --- follows -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FollowView:
    id: int
    target_kind: str
    target: str
    created_at: datetime


def _may_follow(principal: Principal) -> None:
    if principal.is_external or not policy.role_may_read(principal, ALERT):
        raise policy.PolicyDenied(N_("you may not follow early-warning series"))


def _requirement_themes(session: Session, principal: Principal, ref: str) -> list[str]:
    """The themes of a requirement (by ref) in the GA versions the principal may read."""
    from baken.steering.service import ga

    found: list[str] = []
    for version in ga.list_versions(session, principal=principal):
        found += [r.theme for r in ga.requirements(session, principal, version.id) if r.ref == ref]
    return sorted(set(found))


def follow(session: Session, *, principal: Principal, target_kind: str, target: str) -> int:
    _may_follow(principal)
    target = target.strip()
    if target_kind not in codes("warning", "follow_kinds"):
        raise WarningError(N_("choose what to follow"))
    if not target or len(target) > 128:
        raise WarningError(N_("name what to follow"))
    if target_kind == "place":
        target = target.upper()
        if not places.known(target):
            raise WarningError(N_("unknown country or region {code}"), code=target[:20])
    elif target_kind == "requirement":
        if not _requirement_themes(session, principal, target):
            raise WarningError(N_("unknown requirement {code}"), code=target[:32])
    else:
        from baken.holdings.service import entities

        if not ENTITY_ID.fullmatch(target):
            raise WarningError(N_("an entity id has letters, digits and . _ : - only"))
        try:
            entities.get(session, principal=principal, entity_id=target)
        except LookupError:
            raise WarningError(N_("unknown entity {code}"), code=target) from None
    existing = session.scalar(
        select(Follow.id).where(
            Follow.user_id == principal.id,
            Follow.target_kind == target_kind,
            Follow.target == target,
        )
    )
    if existing is not None:
        return existing
    row = Follow(user_id=principal.id, target_kind=target_kind, target=target)
    session.add(row)
    session.flush()
    audit.record(
        session,
        principal=principal,
        action="warning.follow",
        object_id=row.id,
        details={"kind": target_kind, "target": target},
    )
    return row.id


def unfollow(session: Session, *, principal: Principal, follow_id: int) -> None:
    row = session.scalar(
        select(Follow).where(Follow.id == follow_id, Follow.user_id == principal.id)
    )
    if row is None:
        raise LookupError(follow_id)
    for alert in session.scalars(select(Alert).where(Alert.follow_id == row.id)):
        alert.follow_id = None
    session.delete(row)
    audit.record(session, principal=principal, action="warning.unfollow", object_id=follow_id)


def list_follows(session: Session, *, principal: Principal) -> list[FollowView]:
    rows = session.scalars(select(Follow).where(Follow.user_id == principal.id).order_by(Follow.id))
    return [FollowView(r.id, r.target_kind, r.target, r.created_at) for r in rows]


# --- detection and signals -----------------------------------------------------------------


@dataclass
class DetectionResult:
    follows: int = 0
    series: int = 0
    created: dict[int, int] = field(default_factory=dict)  # user id -> new signals

    def for_user(self, user_id: int) -> int:
        return self.created.get(user_id, 0)


def _keys(session: Session, recipient: Principal, row: Follow) -> list[series.SeriesKey]:
    if row.target_kind == "place":
        return [series.SeriesKey(place=row.target)]
    if row.target_kind == "entity":
        return [series.SeriesKey(entity=row.target)]
    return [series.SeriesKey(theme=t) for t in _requirement_themes(session, recipient, row.target)]


def detect_followers(
    session: Session,
    *,
    params: Params | None = None,
    user_ids: set[int] | None = None,
    only: set[series.SeriesKey] | None = None,
    until: date | None = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> DetectionResult:
    """Run the detector over every follow (of ``user_ids``; on the series ``only``), per
    follower, and store a signal for each recently flagged week not signalled before."""
    p = (params or Params()).check()
    weeks = series.weeks_ending(until or today(), HISTORY_WEEKS)
    query = select(Follow).order_by(Follow.user_id, Follow.id)
    if user_ids is not None:
        query = query.where(Follow.user_id.in_(sorted(user_ids)))
    follows = list(session.scalars(query))
    users = {
        u.id: u
        for u in session.scalars(select(User).where(User.id.in_({f.user_id for f in follows})))
    }
    result = DetectionResult(follows=len(follows))
    for done, row in enumerate(follows, start=1):
        user = users.get(row.user_id)
        if user is None or user.disabled:
            continue
        recipient = to_principal(user)
        if recipient.is_external or not policy.role_may_read(recipient, ALERT):
            continue
        for key in _keys(session, recipient, row):
            if only is not None and key not in only:
                continue
            result.series += 1
            counted = series.counts(session, recipient, key, weeks)
            points = detect(counted.values, p, last=RECENT_WEEKS)
            recent = zip(weeks[-RECENT_WEEKS:], points[-RECENT_WEEKS:], strict=True)
            for week, point in recent:
                if point.flagged and _signal(session, recipient, row, key, week, point, p, counted):
                    result.created[recipient.id] = result.created.get(recipient.id, 0) + 1
        if on_progress is not None:
            on_progress(done, len(follows))
    return result


def _signal(
    session: Session,
    recipient: Principal,
    row: Follow,
    key: series.SeriesKey,
    week: date,
    point: Point,
    params: Params,
    counted: series.Counts,
) -> bool:
    exists = session.scalar(
        select(Alert.id).where(
            Alert.user_id == recipient.id, Alert.series == key.code(), Alert.week == week
        )
    )
    if exists is not None:
        return False
    marking = counted.marking(session)
    if not policy.can_read(recipient, ALERT, marking):
        return False  # cannot happen: the series counted only what the recipient may read
    assert point.expected is not None
    assert point.score is not None
    alert = Alert(
        user_id=recipient.id,
        follow_id=row.id,
        series=key.code(),
        week=week,
        observed=point.value,
        expected=point.expected,
        score=point.score,
        params=f"{params.season}/{params.window}/{params.threshold}",
        marking_id=intern(session, marking),
    )
    session.add(alert)
    session.flush()
    audit.record(
        session,
        principal=None,
        actor="vroegsignalering",
        action="warning.signal.create",
        kind=ALERT,
        object_id=alert.id,
        marking=marking,
        on_behalf_of=recipient.username,
        details={"series": key.code(), "week": week.isoformat()},
    )
    return True


def run_detection(
    session: Session,
    *,
    principal: Principal,
    params: Params | None = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> int:
    """Detection started by a user (page button, CLI): every follower's series are
    checked; the answer is only the number of new signals for the user who started it,
    so it says nothing about other users' series."""
    if principal.is_external or not policy.role_may_write(principal, ALERT):
        raise policy.PolicyDenied(N_("you may not run early-warning detection"))
    result = detect_followers(session, params=params, on_progress=on_progress)
    audit.record(
        session,
        principal=principal,
        action="warning.detect",
        kind=ALERT,
        details={"follows": result.follows, "series": result.series},
    )
    return result.for_user(principal.id)


@dataclass(frozen=True, slots=True)
class AlertView:
    id: int
    key: series.SeriesKey
    week: date
    observed: float
    expected: float
    score: float
    params: str
    marking: Marking
    created_at: datetime
    read_at: datetime | None
    follow_kind: str | None
    follow_target: str | None

    @property
    def unread(self) -> bool:
        return self.read_at is None


def list_alerts(
    session: Session, *, principal: Principal, unread_only: bool = False
) -> list[AlertView]:
    query = (
        select(Alert, Follow.target_kind, Follow.target)
        .outerjoin(Follow, Follow.id == Alert.follow_id)
        .where(
            Alert.user_id == principal.id, policy.read_filter(principal, ALERT, Alert.marking_id)
        )
    )
    if unread_only:
        query = query.where(Alert.read_at.is_(None))
    rows = list(session.execute(query.order_by(Alert.week.desc(), Alert.id.desc()).limit(500)))
    marks = load(session, {a.marking_id for a, _, _ in rows})
    views = [
        AlertView(
            id=a.id,
            key=series.SeriesKey.parse(a.series),
            week=a.week,
            observed=a.observed,
            expected=a.expected,
            score=a.score,
            params=a.params,
            marking=marks[a.marking_id],
            created_at=a.created_at,
            read_at=a.read_at,
            follow_kind=kind,
            follow_target=target,
        )
        for a, kind, target in rows
    ]
    audit.record(
        session,
        principal=principal,
        action="warning.signal.list",
        kind=ALERT,
        marking=summary(v.marking for v in views) if views else None,
        details={"ids": [v.id for v in views]},
    )
    return views


def mark_read(session: Session, *, principal: Principal, alert_id: int) -> None:
    row = session.scalar(
        select(Alert).where(
            Alert.id == alert_id,
            Alert.user_id == principal.id,
            policy.read_filter(principal, ALERT, Alert.marking_id),
        )
    )
    if row is None:
        raise LookupError(alert_id)
    if row.read_at is None:
        row.read_at = utcnow()
    audit.record(
        session,
        principal=principal,
        action="warning.signal.read",
        kind=ALERT,
        object_id=alert_id,
        marking=load_one(session, row.marking_id),
    )


def recent_weeks(until: date | None = None) -> list[date]:
    return series.weeks_ending(until or today(), RECENT_WEEKS)


def history_start(until: date | None = None) -> date:
    return series.monday(until or today()) - timedelta(weeks=HISTORY_WEEKS - 1)
