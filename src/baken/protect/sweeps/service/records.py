"""Sweeps and their findings: planned (by the interval or ad hoc), performed (which moves
the room's last sweep and next due date), cancelled; findings open until remediated.
A sweep is marked at least at its room's marking; its findings carry the sweep's."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from baken.core import audit, policy
from baken.core.i18n import N_
from baken.core.marking_store import intern, load_one
from baken.core.markings import Marking, high_water
from baken.core.principals import Principal
from baken.core.references import next_reference
from baken.protect.sweeps.models import Finding, Room, Sweep
from baken.protect.sweeps.service.common import (
    PAGE,
    ROOM,
    SWEEP,
    SweepsError,
    _compartments,
    _level,
    _text,
    _with_ref,
    finding_kinds,
    reasons,
    severities,
)
from baken.protect.sweeps.service.rooms import _room_row

# --- sweeps --------------------------------------------------------------------------------


def sweep_marking(room_marking: Marking, level: str = "", compartments: str = "") -> Marking:
    """The room's marking, raised to ``level`` and ``compartments`` when given."""
    raised = Marking(
        level=_level(level) if level else room_marking.level,
        owner=room_marking.owner,
        compartments=_compartments(compartments),
    )
    return high_water([room_marking, raised])


def plan_sweep(
    session: Session,
    principal: Principal,
    room_id: int,
    *,
    planned_on: date,
    reason: str = "interval",
    team: str = "",
    notes: str = "",
    marking_level: str = "",
    compartments: str = "",
    today: date | None = None,
) -> Sweep:
    """Plan a sweep of a room (EVO officers), by the interval or ad hoc for a risk."""
    place = _room_row(session, principal, room_id)
    if place is None:
        raise SweepsError(N_("no such secure room"))
    room_marking = load_one(session, place.marking_id)
    policy.require_write(principal, ROOM, room_marking)
    if not place.active:
        raise SweepsError(N_("this secure room is out of use"))
    if reason not in reasons():
        raise SweepsError(N_("unknown reason for a sweep {reason}"), reason=reason)
    if planned_on < (today or date.today()):
        raise SweepsError(N_("a sweep cannot be planned in the past"))
    marking = sweep_marking(room_marking, marking_level, compartments)
    policy.require_write(principal, SWEEP, marking)
    marking_id = intern(session, marking)
    row = _with_ref(
        session,
        lambda: Sweep(
            ref=next_reference(session, Sweep.ref, f"EVO-{planned_on.year}-", 4),
            room_id=place.id,
            reason=reason,
            planned_on=planned_on,
            status="planned",
            team=team.strip(),
            notes=notes.strip(),
            marking_id=marking_id,
            created_by=principal.id,
        ),
        N_("no free reference for a sweep; try again"),
    )
    audit.record(
        session,
        principal=principal,
        action="sweep.plan",
        kind=SWEEP,
        object_id=row.id,
        marking=marking,
        details={"ref": row.ref, "room": place.ref, "planned_on": planned_on.isoformat()},
    )
    return row


def _sweep_row(session: Session, principal: Principal, sweep_id: int) -> Sweep | None:
    return session.scalar(
        select(Sweep).where(
            Sweep.id == sweep_id, policy.read_filter(principal, SWEEP, Sweep.marking_id)
        )
    )


def _writable_sweep(session: Session, principal: Principal, sweep_id: int) -> tuple[Sweep, Marking]:
    row = _sweep_row(session, principal, sweep_id)
    if row is None:
        raise SweepsError(N_("no such sweep"))
    marking = load_one(session, row.marking_id)
    policy.require_write(principal, SWEEP, marking)
    return row, marking


@dataclass(frozen=True)
class SweepFile:
    """A sweep as its page shows it: the record, its room and its findings."""

    sweep: Sweep
    room: Room | None
    findings: list[Finding]

    @property
    def open_findings(self) -> int:
        return sum(1 for f in self.findings if f.status == "open")


def _findings(session: Session, principal: Principal, sweep_id: int) -> list[Finding]:
    return list(
        session.scalars(
            select(Finding)
            .where(
                Finding.sweep_id == sweep_id,
                policy.read_filter(principal, SWEEP, Finding.marking_id),
            )
            .order_by(Finding.id)
        )
    )


def sweep(session: Session, principal: Principal, sweep_id: int) -> SweepFile:
    """A readable sweep with its room and findings (audited), else the refusal."""
    row = _sweep_row(session, principal, sweep_id)
    if row is None:
        raise SweepsError(N_("no such sweep"))
    found = _findings(session, principal, row.id)
    audit.record(
        session,
        principal=principal,
        action="sweep.read",
        kind=SWEEP,
        object_id=row.id,
        marking=load_one(session, row.marking_id),
        details={"findings": len(found)},
    )
    return SweepFile(row, _room_row(session, principal, row.room_id), found)


