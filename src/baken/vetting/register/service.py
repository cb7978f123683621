"""The register of active vertrouwensfunctionarissen (amended Wvo).

An employer's security officer registers one of its staff at one of its own positions of
trust, and deregisters them; a screening officer (UVO) may do either for any employer.
A registration rests on a valid VGB that covers the position:

- a function-bound VGB (scope ``function``) covers only its own position at its own
  employer, and LAPSES when the person is deregistered (a change of function or
  employer ends it: the Wvo today);
- a location-bound VGB (scope ``location``) covers every position at the same designated
  location whose level is not deeper than the VGB's (A > B > C), at any employer, and
  stays valid when the person changes employer or function within the location.

Whether a VGB covers a position is a check of the register itself: it looks at the
person's VGBs whatever their marking, but answers only "covered" or the refusal, and the
entry keeps a copy of the VGB's ref, scope and level (released with the entry) so that a
new employer at the location never reads the VGB, which is released to the employer it
was issued for.

A move within a location (:func:`change`, :func:`move_in`) ends the old entry and
registers the new one on the same date in one unit of work; it is refused, with nothing
changed, unless the VGB is location-bound and covers the new position. Who may move:

- a screening officer, for any employer (:func:`change`, by entry);
- the employer whose entry it is, into another of its own positions at the location
  (:func:`change`, by entry: old and new employer are the same);
- the NEW employer, into its own position (:func:`move_in`): it cannot read the old
  employer's entry, so it names the person's BSN and the VGB's ref (which the person
  shows it); the old employer's entry ends on the same date. The old employer cannot move
  its staff into another employer's position: it can only deregister them.

A withdrawn VGB (art. 10) ends every active entry that stands on it, on the date of the
withdrawal (:func:`end_for_withdrawal`, called by the withdrawal itself): whatever employer
holds the entry, as the move's old entry is ended (ADR 0014), and each ending is audited.

Every look-up (:func:`by_person`, :func:`by_employer`, :func:`by_location`) is one indexed,
paginated query through the read filter and is audited (``register.lookup``, with the
query), also when nothing is found; an employer sees only its own organisation's entries.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from baken.core import audit, policy
from baken.core.errors import DomainError
from baken.core.i18n import N_
from baken.core.marking_store import intern, load_one
from baken.core.markings import Marking
from baken.core.principals import Principal
from baken.vetting import access, bsn
from baken.vetting.positions import service as positions
from baken.vetting.positions.models import Position
from baken.vetting.register.models import RegisterEntry
from baken.vetting.screenings.models import Vgb

KIND = "registerinschrijving"
VGB_KIND = "veiligheidsonderzoek"
PAGE = 50
LAPSE_REASON = "change of function or employer"
WITHDRAWAL_REASON = N_("VGB withdrawn")
# Reasons the system writes (shown translated); an officer's or employer's own reason is
# shown as typed.
SYSTEM_REASONS = frozenset({WITHDRAWAL_REASON})
DUPLICATE = N_("this person is already registered at this position")


class RegisterError(DomainError):
    """A register action refused for a domain reason (the message says why)."""


@dataclass(frozen=True)
class Page:
    rows: list[RegisterEntry]
    page: int
    more: bool


@dataclass(frozen=True)
class VgbFacts:
    """What an entry's reader may know of its VGB: ref, scope and level always (a copy
    kept with the entry), the status only when the VGB itself is readable."""

    ref: str
    scope: str
    level: str
    status: str | None
    issued_on: date | None


# --- checks --------------------------------------------------------------------------------


def check_bsn(value: str) -> str:
    """The normalised BSN, or the refusal (the eleven-test)."""
    number = bsn.normalise(value or "")
    if not bsn.valid(number):
        raise RegisterError(
            N_("{bsn} is not a valid BSN (nine digits that pass the eleven-test)"),
            bsn=(value or "").strip()[:20],
        )
    return number


def _not_future(on: date, today: date) -> None:
    if on > today:
        raise RegisterError(N_("the date {date} lies in the future"), date=on.isoformat())


def _may_act(principal: Principal, employer: str) -> None:
    """An employer's officer for its own organisation, or a screening officer."""
    if access.EMPLOYER in principal.roles:
        access.acts_for(principal, employer)
        return
    policy.require_write(principal, KIND, access.employer_marking(employer))


