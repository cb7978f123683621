"""Industrial security under ABRO 2026 (NBIV): suppliers and special assignments.

A client (a ministry or the police) assesses the risk of a special assignment; when it
touches a protected interest (TBB1-TBB4) ABRO applies, the NBIV investigates the
supplier (:mod:`baken.protect.industrial.checklist`, :mod:`.structure`), issues the ABRO
declaration before the award and monitors the supplier during the contract. Defence
assignments stay under ABDO 2019 until they are moved over (the move is recorded).

Every service takes the principal, reads through :func:`baken.core.policy.read_filter`
in the query and audits. Refusals raise :class:`IndustrialError`; a supplier or
assignment the principal may not read is refused exactly like one that does not exist.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Generic, TypeVar

from followthemoney.types import registry
from sqlalchemy import ColumnElement, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from baken.core import audit, policy
from baken.core.errors import DomainError
from baken.core.i18n import N_
from baken.core.marking_store import intern, load_one
from baken.core.markings import Level, Marking, MarkingError, Service
from baken.core.principals import Principal
from baken.core.references import next_reference
from baken.protect.industrial.models import Assignment, CheckItem, Supplier
from baken.protect.vocab import codes

SUPPLIER = "leverancier"
ASSIGNMENT = "bijzondere_opdracht"
PART = "industrial"
PAGE = 50
REF_TRIES = 5
ABRO, ABDO = "ABRO_2026", "ABDO_2019"
DEFENCE = "DEF"
OPEN_STATUSES = ("assessment", "investigation")
DECLARED = ("declared", "monitoring")
CLOSED = ("ended", "refused", "withdrawn")
REVIEW_EVERY = timedelta(days=365)  # a periodic review at least once a year
REVIEW_BEFORE_EXPIRY = timedelta(days=90)
MAX_TEXT = 4000
T = TypeVar("T")

_KVK = re.compile(r"^[0-9]{8}$")
_BRANCH = re.compile(r"^[0-9]{12}$")


class IndustrialError(DomainError):
    """An industrial-security action refused for a domain reason (the message says why)."""


def clients() -> list[str]:
    return codes(PART, "clients")


def tbb_levels() -> list[str]:
    return codes(PART, "tbb")


def statuses() -> list[str]:
    return codes(PART, "statuses")


def default_marking(level: Level = Level.STG_CONFIDENTIEEL) -> Marking:
    """NBIV is a joint AIVD-MIVD bureau: its records are joint."""
    return Marking.of(level, Service.JOINT)


def marking_levels() -> list[Level]:
    """The levels a supplier or an assignment may be recorded at."""
    return [lvl for lvl in Level if lvl >= Level.DEP_VERTROUWELIJK]


def can_write(principal: Principal) -> bool:
    return policy.role_may_write(principal, ASSIGNMENT) and not principal.is_external


@dataclass(frozen=True)
class Page(Generic[T]):
    rows: list[T]
    page: int
    more: bool


# --- checks of input -------------------------------------------------------------------------


def text(value: str, message: str, *, limit: int = 200) -> str:
    found = " ".join(value.split())
    if not found:
        raise IndustrialError(message)
    if len(found) > limit:
        raise IndustrialError(N_("a text may hold at most {limit} characters"), limit=limit)
    return found


def note(value: str) -> str:
    found = value.strip()
    if len(found) > MAX_TEXT:
        raise IndustrialError(N_("a text may hold at most {limit} characters"), limit=MAX_TEXT)
    return found


def not_future(on: date, today: date) -> None:
    if on > today:
        raise IndustrialError(N_("the date {date} lies in the future"), date=on.isoformat())


def check_kvk(value: str) -> str:
    """A Chamber of Commerce (KvK) number: exactly 8 digits; spaces are ignored."""
    found = "".join(value.split())
    if not found:
        raise IndustrialError(N_("a supplier needs a KvK number (Chamber of Commerce, 8 digits)"))
    if not _KVK.fullmatch(found):
        raise IndustrialError(
            N_("a KvK number has exactly 8 digits, without letters: {value} is not one"),
            value=found[:40],
        )
    return found


def check_branch(value: str | None) -> str | None:
    """A vestigingsnummer (branch number): 12 digits, or nothing."""
    found = "".join((value or "").split())
    if not found:
        return None
    if not _BRANCH.fullmatch(found):
        raise IndustrialError(
            N_("a branch number (vestigingsnummer) has exactly 12 digits: {value} is not one"),
            value=found[:40],
        )
    return found


def check_country(value: str) -> str:
    found = registry.country.clean(value.strip()) if value.strip() else None
    if not found:
        raise IndustrialError(N_("{value} is not a known country"), value=value.strip()[:40])
    return str(found)


def check_level(value: Level | str, message: str) -> Level:
    if isinstance(value, Level):
        return value
    try:
        return Level[value]
    except KeyError:
        raise IndustrialError(message, value=value) from None


# --- suppliers -------------------------------------------------------------------------------


def create_supplier(
    session: Session,
    principal: Principal,
    *,
    name: str,
    kvk: str,
    branch: str | None = None,
    country: str = "nl",
    address: str = "",
    entity_id: str | None = None,
    level: Level | str = Level.STG_CONFIDENTIEEL,
) -> Supplier:
    """Record a supplier (NBIV officers). The KvK number is checked before anything is
    written; a supplier with the same number that the officer can read is refused."""
    marking = default_marking(check_level(level, N_("unknown classification level {value}")))
    policy.require_write(principal, SUPPLIER, marking)
    name = text(name, N_("a supplier needs a name"))
    number = check_kvk(kvk)
    branch_number = check_branch(branch)
    land = check_country(country)
    entity = (entity_id or "").strip() or None
    if entity is not None and len(entity) > 120:
        raise IndustrialError(N_("an entity id holds at most 120 characters"))
    if session.scalar(
        select(Supplier.id).where(
            Supplier.kvk == number,
            func.coalesce(Supplier.branch, "") == (branch_number or ""),
            policy.read_filter(principal, SUPPLIER, Supplier.marking_id),
        )
    ):
        raise IndustrialError(
            N_("a supplier with KvK number {kvk} is already recorded"), kvk=number
        )
    row = Supplier(
        name=name,
        kvk=number,
        branch=branch_number,
        country=land,
        address=note(address),
        entity_id=entity,
        marking_id=intern(session, marking),
        created_by=principal.id,
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        principal=principal,
        action="supplier.create",
        kind=SUPPLIER,
        object_id=row.id,
        marking=marking,
        details={"kvk": number},
    )
    return row


def supplier_row(session: Session, principal: Principal, supplier_id: int) -> Supplier | None:
    return session.scalar(
        select(Supplier).where(
            Supplier.id == supplier_id,
            policy.read_filter(principal, SUPPLIER, Supplier.marking_id),
        )
    )


def update_supplier(
    session: Session,
    principal: Principal,
    supplier_id: int,
    *,
    name: str,
    country: str,
    address: str = "",
    entity_id: str | None = None,
    on: date,
) -> Supplier:
    """Correct a supplier's name, country or address, or link it to (another) entity in
    the holdings (NBIV officers); the KvK number identifies the supplier and stays. A new
    entity link reopens the structure item of every open assignment of the supplier: the
    ownership findings were about another entity."""
    row = supplier_row(session, principal, supplier_id)
    if row is None:
        raise IndustrialError(N_("no such supplier"))
    marking = load_one(session, row.marking_id)
    policy.require_write(principal, SUPPLIER, marking)
    name = text(name, N_("a supplier needs a name"))
    land = check_country(country)
    entity = (entity_id or "").strip() or None
    if entity is not None and len(entity) > 120:
        raise IndustrialError(N_("an entity id holds at most 120 characters"))
    relinked = entity != row.entity_id
    before = {"name": row.name, "country": row.country, "entity_id": row.entity_id}
    row.name, row.country, row.address, row.entity_id = name, land, note(address), entity
    reopened: list[int] = []
    if relinked:
        items = session.scalars(
            select(CheckItem)
            .join(Assignment, Assignment.id == CheckItem.assignment_id)
            .where(
                Assignment.supplier_id == row.id,
                Assignment.status.not_in(CLOSED),
                CheckItem.item == "structure",
                CheckItem.state != "open",
            )
        )
        for item in items:
            item.state, item.updated_by, item.updated_on = "open", principal.id, on
            reopened.append(item.assignment_id)
    session.flush()
    audit.record(
        session,
        principal=principal,
        action="supplier.update",
        kind=SUPPLIER,
        object_id=row.id,
        marking=marking,
        details={"before": before, "entity_id": entity, "reopened": sorted(reopened)},
    )
    return row


def supplier(session: Session, principal: Principal, supplier_id: int) -> Supplier:
    """A readable supplier (audited), else the refusal."""
    row = supplier_row(session, principal, supplier_id)
    if row is None:
        raise IndustrialError(N_("no such supplier"))
    audit.record(
        session,
        principal=principal,
        action="supplier.read",
        kind=SUPPLIER,
        object_id=row.id,
        marking=load_one(session, row.marking_id),
    )
    return row


def suppliers(
    session: Session, principal: Principal, *, query: str = "", page: int = 1
) -> Page[Supplier]:
    """Readable suppliers by name, a page at a time (audited with the query)."""
    conds: list[ColumnElement[bool]] = [
        policy.read_filter(principal, SUPPLIER, Supplier.marking_id)
    ]
    wanted = query.strip()
    if wanted:
        digits = "".join(wanted.split())
        conds.append(
            Supplier.kvk == digits
            if digits.isdigit()
            else func.lower(Supplier.name).contains(wanted.lower(), autoescape=True)
        )
    page = max(page, 1)
    rows = list(
        session.scalars(
            select(Supplier)
            .where(*conds)
            .order_by(Supplier.name, Supplier.id)
            .offset((page - 1) * PAGE)
            .limit(PAGE + 1)
        )
    )
    audit.record(
        session,
        principal=principal,
        action="supplier.list",
        kind=SUPPLIER,
        details={"query": wanted[:100], "page": page, "count": min(len(rows), PAGE)},
    )
    return Page(rows[:PAGE], page, len(rows) > PAGE)


def supplier_names(session: Session, principal: Principal, ids: set[int]) -> dict[int, str]:
    """Names of the readable suppliers among ``ids`` (labels beside audited rows)."""
    if not ids:
        return {}
    rows = session.execute(
        select(Supplier.id, Supplier.name).where(
            Supplier.id.in_(sorted(ids)),
            policy.read_filter(principal, SUPPLIER, Supplier.marking_id),
        )
    )
    return {i: n for i, n in rows}


def supplier_choices(session: Session, principal: Principal, limit: int = 500) -> list[Supplier]:
    rows = list(
        session.scalars(
            select(Supplier)
            .where(policy.read_filter(principal, SUPPLIER, Supplier.marking_id))
            .order_by(Supplier.name, Supplier.id)
            .limit(limit)
        )
    )
    audit.record(
        session,
        principal=principal,
        action="supplier.list",
        kind=SUPPLIER,
        details={"choices": True, "count": len(rows)},
    )
    return rows


# --- assignments -----------------------------------------------------------------------------


def assignment_row(session: Session, principal: Principal, assignment_id: int) -> Assignment | None:
    return session.scalar(
        select(Assignment).where(
            Assignment.id == assignment_id,
            policy.read_filter(principal, ASSIGNMENT, Assignment.marking_id),
        )
    )


def readable(session: Session, principal: Principal, assignment_id: int) -> Assignment:
    row = assignment_row(session, principal, assignment_id)
    if row is None:
        raise IndustrialError(N_("no such special assignment"))
    return row


def writable(session: Session, principal: Principal, assignment_id: int) -> Assignment:
    """A readable assignment the principal may also write, else the refusal."""
    row = readable(session, principal, assignment_id)
    policy.require_write(principal, ASSIGNMENT, load_one(session, row.marking_id))
    return row


def assignment(session: Session, principal: Principal, assignment_id: int) -> Assignment:
    """A readable special assignment (audited), else the refusal."""
    row = readable(session, principal, assignment_id)
    audit.record(
        session,
        principal=principal,
        action="assignment.read",
        kind=ASSIGNMENT,
        object_id=row.id,
        marking=load_one(session, row.marking_id),
    )
    return row


def create_assignment(
    session: Session,
    principal: Principal,
    *,
    supplier_id: int,
    client: str,
    title: str,
    tbb: str,
    classification: Level | str,
    abro_applies: bool,
    assessed_on: date,
    level: Level | str = Level.STG_CONFIDENTIEEL,
    today: date | None = None,
) -> Assignment:
    """Record a special assignment with the client's risk assessment. A Defence client
    starts under ABDO 2019; everyone else under ABRO 2026. The assignment is marked at
    least as high as its supplier."""
    if client not in clients():
        raise IndustrialError(N_("unknown client {client}"), client=client[:40])
    if tbb not in tbb_levels():
        raise IndustrialError(N_("unknown protected-interest level {tbb}"), tbb=tbb[:40])
    info = check_level(classification, N_("unknown classification level {value}"))
    floor = default_marking(check_level(level, N_("unknown classification level {value}")))
    title = text(title, N_("a special assignment needs a title"))
    not_future(assessed_on, today or date.today())
    found = supplier_row(session, principal, supplier_id)
    if found is None:
        raise IndustrialError(N_("no such supplier"))
    try:
        marking = policy.derived_marking([load_one(session, found.marking_id)], floor)
    except MarkingError as exc:
        raise IndustrialError(str(exc)) from None
    policy.require_write(principal, ASSIGNMENT, marking)
    marking_id = intern(session, marking)
    stem = f"BO-{assessed_on.year}-"
    row: Assignment | None = None
    for _ in range(REF_TRIES):
        candidate = Assignment(
            ref=next_reference(session, Assignment.ref, stem, 4),
            supplier_id=found.id,
            client=client,
            title=title,
            tbb=tbb,
            classification=int(info),
            regime=ABDO if client == DEFENCE else ABRO,
            abro_applies=abro_applies,
            assessed_on=assessed_on,
            status="assessment",
            status_on=assessed_on,
            status_note="",
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
        raise IndustrialError(N_("no free reference for a special assignment; try again"))
    audit.record(
        session,
        principal=principal,
        action="assignment.create",
        kind=ASSIGNMENT,
        object_id=row.id,
        marking=marking,
        details={"ref": row.ref, "client": client, "tbb": tbb, "regime": row.regime},
    )
    return row


def _audit_change(
    session: Session, principal: Principal, row: Assignment, action: str, **details: object
) -> None:
    audit.record(
        session,
        principal=principal,
        action=action,
        kind=ASSIGNMENT,
        object_id=row.id,
        marking=load_one(session, row.marking_id),
        details={"ref": row.ref, **details},
    )


def start_investigation(
    session: Session, principal: Principal, *, assignment_id: int, on: date, today: date
) -> Assignment:
    """ABRO applies according to the client's risk assessment: the NBIV investigates the
    supplier; the checklist opens."""
    from baken.protect.industrial.checklist import open_checklist

    row = writable(session, principal, assignment_id)
    if row.status != "assessment":
        raise IndustrialError(N_("the investigation of this assignment has already started"))
    if not row.abro_applies:
        raise IndustrialError(
            N_("according to the client's risk assessment ABRO does not apply to this assignment")
        )
    not_future(on, today)
    if on < row.assessed_on:
        raise IndustrialError(N_("the investigation cannot start before the risk assessment"))
    open_checklist(session, row)
    row.status, row.status_on = "investigation", on
    session.flush()
    _audit_change(session, principal, row, "assignment.investigate", on=on.isoformat())
    return row


def move_to_abro(
    session: Session, principal: Principal, *, assignment_id: int, on: date, today: date
) -> Assignment:
    """A Defence assignment moves from ABDO 2019 to ABRO 2026 (during 2026); the move is
    recorded with its date. A declaration already issued keeps the regime it was issued
    under."""
    row = writable(session, principal, assignment_id)
    if row.regime != ABDO:
        raise IndustrialError(N_("this assignment is already under ABRO 2026"))
    if row.status in CLOSED:
        raise IndustrialError(N_("this assignment is closed"))
    not_future(on, today)
    if on < row.assessed_on:
        raise IndustrialError(N_("the move cannot lie before the risk assessment"))
    row.regime, row.moved_on, row.moved_by = ABRO, on, principal.id
    session.flush()
    _audit_change(session, principal, row, "assignment.move", on=on.isoformat())
    return row


CLOSE_FROM: dict[str, tuple[str, ...]] = {
    "ended": DECLARED,
    "refused": ("investigation",),
    "withdrawn": ("assessment", "investigation", *DECLARED),
}


def close(
    session: Session,
    principal: Principal,
    *,
    assignment_id: int,
    to: str,
    on: date,
    reason: str,
    today: date,
) -> Assignment:
    """End the contract (after a declaration), refuse the declaration (the investigation
    found objections), or record that the client withdrew the assignment."""
    row = writable(session, principal, assignment_id)
    if to not in CLOSE_FROM:
        raise IndustrialError(N_("unknown status {status}"), status=to[:40])
    if row.status in CLOSED:
        raise IndustrialError(N_("this assignment is closed"))
    if row.status not in CLOSE_FROM[to]:
        message = {
            "ended": N_("only an assignment with a declaration can end"),
            "refused": N_("a declaration can only be refused during the investigation"),
        }.get(to, N_("this assignment is closed"))
        raise IndustrialError(message)
    why = note(reason)
    if to != "ended" and not why:
        raise IndustrialError(N_("give the reason"))
    not_future(on, today)
    if on < row.status_on:
        raise IndustrialError(
            N_("the date cannot lie before the last step ({date})"), date=row.status_on.isoformat()
        )
    row.status, row.status_on, row.status_note = to, on, why
    session.flush()
    _audit_change(session, principal, row, f"assignment.{to}", on=on.isoformat())
    return row


def search(
    session: Session,
    principal: Principal,
    *,
    status: str | None = None,
    tbb: str | None = None,
    client: str | None = None,
    supplier_id: int | None = None,
    page: int = 1,
) -> Page[Assignment]:
    """Readable assignments, newest first, a page at a time (audited with the query)."""
    conds: list[ColumnElement[bool]] = [
        policy.read_filter(principal, ASSIGNMENT, Assignment.marking_id)
    ]
    if status:
        conds.append(Assignment.status == status)
    if tbb:
        conds.append(Assignment.tbb == tbb)
    if client:
        conds.append(Assignment.client == client)
    if supplier_id is not None:
        conds.append(Assignment.supplier_id == supplier_id)
    page = max(page, 1)
    rows = list(
        session.scalars(
            select(Assignment)
            .where(*conds)
            .order_by(Assignment.id.desc())
            .offset((page - 1) * PAGE)
            .limit(PAGE + 1)
        )
    )
    audit.record(
        session,
        principal=principal,
        action="assignment.list",
        kind=ASSIGNMENT,
        details={
            "status": status,
            "tbb": tbb,
            "client": client,
            "supplier": supplier_id,
            "page": page,
            "count": min(len(rows), PAGE),
        },
    )
    return Page(rows[:PAGE], page, len(rows) > PAGE)


def figures(session: Session, *, principal: Principal) -> list[tuple[str, int, str, bool]]:
    """The most important figures for the protect overview, counted through the read
    filter (nothing for a reader who may read no assignment)."""
    from baken.protect.industrial.dashboard import due_for_review

    readable_assignment = policy.read_filter(principal, ASSIGNMENT, Assignment.marking_id)

    def count(*conds: ColumnElement[bool]) -> int:
        return int(
            session.scalar(
                select(func.count()).select_from(Assignment).where(readable_assignment, *conds)
            )
            or 0
        )

    return [
        (
            N_("Open NBIV investigations"),
            count(Assignment.status == "investigation"),
            "/bijzondere-opdrachten?status=investigation",
            False,
        ),
        (
            N_("Declarations due for review"),
            len(due_for_review(session, principal, date.today())),
            "/industriele-veiligheid#herbeoordeling",
            True,
        ),
        (
            N_("Defence assignments still under ABDO 2019"),
            count(Assignment.regime == ABDO, Assignment.status.not_in(CLOSED)),
            "/industriele-veiligheid#abdo",
            False,
        ),
    ]
