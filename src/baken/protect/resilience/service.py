"""Resilience (weerbaarheid): advisories and information-security products for government,
vital sectors, business and knowledge institutions, and notifications to victims of cyber
operations.

These are analysis products (:mod:`baken.analysis.products`): written, cited, submitted,
approved (four eyes) and released there. This part keeps, per product, a resilience
record (``weerbaarheidsproduct``) with what a product does not have: the audience
sectors (at least one), the topic, and for a victim notification the victim
organisation (of kind ``victim``), the incident, how the victim was told and the
victim's acknowledgement of the release to them. :func:`create` makes the draft product
and its record in the caller's one unit of work.

Marking. A record stores the product's marking when it was written (``marking_id``), and
every read filters on that marking AND on the product's current marking, with
:func:`baken.core.policy.read_filter` in the query (the kinds ``weerbaarheidsproduct``
and ``product``). A product's marking only rises in place, so the product's filter is
the binding one: no one reads the record of a product they may not read, and a record
one may not read is refused exactly like one that does not exist.

Partners (external principals) never read records or products: they read releases, and
the victim acknowledges a notification, in :mod:`baken.protect.resilience.victims` (an
external principal's act, checked there explicitly on top of the kernel).

Each function checks before it writes; a refusal raises :class:`ResilienceError` (or the
product service's error), and the caller's unit of work keeps nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date

from sqlalchemy import ColumnElement, Select, and_, delete, exists, func, select
from sqlalchemy.orm import Session

from baken.analysis.products import service as products
from baken.analysis.products.models import Product, Release
from baken.analysis.products.schemas import AFGIFTE, PRODUCT, STATUSES
from baken.core import audit, policy
from baken.core.errors import DomainError
from baken.core.i18n import N_
from baken.core.marking_store import load, load_one
from baken.core.markings import Level, summary
from baken.core.models import User
from baken.core.principals import Principal
from baken.core.timeutil import utcnow
from baken.protect.resilience.models import ResilienceAudience, ResilienceRecord
from baken.protect.resilience.schemas import (
    KIND,
    Dashboard,
    RecordView,
    ReleaseLine,
    audiences,
    channels,
    product_types,
    victim_organisations,
    victim_type,
)

PAGE = 50
RECENT = 10
MAX_TOPIC = 200
MAX_TEXT = 20_000


class ResilienceError(DomainError):
    """A resilience request refused for a domain reason (the message says why)."""


class RecordNotFound(LookupError):
    """No resilience record with this id that the principal may read (not told apart)."""


# --- checks --------------------------------------------------------------------------------


def _sectors(chosen: Iterable[str]) -> list[str]:
    picked = sorted({c.strip() for c in chosen if c and c.strip()})
    if not picked:
        raise ResilienceError(N_("choose at least one audience"))
    unknown = [c for c in picked if c not in audiences()]
    if unknown:
        raise ResilienceError(N_("unknown audience {audience}"), audience=", ".join(unknown)[:100])
    return picked


def _topic(value: str) -> str:
    text = value.strip()
    if not text:
        raise ResilienceError(N_("give the topic of the product"))
    if len(text) > MAX_TOPIC:
        raise ResilienceError(N_("the topic is longer than {limit} characters"), limit=MAX_TOPIC)
    return text


def _channel(value: str) -> str:
    value = value.strip()
    if value and value not in channels():
        raise ResilienceError(N_("unknown way of notifying {channel}"), channel=value[:40])
    return value


def _incident(
    incident: str, observed_on: date | None, today: date | None
) -> tuple[str, date | None]:
    text = incident.strip()
    if not text:
        raise ResilienceError(N_("describe the incident the victim is notified of"))
    if len(text) > MAX_TEXT:
        raise ResilienceError(N_("the incident is longer than {limit} characters"), limit=MAX_TEXT)
    if observed_on is not None and observed_on > (today or date.today()):
        raise ResilienceError(N_("the incident cannot have been observed in the future"))
    return text, observed_on


def _victim(value: str | None) -> str:
    code = (value or "").strip()
    if not code:
        raise ResilienceError(N_("a victim notification needs the victim organisation"))
    if code not in victim_organisations():
        raise ResilienceError(
            N_("{organisation} is not an organisation of a victim"), organisation=code[:40]
        )
    return code


def may_write(principal: Principal) -> bool:
    """Whether the principal's roles may create resilience products (the marking is
    checked when one is made)."""
    return (
        not principal.is_external
        and policy.role_may_write(principal, KIND)
        and policy.role_may_write(principal, PRODUCT)
    )


# --- writing -------------------------------------------------------------------------------


def create(
    session: Session,
    *,
    principal: Principal,
    type: str,
    title: str,
    summary_text: str,
    audience: Iterable[str],
    topic: str,
    body: str = "",
    level: int | str | Level = Level.DEP_VERTROUWELIJK,
    victim: str | None = None,
    incident: str = "",
    observed_on: date | None = None,
    channel: str = "",
    today: date | None = None,
) -> int:
    """A draft analysis product of a resilience type and its record (the record's id).
    Everything typed is checked before anything is written."""
    if not may_write(principal):
        raise policy.PolicyDenied(KIND)
    if type not in product_types():
        raise ResilienceError(N_("choose a type of resilience product"))
    sectors = _sectors(audience)
    topic = _topic(topic)
    channel = _channel(channel)
    if type == victim_type():
        victim = _victim(victim)
        incident, observed_on = _incident(incident, observed_on, today)
    elif (victim or "").strip():
        raise ResilienceError(N_("only a victim notification names a victim"))
    else:
        victim, incident, observed_on = None, "", None
    product_id = products.create(
        session,
        principal=principal,
        type=type,
        title=title,
        summary_text=summary_text,
        body=body,
        level=level,
    )
    product = session.get(Product, product_id)
    assert product is not None
    marking = load_one(session, product.marking_id)
    policy.require_write(principal, KIND, marking)
    row = ResilienceRecord(
        product_id=product_id,
        topic=topic,
        victim=victim,
        incident=incident,
        observed_on=observed_on,
        channel=channel,
        marking_id=product.marking_id,
        created_by=principal.id,
    )
    session.add(row)
    session.flush()
    session.add_all(ResilienceAudience(record_id=row.id, sector=s) for s in sectors)
    session.flush()
    audit.record(
        session,
        principal=principal,
        action="resilience.create",
        kind=KIND,
        object_id=row.id,
        marking=marking,
        details={"product": product_id, "type": type, "audience": sectors, "victim": victim},
    )
    return row.id


def update(
    session: Session,
    *,
    principal: Principal,
    record_id: int,
    audience: Iterable[str],
    topic: str,
    incident: str = "",
    observed_on: date | None = None,
    channel: str = "",
    today: date | None = None,
) -> None:
    """Change a record's audience, topic, incident and how the victim was told (at any
    state of the product: the channel is often known only after the release). The
    record's marking follows the product's up."""
    row, product = _pair(session, principal, record_id)
    marking = load_one(session, product.marking_id)
    policy.require_write(principal, KIND, marking)
    sectors = _sectors(audience)
    topic = _topic(topic)
    channel = _channel(channel)
    if row.victim is not None:
        incident, observed_on = _incident(incident, observed_on, today)
    else:
        incident, observed_on = "", None
    session.execute(delete(ResilienceAudience).where(ResilienceAudience.record_id == row.id))
    session.add_all(ResilienceAudience(record_id=row.id, sector=s) for s in sectors)
    row.topic, row.incident, row.observed_on, row.channel = topic, incident, observed_on, channel
    row.marking_id, row.updated_at = product.marking_id, utcnow()
    session.flush()
    audit.record(
        session,
        principal=principal,
        action="resilience.update",
        kind=KIND,
        object_id=row.id,
        marking=marking,
        details={"audience": sectors, "channel": channel},
    )


# --- reading -------------------------------------------------------------------------------


def read_filter(principal: Principal) -> ColumnElement[bool]:
    """The record's marking and its product's (the binding one), in the query."""
    return and_(
        policy.read_filter(principal, KIND, ResilienceRecord.marking_id),
        policy.read_filter(principal, PRODUCT, Product.marking_id),
    )


def _base() -> Select[ResilienceRecord, Product]:
    return select(ResilienceRecord, Product).join(
        Product, Product.id == ResilienceRecord.product_id
    )


def _pair(
    session: Session, principal: Principal, record_id: int
) -> tuple[ResilienceRecord, Product]:
    found = session.execute(
        _base().where(ResilienceRecord.id == record_id, read_filter(principal))
    ).first()
    if found is None:
        raise RecordNotFound(record_id)
    return found[0], found[1]


def _names(session: Session, ids: Iterable[int | None]) -> dict[int, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    return dict(
        session.execute(select(User.id, User.display_name).where(User.id.in_(wanted))).all()
    )


def _views(session: Session, pairs: Sequence[tuple[ResilienceRecord, Product]]) -> list[RecordView]:
    ids = [r.id for r, _ in pairs]
    sectors: dict[int, list[str]] = {i: [] for i in ids}
    if ids:
        for record_id, sector in session.execute(
            select(ResilienceAudience.record_id, ResilienceAudience.sector)
            .where(ResilienceAudience.record_id.in_(ids))
            .order_by(ResilienceAudience.sector)
        ):
            sectors[record_id].append(sector)
    marks = load(session, {p.marking_id for _, p in pairs})
    names = _names(session, [x for r, _ in pairs for x in (r.created_by, r.acknowledged_by)])
    return [
        RecordView(
            id=r.id,
            product_id=p.id,
            type=p.type,
            title=p.title,
            summary=p.summary,
            status=p.status,
            marking=marks[p.marking_id],
            topic=r.topic,
            audiences=sectors[r.id],
            victim=r.victim,
            incident=r.incident,
            observed_on=r.observed_on,
            channel=r.channel,
            acknowledged_at=r.acknowledged_at,
            acknowledged_by=names.get(r.acknowledged_by) if r.acknowledged_by else None,
            author=names.get(r.created_by, "?"),
            created_at=r.created_at,
        )
        for r, p in pairs
    ]


def _release_lines(
    session: Session, principal: Principal, *conds: ColumnElement[bool], limit: int | None = None
) -> list[ReleaseLine]:
    query = (
        select(Release, ResilienceRecord.id, Product.title)
        .join(ResilienceRecord, ResilienceRecord.product_id == Release.product_id)
        .join(Product, Product.id == Release.product_id)
        .where(
            read_filter(principal),
            policy.read_filter(principal, AFGIFTE, Release.marking_id),
            *conds,
        )
        .order_by(Release.released_at.desc(), Release.id.desc())
    )
    if limit is not None:
        query = query.limit(limit)
    rows = session.execute(query).all()
    marks = load(session, {rel.marking_id for rel, _, _ in rows})
    return [
        ReleaseLine(
            id=rel.id,
            record_id=record_id,
            product_id=rel.product_id,
            title=title,
            recipient=rel.recipient,
            released_at=rel.released_at,
            marking=marks[rel.marking_id],
        )
        for rel, record_id, title in rows
    ]


def get(session: Session, *, principal: Principal, record_id: int) -> RecordView:
    """One record with its product's state and releases (audited);
    :class:`RecordNotFound` when it does not exist or may not be read."""
    row, product = _pair(session, principal, record_id)
    view = _views(session, [(row, product)])[0]
    releases = _release_lines(session, principal, Release.product_id == product.id)
    marking = summary([view.marking, *(r.marking for r in releases)])
    audit.record(
        session,
        principal=principal,
        action="resilience.read",
        kind=KIND,
        object_id=row.id,
        marking=marking,
        details={"product": product.id, "releases": [r.id for r in releases]},
    )
    return replace(view, releases=releases)


def _awaiting(principal: Principal) -> list[ColumnElement[bool]]:
    """Victim notifications released to their victim and not yet acknowledged."""
    return [
        ResilienceRecord.victim.is_not(None),
        ResilienceRecord.acknowledged_at.is_(None),
        exists().where(
            Release.product_id == ResilienceRecord.product_id,
            Release.recipient == ResilienceRecord.victim,
            policy.read_filter(principal, AFGIFTE, Release.marking_id),
        ),
    ]


def dashboard(
    session: Session,
    *,
    principal: Principal,
    status: str | None = None,
    sector: str | None = None,
    page: int = 1,
) -> Dashboard:
    """The resilience dashboard: products per audience sector and per status, victim
    notifications awaiting acknowledgement, recent releases, and the list (filtered by
    status and sector, a page at a time). Every count is of readable rows only."""
    readable = read_filter(principal)
    by_sector = dict(
        session.execute(
            select(ResilienceAudience.sector, func.count())
            .join(ResilienceRecord, ResilienceRecord.id == ResilienceAudience.record_id)
            .join(Product, Product.id == ResilienceRecord.product_id)
            .where(readable)
            .group_by(ResilienceAudience.sector)
        ).all()
    )
    by_status = dict(
        session.execute(
            select(Product.status, func.count())
            .select_from(ResilienceRecord)
            .join(Product, Product.id == ResilienceRecord.product_id)
            .where(readable)
            .group_by(Product.status)
        ).all()
    )
    awaiting_pairs = session.execute(
        _base().where(readable, *_awaiting(principal)).order_by(ResilienceRecord.id)
    ).all()
    conds: list[ColumnElement[bool]] = [readable]
    if status in STATUSES:
        conds.append(Product.status == status)
    if sector in audiences():
        conds.append(
            exists().where(
                ResilienceAudience.record_id == ResilienceRecord.id,
                ResilienceAudience.sector == sector,
            )
        )
    page = max(page, 1)
    pairs = session.execute(
        _base()
        .where(*conds)
        .order_by(ResilienceRecord.id.desc())
        .offset((page - 1) * PAGE)
        .limit(PAGE + 1)
    ).all()
    rows = _views(session, [(r, p) for r, p in pairs[:PAGE]])
    awaiting = _views(session, [(r, p) for r, p in awaiting_pairs])
    recent = _release_lines(session, principal, limit=RECENT)
    found = Dashboard(
        by_sector={s: int(by_sector.get(s, 0)) for s in audiences()},
        by_status={s: int(by_status.get(s, 0)) for s in STATUSES},
        awaiting=awaiting,
        recent=recent,
        rows=rows,
        page=page,
        more=len(pairs) > PAGE,
    )
    items = found.markings()
    audit.record(
        session,
        principal=principal,
        action="resilience.list",
        kind=KIND,
        marking=summary(items) if items else None,
        details={
            "ids": [r.id for r in rows],
            "awaiting": [r.id for r in awaiting],
            "releases": [r.id for r in recent],
            "status": status,
            "sector": sector,
            "page": page,
        },
    )
    return found


def figures(session: Session, *, principal: Principal) -> list[tuple[str, int, str, bool]]:
    """The part's headline figures for the protect overview, counted through the read
    filter: (label message id, count, link, alert). The overview audits the page."""
    readable = read_filter(principal)

    def count(*conds: ColumnElement[bool]) -> int:
        return int(
            session.scalar(
                select(func.count())
                .select_from(ResilienceRecord)
                .join(Product, Product.id == ResilienceRecord.product_id)
                .where(readable, *conds)
            )
            or 0
        )

    return [
        (
            N_("Victim notifications awaiting acknowledgement"),
            count(*_awaiting(principal)),
            "/weerbaarheid#ontvangst",
            True,
        ),
        (
            N_("Resilience products in draft"),
            count(Product.status == "draft"),
            "/weerbaarheid?status=draft",
            False,
        ),
        (
            N_("Resilience products awaiting approval"),
            count(Product.status == "submitted"),
            "/weerbaarheid?status=submitted",
            False,
        ),
        (
            N_("Resilience products released"),
            count(Product.status == "released"),
            "/weerbaarheid?status=released",
            False,
        ),
    ]
