"""The NBIV investigation of a special assignment's supplier, the declaration it ends in,
and monitoring during the contract.

The checklist has three items (structure and foreign ownership, personnel security,
digital resilience including cloud use), each open, in progress, no objections or
concerns. An item gets "no objections" only on what it rests on: the structure item on a
snapshot of the ownership findings (:mod:`baken.protect.industrial.structure`) taken
after the last change of ownership, the personnel item on key staff who each hold a
valid VGB or need none (with the reason), the digital item on at least one recorded
place where the data is processed. The declaration needs all three at no objections.
Every row here carries the assignment's marking and is read through the read filter.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from baken.core import audit, policy
from baken.core.errors import InLocale
from baken.core.i18n import N_
from baken.core.marking_store import load_one
from baken.core.principals import Principal
from baken.protect.industrial import personnel
from baken.protect.industrial.models import (
    Assignment,
    CheckItem,
    Declaration,
    Event,
    Finding,
    Hosting,
    Staff,
    Supplier,
)
from baken.protect.industrial.service import (
    ASSIGNMENT,
    CLOSED,
    DECLARED,
    PART,
    IndustrialError,
    check_country,
    not_future,
    note,
    text,
    writable,
)
from baken.protect.vocab import codes, label

ACTIVE = ("investigation", *DECLARED)


def items() -> list[str]:
    return codes(PART, "checks")


def states() -> list[str]:
    return codes(PART, "check_states")


def event_kinds() -> list[str]:
    return codes(PART, "events")


def record(
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


def active_assignment(session: Session, principal: Principal, assignment_id: int) -> Assignment:
    row = writable(session, principal, assignment_id)
    if row.status in CLOSED:
        raise IndustrialError(N_("this assignment is closed"))
    if row.status not in ACTIVE:
        raise IndustrialError(N_("the NBIV investigation of this assignment has not started"))
    return row


def check_on(row: Assignment, on: date, today: date) -> None:
    not_future(on, today)
    if on < row.assessed_on:
        raise IndustrialError(N_("the date cannot lie before the client's risk assessment"))


# --- reading ---------------------------------------------------------------------------------


def checks(session: Session, principal: Principal, assignment_id: int) -> list[CheckItem]:
    """The readable checklist items of a readable assignment, in checklist order."""
    order = {code: i for i, code in enumerate(items())}
    rows = session.scalars(
        select(CheckItem).where(
            CheckItem.assignment_id == assignment_id,
            policy.read_filter(principal, ASSIGNMENT, CheckItem.marking_id),
        )
    )
    return sorted(rows, key=lambda c: order.get(c.item, 99))


@dataclass(frozen=True)
class StaffView:
    staff: Staff
    vgb: personnel.Standing | None

    @property
    def covered(self) -> bool:
        return bool(self.staff.not_needed) or (self.vgb is not None and self.vgb.valid)


def staff(session: Session, principal: Principal, assignment_id: int) -> list[StaffView]:
    """The key staff, each with the VGB the principal may read under its reference."""
    rows = list(
        session.scalars(
            select(Staff)
            .where(
                Staff.assignment_id == assignment_id,
                policy.read_filter(principal, ASSIGNMENT, Staff.marking_id),
            )
            .order_by(Staff.id)
        )
    )
    found = personnel.vgbs(session, principal, [(r.vgb_ref, r.name) for r in rows if r.vgb_ref])
    return [StaffView(r, found.get((r.vgb_ref or "", r.name))) for r in rows]


def hosting(session: Session, principal: Principal, assignment_id: int) -> list[Hosting]:
    return list(
        session.scalars(
            select(Hosting)
            .where(
                Hosting.assignment_id == assignment_id,
                policy.read_filter(principal, ASSIGNMENT, Hosting.marking_id),
            )
            .order_by(Hosting.id)
        )
    )


def findings(session: Session, principal: Principal, assignment_id: int) -> list[Finding]:
    """The readable ownership snapshots, newest first (one may be marked higher than the
    assignment: it carries the marking of the statements it was built from)."""
    return list(
        session.scalars(
            select(Finding)
            .where(
                Finding.assignment_id == assignment_id,
                policy.read_filter(principal, ASSIGNMENT, Finding.marking_id),
            )
            .order_by(Finding.taken_on.desc(), Finding.id.desc())
        )
    )


def declaration(session: Session, principal: Principal, assignment_id: int) -> Declaration | None:
    return session.scalar(
        select(Declaration).where(
            Declaration.assignment_id == assignment_id,
            policy.read_filter(principal, ASSIGNMENT, Declaration.marking_id),
        )
    )


def events(session: Session, principal: Principal, assignment_id: int) -> list[Event]:
    return list(
        session.scalars(
            select(Event)
            .where(
                Event.assignment_id == assignment_id,
                policy.read_filter(principal, ASSIGNMENT, Event.marking_id),
            )
            .order_by(Event.on.desc(), Event.id.desc())
        )
    )


# --- the checklist ---------------------------------------------------------------------------


def open_checklist(session: Session, row: Assignment) -> None:
    """The three items, open, at the assignment's marking (called when the investigation
    starts, by a caller that checked the write)."""
    have = set(session.scalars(select(CheckItem.item).where(CheckItem.assignment_id == row.id)))
    session.add_all(
        CheckItem(assignment_id=row.id, item=code, state="open", marking_id=row.marking_id)
        for code in items()
        if code not in have
    )
    session.flush()


def item_row(session: Session, row: Assignment, item: str) -> CheckItem:
    found = session.scalar(
        select(CheckItem).where(CheckItem.assignment_id == row.id, CheckItem.item == item)
    )
    if found is None:  # the rows are made with the assignment's marking when it starts
        raise IndustrialError(N_("the NBIV investigation of this assignment has not started"))
    return found


def _labels(codes: list[str]) -> InLocale:
    """Checklist items named in the reader's language."""
    return InLocale(lambda locale: ", ".join(label(PART, "checks", i, locale) for i in codes))