def record_performed(
    session: Session,
    principal: Principal,
    sweep_id: int,
    *,
    performed_on: date,
    team: str = "",
    notes: str = "",
    today: date | None = None,
) -> Sweep:
    """Record a planned sweep as performed (not in the future); the room's last sweep
    and next due date move with it."""
    row, marking = _writable_sweep(session, principal, sweep_id)
    if row.status != "planned":
        raise SweepsError(N_("only a planned sweep can be recorded as performed"))
    if performed_on > (today or date.today()):
        raise SweepsError(N_("a sweep cannot be dated in the future"))
    place = _room_row(session, principal, row.room_id)
    if place is None:
        raise SweepsError(N_("no such secure room"))
    room_marking = load_one(session, place.marking_id)
    policy.require_write(principal, ROOM, room_marking)
    row.status = "performed"
    row.performed_on = performed_on
    row.performed_by = principal.id
    if team.strip():
        row.team = team.strip()
    if notes.strip():
        row.notes = notes.strip()
    # One statement, so that two sweeps recorded at once leave the later date.
    session.execute(
        update(Room)
        .where(
            Room.id == place.id,
            or_(Room.last_swept_on.is_(None), Room.last_swept_on < performed_on),
        )
        .values(
            last_swept_on=performed_on,
            next_due_on=performed_on + timedelta(days=place.interval_days),
        )
        .execution_options(synchronize_session="fetch")
    )
    session.flush()
    session.refresh(place)
    audit.record(
        session,
        principal=principal,
        action="sweep.perform",
        kind=SWEEP,
        object_id=row.id,
        marking=marking,
        details={"ref": row.ref, "performed_on": performed_on.isoformat()},
    )
    audit.record(
        session,
        principal=principal,
        action="room.swept",
        kind=ROOM,
        object_id=place.id,
        marking=room_marking,
        details={"next_due_on": place.next_due_on.isoformat() if place.next_due_on else None},
    )
    return row


def cancel_sweep(session: Session, principal: Principal, sweep_id: int) -> Sweep:
    """Cancel a planned sweep."""
    row, marking = _writable_sweep(session, principal, sweep_id)
    if row.status != "planned":
        raise SweepsError(N_("only a planned sweep can be cancelled"))
    row.status = "cancelled"
    session.flush()
    audit.record(
        session,
        principal=principal,
        action="sweep.cancel",
        kind=SWEEP,
        object_id=row.id,
        marking=marking,
        details={"ref": row.ref},
    )
    return row


@dataclass(frozen=True)
class SweepRow:
    sweep: Sweep
    open_findings: int


def sweeps_of(session: Session, principal: Principal, room_id: int) -> list[SweepRow]:
    """The readable sweeps of a room, newest first, with their open findings (audited)."""
    open_count = (
        select(func.count(Finding.id))
        .where(
            Finding.sweep_id == Sweep.id,
            Finding.status == "open",
            policy.read_filter(principal, SWEEP, Finding.marking_id),
        )
        .scalar_subquery()
    )
    rows = session.execute(
        select(Sweep, open_count)
        .where(Sweep.room_id == room_id, policy.read_filter(principal, SWEEP, Sweep.marking_id))
        .order_by(Sweep.planned_on.desc(), Sweep.id.desc())
        .limit(PAGE)
    ).all()
    audit.record(
        session,
        principal=principal,
        action="sweep.list",
        kind=SWEEP,
        details={"room": room_id, "count": len(rows)},
    )
    return [SweepRow(s, int(n or 0)) for s, n in rows]


# --- findings ------------------------------------------------------------------------------


def add_finding(
    session: Session,
    principal: Principal,
    sweep_id: int,
    *,
    description: str,
    severity: str,
    kind: str,
) -> Finding:
    """Record what a performed sweep found; it stays open until remediated."""
    row, marking = _writable_sweep(session, principal, sweep_id)
    if row.status != "performed":
        raise SweepsError(N_("findings are recorded on a performed sweep"))
    description = _text(description, N_("a finding needs a description"))
    if severity not in severities():
        raise SweepsError(N_("unknown severity {severity}"), severity=severity)
    if kind not in finding_kinds():
        raise SweepsError(N_("unknown kind of finding {kind}"), kind=kind)
    finding = Finding(
        sweep_id=row.id,
        description=description,
        severity=severity,
        kind=kind,
        status="open",
        remediation="",
        marking_id=row.marking_id,
        created_by=principal.id,
    )
    session.add(finding)
    session.flush()
    audit.record(
        session,
        principal=principal,
        action="finding.create",
        kind=SWEEP,
        object_id=finding.id,
        marking=marking,
        details={"sweep": row.ref, "severity": severity},
    )
    return finding


def close_finding(
    session: Session,
    principal: Principal,
    sweep_id: int,
    finding_id: int,
    *,
    remediation: str,
    remediated_on: date | None,
    today: date | None = None,
) -> Finding:
    """Close a finding with its remediation, dated between the sweep and today."""
    row, _ = _writable_sweep(session, principal, sweep_id)
    finding = session.scalar(
        select(Finding).where(
            Finding.id == finding_id,
            Finding.sweep_id == row.id,
            policy.read_filter(principal, SWEEP, Finding.marking_id),
        )
    )
    if finding is None:
        raise SweepsError(N_("no such finding"))
    marking = load_one(session, finding.marking_id)
    policy.require_write(principal, SWEEP, marking)
    if finding.status == "closed":
        raise SweepsError(N_("this finding is already closed"))
    remediation = _text(remediation, N_("closing a finding needs the remediation"))
    if remediated_on is None:
        raise SweepsError(N_("closing a finding needs the date of the remediation"))
    if row.performed_on is not None and remediated_on < row.performed_on:
        raise SweepsError(
            N_("the remediation cannot be dated before the sweep ({date})"),
            date=row.performed_on.isoformat(),
        )
    if remediated_on > (today or date.today()):
        raise SweepsError(N_("the remediation cannot be dated in the future"))
    finding.remediation = remediation
    finding.remediated_on = remediated_on
    finding.status = "closed"
    finding.closed_by = principal.id
    session.flush()
    audit.record(
        session,
        principal=principal,
        action="finding.close",
        kind=SWEEP,
        object_id=finding.id,
        marking=marking,
        details={"sweep": row.ref, "remediated_on": remediated_on.isoformat()},
    )
    return finding
