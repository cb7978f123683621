"""Products: write, cite, submit, approve (four eyes), release, and the partner portal.

Every read of a product, release or consent carries :func:`baken.core.policy.read_filter`
in its query; a product the principal may not read answers :class:`LookupError`, exactly
as one that does not exist. A product's marking is the high-water mark of its sources and
of the marking it had before: it rises when a citation is added or the author raises it,
and never falls in place (removing a citation leaves it as it was; the text may still
carry what the source said). A release is checked against the approved releasability
list and the third-party rule, then stored as a new object whose marking is the product's
with the external releasability narrowed to the one recipient (ADR 0011).

Each function checks everything before it writes, so a refused request stores nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import ColumnElement, delete, func, select
from sqlalchemy.orm import Session

from baken.analysis.products.models import (
    Consent,
    Product,
    ProductCitation,
    ProductObservable,
    ProductRecipient,
    Release,
)
from baken.analysis.products.schemas import (
    AFGIFTE,
    CITATION_KINDS,
    INSTEMMING,
    PRODUCT,
    CitationView,
    ConsentView,
    ObservableView,
    ProductSummary,
    ProductView,
    ReleaseView,
    observable_types,
    product_types,
    recipient_codes,
)
from baken.core import audit, policy
from baken.core.errors import DomainError
from baken.core.i18n import N_
from baken.core.marking_store import intern, load, load_one
from baken.core.markings import Level, Marking, MarkingError, summary
from baken.core.models import User
from baken.core.principals import Principal
from baken.core.timeutil import utcnow

MAX_TITLE = 300
MAX_TEXT = 100_000
MAX_NOTE = 2000
MAX_REFERENCE = 200


class ProductError(DomainError):
    """A request about products that is refused, with the reason."""


class ProductNotFound(LookupError):
    """No product, release or citation with this id that the principal may read: the two
    cases are not told apart. The web layer answers 404."""


# --- reading -------------------------------------------------------------------------------


def _readable(principal: Principal) -> ColumnElement[bool]:
    return policy.read_filter(principal, PRODUCT, Product.marking_id)


def _row(session: Session, principal: Principal, product_id: int) -> Product:
    row = session.scalar(select(Product).where(Product.id == product_id, _readable(principal)))
    if row is None:
        raise ProductNotFound(product_id)
    return row


def _writable(session: Session, principal: Principal, product_id: int) -> tuple[Product, Marking]:
    row = _row(session, principal, product_id)
    marking = load_one(session, row.marking_id)
    policy.require_write(principal, PRODUCT, marking)
    return row, marking


def _names(session: Session, ids: Iterable[int | None]) -> dict[int, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    return dict(
        session.execute(select(User.id, User.display_name).where(User.id.in_(wanted))).all()
    )


def list_products(
    session: Session, *, principal: Principal, status: str | None = None, limit: int = 200
) -> list[ProductSummary]:
    conds = [_readable(principal)]
    if status in ("draft", "submitted", "approved", "released"):
        conds.append(Product.status == status)
    rows = list(
        session.scalars(select(Product).where(*conds).order_by(Product.id.desc()).limit(limit))
    )
    marks = load(session, {r.marking_id for r in rows})
    names = _names(session, (r.created_by for r in rows))
    items = [
        ProductSummary(
            id=r.id,
            type=r.type,
            title=r.title,
            status=r.status,
            marking=marks[r.marking_id],
            author=names.get(r.created_by, "?"),
            created_at=r.created_at,
            updated_at=r.updated_at,
        )
        for r in rows
    ]
    audit.record(
        session,
        principal=principal,
        action="product.list",
        kind=PRODUCT,
        marking=summary(i.marking for i in items) if items else None,
        details={"ids": [i.id for i in items], "status": status},
    )
    return items


def _release_views(session: Session, rows: Sequence[Release]) -> list[ReleaseView]:
    marks = load(session, {r.marking_id for r in rows})
    names = _names(session, (r.released_by for r in rows))
    return [
        ReleaseView(
            id=r.id,
            product_id=r.product_id,
            recipient=r.recipient,
            content=dict(r.content),
            note=r.note,
            marking=marks[r.marking_id],
            released_by=names.get(r.released_by, "?"),
            released_at=r.released_at,
        )
        for r in rows
    ]


def _view(session: Session, principal: Principal, row: Product) -> ProductView:
    citations = list(
        session.scalars(
            select(ProductCitation)
            .where(ProductCitation.product_id == row.id)
            .order_by(ProductCitation.id)
        )
    )
    observables = list(
        session.scalars(
            select(ProductObservable)
            .where(ProductObservable.product_id == row.id)
            .order_by(ProductObservable.id)
        )
    )
    releases = list(
        session.scalars(
            select(Release)
            .where(
                Release.product_id == row.id,
                policy.read_filter(principal, AFGIFTE, Release.marking_id),
            )
            .order_by(Release.id)
        )
    )
    consents = list(
        session.scalars(
            select(Consent)
            .where(
                Consent.product_id == row.id,
                policy.read_filter(principal, INSTEMMING, Consent.marking_id),
            )
            .order_by(Consent.id)
        )
    )
    recipients = list(
        session.scalars(
            select(ProductRecipient.recipient)
            .where(ProductRecipient.product_id == row.id)
            .order_by(ProductRecipient.recipient)
        )
    )
    marks = load(
        session,
        {row.marking_id} | {c.marking_id for c in citations} | {c.marking_id for c in consents},
    )
    names = _names(
        session,
        [row.created_by, row.approved_by, *(c.recorded_by for c in consents)],
    )
    return ProductView(
        id=row.id,
        type=row.type,
        title=row.title,
        summary=row.summary,
        body=row.body,
        status=row.status,
        marking=marks[row.marking_id],
        created_at=row.created_at,
        author=names.get(row.created_by, "?"),
        author_id=row.created_by,
        citations=[
            CitationView(c.id, c.kind, c.target_id, c.caption, marks[c.marking_id])
            for c in citations
        ],
        observables=[ObservableView(o.id, o.type, o.value, o.description) for o in observables],
        updated_at=row.updated_at,
        submitted_at=row.submitted_at,
        approved_by=names.get(row.approved_by) if row.approved_by else None,
        approved_at=row.approved_at,
        review_note=row.review_note,
        recipients=recipients,
        releases=_release_views(session, releases),
        consents=[
            ConsentView(
                id=c.id,
                partner=c.partner,
                recipient=c.recipient,
                reference=c.reference,
                recorded_by=names.get(c.recorded_by, "?"),
                recorded_at=c.recorded_at,
                marking=marks[c.marking_id],
            )
            for c in consents
        ],
    )


def get(session: Session, *, principal: Principal, product_id: int) -> ProductView:
    """One product as the principal may read it (audited); :class:`ProductNotFound` when
    it does not exist or may not be read."""
    view = _view(session, principal, _row(session, principal, product_id))
    audit.record(
        session,
        principal=principal,
        action="product.read",
        kind=PRODUCT,
        object_id=view.id,
        marking=summary(view.markings()),
        details={
            "citations": [f"{c.kind}:{c.target_id}" for c in view.citations],
            "releases": [r.id for r in view.releases],
            "consents": [c.id for c in view.consents],
        },
    )
    return view


# --- writing -------------------------------------------------------------------------------


_REQUIRED = {
    "title": N_("the title is required"),
    "reason": N_("give the reason for sending it back"),
    "reference": N_("the reference of the consent is required"),
}


def _text(value: str, limit: int, what: str, required: bool = False) -> str:
    """``what`` names the field for the refusal (a key of ``_REQUIRED`` when required)."""
    value = value.strip()
    if required and not value:
        raise ProductError(_REQUIRED[what])
    if len(value) > limit:
        raise ProductError(N_("a text field is longer than {limit} characters"), limit=limit)
    return value


def _level(value: int | str | Level) -> Level:
    try:
        if isinstance(value, Level):
            return value
        if isinstance(value, str) and not value.strip().isdigit():
            return Level[value.strip().upper()]
        return Level(int(value))
    except (KeyError, ValueError):
        raise ProductError(N_("unknown classification level {level}"), level=value) from None


def create(
    session: Session,
    *,
    principal: Principal,
    type: str,
    title: str,
    summary_text: str = "",
    body: str = "",
    level: int | str | Level = Level.DEP_VERTROUWELIJK,
    compartments: Iterable[str] = (),
) -> int:
    """A new draft, marked at ``level`` (the author's floor) and owned by the author's
    service until sources raise it."""
    if principal.is_external or principal.service is None:
        raise policy.PolicyDenied(PRODUCT)
    if type not in product_types():
        raise ProductError(N_("unknown product type {type}"), type=type)
    title = _text(title, MAX_TITLE, "title", required=True)
    summary_text = _text(summary_text, MAX_TEXT, "summary")
    body = _text(body, MAX_TEXT, "text")
    try:
        marking = Marking(
            level=_level(level), owner=principal.service, compartments=frozenset(compartments)
        )
    except MarkingError as exc:
        raise ProductError(str(exc)) from None
    policy.require_write(principal, PRODUCT, marking)
    row = Product(
        type=type,
        title=title,
        summary=summary_text,
        body=body,
        status="draft",
        marking_id=intern(session, marking),
        created_by=principal.id,
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        principal=principal,
        action="product.create",
        kind=PRODUCT,
        object_id=row.id,
        marking=marking,
        details={"type": type},
    )
    return row.id


def _draft(session: Session, principal: Principal, product_id: int) -> tuple[Product, Marking]:
    row, marking = _writable(session, principal, product_id)
    if row.status != "draft":
        raise ProductError(N_("only a draft can be changed"))
    return row, marking


def update(
    session: Session,
    *,
    principal: Principal,
    product_id: int,
    title: str,
    summary_text: str,
    body: str,
    level: int | str | Level | None = None,
    compartments: Iterable[str] | None = None,
) -> None:
    """Change a draft's text, and raise its marking if asked (never lower it)."""
    row, marking = _draft(session, principal, product_id)
    title = _text(title, MAX_TITLE, "title", required=True)
    summary_text = _text(summary_text, MAX_TEXT, "summary")
    body = _text(body, MAX_TEXT, "text")
    new = marking
    if level is not None or compartments is not None:
        try:
            floor = Marking(
                level=_level(level) if level is not None else marking.level,
                owner=marking.owner,
                compartments=frozenset(compartments or ()),
            )
            new = policy.derived_marking([marking], floor=floor)
        except MarkingError as exc:
            raise ProductError(str(exc)) from None
        policy.require_write(principal, PRODUCT, new)
    row.title, row.summary, row.body, row.updated_at = title, summary_text, body, utcnow()
    row.marking_id = intern(session, new)
    audit.record(
        session,
        principal=principal,
        action="product.update",
        kind=PRODUCT,
        object_id=row.id,
        marking=new,
        details={"marking_raised": new != marking},
    )


def _source(
    session: Session, principal: Principal, kind: str, target_id: str
) -> tuple[str, str, Marking]:
    """The caption and marking of a document or entity the principal may read, through
    the holdings services (which audit the read). One refusal for missing and unreadable."""
    from baken.holdings.service import documents, entities

    target_id = target_id.strip()
    try:
        if kind == "document":
            doc = documents.get(session, principal=principal, document_id=int(target_id))
            return str(doc.id), (doc.title or doc.name)[:MAX_TITLE], doc.marking
        if kind == "entity" and target_id:
            entity = entities.get(session, principal=principal, entity_id=target_id[:128])
            return entity.id, (entity.caption or entity.id)[:MAX_TITLE], entity.marking
    except (LookupError, ValueError):
        pass
    if kind not in CITATION_KINDS:
        raise ProductError(N_("a source is a document or an entity"))
    if kind == "document":
        raise ProductError(N_("there is no document {id} that you may read"), id=target_id[:128])
    raise ProductError(N_("there is no entity {id} that you may read"), id=target_id[:128])


def cite(
    session: Session, *, principal: Principal, product_id: int, kind: str, target_id: str
) -> int:
    """Cite a source; the product's marking rises to cover it."""
    row, marking = _draft(session, principal, product_id)
    key, caption, source_marking = _source(session, principal, kind, target_id)
    exists = session.scalar(
        select(ProductCitation.id).where(
            ProductCitation.product_id == row.id,
            ProductCitation.kind == kind,
            ProductCitation.target_id == key,
        )
    )
    if exists is not None:
        raise ProductError(N_("this source is already cited"))
    try:
        new = policy.derived_marking([source_marking], floor=marking)
    except MarkingError:
        raise ProductError(
            N_("no one marking covers this source and the product; it cannot be cited here")
        ) from None
    policy.require_write(principal, PRODUCT, new)
    citation = ProductCitation(
        product_id=row.id,
        kind=kind,
        target_id=key,
        caption=caption,
        marking_id=intern(session, source_marking),
        cited_by=principal.id,
    )
    session.add(citation)
    row.marking_id, row.updated_at = intern(session, new), utcnow()
    session.flush()
    audit.record(
        session,
        principal=principal,
        action="product.cite",
        kind=PRODUCT,
        object_id=row.id,
        marking=new,
        details={"source": f"{kind}:{key}", "marking_raised": new != marking},
    )
    return citation.id


def uncite(session: Session, *, principal: Principal, product_id: int, citation_id: int) -> None:
    """Remove a citation. The marking stays as it is: lowering it is a sanitisation."""
    row, marking = _draft(session, principal, product_id)
    citation = session.scalar(
        select(ProductCitation).where(
            ProductCitation.id == citation_id, ProductCitation.product_id == row.id
        )
    )
    if citation is None:
        raise ProductNotFound(citation_id)
    session.delete(citation)
    row.updated_at = utcnow()
    audit.record(
        session,
        principal=principal,
        action="product.uncite",
        kind=PRODUCT,
        object_id=row.id,
        marking=marking,
        details={"source": f"{citation.kind}:{citation.target_id}"},
    )


_OBSERVABLE = {
    "ipv4-addr": re.compile(
        r"^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}(/\d{1,2})?$"
    ),
    "ipv6-addr": re.compile(r"^[0-9A-Fa-f:]{2,39}(/\d{1,3})?$"),
    "domain-name": re.compile(r"^(?=.{1,253}$)([A-Za-z0-9-]{1,63}\.)+[A-Za-z]{2,63}$"),
    "url": re.compile(r"^(https?|ftp)://[^\s]{1,2000}$"),
    "file-sha256": re.compile(r"^[0-9A-Fa-f]{64}$"),
    "email-addr": re.compile(r"^[^@\s]{1,64}@([A-Za-z0-9-]{1,63}\.)+[A-Za-z]{2,63}$"),
}


def add_observable(
    session: Session,
    *,
    principal: Principal,
    product_id: int,
    type: str,
    value: str,
    description: str = "",
) -> int:
    row, marking = _draft(session, principal, product_id)
    if type not in observable_types():
        raise ProductError(N_("unknown observable type {type}"), type=type)
    value = value.strip()
    if not _OBSERVABLE[type].fullmatch(value):
        raise ProductError(N_("{value} is not a valid {type}"), value=value[:100], type=type)
    if type == "file-sha256":
        value = value.lower()
    description = _text(description, MAX_NOTE, "description")
    found = session.scalar(
        select(ProductObservable.id).where(
            ProductObservable.product_id == row.id,
            ProductObservable.type == type,
            ProductObservable.value == value,
        )
    )
    if found is not None:
        raise ProductError(N_("this observable is already listed"))
    obs = ProductObservable(product_id=row.id, type=type, value=value, description=description)
    session.add(obs)
    row.updated_at = utcnow()
    session.flush()
    audit.record(
        session,
        principal=principal,
        action="product.observable",
        kind=PRODUCT,
        object_id=row.id,
        marking=marking,
        details={"type": type, "value": value},
    )
    return obs.id


def remove_observable(
    session: Session, *, principal: Principal, product_id: int, observable_id: int
) -> None:
    row, marking = _draft(session, principal, product_id)
    obs = session.scalar(
        select(ProductObservable).where(
            ProductObservable.id == observable_id, ProductObservable.product_id == row.id
        )
    )
    if obs is None:
        raise ProductNotFound(observable_id)
    session.delete(obs)
    audit.record(
        session,
        principal=principal,
        action="product.observable.remove",
        kind=PRODUCT,
        object_id=row.id,
        marking=marking,
        details={"type": obs.type, "value": obs.value},
    )


# --- the flow ------------------------------------------------------------------------------


def _transition(
    session: Session,
    principal: Principal,
    row: Product,
    marking: Marking,
    action: str,
    **details: Any,
) -> None:
    row.updated_at = utcnow()
    audit.record(
        session,
        principal=principal,
        action=f"product.{action}",
        kind=PRODUCT,
        object_id=row.id,
        marking=marking,
        details={"status": row.status, **details},
    )


def submit(session: Session, *, principal: Principal, product_id: int) -> None:
    """Draft → submitted. A product without sources cannot be submitted."""
    row, marking = _writable(session, principal, product_id)
    if row.status != "draft":
        raise ProductError(N_("only a draft can be submitted"))
    sources = session.scalar(
        select(func.count())
        .select_from(ProductCitation)
        .where(ProductCitation.product_id == row.id)
    )
    if not sources:
        raise ProductError(N_("a product needs at least one source before it can be submitted"))
    row.status, row.submitted_at = "submitted", utcnow()
    _transition(session, principal, row, marking, "submit")


def _team_lead(principal: Principal, row: Product) -> None:
    if "team_lead" not in principal.roles:
        raise ProductError(N_("only a team lead can approve or send back a product"))
    if row.created_by == principal.id:
        raise ProductError(N_("the author cannot approve their own product (four eyes)"))


def _recipients(codes: Iterable[str]) -> list[str]:
    allowed = set(recipient_codes())
    chosen = sorted({c.strip() for c in codes if c.strip()})
    unknown = [c for c in chosen if c not in allowed]
    if unknown:
        raise ProductError(N_("unknown recipient {recipient}"), recipient=", ".join(unknown))
    return chosen


def approve(
    session: Session, *, principal: Principal, product_id: int, recipients: Iterable[str]
) -> None:
    """Submitted → approved by a team lead who is not the author; ``recipients`` is the
    releasability list the approval decides."""
    row, marking = _writable(session, principal, product_id)
    if row.status != "submitted":
        raise ProductError(N_("only a submitted product can be approved"))
    _team_lead(principal, row)
    chosen = _recipients(recipients)
    session.execute(delete(ProductRecipient).where(ProductRecipient.product_id == row.id))
    session.add_all(ProductRecipient(product_id=row.id, recipient=r) for r in chosen)
    row.status, row.approved_by, row.approved_at, row.review_note = (
        "approved",
        principal.id,
        utcnow(),
        "",
    )
    _transition(session, principal, row, marking, "approve", recipients=chosen)


def send_back(session: Session, *, principal: Principal, product_id: int, note: str) -> None:
    """Submitted → draft, with the team lead's reason."""
    row, marking = _writable(session, principal, product_id)
    if row.status != "submitted":
        raise ProductError(N_("only a submitted product can be sent back"))
    _team_lead(principal, row)
    note = _text(note, MAX_NOTE, "reason", required=True)
    row.status, row.review_note, row.submitted_at = "draft", note, None
    _transition(session, principal, row, marking, "send_back", note=note)


def _force_status(session: Session, product_id: int, status: str, approver: int | None) -> None:
    """Set a product's state directly: for demo and leak-matrix fixtures only, which have
    no second person at hand for the four-eyes step."""
    row = session.get(Product, product_id)
    assert row is not None
    row.status = status
    if approver is not None:
        row.approved_by, row.approved_at = approver, utcnow()
    session.flush()


def _set_recipients(session: Session, product_id: int, recipients: Iterable[str]) -> None:
    session.add_all(ProductRecipient(product_id=product_id, recipient=r) for r in recipients)
    session.flush()