def _rests_on(session: Session, principal: Principal, row: Assignment, item: str) -> None:
    """What an item needs before it can be closed with no objections."""
    if item == "structure":
        # Only a snapshot the officer can read counts: they assess what they saw.
        seen = findings(session, principal, row.id)
        taken = seen[0].taken_on if seen else None
        changed = max(
            (e.on for e in events(session, principal, row.id) if e.kind == "ownership_change"),
            default=None,
        )
        owner = session.get(Supplier, row.supplier_id)
        relinked = bool(seen) and owner is not None and seen[0].entity_id != owner.entity_id
        if taken is None or relinked or (changed is not None and taken < changed):
            raise IndustrialError(
                N_("check the ownership graph first: the structure item rests on its findings")
            )
    elif item == "personnel":
        people = staff(session, principal, row.id)
        if not people:
            raise IndustrialError(N_("list the key staff who need a VGB for this assignment"))
        missing = [p.staff.name for p in people if not p.covered]
        if missing:
            raise IndustrialError(
                N_("no valid VGB recorded for: {names}"), names=", ".join(missing)
            )
    elif item == "digital" and not hosting(session, principal, row.id):
        raise IndustrialError(
            N_("record where the assignment's data is processed (cloud or own systems)")
        )


def set_check(
    session: Session,
    principal: Principal,
    *,
    assignment_id: int,
    item: str,
    state: str,
    note_text: str = "",
    on: date,
    today: date,
) -> CheckItem:
    """The officer's assessment of one checklist item."""
    row = active_assignment(session, principal, assignment_id)
    if item not in items():
        raise IndustrialError(N_("unknown checklist item {item}"), item=item[:40])
    if state not in states():
        raise IndustrialError(N_("unknown state {state}"), state=state[:40])
    why = note(note_text)
    if state == "concerns" and not why:
        raise IndustrialError(N_("say what the concerns are"))
    check_on(row, on, today)
    if state == "no_objections":
        _rests_on(session, principal, row, item)
    found = item_row(session, row, item)
    found.state, found.note = state, why
    found.updated_by, found.updated_on = principal.id, on
    session.flush()
    record(session, principal, row, "assignment.check", item=item, state=state)
    return found


def add_staff(
    session: Session,
    principal: Principal,
    *,
    assignment_id: int,
    name: str,
    function: str = "",
    vgb_ref: str = "",
    not_needed: str = "",
    on: date,
    today: date,
) -> Staff:
    """A key member of the supplier's staff with the reference of their VGB, or the
    reason none is needed. A new name reopens an assessed personnel item."""
    row = active_assignment(session, principal, assignment_id)
    who = text(name, N_("give the name of the staff member"))
    ref = personnel.normalise_ref(vgb_ref) or None
    if ref is not None and len(ref) > 32:
        raise IndustrialError(N_("a VGB reference holds at most 32 characters"))
    why = note(not_needed)
    if ref is None and not why:
        raise IndustrialError(N_("give the VGB reference, or say why no VGB is needed"))
    check_on(row, on, today)
    member = Staff(
        assignment_id=row.id,
        name=who,
        function=" ".join(function.split())[:200],
        vgb_ref=ref,
        not_needed=why,
        marking_id=row.marking_id,
        added_by=principal.id,
        added_on=on,
    )
    session.add(member)
    item = item_row(session, row, "personnel")
    if item.state == "no_objections":
        item.state = "in_progress"
    session.flush()
    record(session, principal, row, "assignment.staff", staff=member.id)
    return member