def levels_covered_by(level: str) -> tuple[str, ...]:
    """The levels a VGB at ``level`` covers: its own and the shallower ones."""
    return positions.LEVELS[positions.LEVELS.index(level) :]


def levels_covering(level: str) -> tuple[str, ...]:
    """The VGB levels that cover a position at ``level``: its own and the deeper ones."""
    return positions.LEVELS[: positions.LEVELS.index(level) + 1]


def covers(vgb: Vgb, position: Position) -> bool:
    if vgb.status != "valid":
        return False
    if vgb.scope == "function":
        return vgb.position_id == position.id and vgb.employer == position.employer
    return (
        vgb.scope == "location"
        and position.location_id is not None
        and vgb.location_id == position.location_id
        and positions.deeper_or_equal(vgb.level, position.level)
    )


def _covering(
    session: Session, number: str, position: Position, vgb_ref: str | None
) -> Select[Vgb]:
    # The register's own check (see the module docstring): not a read shown to anyone.
    bound: list[ColumnElement[bool]] = [
        (Vgb.scope == "function")
        & (Vgb.position_id == position.id)
        & (Vgb.employer == position.employer)
    ]
    if position.location_id is not None:
        bound.append(
            (Vgb.scope == "location")
            & (Vgb.location_id == position.location_id)
            & Vgb.level.in_(levels_covering(position.level))
        )
    query = select(Vgb).where(Vgb.person_bsn == number, Vgb.status == "valid", or_(*bound))
    if vgb_ref:
        query = query.where(Vgb.ref == vgb_ref.strip())
    return query.order_by(Vgb.issued_on.desc(), Vgb.id.desc())


def _vgb_for(
    session: Session, number: str, position: Position, on: date, vgb_ref: str | None
) -> Vgb:
    found = list(session.scalars(_covering(session, number, position, vgb_ref)))
    if not found:
        raise RegisterError(N_("no valid VGB for this person and position"))
    usable = [v for v in found if v.issued_on <= on]
    if not usable:
        raise RegisterError(
            N_("the registration date lies before the VGB was issued ({date})"),
            date=min(v.issued_on for v in found).isoformat(),
        )
    return usable[0]


def _active_at(session: Session, number: str, position_id: int) -> RegisterEntry | None:
    return session.scalar(
        select(RegisterEntry).where(
            RegisterEntry.person_bsn == number,
            RegisterEntry.position_id == position_id,
            RegisterEntry.deregistered_on.is_(None),
        )
    )


# --- register and deregister ----------------------------------------------------------------


def _enter(
    session: Session,
    principal: Principal,
    *,
    vgb: Vgb,
    position: Position,
    on: date,
    previous: RegisterEntry | None = None,
) -> RegisterEntry:
    if _active_at(session, vgb.person_bsn, position.id) is not None:
        raise RegisterError(DUPLICATE)
    marking = access.employer_marking(position.employer)
    row = RegisterEntry(
        vgb_id=vgb.id,
        person_name=vgb.person_name,
        person_bsn=vgb.person_bsn,
        employer=position.employer,
        position_id=position.id,
        location_id=position.location_id,
        registered_on=on,
        deregister_reason="",
        marking_id=intern(session, marking),
        registered_by=principal.id,
        vgb_ref=vgb.ref,
        vgb_scope=vgb.scope,
        vgb_level=vgb.level,
        previous_id=previous.id if previous is not None else None,
    )
    # Two registrations at the same moment both pass the check above; the partial unique
    # index (one active entry per person and position) refuses the second.
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:
        raise RegisterError(DUPLICATE) from None
    audit.record(
        session,
        principal=principal,
        action="register.create",
        kind=KIND,
        object_id=row.id,
        marking=marking,
        details={"position": position.ref, "vgb": vgb.ref, "on": on.isoformat()},
    )
    return row


