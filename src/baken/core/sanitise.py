"""Sanitisation: the only way to lower a marking.

A sanitisation makes a *new* object at a lower marking from an existing one, with text
written for that marking. It is requested by one person and approved by another who
holds the ``sanitise.approve`` permission (a classification officer); both steps are
audited, and the record links source and derivative for ever. The proposal is held at
the source's marking until it is approved.

Modules make their kinds sanitisable by returning a :class:`Sanitiser` from the
``baken_sanitisers`` hook.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from pydantic import BaseModel, ConfigDict
from sqlalchemy import select
from sqlalchemy.orm import Session

from baken.core import audit, policy
from baken.core.errors import DomainError
from baken.core.i18n import N_
from baken.core.marking_store import intern, load, load_one
from baken.core.markings import Marking, MarkingError
from baken.core.models import Sanitisation
from baken.core.principals import Principal
from baken.core.timeutil import utcnow
from baken.plugins import registry


class SanitisationError(DomainError):
    """The request or decision is not allowed as asked (with the reason)."""


@dataclass(frozen=True, slots=True)
class Sanitiser:
    """How one kind takes part: read the source's marking and fields, make the copy."""

    kind: str
    fields: tuple[str, ...]
    source_marking: Callable[[Session, int], Marking | None]
    create: Callable[[Session, Principal, dict[str, str], Marking, int], int]
    # Where an object of this kind is shown, e.g. "/mededelingen/{id}".
    url: str

    def link(self, object_id: int) -> str:
        return self.url.format(id=object_id)


class SanitisationPublic(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: int
    kind: str
    source_id: int
    marking: Marking
    proposed_marking: Marking
    proposed_fields: dict[str, str]
    reason: str
    status: str
    requested_by: int
    requested_at: datetime
    decided_by: int | None
    decision_note: str | None
    target_id: int | None


def link(kind: str, object_id: int) -> str:
    return _sanitiser(kind).link(object_id)


def _sanitiser(kind: str) -> Sanitiser:
    found = registry().sanitisers().get(kind)
    if found is None:
        raise SanitisationError(f"objects of kind {kind!r} cannot be sanitised")
    return found


def request(
    session: Session,
    *,
    principal: Principal,
    kind: str,
    source_id: int,
    marking: Marking,
    fields: dict[str, str],
    reason: str,
) -> int:
    """Ask for a lower-marked version of ``source_id`` with the given text."""
    if not principal.has_permission("sanitise.request"):
        raise policy.PolicyDenied("sanitise.request")
    handler = _sanitiser(kind)
    source = handler.source_marking(session, source_id)
    if source is None or not policy.can_read(principal, kind, source):
        raise policy.PolicyDenied(kind)
    if not reason.strip():
        raise SanitisationError(N_("give the reason for the sanitisation"))
    if set(fields) != set(handler.fields) or not all(v.strip() for v in fields.values()):
        raise SanitisationError(N_("fill in every field of the sanitised version"))
    if marking == source or marking.dominates(source):
        raise SanitisationError(N_("the proposed marking is not lower than the source's"))
    if not source.originators <= marking.originators:
        # Third-party rule: a partner's information stays marked as the partner's.
        raise SanitisationError(N_("a sanitised version keeps the originators of its source"))
    row = Sanitisation(
        kind=kind,
        source_id=source_id,
        marking_id=intern(session, source),
        proposed_marking_id=intern(session, marking),
        proposed_fields=dict(fields),
        reason=reason.strip(),
        requested_by=principal.id,
        requested_at=utcnow(),
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        principal=principal,
        action="sanitisation.request",
        kind=kind,
        object_id=source_id,
        marking=source,
        details={"sanitisation": row.id, "to": marking.key()},
    )
    return row.id


def _readable(session: Session, principal: Principal) -> list[Sanitisation]:
    query = select(Sanitisation).order_by(Sanitisation.id.desc())
    where = policy.read_filter_any_kind(principal, Sanitisation.kind, Sanitisation.marking_id)
    return list(session.scalars(query.where(where)).all())


def _public(session: Session, row: Sanitisation) -> SanitisationPublic:
    marks = load(session, [row.marking_id, row.proposed_marking_id])
    return SanitisationPublic(
        id=row.id,
        kind=row.kind,
        source_id=row.source_id,
        marking=marks[row.marking_id],
        proposed_marking=marks[row.proposed_marking_id],
        proposed_fields=dict(row.proposed_fields),
        reason=row.reason,
        status=row.status,
        requested_by=row.requested_by,
        requested_at=row.requested_at,
        decided_by=row.decided_by,
        decision_note=row.decision_note,
        target_id=row.target_id,
    )


def list_for(session: Session, *, principal: Principal) -> list[SanitisationPublic]:
    rows = _readable(session, principal)
    result = [_public(session, r) for r in rows]
    audit.record(
        session,
        principal=principal,
        action="sanitisation.list",
        details={"ids": [r.id for r in rows]},
    )
    return result


def get(session: Session, *, principal: Principal, sanitisation_id: int) -> SanitisationPublic:
    row = session.get(Sanitisation, sanitisation_id)
    if row is None:
        raise LookupError(sanitisation_id)
    marking = load_one(session, row.marking_id)
    if not policy.can_read(principal, row.kind, marking):
        raise LookupError(sanitisation_id)
    audit.record(
        session,
        principal=principal,
        action="sanitisation.read",
        kind=row.kind,
        object_id=row.source_id,
        marking=marking,
        details={"sanitisation": row.id},
    )
    return _public(session, row)


def decide(
    session: Session,
    *,
    principal: Principal,
    sanitisation_id: int,
    approve: bool,
    note: str,
) -> int | None:
    """Approve (creating the lower-marked object) or reject. Four eyes: the approver is
    never the requester. Returns the new object's id on approval."""
    row = session.get(Sanitisation, sanitisation_id, with_for_update=True)
    if row is None:
        raise LookupError(sanitisation_id)
    source = load_one(session, row.marking_id)
    if not policy.can_read(principal, row.kind, source):
        raise LookupError(sanitisation_id)
    if not principal.has_permission("sanitise.approve"):
        raise policy.PolicyDenied("sanitise.approve")
    if row.status != "requested":
        raise SanitisationError(N_("this request has already been decided"))
    if row.requested_by == principal.id:
        raise SanitisationError(N_("the approver must be another person than the requester"))
    if not note.strip():
        raise SanitisationError(N_("give a note with the decision"))
    target = load_one(session, row.proposed_marking_id)
    if target.dominates(source):
        raise MarkingError(N_("the proposed marking is not lower than the source's"))
    row.status = "approved" if approve else "rejected"
    row.decided_by, row.decided_at, row.decision_note = principal.id, utcnow(), note.strip()
    if approve:
        row.target_id = _sanitiser(row.kind).create(
            session, principal, dict(row.proposed_fields), target, row.source_id
        )
    session.flush()
    audit.record(
        session,
        principal=principal,
        action="sanitisation.approve" if approve else "sanitisation.reject",
        kind=row.kind,
        object_id=row.source_id,
        marking=source,
        details={"sanitisation": row.id, "target": row.target_id, "to": target.key()},
    )
    return row.target_id
