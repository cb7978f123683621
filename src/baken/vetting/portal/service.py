"""The employer's side of vetting: its designated positions, its screenings with their
status and clock, requests, and the notices that tell it (and through it the person) a
screening is late.

An employer's security officer is an external principal: every read here goes through
:func:`baken.core.policy.read_filter` in the query *and* is kept to its own organisation
(:func:`baken.vetting.access.employer_of`), so another employer's case answers exactly
like a case that does not exist. The portal reads status, dates and outcome only — the
file (findings, partner, interviews) is of kind ``vo_dossier``, which employers may not
read, and no query here touches it. Every read and write is audited.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TypeVar

from sqlalchemy import ColumnElement, and_, func, select, tuple_
from sqlalchemy.orm import Session, sessionmaker

from baken.core import audit, policy, refusals
from baken.core.errors import DomainError
from baken.core.i18n import N_
from baken.core.marking_store import intern, load
from baken.core.markings import Marking, summary
from baken.core.principals import Principal
from baken.vetting import access
from baken.vetting.portal.models import DelayNotice
from baken.vetting.positions.models import Location, Position
from baken.vetting.screenings import clock
from baken.vetting.screenings.models import Screening, Vgb

T = TypeVar("T")

KIND = "vertragingsbericht"
SCREENING = "veiligheidsonderzoek"
POSITION = "vertrouwensfunctie"
PAGE = 50
NOTICE_KINDS = ("at_risk", "overdue")


class PortalError(DomainError):
    """A portal action refused for a domain reason (the message says why)."""


def attempt(
    factory: sessionmaker[Session],
    principal: Principal,
    action: str,
    work: Callable[[Session], T],
    *,
    kind: str = SCREENING,
    object_id: object | None = None,
) -> T:
    """Run ``work`` in one unit of work; a refusal is rolled back, then audited."""
    return refusals.attempt(factory, principal, action, kind, work, object_id=object_id)


# --- shapes --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PositionOption:
    id: int
    ref: str
    title: str
    level: str
    location: str | None
    marking: Marking


@dataclass(frozen=True, slots=True)
class ScreeningStatus:
    """What the employer may know of a screening: no findings, no partner."""

    id: int
    ref: str
    person_name: str
    position_ref: str | None
    position_title: str | None
    level: str
    kind: str
    status: str
    received_on: date
    due_on: date
    days_left: int | None  # None once decided
    suspended: bool
    overdue: bool
    at_risk: bool
    decided_on: date | None
    outcome: str | None
    marking: Marking


@dataclass(frozen=True, slots=True)
class VgbStatus:
    ref: str
    scope: str
    status: str
    issued_on: date
    ended_on: date | None
    location: str | None
    marking: Marking


@dataclass(frozen=True, slots=True)
class NoticeView:
    id: int
    screening_id: int
    screening_ref: str
    person_name: str
    employer: str
    kind: str
    due_on: date
    sent_on: date
    read_on: date | None
    marking: Marking


@dataclass(frozen=True, slots=True)
class ScreeningDetail:
    screening: ScreeningStatus
    person_birth_date: date
    location: str | None
    vgb: VgbStatus | None
    notices: list[NoticeView]

    @property
    def markings(self) -> list[Marking]:
        found = [self.screening.marking, *(n.marking for n in self.notices)]
        return [*found, self.vgb.marking] if self.vgb else found


@dataclass(frozen=True, slots=True)
class Home:
    employer: str
    positions: list[PositionOption]
    screenings: list[ScreeningStatus]
    total: int
    notices: list[NoticeView]

    @property
    def markings(self) -> list[Marking]:
        return [
            *(p.marking for p in self.positions),
            *(s.marking for s in self.screenings),
            *(n.marking for n in self.notices),
        ]


# --- filters -------------------------------------------------------------------------------


def _screenings(principal: Principal, employer: str | None) -> ColumnElement[bool]:
    """Screenings the principal may read; for an employer, only its own."""
    cond = policy.read_filter(principal, SCREENING, Screening.marking_id)
    return and_(cond, Screening.employer == employer) if employer is not None else cond


def _own(principal: Principal) -> str | None:
    """The employer an employer's officer acts for; None for internal staff."""
    return access.employer_of(principal) if access.EMPLOYER in principal.roles else None