def register(
    session: Session,
    principal: Principal,
    *,
    bsn: str,
    position_id: int,
    on: date,
    vgb_ref: str | None = None,
    today: date | None = None,
) -> RegisterEntry:
    """Register a person at a position of trust on ``on``, on the strength of a valid VGB
    that covers the position (the newest one, or the one named by ``vgb_ref``)."""
    number = check_bsn(bsn)
    _not_future(on, today or date.today())
    position = positions.designated(session, principal, position_id, on)
    _may_act(principal, position.employer)
    vgb = _vgb_for(session, number, position, on, vgb_ref)
    return _enter(session, principal, vgb=vgb, position=position, on=on)


def _entry(session: Session, principal: Principal, entry_id: int) -> RegisterEntry:
    row = session.scalar(
        select(RegisterEntry).where(
            RegisterEntry.id == entry_id,
            policy.read_filter(principal, KIND, RegisterEntry.marking_id),
        )
    )
    if row is None:
        raise RegisterError(N_("no such register entry"))
    return row


def _end(
    session: Session,
    principal: Principal,
    entry: RegisterEntry,
    *,
    on: date,
    reason: str,
    lapse: bool,
) -> None:
    if entry.deregistered_on is not None:
        raise RegisterError(N_("this person is no longer registered here"))
    if on < entry.registered_on:
        raise RegisterError(
            N_("the deregistration date lies before the registration ({date})"),
            date=entry.registered_on.isoformat(),
        )
    entry.deregistered_on, entry.deregister_reason = on, reason
    entry.deregistered_by = principal.id
    vgb = session.get(Vgb, entry.vgb_id)
    lapsed = False
    if lapse and vgb is not None and vgb.scope == "function" and vgb.status == "valid":
        vgb.status, vgb.ended_on, vgb.end_reason = "lapsed", on, LAPSE_REASON
        lapsed = True
    session.flush()
    audit.record(
        session,
        principal=principal,
        action="register.deregister",
        kind=KIND,
        object_id=entry.id,
        marking=load_one(session, entry.marking_id),
        details={"on": on.isoformat(), "reason": reason, "vgb_lapsed": lapsed},
    )
    if lapsed and vgb is not None:
        audit.record(
            session,
            principal=principal,
            action="vgb.lapse",
            kind=VGB_KIND,
            object_id=vgb.id,
            marking=load_one(session, vgb.marking_id),
            details={"ref": vgb.ref, "on": on.isoformat(), "reason": LAPSE_REASON},
        )


def end_for_withdrawal(session: Session, principal: Principal, vgb: Vgb, *, on: date) -> int:
    """End every active entry standing on ``vgb``, withdrawn on ``on``: the person may no
    longer hold a position of trust on it. An entry registered after ``on`` (a withdrawal
    dated back) ends on its own registration date. Deliberately not through the read
    filter (ADR 0014): the withdrawal must end the entries of every employer. Returns how
    many entries were ended."""
    rows = session.scalars(
        select(RegisterEntry)
        .where(RegisterEntry.vgb_id == vgb.id, RegisterEntry.deregistered_on.is_(None))
        .order_by(RegisterEntry.id)
    ).all()
    for entry in rows:
        _end(
            session,
            principal,
            entry,
            on=max(on, entry.registered_on),
            reason=WITHDRAWAL_REASON,
            lapse=False,
        )
    return len(rows)


def deregister(
    session: Session,
    principal: Principal,
    entry_id: int,
    *,
    on: date,
    reason: str,
    today: date | None = None,
) -> RegisterEntry:
    """Deregister a person (the employer for its own staff, or a screening officer). A
    function-bound VGB lapses; a location-bound VGB stays valid."""
    entry = _entry(session, principal, entry_id)
    _may_act(principal, entry.employer)
    text = (reason or "").strip()
    if not text:
        raise RegisterError(N_("give a reason for the deregistration"))
    _not_future(on, today or date.today())
    _end(session, principal, entry, on=on, reason=text, lapse=True)
    return entry


def _move(
    session: Session,
    principal: Principal,
    entry: RegisterEntry,
    *,
    new_position_id: int,
    on: date,
    today: date,
) -> RegisterEntry:
    _not_future(on, today)
    position = positions.designated(session, principal, new_position_id, on)
    _may_act(principal, position.employer)
    if position.id == entry.position_id:
        raise RegisterError(N_("this person is already registered at this position"))
    vgb = session.get(Vgb, entry.vgb_id)
    if vgb is None or vgb.scope != "location" or not covers(vgb, position):
        raise RegisterError(
            N_(
                "only a valid location-bound VGB covering the new position allows a move"
                " within the location; otherwise deregister and request a new screening"
            )
        )
    _end(
        session,
        principal,
        entry,
        on=on,
        reason=f"overstap naar {position.ref} ({position.employer})",
        lapse=False,
    )
    return _enter(session, principal, vgb=vgb, position=position, on=on, previous=entry)