def add_hosting(
    session: Session,
    principal: Principal,
    *,
    assignment_id: int,
    provider: str,
    cloud: bool,
    country: str,
    certifications: str = "",
    note_text: str = "",
    on: date,
    today: date,
) -> Hosting:
    """Where the assignment's data is processed: a cloud provider or the supplier's own
    systems, the country of hosting and the certifications (e.g. ISO 27001, BIO)."""
    row = active_assignment(session, principal, assignment_id)
    check_on(row, on, today)
    where = Hosting(
        assignment_id=row.id,
        provider=text(provider, N_("give the provider or the system")),
        cloud=cloud,
        country=check_country(country),
        certifications=" ".join(certifications.split())[:200],
        note=note(note_text),
        marking_id=row.marking_id,
        added_by=principal.id,
        added_on=on,
    )
    session.add(where)
    session.flush()
    record(session, principal, row, "assignment.hosting", hosting=where.id)
    return where


# --- the declaration and monitoring ----------------------------------------------------------


def declare(
    session: Session,
    principal: Principal,
    *,
    assignment_id: int,
    declared_on: date,
    valid_until: date,
    conditions: str = "",
    today: date,
) -> Declaration:
    """The ABRO declaration (under ABDO 2019: its Defence equivalent), only when every
    checklist item found no objections."""
    row = writable(session, principal, assignment_id)
    if row.status == "refused":
        raise IndustrialError(N_("the declaration for this assignment was refused"))
    if row.status in CLOSED:
        raise IndustrialError(N_("this assignment is closed"))
    if row.status in DECLARED:
        raise IndustrialError(N_("a declaration was already issued for this assignment"))
    if row.status != "investigation":
        raise IndustrialError(
            N_("no declaration before the NBIV investigation is complete: it has not started")
        )
    found = {c.item: c.state for c in checks(session, principal, row.id)}
    unfinished = [i for i in items() if found.get(i) in (None, "open", "in_progress")]
    if unfinished:
        raise IndustrialError(
            N_("no declaration before the NBIV investigation is complete; still open: {items}"),
            items=_labels(unfinished),
        )
    concerns = [i for i in items() if found.get(i) == "concerns"]
    if concerns:
        raise IndustrialError(
            N_("the investigation found concerns ({items}): refuse the declaration instead"),
            items=_labels(concerns),
        )
    not_future(declared_on, today)
    if declared_on < row.status_on:
        raise IndustrialError(N_("the declaration cannot lie before the investigation started"))
    if valid_until <= declared_on:
        raise IndustrialError(N_("a declaration must be valid after the day it is issued"))
    made = Declaration(
        assignment_id=row.id,
        regime=row.regime,
        declared_on=declared_on,
        valid_until=valid_until,
        conditions=note(conditions),
        marking_id=row.marking_id,
        declared_by=principal.id,
    )
    session.add(made)
    row.status, row.status_on = "declared", declared_on
    session.flush()
    record(
        session,
        principal,
        row,
        "assignment.declare",
        regime=row.regime,
        valid_until=valid_until.isoformat(),
    )
    return made


def record_event(
    session: Session,
    principal: Principal,
    *,
    assignment_id: int,
    kind: str,
    on: date,
    note_text: str = "",
    today: date,
) -> Event:
    """A monitoring event during the contract. A change of ownership or control reopens
    the structure item, a change of key staff the personnel item."""
    row = writable(session, principal, assignment_id)
    if row.status in CLOSED:
        raise IndustrialError(N_("this assignment is closed"))
    if row.status not in DECLARED:
        raise IndustrialError(N_("monitoring starts after the declaration"))
    if kind not in event_kinds():
        raise IndustrialError(N_("unknown monitoring event {kind}"), kind=kind[:40])
    not_future(on, today)
    issued = session.scalar(
        select(Declaration.declared_on).where(Declaration.assignment_id == row.id)
    )
    if issued is not None and on < issued:
        raise IndustrialError(N_("a monitoring event cannot lie before the declaration"))
    made = Event(
        assignment_id=row.id,
        kind=kind,
        on=on,
        note=note(note_text),
        marking_id=row.marking_id,
        recorded_by=principal.id,
    )
    session.add(made)
    reopen = {"ownership_change": "structure", "personnel_change": "personnel"}.get(kind)
    if reopen:
        item = item_row(session, row, reopen)
        item.state, item.updated_by, item.updated_on = "open", principal.id, on
    row.status = "monitoring"
    session.flush()
    record(session, principal, row, "assignment.monitor", event=kind, on=on.isoformat())
    return made
