"""The clock and the decision path of a screening: suspension and resumption, the hand-over
of a doubtful case by a mandated party to the AIVD, intended refusal, the person's view,
the decision (a VGB issued, or refused with reasons), objection, appeal and higher
appeal; withdrawal of a VGB (art. 10); and the case as its reader may see it.

Steps and suspensions are file data (kind ``vo_dossier``): their reasons are read only by
the officers on the case. The case row (status, dates, outcome) and the VGB are released
to the employer.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from baken.core import audit, policy, refusals
from baken.core.i18n import N_
from baken.core.marking_store import intern, load_one
from baken.core.principals import Principal
from baken.vetting import access
from baken.vetting.positions.models import Position
from baken.vetting.register import service as register
from baken.vetting.screenings import clock
from baken.vetting.screenings.models import Screening, Step, Suspension, Vgb
from baken.vetting.screenings.service import (
    KIND,
    ScreeningsError,
    mandated_only,
    next_ref,
    require_on_case,
    writable,
)
from baken.vetting.screenings.views import vgb_row

APPEALS = {"objection": "objection_ruling", "appeal": "appeal_ruling"}
APPEALS["higher_appeal"] = "higher_appeal_ruling"
# Which appeal may follow which ruling.
AFTER = {"objection": None, "appeal": "objection_ruling", "higher_appeal": "appeal_ruling"}
RULINGS = ("upheld", "dismissed")


def _reasons(text: str, message: str = N_("give the reasons")) -> str:
    clean = (text or "").strip()
    if not clean:
        raise ScreeningsError(message)
    return clean[:8000]


def _last_step_day(session: Session, screening: Screening) -> date:
    """The last date on the case: its steps, and the ends of its suspensions."""
    days = [screening.received_on]
    for query in (
        select(func.max(Step.on)).where(Step.screening_id == screening.id),
        select(func.max(Suspension.until)).where(Suspension.screening_id == screening.id),
    ):
        found = session.scalar(query)
        if found is not None:
            days.append(found)
    return max(days)


def _not_before(session: Session, screening: Screening, on: date) -> None:
    last = _last_step_day(session, screening)
    if screening.suspended_since is not None:
        last = max(last, screening.suspended_since)
    if on < last:
        raise ScreeningsError(
            N_("dates out of order: {day} lies before {last}, the last date of this case"),
            day=on.isoformat(),
            last=last.isoformat(),
        )


def _step(
    session: Session,
    principal: Principal,
    screening: Screening,
    step: str,
    on: date,
    *,
    outcome: str | None = None,
    reasons: str = "",
) -> Step:
    found = Step(
        screening_id=screening.id,
        step=step,
        on=on,
        outcome=outcome,
        reasons=reasons,
        marking_id=intern(session, access.file_marking()),
        by=principal.id,
    )
    session.add(found)
    session.flush()
    audit.record(
        session,
        principal=principal,
        action=f"screening.{step}",
        kind=KIND,
        object_id=screening.id,
        marking=load_one(session, screening.marking_id),
        details={"outcome": outcome, "on": on.isoformat()},
    )
    return found


def _case(session: Session, principal: Principal, screening_id: int) -> Screening:
    screening = writable(session, principal, screening_id)
    require_on_case(session, principal, screening)
    return screening


def _no_refusal(principal: Principal) -> None:
    if mandated_only(principal):
        raise ScreeningsError(
            N_("a party screening under mandate cannot refuse: hand the case to the AIVD")
        )


# --- the clock ------------------------------------------------------------------------------


def suspend(
    session: Session, principal: Principal, *, screening_id: int, reason: str, on: date
) -> None:
    """Stop the clock (opschorting), e.g. while waiting for a foreign inquiry."""
    with refusals.savepoint(
        session, principal=principal, action="screening.suspend", kind=KIND, object_id=screening_id
    ):
        screening = _case(session, principal, screening_id)
        if screening.status != "investigation":
            raise ScreeningsError(N_("only a case in investigation can be suspended"))
        text = _reasons(reason, N_("give the reason for the suspension"))
        _not_before(session, screening, on)
        last = session.scalar(
            select(func.max(Suspension.until)).where(Suspension.screening_id == screening.id)
        )
        if last is not None and on < last:
            raise ScreeningsError(N_("a suspension cannot begin before the last one ended"))
        session.add(
            Suspension(
                screening_id=screening.id,
                reason=text,
                since=on,
                marking_id=intern(session, access.file_marking()),
                by=principal.id,
            )
        )
        screening.status, screening.suspended_since = "suspended", on
        session.flush()
        audit.record(
            session,
            principal=principal,
            action="screening.suspend",
            kind=KIND,
            object_id=screening.id,
            marking=load_one(session, screening.marking_id),
            details={"since": on.isoformat()},
        )


def resume(session: Session, principal: Principal, *, screening_id: int, on: date) -> None:
    """Let the clock run again: the days suspended move the due date on."""
    with refusals.savepoint(
        session, principal=principal, action="screening.resume", kind=KIND, object_id=screening_id
    ):
        screening = _case(session, principal, screening_id)
        since = screening.suspended_since
        if screening.status != "suspended" or since is None:
            raise ScreeningsError(N_("this case is not suspended"))
        if on < since:
            raise ScreeningsError(
                N_(
                    "dates out of order: the clock cannot resume ({day}) before it stopped "
                    "({since})"
                ),
                day=on.isoformat(),
                since=since.isoformat(),
            )
        days = (on - since).days
        current = session.scalar(
            select(Suspension).where(
                Suspension.screening_id == screening.id, Suspension.until.is_(None)
            )
        )
        if current is not None:
            current.until = on
        screening.suspended_days += days
        screening.due_on = screening.due_on + timedelta(days=days)
        screening.status, screening.suspended_since = "investigation", None
        session.flush()
        audit.record(
            session,
            principal=principal,
            action="screening.resume",
            kind=KIND,
            object_id=screening.id,
            marking=load_one(session, screening.marking_id),
            details={"on": on.isoformat(), "days": days},
        )


def extend(
    session: Session,
    principal: Principal,
    *,
    screening_id: int,
    reason: str,
    on: date,
    rules: clock.Rules | None = None,
) -> None:
    """Extend the term once by the configured weeks; refused while none is configured
    (whether the Wvo allows it is not confirmed, DOMAIN.md §4)."""
    weeks = (rules or clock.Rules.load()).extension_weeks
    with refusals.savepoint(
        session, principal=principal, action="screening.extension", kind=KIND,
        object_id=screening_id,
    ):  # fmt: skip
        screening = _case(session, principal, screening_id)
        if weeks <= 0:
            raise ScreeningsError(N_("no extension of the term is configured"))
        if screening.status not in ("investigation", "suspended", "intended_refusal"):
            raise ScreeningsError(N_("only an open case can be extended"))
        done = session.scalar(
            select(Step.id).where(Step.screening_id == screening.id, Step.step == "extension")
        )
        if done is not None:
            raise ScreeningsError(N_("the term of this case was already extended"))
        text = _reasons(reason, N_("give the reason for the extension"))
        _not_before(session, screening, on)
        _step(session, principal, screening, "extension", on, reasons=text)
        screening.due_on = screening.due_on + timedelta(weeks=weeks)
        session.flush()


# --- mandate --------------------------------------------------------------------------------


def hand_over(
    session: Session, principal: Principal, *, screening_id: int, reason: str, on: date
) -> None:
    """A mandated party hands a doubtful case to the AIVD (UVO), with its reason."""
    with refusals.savepoint(
        session, principal=principal, action="screening.handover", kind=KIND, object_id=screening_id
    ):
        screening = _case(session, principal, screening_id)
        if screening.handled_by == "UVO":
            raise ScreeningsError(N_("this case is already handled by the AIVD"))
        if screening.status not in ("investigation", "suspended"):
            raise ScreeningsError(N_("only a case in investigation can be handed over"))
        text = _reasons(reason, N_("say why the case is handed to the AIVD"))
        _not_before(session, screening, on)
        _step(session, principal, screening, "handover", on, reasons=text)
        screening.handled_by = "UVO"
        session.flush()


# --- the decision path ----------------------------------------------------------------------


def intend_refusal(
    session: Session, principal: Principal, *, screening_id: int, reasons: str, on: date
) -> None:
    """Voornemen tot weigering: the person is told the reasons and may give a view."""
    with refusals.savepoint(
        session,
        principal=principal,
        action="screening.intended_refusal",
        kind=KIND,
        object_id=screening_id,
    ):
        _no_refusal(principal)
        screening = _case(session, principal, screening_id)
        if screening.status != "investigation":
            raise ScreeningsError(N_("a refusal can only be intended for a case in investigation"))
        text = _reasons(reasons, N_("an intended refusal needs its reasons"))
        _not_before(session, screening, on)
        _step(session, principal, screening, "intended_refusal", on, reasons=text)
        screening.status = "intended_refusal"
        session.flush()


def record_view(
    session: Session,
    principal: Principal,
    *,
    screening_id: int,
    received: bool,
    text: str = "",
    on: date,
) -> None:
    """The person's view (zienswijze): received, or the period passed without one."""
    with refusals.savepoint(
        session, principal=principal, action="screening.view", kind=KIND, object_id=screening_id
    ):
        screening = _case(session, principal, screening_id)
        if screening.status != "intended_refusal":
            raise ScreeningsError(N_("a view is given on an intended refusal"))
        if _has_step(session, screening, "view", since_step="intended_refusal"):
            raise ScreeningsError(N_("the view on this intended refusal is already recorded"))
        if received and not text.strip():
            raise ScreeningsError(N_("give the content of the view"))
        _not_before(session, screening, on)
        outcome = "received" if received else "lapsed"
        _step(session, principal, screening, "view", on, outcome=outcome, reasons=text.strip())