def _status(s: Screening, marking: Marking, today: date, pos: Position | None) -> ScreeningStatus:
    at = clock.position(
        status=s.status,
        received_on=s.received_on,
        due_on=s.due_on,
        suspended_since=s.suspended_since,
        today=today,
        suspended_days=s.suspended_days,
        decided_on=s.decided_on,
    )
    open_ = s.decided_on is None
    return ScreeningStatus(
        id=s.id,
        ref=s.ref,
        person_name=s.person_name,
        position_ref=pos.ref if pos else None,
        position_title=pos.title if pos else None,
        level=s.level,
        kind=s.kind,
        status=s.status,
        received_on=s.received_on,
        due_on=at.due_on if open_ else s.due_on,
        days_left=at.days_left if open_ else None,
        suspended=at.suspended,
        overdue=at.overdue,
        at_risk=at.at_risk,
        decided_on=s.decided_on,
        outcome=s.outcome,
        marking=marking,
    )


def _with_positions(
    session: Session, principal: Principal, rows: Iterable[Screening]
) -> dict[int, Position]:
    ids = {r.position_id for r in rows}
    if not ids:
        return {}
    found = session.scalars(
        select(Position).where(
            Position.id.in_(ids), policy.read_filter(principal, POSITION, Position.marking_id)
        )
    )
    return {p.id: p for p in found}


# --- the employer's home -------------------------------------------------------------------


def own_positions(session: Session, *, principal: Principal) -> list[PositionOption]:
    """The employer's designated (active) positions, for its home and its request form."""
    employer = access.employer_of(principal)
    rows = session.execute(
        select(Position, Location.name)
        .outerjoin(
            Location,
            and_(
                Location.id == Position.location_id,
                policy.read_filter(principal, POSITION, Location.marking_id),
            ),
        )
        .where(
            Position.employer == employer,
            Position.active.is_(True),
            policy.read_filter(principal, POSITION, Position.marking_id),
        )
        .order_by(Position.ref)
    ).all()
    marks = load(session, {p.marking_id for p, _ in rows})
    return [
        PositionOption(p.id, p.ref, p.title, p.level, loc, marks[p.marking_id]) for p, loc in rows
    ]


def own_screenings(
    session: Session, *, principal: Principal, today: date, page: int = 1
) -> tuple[list[ScreeningStatus], int]:
    """The employer's screenings, open ones first (soonest due), then the decided."""
    employer = access.employer_of(principal)
    cond = _screenings(principal, employer)
    total = session.scalar(select(func.count()).select_from(Screening).where(cond)) or 0
    rows = list(
        session.scalars(
            select(Screening)
            .where(cond)
            .order_by(
                Screening.decided_on.is_not(None),
                Screening.due_on,
                Screening.decided_on.desc(),
                Screening.id,
            )
            .offset((max(1, page) - 1) * PAGE)
            .limit(PAGE)
        )
    )
    marks = load(session, {r.marking_id for r in rows})
    positions = _with_positions(session, principal, rows)
    items = [_status(r, marks[r.marking_id], today, positions.get(r.position_id)) for r in rows]
    return items, total


def employer_screenings(
    session: Session, *, principal: Principal, today: date, page: int = 1
) -> list[ScreeningStatus]:
    """One page of the employer's screenings (the API), audited."""
    items, _ = own_screenings(session, principal=principal, today=today, page=page)
    audit.record(
        session,
        principal=principal,
        action="vetting.portal.list",
        kind=SCREENING,
        marking=summary(s.marking for s in items) if items else None,
        details={"ids": [s.id for s in items], "page": page},
    )
    return items


def _notices(
    session: Session,
    principal: Principal,
    *,
    employer: str | None,
    screening_id: int | None = None,
    unread: bool = False,
    limit: int = 200,
) -> list[NoticeView]:
    query = (
        select(DelayNotice, Screening.ref, Screening.person_name)
        .join(Screening, Screening.id == DelayNotice.screening_id)
        .where(
            policy.read_filter(principal, KIND, DelayNotice.marking_id),
            _screenings(principal, employer),
        )
    )
    if employer is not None:
        query = query.where(DelayNotice.employer == employer)
    if screening_id is not None:
        query = query.where(DelayNotice.screening_id == screening_id)
    if unread:
        query = query.where(DelayNotice.read_on.is_(None))
    rows = session.execute(
        query.order_by(DelayNotice.sent_on.desc(), DelayNotice.id.desc()).limit(limit)
    ).all()
    marks = load(session, {n.marking_id for n, _, _ in rows})
    return [
        NoticeView(
            id=n.id,
            screening_id=n.screening_id,
            screening_ref=ref,
            person_name=name,
            employer=n.employer,
            kind=n.kind,
            due_on=n.due_on,
            sent_on=n.sent_on,
            read_on=n.read_on,
            marking=marks[n.marking_id],
        )
        for n, ref, name in rows
    ]


