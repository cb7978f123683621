"""Positions of trust (vertrouwensfuncties) and designated locations (Wvo art. 3).

A minister designates positions of trust at an employer, at level A, B or C, and may
designate a location (a civil airport, a port) where a VGB is bound to the location
rather than to one function. Screening officers (the UVO) keep both lists; employers'
officers read their own positions, and everyone with the kind reads the locations
(designations are public).

Every service takes the principal, reads through :func:`baken.core.policy.read_filter` in
the query and audits. Refusals raise :class:`PositionsError`; a position or location the
principal may not read is refused exactly like one that does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from baken.core import audit, policy
from baken.core.errors import DomainError
from baken.core.i18n import N_
from baken.core.marking_store import intern, load_one
from baken.core.markings import Level, Marking, Service
from baken.core.principals import Principal
from baken.core.references import next_reference
from baken.vetting import access
from baken.vetting.positions.models import Location, Position
from baken.vetting.vocab import codes

KIND = "vertrouwensfunctie"
LEVELS = ("A", "B", "C")
PAGE = 50
REF_TRIES = 5


class PositionsError(DomainError):
    """A positions action refused for a domain reason (the message says why)."""


def ministers() -> list[str]:
    return codes("positions", "ministers")


def location_kinds() -> list[str]:
    return codes("positions", "location_kinds")


def public_marking() -> Marking:
    """Designations are public: unclassified, released to every employer."""
    return Marking.of(Level.ONGERUBRICEERD, Service.JOINT, releasable_to=access.employers())


def deeper_or_equal(level: str, than: str) -> bool:
    """Whether ``level`` is at least as deep as ``than`` (A > B > C)."""
    return LEVELS.index(level) <= LEVELS.index(than)


@dataclass(frozen=True)
class Page:
    rows: list[Position]
    page: int
    more: bool


# --- checks --------------------------------------------------------------------------------


def _date(on: date, today: date) -> None:
    if on > today:
        raise PositionsError(N_("a designation date cannot lie in the future"))


def _minister(minister: str) -> None:
    if minister not in ministers():
        raise PositionsError(N_("unknown designating minister {minister}"), minister=minister)


def _text(value: str, message: str) -> str:
    text = value.strip()
    if not text:
        raise PositionsError(message)
    return text


# --- locations -----------------------------------------------------------------------------


def create_location(
    session: Session,
    principal: Principal,
    *,
    code: str,
    name: str,
    kind: str,
    minister: str,
    designated_on: date,
    description: str = "",
    today: date | None = None,
) -> Location:
    """Record a designated location (screening officers)."""
    marking = public_marking()
    policy.require_write(principal, KIND, marking)
    code = _text(code, N_("a location needs a code")).upper()
    name = _text(name, N_("a location needs a name"))
    if kind not in location_kinds():
        raise PositionsError(N_("unknown kind of location {kind}"), kind=kind)
    _minister(minister)
    _date(designated_on, today or date.today())
    if session.scalar(select(Location.id).where(Location.code == code)) is not None:
        raise PositionsError(N_("a location with code {code} already exists"), code=code)
    row = Location(
        code=code,
        name=name,
        kind=kind,
        minister=minister,
        designated_on=designated_on,
        description=description.strip(),
        active=True,
        marking_id=intern(session, marking),
        created_by=principal.id,
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        principal=principal,
        action="location.create",
        kind=KIND,
        object_id=row.id,
        marking=marking,
        details={"code": code},
    )
    return row


def _location_row(session: Session, principal: Principal, location_id: int) -> Location | None:
    return session.scalar(
        select(Location).where(
            Location.id == location_id, policy.read_filter(principal, KIND, Location.marking_id)
        )
    )


def location(session: Session, principal: Principal, location_id: int) -> Location:
    """A readable designated location (audited), else the refusal."""
    row = _location_row(session, principal, location_id)
    if row is None:
        raise PositionsError(N_("no such designated location"))
    audit.record(
        session,
        principal=principal,
        action="location.read",
        kind=KIND,
        object_id=row.id,
        marking=load_one(session, row.marking_id),
    )
    return row


def locations(
    session: Session, principal: Principal, *, active_only: bool = False
) -> list[Location]:
    """The readable designated locations by name (audited)."""
    query = select(Location).where(policy.read_filter(principal, KIND, Location.marking_id))
    if active_only:
        query = query.where(Location.active.is_(True))
    rows = list(session.scalars(query.order_by(Location.name, Location.id)))
    audit.record(
        session,
        principal=principal,
        action="location.list",
        kind=KIND,
        details={"count": len(rows), "active_only": active_only},
    )
    return rows


def deactivate_location(session: Session, principal: Principal, location_id: int) -> Location:
    """End a location's designation (screening officers)."""
    row = _location_row(session, principal, location_id)
    if row is None:
        raise PositionsError(N_("no such designated location"))
    marking = load_one(session, row.marking_id)
    policy.require_write(principal, KIND, marking)
    if not row.active:
        raise PositionsError(N_("this location is no longer designated"))
    row.active = False
    session.flush()
    audit.record(
        session,
        principal=principal,
        action="location.deactivate",
        kind=KIND,
        object_id=row.id,
        marking=marking,
    )
    return row