def change(
    session: Session,
    principal: Principal,
    entry_id: int,
    *,
    new_position_id: int,
    on: date,
    today: date | None = None,
) -> RegisterEntry:
    """Move a registered person to another position within the location, by entry: a
    screening officer for any employer, or the employer whose entry it is into one of its
    own positions (see the module docstring). Returns the new entry."""
    entry = _entry(session, principal, entry_id)
    if access.EMPLOYER in principal.roles:
        access.acts_for(principal, entry.employer)
    return _move(
        session,
        principal,
        entry,
        new_position_id=new_position_id,
        on=on,
        today=today or date.today(),
    )


def move_in(
    session: Session,
    principal: Principal,
    *,
    bsn: str,
    vgb_ref: str,
    new_position_id: int,
    on: date,
    today: date | None = None,
) -> RegisterEntry:
    """The NEW employer registers a person who moves to it within the location, naming
    the person's BSN and VGB ref; the old entry (at any employer) ends on ``on``."""
    number = check_bsn(bsn)
    ref = (vgb_ref or "").strip()
    if not ref:
        raise RegisterError(N_("name the VGB of the person"))
    # The register's own check: the active entry under that VGB, whoever's it is.
    entry = session.scalar(
        select(RegisterEntry)
        .join(Vgb, Vgb.id == RegisterEntry.vgb_id)
        .where(
            RegisterEntry.person_bsn == number,
            Vgb.ref == ref,
            RegisterEntry.deregistered_on.is_(None),
        )
        .order_by(RegisterEntry.id.desc())
        .limit(1)
    )
    if entry is None:
        raise RegisterError(N_("no valid VGB for this person and position"))
    return _move(
        session,
        principal,
        entry,
        new_position_id=new_position_id,
        on=on,
        today=today or date.today(),
    )


# --- reading ---------------------------------------------------------------------------------


def get(session: Session, principal: Principal, entry_id: int) -> RegisterEntry:
    """A readable entry (audited), else the refusal."""
    row = _entry(session, principal, entry_id)
    audit.record(
        session,
        principal=principal,
        action="register.read",
        kind=KIND,
        object_id=row.id,
        marking=load_one(session, row.marking_id),
    )
    return row


def vgb_facts(session: Session, principal: Principal, entry: RegisterEntry) -> VgbFacts:
    """The entry's VGB as its reader may know it (see :class:`VgbFacts`)."""
    vgb = session.scalar(
        select(Vgb).where(
            Vgb.id == entry.vgb_id, policy.read_filter(principal, VGB_KIND, Vgb.marking_id)
        )
    )
    if vgb is None:
        return VgbFacts(entry.vgb_ref, entry.vgb_scope, entry.vgb_level, None, None)
    audit.record(
        session,
        principal=principal,
        action="vgb.read",
        kind=VGB_KIND,
        object_id=vgb.id,
        marking=load_one(session, vgb.marking_id),
        details={"via": "register"},
    )
    return VgbFacts(vgb.ref, vgb.scope, vgb.level, vgb.status, vgb.issued_on)


def history(session: Session, principal: Principal, entry: RegisterEntry) -> list[RegisterEntry]:
    """The readable entries of the same person under the same VGB, oldest first."""
    return list(
        session.scalars(
            select(RegisterEntry)
            .where(
                RegisterEntry.person_bsn == entry.person_bsn,
                RegisterEntry.vgb_id == entry.vgb_id,
                policy.read_filter(principal, KIND, RegisterEntry.marking_id),
            )
            .order_by(RegisterEntry.registered_on, RegisterEntry.id)
            .limit(PAGE)
        )
    )


