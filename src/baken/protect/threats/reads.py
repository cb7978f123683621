"""The read side of protect (threats): who reads which threat record, through which
read filter, and the views made of what they may read (see :mod:`.service` for the
choice of markings).

Staff read a record through the read filter on its product's current marking and on the
record's own; a partner recipient through the filter on a release of the product to its
organisation. Every query here carries the filter; the service functions audit.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import ColumnElement, Select, and_, exists, func, select
from sqlalchemy.orm import Session

from baken.analysis.products.models import Product, Release
from baken.analysis.products.schemas import AFGIFTE, PRODUCT
from baken.core import policy
from baken.core.marking_store import load
from baken.core.markings import Marking
from baken.core.models import User
from baken.core.principals import Principal
from baken.core.timeutil import aware
from baken.protect.threats.models import Decision, ThreatRecord
from baken.protect.threats.schemas import DECISION, KIND, DecisionView, ReleaseInfo, ThreatView


class ThreatNotFound(LookupError):
    """No threat product with this id that the principal may read: the two cases are not
    told apart. The web layer answers 404."""


def is_partner(principal: Principal) -> bool:
    """An external recipient (not the oversight, which reads as the service's staff do)."""
    return principal.is_external and not principal.is_overseer


def staff_filter(principal: Principal) -> list[ColumnElement[bool]]:
    """A record the service's staff may read: its product's marking and its own."""
    return [
        policy.read_filter(principal, PRODUCT, Product.marking_id),
        policy.read_filter(principal, KIND, ThreatRecord.marking_id),
    ]


def received_filter(principal: Principal) -> list[ColumnElement[bool]]:
    """A record a partner may read: through a release to its organisation (the query
    joins :class:`Release` on the record's product, :func:`of_product`)."""
    return [
        Release.recipient == (principal.organisation or ""),
        policy.read_filter(principal, AFGIFTE, Release.marking_id),
        policy.read_filter(principal, KIND, Release.marking_id),
    ]


def of_product() -> ColumnElement[bool]:
    # Joined explicitly (``.join(Release, of_product())``): a read filter that is false()
    # would fold a join condition written in the WHERE clause away with it.
    return Release.product_id == ThreatRecord.product_id


def to_addressee() -> ColumnElement[bool]:
    return and_(
        Release.product_id == ThreatRecord.product_id, Release.recipient == ThreatRecord.addressee
    )


def decided(principal: Principal) -> ColumnElement[bool]:
    return exists().where(
        Decision.release_id == Release.id,
        policy.read_filter(principal, DECISION, Decision.marking_id),
    )


def ids(principal: Principal) -> Select[int]:
    """The ids of the records the principal may read, as a query to narrow further."""
    if is_partner(principal):
        return (
            select(ThreatRecord.id).join(Release, of_product()).where(*received_filter(principal))
        )
    return (
        select(ThreatRecord.id)
        .join(Product, Product.id == ThreatRecord.product_id)
        .where(*staff_filter(principal))
    )


def awaiting(principal: Principal) -> Select[int]:
    """Readable records released to their addressee with no decision recorded."""
    if is_partner(principal):
        return ids(principal).where(
            ThreatRecord.addressee == (principal.organisation or ""), ~decided(principal)
        )
    return (
        ids(principal)
        .join(Release, to_addressee())
        .where(policy.read_filter(principal, AFGIFTE, Release.marking_id), ~decided(principal))
    )


def decided_ids(principal: Principal) -> Select[int]:
    if is_partner(principal):
        return ids(principal).where(
            ThreatRecord.addressee == (principal.organisation or ""), decided(principal)
        )
    return (
        ids(principal)
        .join(Release, to_addressee())
        .where(policy.read_filter(principal, AFGIFTE, Release.marking_id), decided(principal))
    )


def count(session: Session, query: Select[int]) -> int:
    return session.scalar(select(func.count()).select_from(query.subquery())) or 0


def user_names(session: Session, ids: Iterable[int]) -> dict[int, str]:
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    rows = session.execute(select(User.id, User.display_name).where(User.id.in_(wanted)))
    return {i: n for i, n in rows}


def decisions_of(
    session: Session, principal: Principal, release_ids: Iterable[int]
) -> dict[int, list[DecisionView]]:
    wanted = sorted(set(release_ids))
    if not wanted:
        return {}
    rows = list(
        session.scalars(
            select(Decision)
            .where(
                Decision.release_id.in_(wanted),
                policy.read_filter(principal, DECISION, Decision.marking_id),
            )
            .order_by(Decision.release_id, Decision.version)
        )
    )
    marks = load(session, {d.marking_id for d in rows})
    names = user_names(session, (d.recorded_by for d in rows))
    found: dict[int, list[DecisionView]] = {}
    for d in rows:
        found.setdefault(d.release_id, []).append(
            DecisionView(
                id=d.id,
                version=d.version,
                measures=list(d.measures),
                decided_on=d.decided_on,
                text=d.text,
                recorded_for=d.recorded_for,
                recorded_by=names.get(d.recorded_by, "?"),
                recorded_at=aware(d.recorded_at),
                marking=marks[d.marking_id],
            )
        )
    return found


def release_info(release: Release, marks: dict[int, Marking]) -> ReleaseInfo:
    return ReleaseInfo(
        id=release.id,
        recipient=release.recipient,
        released_at=aware(release.released_at),
        marking=marks[release.marking_id],
    )


def staff_views(
    session: Session, principal: Principal, pairs: Sequence[tuple[ThreatRecord, Product]]
) -> list[ThreatView]:
    if not pairs:
        return []
    releases = {
        (r.product_id, r.recipient): r
        for r in session.scalars(
            select(Release).where(
                Release.product_id.in_([p.id for _, p in pairs]),
                policy.read_filter(principal, AFGIFTE, Release.marking_id),
            )
        )
    }
    addressed = {rec.id: releases.get((rec.product_id, rec.addressee)) for rec, _ in pairs}
    decisions = decisions_of(session, principal, (r.id for r in addressed.values() if r))
    marks = load(
        session,
        {p.marking_id for _, p in pairs} | {r.marking_id for r in addressed.values() if r},
    )
    names = user_names(session, (p.created_by for _, p in pairs))
    views = []
    for rec, product in pairs:
        release = addressed[rec.id]
        views.append(
            ThreatView(
                id=rec.id,
                product_id=rec.product_id,
                type=product.type,
                title=product.title,
                summary=product.summary,
                subject_kind=rec.subject_kind,
                subject=rec.subject,
                domain=rec.domain,
                authority=rec.authority,
                addressee=rec.addressee,
                event_on=rec.event_on,
                marking=marks[product.marking_id],
                created_at=aware(rec.created_at),
                status=product.status,
                author=names.get(product.created_by, "?"),
                release=release_info(release, marks) if release else None,
                decisions=decisions.get(release.id, []) if release else [],
            )
        )
    return views


def partner_views(
    session: Session, principal: Principal, pairs: Sequence[tuple[ThreatRecord, Release]]
) -> list[ThreatView]:
    if not pairs:
        return []
    decisions = decisions_of(session, principal, (r.id for _, r in pairs))
    marks = load(session, {r.marking_id for _, r in pairs})
    views = []
    for rec, release in pairs:
        content = dict(release.content)
        views.append(
            ThreatView(
                id=rec.id,
                product_id=rec.product_id,
                type=str(content.get("type", "")),
                title=str(content.get("title", "")),
                summary=str(content.get("summary", "")),
                subject_kind=rec.subject_kind,
                subject=rec.subject,
                domain=rec.domain,
                authority=rec.authority,
                addressee=rec.addressee,
                event_on=rec.event_on,
                marking=marks[release.marking_id],
                created_at=aware(rec.created_at),
                release=release_info(release, marks),
                decisions=decisions.get(release.id, []),
            )
        )
    return views


def views(
    session: Session, principal: Principal, ids: Select[int], *, offset: int, limit: int
) -> list[ThreatView]:
    """The views of the records among ``ids`` (already filtered), newest first."""
    wanted = ids.order_by(ThreatRecord.id.desc()).offset(offset).limit(limit).subquery()
    if is_partner(principal):
        partner_rows = session.execute(
            select(ThreatRecord, Release)
            .join(Release, of_product())
            .where(ThreatRecord.id.in_(select(wanted.c.id)), *received_filter(principal))
            .order_by(ThreatRecord.id.desc())
        ).all()
        return partner_views(session, principal, [(r, x) for r, x in partner_rows])
    staff_rows = session.execute(
        select(ThreatRecord, Product)
        .join(Product, Product.id == ThreatRecord.product_id)
        .where(ThreatRecord.id.in_(select(wanted.c.id)), *staff_filter(principal))
        .order_by(ThreatRecord.id.desc())
    ).all()
    return staff_views(session, principal, [(r, p) for r, p in staff_rows])


def staff_row(
    session: Session, principal: Principal, record_id: int
) -> tuple[ThreatRecord, Product]:
    row = session.execute(
        select(ThreatRecord, Product)
        .join(Product, Product.id == ThreatRecord.product_id)
        .where(ThreatRecord.id == record_id, *staff_filter(principal))
    ).first()
    if row is None:
        raise ThreatNotFound(record_id)
    return row[0], row[1]


def partner_row(
    session: Session, principal: Principal, record_id: int
) -> tuple[ThreatRecord, Release]:
    row = session.execute(
        select(ThreatRecord, Release)
        .join(Release, of_product())
        .where(ThreatRecord.id == record_id, *received_filter(principal))
    ).first()
    if row is None:
        raise ThreatNotFound(record_id)
    return row[0], row[1]