def home(session: Session, *, principal: Principal, today: date, page: int = 1) -> Home:
    """Everything the employer's home shows, read and audited in one go."""
    employer = access.employer_of(principal)
    positions = own_positions(session, principal=principal)
    screenings, total = own_screenings(session, principal=principal, today=today, page=page)
    notices = _notices(session, principal, employer=employer, unread=True, limit=100)
    view = Home(employer, positions, screenings, total, notices)
    audit.record(
        session,
        principal=principal,
        action="vetting.portal.home",
        kind=SCREENING,
        marking=summary(view.markings) if view.markings else None,
        details={
            "employer": employer,
            "screenings": [s.id for s in screenings],
            "positions": [p.id for p in positions],
            "notices": [n.id for n in notices],
        },
    )
    return view


def screening_status(
    session: Session, *, principal: Principal, screening_id: int, today: date
) -> ScreeningDetail:
    """One of the employer's own screenings; another's answers as if it did not exist."""
    employer = access.employer_of(principal)
    row = session.scalar(
        select(Screening).where(Screening.id == screening_id, _screenings(principal, employer))
    )
    if row is None:
        raise LookupError(screening_id)
    positions = _with_positions(session, principal, [row])
    pos = positions.get(row.position_id)
    location = None
    if pos is not None and pos.location_id is not None:
        location = session.scalar(
            select(Location.name).where(
                Location.id == pos.location_id,
                policy.read_filter(principal, POSITION, Location.marking_id),
            )
        )
    vgb_row = session.execute(
        select(Vgb, Location.name)
        .outerjoin(
            Location,
            and_(
                Location.id == Vgb.location_id,
                policy.read_filter(principal, POSITION, Location.marking_id),
            ),
        )
        .where(
            Vgb.screening_id == row.id,
            Vgb.employer == employer,
            policy.read_filter(principal, SCREENING, Vgb.marking_id),
        )
    ).first()
    marks = load(session, {row.marking_id, *([vgb_row[0].marking_id] if vgb_row else [])})
    vgb = None
    if vgb_row is not None:
        v, loc = vgb_row
        vgb = VgbStatus(v.ref, v.scope, v.status, v.issued_on, v.ended_on, loc, marks[v.marking_id])
    detail = ScreeningDetail(
        screening=_status(row, marks[row.marking_id], today, pos),
        person_birth_date=row.person_birth_date,
        location=location,
        vgb=vgb,
        notices=_notices(session, principal, employer=employer, screening_id=row.id),
    )
    audit.record(
        session,
        principal=principal,
        action="vetting.portal.screening",
        kind=SCREENING,
        object_id=row.id,
        marking=summary(detail.markings),
    )
    return detail


# --- requests ------------------------------------------------------------------------------