def _lookup(
    session: Session,
    principal: Principal,
    *,
    by: str,
    query_value: str,
    cond: ColumnElement[bool],
    active: bool,
    page: int,
) -> Page:
    page = max(page, 1)
    query = select(RegisterEntry).where(
        cond, policy.read_filter(principal, KIND, RegisterEntry.marking_id)
    )
    if active:
        query = query.where(RegisterEntry.deregistered_on.is_(None)).order_by(
            RegisterEntry.id.desc()
        )
    else:
        query = query.where(RegisterEntry.deregistered_on.is_not(None)).order_by(
            RegisterEntry.deregistered_on.desc(), RegisterEntry.id.desc()
        )
    rows = list(session.scalars(query.offset((page - 1) * PAGE).limit(PAGE + 1)))
    audit.record(
        session,
        principal=principal,
        action="register.lookup",
        kind=KIND,
        details={
            "by": by,
            "query": query_value,
            "active": active,
            "page": page,
            "count": min(len(rows), PAGE),
        },
    )
    return Page(rows[:PAGE], page, len(rows) > PAGE)


def _refuse_lookup(session: Session, principal: Principal, by: str, value: str) -> None:
    audit.record(
        session,
        principal=principal,
        action="register.lookup",
        kind=KIND,
        outcome="refused",
        details={"by": by, "query": value},
    )


def lookup(
    session: Session,
    principal: Principal,
    *,
    bsn: str | None = None,
    employer: str | None = None,
    location_id: int | None = None,
    active: bool = True,
    page: int = 1,
) -> Page:
    """Entries matching every criterion given (BSN, employer, location), active or past,
    one page at a time; audited with the query, also when nothing is found. An employer
    sees only its own organisation's entries (the read filter); asking for another
    organisation's staff by employer is refused (and the refusal is on record)."""
    by: list[str] = []
    values: list[str] = []
    conds: list[ColumnElement[bool]] = []
    if bsn:
        try:
            number = check_bsn(bsn)
        except RegisterError:
            _refuse_lookup(session, principal, "person", bsn.strip()[:20])
            raise
        by.append("person")
        values.append(number)
        conds.append(RegisterEntry.person_bsn == number)
    if employer:
        if access.EMPLOYER in principal.roles and principal.organisation != employer:
            _refuse_lookup(session, principal, "employer", employer)
            raise RegisterError(N_("you can only look up the staff of your own organisation"))
        by.append("employer")
        values.append(employer)
        conds.append(RegisterEntry.employer == employer)
    if location_id is not None:
        by.append("location")
        values.append(str(location_id))
        conds.append(RegisterEntry.location_id == location_id)
    if not conds:
        raise RegisterError(N_("search by BSN, employer or location"))
    return _lookup(
        session,
        principal,
        by="+".join(by),
        query_value=", ".join(values),
        cond=and_(*conds),
        active=active,
        page=page,
    )


def by_person(
    session: Session, principal: Principal, bsn: str, *, active: bool = True, page: int = 1
) -> Page:
    """A person's entries (an employer: only those at its own organisation)."""
    return lookup(session, principal, bsn=bsn or " ", active=active, page=page)


def by_employer(
    session: Session, principal: Principal, employer: str, *, active: bool = True, page: int = 1
) -> Page:
    """An employer's staff in the register. An employer's officer asking for another
    organisation is refused (and the refusal is on record)."""
    return lookup(session, principal, employer=employer, active=active, page=page)


def by_location(
    session: Session, principal: Principal, location_id: int, *, active: bool = True, page: int = 1
) -> Page:
    """The entries at a designated location (an employer: only its own staff there)."""
    return lookup(session, principal, location_id=location_id, active=active, page=page)


def count_active_at(session: Session, principal: Principal, location_id: int) -> int:
    """How many readable entries are active at the location (audited as a look-up)."""
    total = int(
        session.scalar(
            select(func.count())
            .select_from(RegisterEntry)
            .where(
                RegisterEntry.location_id == location_id,
                RegisterEntry.deregistered_on.is_(None),
                policy.read_filter(principal, KIND, RegisterEntry.marking_id),
            )
        )
        or 0
    )
    audit.record(
        session,
        principal=principal,
        action="register.lookup",
        kind=KIND,
        details={"by": "location", "query": str(location_id), "count_only": True, "count": total},
    )
    return total


def marking_of(session: Session, entry: RegisterEntry) -> Marking:
    return load_one(session, entry.marking_id)