def _has_step(session: Session, screening: Screening, step: str, since_step: str) -> bool:
    """Whether ``step`` was recorded after the last ``since_step``."""
    steps = list(
        session.scalars(
            select(Step.step).where(Step.screening_id == screening.id).order_by(Step.id)
        )
    )
    if since_step in steps:
        steps = steps[len(steps) - steps[::-1].index(since_step) :]
    return step in steps


def issue_vgb(session: Session, principal: Principal, screening: Screening, on: date) -> Vgb:
    position = session.get(Position, screening.position_id)
    assert position is not None
    marking = access.employer_marking(screening.employer)
    vgb = Vgb(
        ref=next_ref(session, "VGB", Vgb.ref, on.year),
        screening_id=screening.id,
        person_name=screening.person_name,
        person_bsn=screening.person_bsn,
        level=screening.level,
        scope="location" if position.location_id is not None else "function",
        position_id=position.id,
        location_id=position.location_id,
        employer=screening.employer,
        issued_on=on,
        status="valid",
        marking_id=intern(session, marking),
    )
    session.add(vgb)
    session.flush()
    audit.record(
        session,
        principal=principal,
        action="vgb.issue",
        kind=KIND,
        object_id=vgb.id,
        marking=marking,
        details={"ref": vgb.ref, "scope": vgb.scope, "screening": screening.id},
    )
    return vgb


