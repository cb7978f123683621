"""Dissemination: third-party consents, releases of approved products, and the reads of
the partner portal.

A release is checked against the releasability list the approval decided and the
third-party rule (every originator of the product's marking other than the recipient
must have consented, per product), then stored as a new object with the product's
marking narrowed to the one recipient (ADR 0011) and a snapshot of the content as
released. Recipients read releases only, through :func:`baken.core.policy.read_filter`.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from baken.analysis.products.models import Consent, ProductRecipient, Release
from baken.analysis.products.schemas import AFGIFTE, INSTEMMING, ReleaseView, vlabel
from baken.analysis.products.service import (
    MAX_NOTE,
    MAX_REFERENCE,
    ProductError,
    ProductNotFound,
    _recipients,
    _release_views,
    _text,
    _transition,
    _view,
    _writable,
)
from baken.core import audit, policy
from baken.core.i18n import N_
from baken.core.marking_store import intern
from baken.core.markings import INTERNAL_SERVICES, Marking, summary
from baken.core.principals import Principal
from baken.core.timeutil import utcnow


def record_consent(
    session: Session,
    *,
    principal: Principal,
    product_id: int,
    partner: str,
    recipient: str,
    reference: str,
) -> int:
    """Record that ``partner`` consented to its material in this product going to
    ``recipient``. The consent is marked as the product (it tells that the product exists)."""
    row, marking = _writable(session, principal, product_id)
    policy.require_write(principal, INSTEMMING, marking)
    if partner not in marking.originators:
        raise ProductError(
            N_("the product cites no material of {partner}; no consent is needed"),
            partner=partner,
        )
    (recipient,) = _recipients([recipient]) or [""]
    if not recipient or recipient == partner:
        raise ProductError(N_("choose a recipient other than the partner itself"))
    reference = _text(reference, MAX_REFERENCE, "reference", required=True)
    found = session.scalar(
        select(Consent.id).where(
            Consent.product_id == row.id, Consent.partner == partner, Consent.recipient == recipient
        )
    )
    if found is not None:
        raise ProductError(N_("this consent is already recorded"))
    consent = Consent(
        product_id=row.id,
        partner=partner,
        recipient=recipient,
        reference=reference,
        marking_id=intern(session, marking),
        recorded_by=principal.id,
    )
    session.add(consent)
    session.flush()
    audit.record(
        session,
        principal=principal,
        action="product.consent",
        kind=INSTEMMING,
        object_id=consent.id,
        marking=marking,
        details={
            "product": row.id,
            "partner": partner,
            "recipient": recipient,
            "reference": reference,
        },
    )
    return consent.id


def release_marking(product: Marking, recipient: str) -> Marking:
    """The marking of a release: the product's, its external releasability narrowed to
    the one recipient (internal services the product was released to keep reading it)."""
    internal = {c for c in product.releasable_to if c in {s.value for s in INTERNAL_SERVICES}}
    return Marking(
        level=product.level,
        owner=product.owner,
        compartments=product.compartments,
        originators=product.originators,
        releasable_to=frozenset(internal | {recipient}),
    )


def release(
    session: Session, *, principal: Principal, product_id: int, recipient: str, note: str = ""
) -> int:
    """Release an approved product to one recipient organisation."""
    row, marking = _writable(session, principal, product_id)
    if row.status not in ("approved", "released"):
        raise ProductError(N_("only an approved product can be released"))
    (recipient,) = _recipients([recipient]) or [""]
    if not recipient:
        raise ProductError(N_("choose a recipient"))
    approved = set(
        session.scalars(
            select(ProductRecipient.recipient).where(ProductRecipient.product_id == row.id)
        )
    )
    if recipient not in approved:
        raise ProductError(
            N_("{recipient} is not on the releasability list approved for this product"),
            recipient=recipient,
        )
    if marking.compartments:
        raise ProductError(N_("a product in a compartment cannot be released; sanitise it first"))
    consented = set(
        session.scalars(
            select(Consent.partner).where(
                Consent.product_id == row.id,
                Consent.recipient == recipient,
                policy.read_filter(principal, INSTEMMING, Consent.marking_id),
            )
        )
    )
    missing = sorted(o for o in marking.originators if o != recipient and o not in consented)
    if missing:
        raise ProductError(
            N_(
                "the product cites material of {partner}: it can go to {recipient} only with "
                "that partner's recorded consent (third-party rule)"
            ),
            partner=", ".join(missing),
            recipient=recipient,
        )
    already = session.scalar(
        select(Release.id).where(Release.product_id == row.id, Release.recipient == recipient)
    )
    if already is not None:
        raise ProductError(
            N_("this product has already been released to {recipient}"), recipient=recipient
        )
    note = _text(note, MAX_NOTE, "note")
    target = release_marking(marking, recipient)
    policy.require_write(principal, AFGIFTE, target)
    view = _view(session, principal, row)
    released_at = utcnow()
    content = {
        "product_id": row.id,
        "type": row.type,
        "type_label": vlabel("product_types", row.type),
        "title": row.title,
        "summary": row.summary,
        "body": row.body,
        "citations": [{"kind": c.kind, "caption": c.caption} for c in view.citations],
        "observables": [
            {"type": o.type, "value": o.value, "description": o.description}
            for o in view.observables
        ],
        "author": view.author,
        "approved_by": view.approved_by or "",
        "released_at": released_at.isoformat(),
    }
    rel = Release(
        product_id=row.id,
        recipient=recipient,
        content=content,
        note=note,
        marking_id=intern(session, target),
        released_by=principal.id,
        released_at=released_at,
    )
    session.add(rel)
    row.status = "released"
    session.flush()
    audit.record(
        session,
        principal=principal,
        action="product.release",
        kind=AFGIFTE,
        object_id=rel.id,
        marking=target,
        details={
            "product": row.id,
            "recipient": recipient,
            "consents": sorted(consented & marking.originators),
        },
    )
    _transition(session, principal, row, marking, "released", recipient=recipient)
    return rel.id


# --- the portal ----------------------------------------------------------------------------


def _releases_readable(principal: Principal) -> ColumnElement[bool]:
    return policy.read_filter(principal, AFGIFTE, Release.marking_id)


def releases(session: Session, *, principal: Principal, limit: int = 200) -> list[ReleaseView]:
    """The releases the principal may read: for a recipient, what went to them."""
    rows = list(
        session.scalars(
            select(Release)
            .where(_releases_readable(principal))
            .order_by(Release.id.desc())
            .limit(limit)
        )
    )
    views = _release_views(session, rows)
    audit.record(
        session,
        principal=principal,
        action="release.list",
        kind=AFGIFTE,
        marking=summary(v.marking for v in views) if views else None,
        details={"ids": [v.id for v in views]},
    )
    return views


def get_release(session: Session, *, principal: Principal, release_id: int) -> ReleaseView:
    row = session.scalar(
        select(Release).where(Release.id == release_id, _releases_readable(principal))
    )
    if row is None:
        raise ProductNotFound(release_id)
    view = _release_views(session, [row])[0]
    audit.record(
        session,
        principal=principal,
        action="release.read",
        kind=AFGIFTE,
        object_id=view.id,
        marking=view.marking,
        details={"product": view.product_id, "recipient": view.recipient},
    )
    return view