def parse_birth_date(value: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise PortalError(N_("give the date of birth as YYYY-MM-DD")) from None


def request(
    session: Session,
    *,
    principal: Principal,
    position_id: int,
    person_name: str,
    person_birth_date: date,
    person_bsn: str,
    on: date | None = None,
) -> int:
    """Request a screening for one of the employer's designated positions (the
    screenings part checks the position, duplicates and the BSN); returns its id."""
    from baken.vetting.screenings import service as screenings

    access.employer_of(principal)
    found = screenings.request(
        session,
        principal,
        position_id=position_id,
        person_name=person_name,
        person_birth_date=person_birth_date,
        person_bsn=person_bsn,
        kind="new",
        on=on,
    )
    return int(found.id)


# --- delay notices -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Due:
    """A notice ``notify_delays`` would send."""

    screening_id: int
    employer: str
    kind: str
    due_on: date
    marking: Marking


def notice_marking(screening: Marking, employer: str) -> Marking:
    """Released to the employer, and at least as high as the screening it is about."""
    return policy.derived_marking([screening, access.employer_marking(employer)])


def _candidates(session: Session, principal: Principal, today: date) -> list[Screening]:
    """Open screenings whose term ends within the at-risk margin (or has passed). A
    suspended clock only pushes the due date on, so ``due_on`` bounds it from below."""
    margin = clock.Rules.load().at_risk_days
    return list(
        session.scalars(
            select(Screening)
            .where(
                Screening.decided_on.is_(None),
                Screening.due_on <= today + timedelta(days=margin),
                _screenings(principal, None),
            )
            .order_by(Screening.due_on, Screening.id)
        )
    )


def _due(s: Screening, marking: Marking, today: date) -> Due | None:
    at = clock.position(
        status=s.status,
        received_on=s.received_on,
        due_on=s.due_on,
        suspended_since=s.suspended_since,
        today=today,
        suspended_days=s.suspended_days,
        decided_on=s.decided_on,
    )
    if at.overdue:
        kind = "overdue"
    elif at.at_risk and not at.suspended:
        # A stopped clock has no fixed end yet: a notice would repeat every day.
        kind = "at_risk"
    else:
        return None
    return Due(s.id, s.employer, kind, s.due_on, notice_marking(marking, s.employer))


def notify_delays(
    session: Session,
    *,
    principal: Principal,
    today: date,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Send a notice to the employer for each open screening that is overdue or at risk
    of being late, once per screening, due date and kind; returns how many were sent.

    Both kinds are sent: the Awb (art. 4:14) wants the applicant told *before* the term
    ends that a decision will be late, so waiting for "overdue" alone is too late; the
    overdue notice follows when the term has passed. A new due date (after a suspension)
    is a new delay and gets its own notice.
    """
    if not policy.role_may_write(principal, KIND):
        raise policy.PolicyDenied(KIND)
    rows = _candidates(session, principal, today)
    marks = load(session, {r.marking_id for r in rows})
    wanted = [d for r in rows if (d := _due(r, marks[r.marking_id], today)) is not None]
    writable = [d for d in wanted if policy.can_write(principal, KIND, d.marking)]
    sent_before: set[tuple[int, date, str]] = set()
    for start in range(0, len(writable), 500):
        chunk = writable[start : start + 500]
        sent_before |= {
            (sid, due, kind)
            for sid, due, kind in session.execute(
                select(DelayNotice.screening_id, DelayNotice.due_on, DelayNotice.kind).where(
                    tuple_(DelayNotice.screening_id, DelayNotice.due_on, DelayNotice.kind).in_(
                        [(d.screening_id, d.due_on, d.kind) for d in chunk]
                    ),
                    policy.read_filter(principal, KIND, DelayNotice.marking_id),
                )
            )
        }
    sent: list[int] = []
    total = len(writable)
    for done, d in enumerate(writable, start=1):
        if (d.screening_id, d.due_on, d.kind) not in sent_before:
            notice = DelayNotice(
                screening_id=d.screening_id,
                employer=d.employer,
                kind=d.kind,
                due_on=d.due_on,
                sent_on=today,
                marking_id=intern(session, d.marking),
                sent_by=principal.id,
            )
            session.add(notice)
            session.flush()
            sent.append(notice.id)
            audit.record(
                session,
                principal=principal,
                action="vetting.delay.notify",
                kind=KIND,
                object_id=notice.id,
                marking=d.marking,
                details={"screening": d.screening_id, "kind": d.kind, "due_on": str(d.due_on)},
            )
        if progress is not None:
            progress(done, total)
    if progress is not None and not total:
        progress(0, 0)
    return len(sent)


def list_notices(session: Session, *, principal: Principal, limit: int = 200) -> list[NoticeView]:
    """The notices sent (officers: all they may read; an employer: its own)."""
    if not policy.role_may_read(principal, KIND):
        raise policy.PolicyDenied(KIND)
    items = _notices(session, principal, employer=_own(principal), limit=limit)
    audit.record(
        session,
        principal=principal,
        action="vetting.delay.list",
        kind=KIND,
        marking=summary(n.marking for n in items) if items else None,
        details={"ids": [n.id for n in items]},
    )
    return items


def mark_passed_on(session: Session, *, principal: Principal, notice_id: int, today: date) -> None:
    """The employer's officer has told the person: record the day (once). Another
    employer's notice answers as if it did not exist."""
    employer = access.employer_of(principal)
    found = session.execute(
        select(DelayNotice)
        .join(Screening, Screening.id == DelayNotice.screening_id)
        .where(
            DelayNotice.id == notice_id,
            DelayNotice.employer == employer,
            policy.read_filter(principal, KIND, DelayNotice.marking_id),
            _screenings(principal, employer),
        )
    ).scalar_one_or_none()
    if found is None:
        raise LookupError(notice_id)
    access.acts_for(principal, found.employer)
    if found.read_on is not None:
        return  # passed on already: sending the form twice changes nothing
    found.read_on, found.read_by = today, principal.id
    session.flush()
    marks = load(session, {found.marking_id})
    audit.record(
        session,
        principal=principal,
        action="vetting.delay.passed_on",
        kind=KIND,
        object_id=found.id,
        marking=marks[found.marking_id],
        details={"screening": found.screening_id},
    )
