"""The victim's side of resilience: what was released to a partner's organisation, and
the victim's acknowledgement of a notification.

Partners (external principals) never read records or products. They read releases
(``afgifte``, through its own read filter): :func:`received` lists the resilience products
released to their organisation, from the release's snapshot only. The acknowledgement is
an external principal's act, which the kernel's :func:`baken.core.policy.can_write`
refuses; :func:`acknowledge` checks it explicitly: a partner recipient, a release to their
own organisation that they may read, of a victim notification naming their organisation
as the victim, not acknowledged before. It is audited like any write.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from baken.analysis.products.models import Release
from baken.analysis.products.schemas import AFGIFTE
from baken.core import audit, policy
from baken.core.i18n import N_
from baken.core.marking_store import load, load_one
from baken.core.markings import summary
from baken.core.principals import Principal
from baken.core.timeutil import utcnow
from baken.protect.resilience.models import ResilienceRecord
from baken.protect.resilience.schemas import KIND, Received
from baken.protect.resilience.service import ResilienceError

RECIPIENT = "partner_recipient"


def acknowledge(session: Session, *, principal: Principal, release_id: int) -> int:
    """The victim confirms receipt of a notification released to them (the record's id).

    An external principal's act, checked here on top of the kernel: a partner recipient,
    a release to their own organisation that they may read, of a victim notification
    whose victim is their organisation, not acknowledged before."""
    if not principal.is_external or RECIPIENT not in principal.roles or not principal.organisation:
        raise ResilienceError(
            N_("only the victim organisation itself can acknowledge receipt of a notification")
        )
    found = session.execute(
        select(Release, ResilienceRecord)
        .join(ResilienceRecord, ResilienceRecord.product_id == Release.product_id)
        .where(
            Release.id == release_id,
            Release.recipient == principal.organisation,
            policy.read_filter(principal, AFGIFTE, Release.marking_id),
            policy.read_filter(principal, KIND, Release.marking_id),
        )
    ).first()
    if found is None:
        raise ResilienceError(N_("no resilience product with this number was released to you"))
    release, row = found
    if row.victim != principal.organisation:
        raise ResilienceError(
            N_("this is not a notification to your organisation as a victim of a cyber operation")
        )
    if row.acknowledged_at is not None:
        raise ResilienceError(N_("receipt of this notification has already been acknowledged"))
    row.acknowledged_release_id, row.acknowledged_by = release.id, principal.id
    row.acknowledged_at = row.updated_at = utcnow()
    session.flush()
    audit.record(
        session,
        principal=principal,
        action="resilience.acknowledge",
        kind=KIND,
        object_id=row.id,
        marking=load_one(session, release.marking_id),
        details={
            "release": release.id,
            "product": release.product_id,
            "organisation": principal.organisation,
        },
    )
    return row.id


def received(session: Session, *, principal: Principal) -> list[Received]:
    """The resilience products released to the principal's organisation (a partner
    recipient), from the releases' snapshots, newest first (audited)."""
    if not principal.is_external or not principal.organisation:
        return []
    rows = session.execute(
        select(
            Release,
            ResilienceRecord.victim,
            ResilienceRecord.acknowledged_release_id,
            ResilienceRecord.acknowledged_at,
        )
        .join(ResilienceRecord, ResilienceRecord.product_id == Release.product_id)
        .where(
            Release.recipient == principal.organisation,
            policy.read_filter(principal, AFGIFTE, Release.marking_id),
            policy.read_filter(principal, KIND, Release.marking_id),
        )
        .order_by(Release.released_at.desc(), Release.id.desc())
        .limit(200)
    ).all()
    marks = load(session, {rel.marking_id for rel, _, _, _ in rows})
    items = [
        Received(
            release_id=rel.id,
            type=str(rel.content.get("type", "")),
            title=str(rel.content.get("title", "")),
            summary=str(rel.content.get("summary", "")),
            released_at=rel.released_at,
            marking=marks[rel.marking_id],
            notification=victim == principal.organisation,
            # Only the acknowledgement of this very release (the reader's own act).
            acknowledged_at=at if acked == rel.id else None,
        )
        for rel, victim, acked, at in rows
    ]
    audit.record(
        session,
        principal=principal,
        action="resilience.received",
        kind=KIND,
        marking=summary(i.marking for i in items) if items else None,
        details={"releases": [i.release_id for i in items]},
    )
    return items