# --- positions -----------------------------------------------------------------------------


def _next_ref(session: Session) -> str:
    """VF-0001, VF-0002, ...: one more than the highest ref (by length, then text)."""
    return next_reference(session, Position.ref, "VF-", 4)


def create(
    session: Session,
    principal: Principal,
    *,
    title: str,
    level: str,
    employer: str,
    minister: str,
    designated_on: date,
    location_id: int | None = None,
    today: date | None = None,
) -> Position:
    """Record a designated position of trust (screening officers). The ref is one more
    than the highest in the same transaction; a collision with a concurrent writer (the
    unique constraint) is retried in a savepoint."""
    if employer not in access.employers():
        raise PositionsError(N_("unknown employer {employer}"), employer=employer)
    marking = access.employer_marking(employer)
    policy.require_write(principal, KIND, marking)
    title = _text(title, N_("a position of trust needs a title"))
    if level not in LEVELS:
        raise PositionsError(N_("unknown screening level {level}"), level=level)
    _minister(minister)
    _date(designated_on, today or date.today())
    if location_id is not None:
        place = _location_row(session, principal, location_id)
        if place is None:
            raise PositionsError(N_("no such designated location"))
        if not place.active:
            raise PositionsError(N_("this location is no longer designated"))
        if designated_on < place.designated_on:
            raise PositionsError(
                N_("the position cannot be designated before its location ({date})"),
                date=place.designated_on.isoformat(),
            )
    marking_id = intern(session, marking)
    row: Position | None = None
    for _ in range(REF_TRIES):
        candidate = Position(
            ref=_next_ref(session),
            title=title,
            level=level,
            employer=employer,
            minister=minister,
            designated_on=designated_on,
            location_id=location_id,
            active=True,
            marking_id=marking_id,
            created_by=principal.id,
        )
        try:
            with session.begin_nested():
                session.add(candidate)
                session.flush()
        except IntegrityError:
            continue
        row = candidate
        break
    if row is None:
        raise PositionsError(N_("no free reference for a position of trust; try again"))
    audit.record(
        session,
        principal=principal,
        action="position.create",
        kind=KIND,
        object_id=row.id,
        marking=marking,
        details={"ref": row.ref, "employer": employer, "level": level},
    )
    return row


def _row(session: Session, principal: Principal, position_id: int) -> Position | None:
    return session.scalar(
        select(Position).where(
            Position.id == position_id, policy.read_filter(principal, KIND, Position.marking_id)
        )
    )


def get(session: Session, principal: Principal, position_id: int) -> Position:
    """A readable position of trust (audited), else the refusal."""
    row = _row(session, principal, position_id)
    if row is None:
        raise PositionsError(N_("no such position of trust"))
    audit.record(
        session,
        principal=principal,
        action="position.read",
        kind=KIND,
        object_id=row.id,
        marking=load_one(session, row.marking_id),
    )
    return row


