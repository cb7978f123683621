"""Screenings: the request, intake with the officers on the case, the queues and the
case as its readers may see it.

Every read of a screening goes through :func:`visible` in the query: the kernel's read
filter, and for a party screening under mandate (KMar, Police) only the cases handled by
its own organisation. The file (checklist, partner, suspensions, decision steps) is in
:mod:`.file` and :mod:`.decisions`, readable only by the officers on the case. Writes
run in a savepoint (:func:`baken.core.refusals.savepoint`): a refusal undoes them and is
audited in the caller's transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, false, func, literal, select, true
from sqlalchemy.orm import Session

from baken.core import audit, policy, refusals
from baken.core.errors import DomainError
from baken.core.i18n import N_
from baken.core.marking_store import intern, load, load_one
from baken.core.markings import Marking
from baken.core.models import User
from baken.core.principals import Principal
from baken.core.references import next_reference
from baken.core.users import to_principal
from baken.vetting import access, bsn
from baken.vetting.positions import service as positions
from baken.vetting.positions.models import Position
from baken.vetting.screenings import clock
from baken.vetting.screenings.models import CaseOfficer, Screening, Vgb

KIND = "veiligheidsonderzoek"
FILE = "vo_dossier"
PAGE = 50
CAP = 1000  # tab counts are exact up to this many
KINDS = ("new", "renewal")
DECIDED = ("decided", "objection", "appeal", "higher_appeal")
# Queue tabs: the code in ?wachtrij= and what it holds.
TABS = ("mijn", "intake", "te-laat", "risico", "opgeschort", "besloten", "alle")
RUNNING = ("requested", "investigation", "intended_refusal")  # the clock runs
OLDEST = 110  # years: an older birth date is a typing error
YOUNGEST = 15  # years: no one younger takes a vertrouwensfunctie


class ScreeningsError(DomainError):
    """A screening action refused for a domain reason (the message says why)."""


# --- who sees what -------------------------------------------------------------------------


def mandated_only(principal: Principal) -> bool:
    return access.MANDATED in principal.roles and access.SCREENER not in principal.roles


def visible(principal: Principal) -> list[ColumnElement[bool]]:
    """WHERE clauses for the screenings the principal may read."""
    conds = [policy.read_filter(principal, KIND, Screening.marking_id)]
    if principal.is_external and not principal.is_overseer:
        # Implied by the marking (released to the employer); lets the index narrow it.
        conds.append(Screening.employer == (principal.organisation or ""))
    if mandated_only(principal):
        conds.append(Screening.handled_by == (principal.organisation or ""))
    return conds


def visible_ids(principal: Principal) -> Any:
    return select(Screening.id).where(*visible(principal))


def on_case(principal: Principal) -> ColumnElement[bool]:
    """Screenings whose file the principal may read: on the case, or the oversight."""
    if principal.is_overseer:
        return true()
    return Screening.id.in_(
        select(CaseOfficer.screening_id).where(CaseOfficer.user_id == principal.id)
    )


def file_ids(principal: Principal) -> Any:
    """SELECT of the ids of screenings whose file the principal may read."""
    if not policy.role_may_read(principal, FILE):
        return select(Screening.id).where(false())
    return select(Screening.id).where(*visible(principal), on_case(principal))


def row(session: Session, principal: Principal, screening_id: int) -> Screening:
    """A screening the principal may read; unknown and unreadable alike are LookupError."""
    found = session.scalar(
        select(Screening).where(Screening.id == screening_id, *visible(principal))
    )
    if found is None:
        raise LookupError(screening_id)
    return found


def writable(session: Session, principal: Principal, screening_id: int) -> Screening:
    """A screening the principal may read and change as staff (not as an employer)."""
    found = row(session, principal, screening_id)
    policy.require_write(principal, KIND, load_one(session, found.marking_id))
    return found


def require_on_case(session: Session, principal: Principal, screening: Screening) -> None:
    found = session.scalar(
        select(CaseOfficer.id).where(
            CaseOfficer.screening_id == screening.id, CaseOfficer.user_id == principal.id
        )
    )
    if found is None:
        raise policy.PolicyDenied(FILE)
    policy.require_write(principal, FILE, access.file_marking())


# --- the request ----------------------------------------------------------------------------


def _position(session: Session, principal: Principal, position_id: int, on: date) -> Position:
    """The position, if designated on ``on`` (the positions part decides)."""
    try:
        return positions.designated(session, principal, position_id, on)
    except DomainError as exc:
        raise ScreeningsError(exc.message, **exc.params) from None
    except LookupError:
        raise ScreeningsError(N_("this position is unknown or not designated")) from None


def check_bsn(value: str) -> str:
    number = bsn.normalise(value or "")
    if not bsn.valid(number):
        raise ScreeningsError(
            N_("{value} is not a valid BSN: nine digits that pass the eleven-test"),
            value=(value or "").strip()[:20] or "''",
        )
    return number


def _check_person(name: str, birth: date, on: date) -> str:
    clean = " ".join((name or "").split())
    if not clean:
        raise ScreeningsError(N_("give the name of the person to be screened"))
    if len(clean) > 200:
        raise ScreeningsError(N_("the name is longer than 200 characters"))
    if birth > on:
        raise ScreeningsError(N_("the date of birth lies in the future"))
    age = on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))
    if age < YOUNGEST or age > OLDEST:
        raise ScreeningsError(
            N_("a date of birth of {day} is not plausible (age {age})"),
            day=birth.isoformat(),
            age=age,
        )
    return clean


def next_ref(session: Session, prefix: str, column: Any, year: int) -> str:
    """The next reference of the year: one past the highest in use (refs are never
    reused, so a deleted row cannot make two alike)."""
    return next_reference(session, column, f"{prefix}-{year}-", 6)


def request(
    session: Session,
    principal: Principal,
    *,
    position_id: int,
    person_name: str,
    person_birth_date: date,
    person_bsn: str,
    kind: str = "new",
    on: date | None = None,
) -> Screening:
    """Register a request for a screening. An employer's security officer asks for its
    own positions; a screening officer may register a request for any employer."""
    day = on or date.today()
    with refusals.savepoint(session, principal=principal, action="screening.request", kind=KIND):
        return _request(
            session, principal, position_id, person_name, person_birth_date, person_bsn, kind, day
        )


def _request(
    session: Session,
    principal: Principal,
    position_id: int,
    person_name: str,
    person_birth_date: date,
    person_bsn: str,
    kind: str,
    day: date,
) -> Screening:
    if access.EMPLOYER not in principal.roles and access.SCREENER not in principal.roles:
        raise policy.PolicyDenied(KIND)
    if kind not in KINDS:
        raise ScreeningsError(N_("unknown kind of screening {kind}"), kind=kind)
    name = _check_person(person_name, person_birth_date, day)
    number = check_bsn(person_bsn)
    position = _position(session, principal, position_id, day)
    marking = access.employer_marking(position.employer)
    if access.EMPLOYER in principal.roles:
        access.acts_for(principal, position.employer)
    else:
        policy.require_write(principal, KIND, marking)
    duplicate = session.scalar(
        select(Screening.ref).where(
            Screening.person_bsn == number,
            Screening.position_id == position.id,
            Screening.status.in_(clock.OPEN),
        )
    )
    if duplicate is not None:
        raise ScreeningsError(
            N_("there is already an open screening {ref} for this person and position"),
            ref=duplicate,
        )
    if kind == "renewal":
        held = session.scalar(
            select(Vgb.id).where(Vgb.person_bsn == number, Vgb.status == "valid").limit(1)
        )
        if held is None:
            raise ScreeningsError(
                N_("a renewed screening is for a holder of a valid VGB; this person holds none")
            )
    screening = Screening(
        ref=next_ref(session, "VO", Screening.ref, day.year),
        position_id=position.id,
        employer=position.employer,
        level=position.level,
        kind=kind,
        person_name=name,
        person_birth_date=person_birth_date,
        person_bsn=number,
        status="requested",
        handled_by="UVO",
        received_on=day,
        due_on=clock.due(day),
        suspended_days=0,
        marking_id=intern(session, marking),
        requested_by=principal.id,
    )
    session.add(screening)
    session.flush()
    audit.record(
        session,
        principal=principal,
        action="screening.request",
        kind=KIND,
        object_id=screening.id,
        marking=marking,
        details={"ref": screening.ref, "position": position.id, "kind": kind},
    )
    return screening


# --- intake and the mandate -----------------------------------------------------------------


def _officer(session: Session, user_id: int, screening: Screening) -> Principal:
    user = session.get(User, user_id)
    officer = to_principal(user) if user is not None and not user.disabled else None
    ok = officer is not None and policy.can_read(officer, FILE, access.file_marking())
    if officer is not None and ok:
        if screening.handled_by == "UVO":
            ok = access.SCREENER in officer.roles
        else:
            ok = officer.organisation == screening.handled_by
    if officer is None or not ok:
        raise ScreeningsError(
            N_("user {user} cannot be an officer on this case"), user=str(user_id)
        )
    return officer


def assign(
    session: Session,
    principal: Principal,
    screening: Screening,
    officer_ids: list[int],
) -> None:
    """Put officers on the case (they alone read its file)."""
    present = set(
        session.scalars(select(CaseOfficer.user_id).where(CaseOfficer.screening_id == screening.id))
    )
    for user_id in dict.fromkeys(officer_ids):
        _officer(session, user_id, screening)
        if user_id not in present:
            session.add(
                CaseOfficer(screening_id=screening.id, user_id=user_id, assigned_by=principal.id)
            )
    session.flush()


def _staff(principal: Principal) -> None:
    if not ({access.SCREENER, access.MANDATED} & principal.roles) or principal.is_external:
        raise policy.PolicyDenied(KIND)


def intake(
    session: Session,
    principal: Principal,
    *,
    screening_id: int,
    officer_ids: list[int] | None = None,
    on: date | None = None,
) -> Screening:
    """Take a request in: the officers on the case (at least the one doing intake), the
    checklist of the level, and the investigation begins."""
    from baken.vetting.screenings import file

    day = on or date.today()
    with refusals.savepoint(
        session, principal=principal, action="screening.intake", kind=KIND, object_id=screening_id
    ):
        _staff(principal)
        screening = writable(session, principal, screening_id)
        if screening.status != "requested":
            raise ScreeningsError(N_("only a request that has not been taken in can be taken in"))
        if day < screening.received_on:
            raise ScreeningsError(N_("intake cannot be before the request was received"))
        assign(session, principal, screening, [principal.id, *(officer_ids or [])])
        file.open_checklist(session, principal, screening)
        screening.status = "investigation"
        session.flush()
        audit.record(
            session,
            principal=principal,
            action="screening.intake",
            kind=KIND,
            object_id=screening.id,
            marking=load_one(session, screening.marking_id),
            details={"officers": sorted(set([principal.id, *(officer_ids or [])]))},
        )
        return screening


def add_officers(
    session: Session, principal: Principal, *, screening_id: int, officer_ids: list[int]
) -> None:
    with refusals.savepoint(
        session, principal=principal, action="screening.assign", kind=KIND, object_id=screening_id
    ):
        _staff(principal)
        screening = writable(session, principal, screening_id)
        require_on_case(session, principal, screening)
        assign(session, principal, screening, officer_ids)
        audit.record(
            session,
            principal=principal,
            action="screening.assign",
            kind=FILE,
            object_id=screening.id,
            marking=access.file_marking(),
            details={"officers": sorted(officer_ids)},
        )


def mandate(session: Session, principal: Principal, *, screening_id: int, party: str) -> Screening:
    """Give a B-level request to a party screening under mandate (KMar, Police)."""
    with refusals.savepoint(
        session, principal=principal, action="screening.mandate", kind=KIND, object_id=screening_id
    ):
        if access.SCREENER not in principal.roles:
            raise policy.PolicyDenied(KIND)
        screening = writable(session, principal, screening_id)
        if party not in access.mandated_parties():
            raise ScreeningsError(N_("{party} does not screen under mandate"), party=party)
        if screening.level != "B":
            raise ScreeningsError(N_("only B-level screenings are run under mandate"))
        if screening.status != "requested":
            raise ScreeningsError(N_("only a request that has not been taken in can be mandated"))
        screening.handled_by = party
        session.flush()
        audit.record(
            session,
            principal=principal,
            action="screening.mandate",
            kind=KIND,
            object_id=screening.id,
            marking=load_one(session, screening.marking_id),
            details={"party": party},
        )
        return screening


# --- queues ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    id: int
    ref: str
    person_name: str
    employer: str
    level: str
    kind: str
    status: str
    handled_by: str
    received_on: date
    due_on: date
    decided_on: date | None
    outcome: str | None
    clock: clock.Position
    marking: Marking


def _tab_filter(tab: str, principal: Principal, today: date) -> ColumnElement[bool]:
    risk = today + timedelta(days=clock.Rules.load().at_risk_days)
    s = Screening
    match tab:
        case "mijn":
            return s.status.in_(clock.OPEN) & s.id.in_(
                select(CaseOfficer.screening_id).where(CaseOfficer.user_id == principal.id)
            )
        case "intake":
            return s.status == "requested"
        case "te-laat":
            return s.status.in_(RUNNING) & (s.due_on < today)
        case "risico":
            return s.status.in_(RUNNING) & (s.due_on >= today) & (s.due_on <= risk)
        case "opgeschort":
            return s.status == "suspended"
        case "besloten":
            return s.status.in_(DECIDED)
        case "alle":
            return true()
    raise ScreeningsError(N_("unknown queue {tab}"), tab=tab)


def to_row(screening: Screening, marking: Marking, today: date) -> Row:
    return Row(
        id=screening.id,
        ref=screening.ref,
        person_name=screening.person_name,
        employer=screening.employer,
        level=screening.level,
        kind=screening.kind,
        status=screening.status,
        handled_by=screening.handled_by,
        received_on=screening.received_on,
        due_on=screening.due_on,
        decided_on=screening.decided_on,
        outcome=screening.outcome,
        clock=clock.position(
            status=screening.status,
            received_on=screening.received_on,
            due_on=screening.due_on,
            suspended_since=screening.suspended_since,
            suspended_days=screening.suspended_days,
            decided_on=screening.decided_on,
            today=today,
        ),
        marking=marking,
    )


@dataclass(frozen=True)
class Queue:
    tab: str
    page: int
    pages: int
    counts: dict[str, int]
    rows: list[Row]
    more: bool = False  # a next page exists

    def shown(self, tab: str) -> str:
        n = self.counts[tab]
        return f"{CAP}+" if n > CAP else str(n)


# The queues of those who work on cases; an employer or the oversight has no cases of
# its own and takes no requests in, so it gets the others only.
STAFF_ONLY = ("mijn", "intake")


def tabs_for(principal: Principal) -> tuple[str, ...]:
    if {access.SCREENER, access.MANDATED} & principal.roles:
        return TABS
    return tuple(t for t in TABS if t not in STAFF_ONLY)


def counts(session: Session, principal: Principal, today: date) -> dict[str, int]:
    """How many readable screenings each of the reader's tabs holds, counted up to
    :data:`CAP` (a bigger number reads as "more than CAP"): one statement, each count a
    bounded index range scan, so the worklist stays fast however many cases there are."""
    tabs = tabs_for(principal)
    columns = []
    for tab in tabs:
        bounded = (
            select(literal(1))
            .select_from(Screening)
            .where(*visible(principal), _tab_filter(tab, principal, today))
            .limit(CAP + 1)
            .subquery()
        )
        columns.append(select(func.count()).select_from(bounded).scalar_subquery())
    found = session.execute(select(*columns)).one()
    return {tab: int(n) for tab, n in zip(tabs, found, strict=True)}


def queue(
    session: Session, principal: Principal, *, tab: str = "mijn", page: int = 1, today: date
) -> Queue:
    """One page of a tab of the worklist, the earliest due first."""
    if tab not in tabs_for(principal):
        raise ScreeningsError(N_("unknown queue {tab}"), tab=tab)
    where = _tab_filter(tab, principal, today)
    totals = counts(session, principal, today)
    pages = max(1, (min(totals[tab], CAP) + PAGE - 1) // PAGE)
    page = max(1, page) if totals[tab] > CAP else min(max(1, page), pages)
    found = list(
        session.scalars(
            select(Screening)
            .where(*visible(principal), where)
            .order_by(Screening.due_on, Screening.id)
            .limit(PAGE + 1)
            .offset((page - 1) * PAGE)
        )
    )
    more = len(found) > PAGE
    found = found[:PAGE]
    markings = load(session, {s.marking_id for s in found})
    rows = [to_row(s, markings[s.marking_id], today) for s in found]
    audit.record(
        session,
        principal=principal,
        action="screening.list",
        kind=KIND,
        details={"tab": tab, "page": page, "ids": [r.id for r in rows]},
    )
    return Queue(tab=tab, page=page, pages=max(pages, page), counts=totals, rows=rows, more=more)


def status(session: Session, principal: Principal, *, screening_id: int, today: date) -> Row:
    """What an employer (and any reader) may know of a case: status, dates, outcome."""
    screening = row(session, principal, screening_id)
    marking = load_one(session, screening.marking_id)
    audit.record(
        session,
        principal=principal,
        action="screening.read",
        kind=KIND,
        object_id=screening.id,
        marking=marking,
    )
    return to_row(screening, marking, today)


def officer_choices(session: Session, screening: Screening) -> list[User]:
    """Staff who could be put on the case (for the form); not marked data."""
    from baken.core.models import UserRole

    role = access.SCREENER if screening.handled_by == "UVO" else access.MANDATED
    query = (
        select(User)
        .join(UserRole, UserRole.user_id == User.id)
        .where(UserRole.role == role, User.disabled.is_(False))
        .order_by(User.display_name)
        .limit(200)
    )
    if screening.handled_by != "UVO":
        query = query.where(User.organisation == screening.handled_by)
    return list(session.scalars(query))
