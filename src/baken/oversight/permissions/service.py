"""Permission requests for special powers: draft, team lead, minister, binding review
(TIB, or the CTIVD under the Tijdelijke wet), use, expiry and renewal; the urgency
procedure; and :func:`usable`, the check the lifecycle part runs before anything is
recorded under a permission.

Every read goes through :func:`baken.core.policy.read_filter` in the query and is
audited. Internal writes pass :func:`baken.core.policy.require_write`; decisions of the
external bodies pass :func:`baken.oversight.permissions.rules.may_decide` instead (ADR
0012). A refusal changes nothing (the work runs in a savepoint that is rolled back) and
is audited with outcome ``refused`` in the caller's transaction.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from baken.core import audit, policy
from baken.core.errors import DomainError
from baken.core.i18n import N_
from baken.core.marking_store import intern, load_one
from baken.core.markings import Marking, MarkingError
from baken.core.principals import Principal
from baken.core.references import next_reference
from baken.core.schemas import MarkingIn
from baken.core.timeutil import utcnow
from baken.oversight.permissions import rules
from baken.oversight.permissions.models import Permission, PermissionStep
from baken.oversight.permissions.reading import (
    _row,
    _views,
    expiring,
    get,
    list_permissions,
    readable,
    reviews,
)
from baken.oversight.permissions.rules import TOESTEMMING
from baken.oversight.permissions.schemas import (
    MAX_TEXT,
    PermissionCreate,
    PermissionsError,
    PermissionView,
    StepView,
    refusable,
)

__all__ = [
    "MAX_TEXT",
    "PermissionCreate",
    "PermissionView",
    "PermissionsError",
    "StepView",
    "create",
    "decide",
    "expire",
    "expiring",
    "get",
    "list_permissions",
    "readable",
    "renew",
    "reviews",
    "submit",
    "team_lead",
    "usable",
]

MAX_TARGETS = 50
USABLE = ("in_use",)


# --- the lifecycle's check ---------------------------------------------------------------


@refusable("permission.use")
def usable(
    session: Session, *, principal: Principal, permission_id: int, on: date
) -> PermissionView:
    """The permission, if data may be recorded under it on ``on``; otherwise a
    :class:`PermissionsError` that says why ("nothing can be recorded under a permission
    that has expired or was refused"). Unknown and unreadable permissions look alike."""
    row = session.scalar(
        select(Permission).where(Permission.id == permission_id, readable(principal))
    )
    if row is None:
        raise PermissionsError(N_("there is no permission {id}"), id=permission_id)
    if row.status == "refused":
        raise PermissionsError(
            N_("permission {ref} was refused by the minister"), ref=row.reference
        )
    if row.status == "unlawful":
        raise PermissionsError(N_("permission {ref} was found unlawful"), ref=row.reference)
    if row.status == "stopped":
        raise PermissionsError(N_("the CTIVD ordered permission {ref} stopped"), ref=row.reference)
    if row.status in ("expired", "renewed") or (
        row.status == "in_use" and row.valid_until is not None and on > row.valid_until
    ):
        raise PermissionsError(
            N_("permission {ref} expired on {date}"),
            ref=row.reference,
            date=row.valid_until.isoformat() if row.valid_until else "?",
        )
    if row.status not in USABLE:
        raise PermissionsError(
            N_("permission {ref} is not (yet) lawful: it may not be used"), ref=row.reference
        )
    if row.valid_from is not None and on < row.valid_from:
        raise PermissionsError(
            N_("permission {ref} is valid only from {date}"),
            ref=row.reference,
            date=row.valid_from.isoformat(),
        )
    marking = load_one(session, row.marking_id)
    audit.record(
        session,
        principal=principal,
        action="permission.use",
        kind=TOESTEMMING,
        object_id=row.id,
        marking=marking,
        details={"on": on.isoformat()},
    )
    return _views(session, [row])[0]


# --- writing -----------------------------------------------------------------------------


def _step(
    session: Session, principal: Principal, row: Permission, step: str, outcome: str, note: str
) -> None:
    session.add(
        PermissionStep(
            permission_id=row.id,
            step=step,
            outcome=outcome,
            note=note.strip()[:MAX_TEXT],
            marking_id=row.marking_id,
            decided_by=principal.id,
        )
    )
    marking = load_one(session, row.marking_id)
    audit.record(
        session,
        principal=principal,
        action=f"permission.{step}",
        kind=TOESTEMMING,
        object_id=row.id,
        marking=marking,
        details={"outcome": outcome, "status": row.status},
    )


def _reference(session: Session, on: date) -> str:
    return next_reference(session, Permission.reference, f"TV-{on.year}-", 4)


def _assignment(session: Session, principal: Principal, assignment_id: int) -> Any:
    """The onderzoeksopdracht, through the steering service (policy and audit there)."""
    from baken.steering.service import plans

    for plan in plans.list_plans(session, principal=principal):
        for item in plans.assignments(session, principal, plan.id):
            if item.id == assignment_id:
                return item
    raise PermissionsError(N_("there is no onderzoeksopdracht {id}"), id=assignment_id)


def assignments(session: Session, *, principal: Principal) -> list[Any]:
    """The onderzoeksopdrachten a request can serve (those the principal may read)."""
    from baken.steering.service import plans

    return [
        item
        for plan in plans.list_plans(session, principal=principal)
        for item in plans.assignments(session, principal, plan.id)
    ]


def _check(data: PermissionCreate) -> rules.Power:
    power = rules.powers().get(data.power)
    if power is None:
        raise PermissionsError(N_("unknown special power {power}"), power=data.power[:40])
    if not data.title.strip():
        raise PermissionsError(N_("give the request a title"))
    for criterion in rules.CRITERIA:
        if not getattr(data, criterion).strip():
            raise PermissionsError(
                N_("the justification under {criterion} is missing"), criterion=criterion
            )
    targets = [t.strip() for t in data.targets if t.strip()]
    if not targets:
        raise PermissionsError(N_("name at least one target"))
    if len(targets) > MAX_TARGETS:
        raise PermissionsError(N_("at most {max} targets per request"), max=MAX_TARGETS)
    if data.term_months < 1:
        raise PermissionsError(N_("the requested term must be at least one month"))
    if data.term_months > power.max_term_months:
        raise PermissionsError(
            N_("the requested term of {term} months exceeds the maximum of {max} months"),
            term=data.term_months,
            max=power.max_term_months,
        )
    if data.country and data.country not in rules.countries():
        raise PermissionsError(N_("unknown country {country}"), country=data.country[:8])
    return power


def _marking(
    session: Session, principal: Principal, data: PermissionCreate, source: Marking
) -> Marking:
    """The request's marking: the author's choice raised to the onderzoeksopdracht's, and
    released to the bodies that must decide it (the minister of the owning service and
    the TIB) - by law they read it."""
    try:
        marking = policy.derived_marking([source], data.marking.to_marking())
    except MarkingError:
        raise PermissionsError(
            N_("no one marking covers the request and its onderzoeksopdracht")
        ) from None
    deciders = {rules.minister_organisation(marking.owner.value), rules.tib_organisation()}
    return Marking(
        level=marking.level,
        owner=marking.owner,
        compartments=marking.compartments,
        originators=marking.originators,
        releasable_to=marking.releasable_to | deciders,
    )


@refusable("permission.create")
def create(
    session: Session,
    *,
    principal: Principal,
    data: PermissionCreate,
    renews_id: int | None = None,
    on: date | None = None,
) -> int:
    """Draft a request; returns its id."""
    return _create(session, principal=principal, data=data, renews_id=renews_id, on=on)


def _create(
    session: Session,
    *,
    principal: Principal,
    data: PermissionCreate,
    renews_id: int | None = None,
    on: date | None = None,
) -> int:
    """Draft a request; returns its id."""
    if principal.is_external or not policy.role_may_write(principal, TOESTEMMING):
        raise policy.PolicyDenied(TOESTEMMING)
    power = _check(data)
    regime = rules.regime_for(data.power, data.country)
    if data.urgent and regime != "wiv":
        raise PermissionsError(
            N_(
                "the urgency procedure applies to Wiv requests; under the Tijdelijke wet the "
                "CTIVD oversees the use"
            )
        )
    assignment = _assignment(session, principal, data.assignment_id)
    marking = _marking(session, principal, data, assignment.marking)
    policy.require_write(principal, TOESTEMMING, marking)
    renewal_count = 0
    if renews_id is not None:
        old = _row(session, principal, renews_id)
        if old.status not in ("in_use", "expired"):
            raise PermissionsError(N_("only a permission in use or expired can be renewed"))
        if power.max_renewals is not None and old.renewal_count >= power.max_renewals:
            raise PermissionsError(
                N_("this power may be renewed at most {max} times"), max=power.max_renewals
            )
        if session.scalar(
            select(Permission.id).where(
                Permission.renews_id == old.id,
                Permission.status.not_in(("refused", "unlawful")),
            )
        ):
            raise PermissionsError(N_("a renewal of this permission is already under way"))
        renewal_count = old.renewal_count + 1
    today = on or utcnow().date()
    row = Permission(
        reference=_reference(session, today),
        power=data.power,
        status="draft",
        regime=regime,
        urgent=data.urgent,
        reviewed=False,
        service=marking.owner.value,
        title=data.title.strip(),
        targets=[t.strip() for t in data.targets if t.strip()],
        country=data.country or None,
        assignment_id=assignment.id,
        assignment_code=assignment.code,
        assignment_title=assignment.title,
        necessity=data.necessity.strip(),
        proportionality=data.proportionality.strip(),
        subsidiarity=data.subsidiarity.strip(),
        targeting=data.targeting.strip(),
        term_months=data.term_months,
        renews_id=renews_id,
        renewal_count=renewal_count,
        marking_id=intern(session, marking),
        created_by=principal.id,
    )
    session.add(row)
    session.flush()
    _step(session, principal, row, "created", "renewal" if renews_id else "drafted", "")
    return row.id


@refusable("permission.renew")
def renew(
    session: Session, *, principal: Principal, permission_id: int, on: date | None = None
) -> int:
    """A new draft request that renews ``permission_id``, with the same grounds (to be
    revised) and the power's default term."""
    old = _row(session, principal, permission_id)
    policy.require_write(principal, TOESTEMMING, load_one(session, old.marking_id))
    power = rules.powers()[old.power]
    data = PermissionCreate(
        power=old.power,
        title=old.title,
        targets=list(old.targets),
        country=old.country,
        assignment_id=old.assignment_id,
        necessity=old.necessity,
        proportionality=old.proportionality,
        subsidiarity=old.subsidiarity,
        targeting=old.targeting,
        term_months=power.term_months,
        marking=MarkingIn.of(load_one(session, old.marking_id)),
    )
    return _create(session, principal=principal, data=data, renews_id=old.id, on=on)


def _writable(session: Session, principal: Principal, permission_id: int) -> Permission:
    row = _row(session, principal, permission_id)
    policy.require_write(principal, TOESTEMMING, load_one(session, row.marking_id))
    return row


@refusable("permission.submit")
def submit(session: Session, *, principal: Principal, permission_id: int) -> None:
    """Draft -> the team lead."""
    row = _writable(session, principal, permission_id)
    if row.status != "draft":
        raise PermissionsError(N_("only a draft can be submitted"))
    row.status = "team_lead"
    _step(session, principal, row, "submit", "submitted", "")


@refusable("permission.team_lead")
def team_lead(
    session: Session,
    *,
    principal: Principal,
    permission_id: int,
    outcome: str,
    note: str = "",
    on: date | None = None,
) -> None:
    """The team lead forwards the request to the minister, returns it, or (urgency)
    records the minister's oral permission, after which the power is in use pending the
    TIB's review."""
    row = _writable(session, principal, permission_id)
    if "team_lead" not in principal.roles:
        raise PermissionsError(N_("only a team lead decides at this step"))
    if row.status != "team_lead":
        raise PermissionsError(
            N_("this request is not with the team lead (it is at step {status})"),
            status=row.status,
        )
    if outcome == "forwarded":
        row.status = "minister"
    elif outcome == "returned":
        row.status = "draft"
    elif outcome == "oral":
        if not row.urgent:
            raise PermissionsError(N_("oral permission is only for urgent requests"))
        if not note.strip():
            raise PermissionsError(N_("record who gave the oral permission, and when"))
        today = on or utcnow().date()
        row.status, row.reviewed = "in_use", False
        row.valid_from, row.valid_until = today, rules.term_end(today, row.term_months)
        row.decided_at = utcnow()
        _step(session, principal, row, "oral", "permitted", note)
        return
    else:
        raise PermissionsError(N_("unknown outcome {outcome}"), outcome=outcome[:40])
    _step(session, principal, row, "team_lead", outcome, note)


def _order_destruction(
    session: Session, principal: Principal, row: Permission, reason: str, stores: Any = None
) -> None:
    """Record the order to destroy every result gathered under the permission, and have
    the lifecycle part carry it out."""
    # Imported here: the lifecycle part builds on this module.
    from baken.oversight.lifecycle.service import destroy_for_permission

    row.destruction_ordered, row.destruction_reason = True, reason
    _step(session, principal, row, "destruction", "ordered", reason)
    try:
        with session.begin_nested():
            records = destroy_for_permission(
                session, principal=principal, permission_id=row.id, reason=reason, stores=stores
            )
    except DomainError as exc:
        # The binding finding stands; what blocks the destruction (a legal hold) is on
        # record and shown with the request, to be resolved and carried out again.
        _step(session, principal, row, "destruction", "blocked", str(exc))
        return
    _step(session, principal, row, "destruction", "done", f"{reason} ({len(records)})")


STEP_OF = {"minister_office": "minister", "tib": "tib", "overseer": "ctivd"}


@refusable("permission.decide")
def decide(
    session: Session,
    *,
    principal: Principal,
    permission_id: int,
    outcome: str,
    note: str = "",
    on: date | None = None,
    stores: Any = None,
) -> None:
    """A decision of the minister's office, the TIB or the CTIVD (rules.may_decide).
    ``stores`` (``lifecycle.destruction.Stores``) are where holdings keep their files,
    for a finding that orders destruction."""
    row = _row(session, principal, permission_id)  # unreadable: 404, like nonexistent
    marking = load_one(session, row.marking_id)
    role = rules.permission_decider(row.status, row.regime, row.reviewed)
    mine = [r for r in rules.PERMISSION_OUTCOMES if r in principal.roles]
    if not mine:
        raise policy.PolicyDenied(TOESTEMMING)
    if role is None or role not in principal.roles:
        raise PermissionsError(
            N_("this request is at step {status}: a decision of yours is not expected now"),
            status=row.status,
        )
    if not rules.may_decide(principal, role=role, kind=TOESTEMMING, marking=marking):
        raise policy.PolicyDenied(TOESTEMMING)
    if outcome not in rules.PERMISSION_OUTCOMES[role]:
        raise PermissionsError(N_("unknown outcome {outcome}"), outcome=outcome[:40])
    if outcome in ("refused", "unlawful", "stop") and not note.strip():
        raise PermissionsError(N_("give the reasons for this decision"))
    today = on or utcnow().date()
    row.decided_at = utcnow()
    step = STEP_OF[role]
    if role == "minister_office":
        if outcome == "refused":
            row.status = "refused"
        elif row.regime == "tijdelijke_wet":
            # No prior TIB review: in use at once, under the CTIVD's binding oversight.
            row.status, row.reviewed = "in_use", False
            _start(session, row, today)
        else:
            row.status = "review"
    elif role == "tib":
        if row.status == "review":
            if outcome == "lawful":
                row.status, row.reviewed = "in_use", True
                _start(session, row, today)
            else:
                row.status, row.reviewed = "unlawful", True
        else:  # urgency: reviewed after the fact
            row.reviewed = True
            if outcome == "unlawful":
                row.status = "unlawful"
                _step(session, principal, row, step, outcome, note)
                _order_destruction(
                    session,
                    principal,
                    row,
                    f"TIB: onrechtmatig na spoedprocedure. {note}".strip(),
                    stores,
                )
                return
    else:  # the CTIVD under the Tijdelijke wet
        if outcome == "lawful":
            row.reviewed = True
        else:
            row.status, row.reviewed = "stopped", True
            _step(session, principal, row, step, outcome, note)
            _order_destruction(session, principal, row, f"CTIVD: stopbevel. {note}".strip(), stores)
            return
    _step(session, principal, row, step, outcome, note)


def _start(session: Session, row: Permission, today: date) -> None:
    start = today
    if row.renews_id is not None:
        old = session.get(Permission, row.renews_id)
        if old is not None and old.valid_until is not None and old.status in ("in_use", "expired"):
            start = max(today, old.valid_until + timedelta(days=1))
            old.status = "renewed"
            session.add(
                PermissionStep(
                    permission_id=old.id,
                    step="renew",
                    outcome="renewed",
                    note=row.reference,
                    marking_id=old.marking_id,
                    decided_by=row.created_by,
                )
            )
    row.valid_from, row.valid_until = start, rules.term_end(start, row.term_months)


def expire(session: Session, *, principal: Principal, on: date) -> list[str]:
    """Mark every permission in use whose term ended before ``on`` as expired (those the
    principal may read and write); returns their references."""
    rows = list(
        session.scalars(
            select(Permission).where(
                readable(principal), Permission.status == "in_use", Permission.valid_until < on
            )
        )
    )
    done = []
    for row in rows:
        if not policy.can_write(principal, TOESTEMMING, load_one(session, row.marking_id)):
            continue
        row.status = "expired"
        _step(session, principal, row, "expire", "expired", on.isoformat())
        done.append(row.reference)
    return done