def decide(
    session: Session,
    principal: Principal,
    *,
    screening_id: int,
    outcome: str,
    reasons: str,
    on: date,
) -> Vgb | None:
    """The decision: a VGB issued, or refused. Both carry reasons; a refusal follows an
    intended refusal and the person's view (or its period passing)."""
    with refusals.savepoint(
        session,
        principal=principal,
        action="screening.decision",
        kind=KIND,
        object_id=screening_id,
    ):
        screening = _case(session, principal, screening_id)
        if outcome not in ("issued", "refused"):
            raise ScreeningsError(N_("a decision issues a VGB or refuses it"))
        if outcome == "refused":
            _no_refusal(principal)
        text = _reasons(reasons, N_("a decision needs its reasons"))
        if outcome == "issued" and screening.status not in ("investigation", "intended_refusal"):
            raise ScreeningsError(N_("only a case in investigation can be decided"))
        if outcome == "refused":
            if screening.status != "intended_refusal":
                raise ScreeningsError(N_("a refusal follows an intended refusal"))
            if not _has_step(session, screening, "view", since_step="intended_refusal"):
                raise ScreeningsError(
                    N_("record the person's view (or that its period passed) before refusing")
                )
        _not_before(session, screening, on)
        _step(session, principal, screening, "decision", on, outcome=outcome, reasons=text)
        screening.status, screening.outcome, screening.decided_on = "decided", outcome, on
        session.flush()
        return issue_vgb(session, principal, screening, on) if outcome == "issued" else None