def designated(session: Session, principal: Principal, position_id: int, on: date) -> Position:
    """The position, if it is designated as a position of trust on ``on``."""
    row = get(session, principal, position_id)
    if not row.active or row.designated_on > on:
        raise PositionsError(
            N_("the position {ref} is not designated as a position of trust on {date}"),
            ref=row.ref,
            date=on.isoformat(),
        )
    return row


def search(
    session: Session,
    principal: Principal,
    *,
    employer: str | None = None,
    level: str | None = None,
    location_id: int | None = None,
    active_only: bool = False,
    page: int = 1,
) -> Page:
    """Readable positions, newest ref last, one page at a time (audited with the query).
    An employer's officer sees its own positions only (the read filter)."""
    conds: list[ColumnElement[bool]] = [policy.read_filter(principal, KIND, Position.marking_id)]
    if employer:
        conds.append(Position.employer == employer)
    if level:
        conds.append(Position.level == level)
    if location_id is not None:
        conds.append(Position.location_id == location_id)
    if active_only:
        conds.append(Position.active.is_(True))
    page = max(page, 1)
    rows = list(
        session.scalars(
            select(Position)
            .where(*conds)
            .order_by(Position.id)
            .offset((page - 1) * PAGE)
            .limit(PAGE + 1)
        )
    )
    audit.record(
        session,
        principal=principal,
        action="position.list",
        kind=KIND,
        details={
            "employer": employer,
            "level": level,
            "location": location_id,
            "page": page,
            "count": min(len(rows), PAGE),
        },
    )
    return Page(rows[:PAGE], page, len(rows) > PAGE)


def deactivate(session: Session, principal: Principal, position_id: int) -> Position:
    """End a position's designation (screening officers)."""
    row = _row(session, principal, position_id)
    if row is None:
        raise PositionsError(N_("no such position of trust"))
    marking = load_one(session, row.marking_id)
    policy.require_write(principal, KIND, marking)
    if not row.active:
        raise PositionsError(N_("this position is no longer designated"))
    row.active = False
    session.flush()
    audit.record(
        session,
        principal=principal,
        action="position.deactivate",
        kind=KIND,
        object_id=row.id,
        marking=marking,
        details={"ref": row.ref},
    )
    return row


def choices(
    session: Session, principal: Principal, *, location_id: int | None = None, limit: int = 500
) -> list[Position]:
    """Active readable positions for a form's choice list (audited as a list)."""
    query = select(Position).where(
        policy.read_filter(principal, KIND, Position.marking_id), Position.active.is_(True)
    )
    if location_id is not None:
        query = query.where(Position.location_id == location_id)
    rows = list(session.scalars(query.order_by(Position.employer, Position.ref).limit(limit)))
    audit.record(
        session,
        principal=principal,
        action="position.list",
        kind=KIND,
        details={"location": location_id, "choices": True, "count": len(rows)},
    )
    return rows


def by_ids(session: Session, principal: Principal, ids: set[int]) -> dict[int, Position]:
    """The readable positions among ``ids`` (for showing refs beside other rows; the
    caller audits the read of those rows)."""
    if not ids:
        return {}
    rows = session.scalars(
        select(Position).where(
            Position.id.in_(sorted(ids)), policy.read_filter(principal, KIND, Position.marking_id)
        )
    )
    return {p.id: p for p in rows}


def location_names(session: Session, principal: Principal) -> dict[int, str]:
    """Names of the readable locations (public designations), for labels."""
    rows = session.execute(
        select(Location.id, Location.name).where(
            policy.read_filter(principal, KIND, Location.marking_id)
        )
    )
    return {i: n for i, n in rows}


def can_write(principal: Principal) -> bool:
    return policy.role_may_write(principal, KIND) and not principal.is_external