def lodge(
    session: Session,
    principal: Principal,
    *,
    screening_id: int,
    step: str,
    reasons: str,
    on: date,
) -> None:
    """Record an objection (bezwaar), an appeal to the court, or a higher appeal to the
    Raad van State against a refusal."""
    with refusals.savepoint(
        session,
        principal=principal,
        action=f"screening.{step}",
        kind=KIND,
        object_id=screening_id,
    ):
        screening = _case(session, principal, screening_id)
        if step not in APPEALS:
            raise ScreeningsError(N_("unknown step {step}"), step=step)
        if screening.status != "decided" or screening.outcome != "refused":
            raise ScreeningsError(N_("only a refusal that stands can be contested"))
        before = AFTER[step]
        last = session.scalar(
            select(Step)
            .where(Step.screening_id == screening.id, Step.step != "withdrawal")
            .order_by(Step.id.desc())
            .limit(1)
        )
        if before is not None and (last is None or last.step != before):
            raise ScreeningsError(N_("this appeal follows a ruling on the step before it"))
        if before is None and last is not None and last.step != "decision":
            raise ScreeningsError(N_("an objection is made against the decision"))
        text = _reasons(reasons, N_("give the grounds"))
        _not_before(session, screening, on)
        _step(session, principal, screening, step, on, reasons=text)
        screening.status = step
        session.flush()


def rule(
    session: Session,
    principal: Principal,
    *,
    screening_id: int,
    outcome: str,
    reasons: str,
    on: date,
) -> Vgb | None:
    """The ruling on the pending objection or appeal; an upheld one issues the VGB."""
    with refusals.savepoint(
        session,
        principal=principal,
        action="screening.ruling",
        kind=KIND,
        object_id=screening_id,
    ):
        screening = _case(session, principal, screening_id)
        if screening.status not in APPEALS:
            raise ScreeningsError(N_("no objection or appeal is pending"))
        if outcome not in RULINGS:
            raise ScreeningsError(N_("a ruling is upheld or dismissed"))
        text = _reasons(reasons, N_("a ruling needs its reasons"))
        _not_before(session, screening, on)
        _step(
            session,
            principal,
            screening,
            APPEALS[screening.status],
            on,
            outcome=outcome,
            reasons=text,
        )
        screening.status = "decided"
        session.flush()
        if outcome == "upheld":
            screening.outcome, screening.decided_on = "issued", on
            session.flush()
            return issue_vgb(session, principal, screening, on)
        return None


def withdraw(session: Session, principal: Principal, *, vgb_id: int, reasons: str, on: date) -> Vgb:
    """Withdraw a VGB (art. 10), with reasons: the AIVD only."""
    with refusals.savepoint(
        session, principal=principal, action="vgb.withdraw", kind=KIND, object_id=vgb_id
    ):
        vgb = vgb_row(session, principal, vgb_id)
        marking = load_one(session, vgb.marking_id)
        policy.require_write(principal, KIND, marking)
        if access.SCREENER not in principal.roles:
            raise ScreeningsError(N_("only the AIVD withdraws a VGB"))
        if vgb.status != "valid":
            raise ScreeningsError(N_("only a valid VGB can be withdrawn"))
        text = _reasons(reasons, N_("a withdrawal needs its reasons"))
        if on < vgb.issued_on:
            raise ScreeningsError(N_("dates out of order: a VGB is withdrawn after it was issued"))
        vgb.status, vgb.ended_on, vgb.end_reason = "withdrawn", on, "withdrawn"
        ended = register.end_for_withdrawal(session, principal, vgb, on=on)
        screening = session.get(Screening, vgb.screening_id)
        assert screening is not None
        session.add(
            Step(
                screening_id=screening.id,
                step="withdrawal",
                on=on,
                reasons=text,
                marking_id=intern(session, access.file_marking()),
                by=principal.id,
            )
        )
        session.flush()
        audit.record(
            session,
            principal=principal,
            action="vgb.withdraw",
            kind=KIND,
            object_id=vgb.id,
            marking=marking,
            details={"register_entries_ended": ended},
        )
        return vgb
