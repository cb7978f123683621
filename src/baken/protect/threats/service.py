"""Threat products of the Stelsel Bewaken en Beveiligen (DOMAIN.md §5): a threat record
beside an analysis product, addressed to the deciding authority, released to it, and the
measures it decided recorded back.

A threat product IS an analysis product (:mod:`baken.analysis.products`): the author
works on it at ``/producten/{id}`` (sources, submit), a team lead approves it with the
addressee on the releasability list, and the release to the addressee is the analysis
release (a new object with the product's marking narrowed to the one recipient).

How it is read (the choice the kernel asks for):

* A record carries a ``marking_id`` of its own, the product's marking when it was made.
  Staff read a record through the read filter on the product's *current* marking (joined;
  it only rises as sources are cited) **and** on the record's own, so a record is never
  readable where its product is not.
* A partner recipient never reads the product row (it stays at the service's marking). It
  reads the threat products released to its organisation through the read filter on the
  *release* (``afgifte``, its marking narrowed to that organisation): the record's
  subject, domain and authority are shown with the release, as part of what was released.

Who may record the decision (an external principal's act, on top of the kernel): the
kernel refuses every write by an external principal (:func:`baken.core.policy.can_write`).
Recording the measures decided is the addressee's own act, so this service checks it
here, as :mod:`baken.vetting.access` does for employers: the principal holds the partner
recipient role, belongs to the organisation the product is addressed to, and can read a
release of this product to that organisation. Anyone else outside is refused. Inside,
a protect officer may record it on the authority's behalf (the kernel's write check on
``maatregelbesluit`` at the release's marking). A decision is marked with the release's
marking, so the addressee and the service read it; a second decision amends the first
(both stay, the latest is in force).

Every read and write is audited; every check comes before the first write, and the
routes run each call in one unit of work, so a refusal stores nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from baken.analysis.products import dissemination
from baken.analysis.products import service as products
from baken.analysis.products.models import Product, Release
from baken.analysis.products.schemas import AFGIFTE, PRODUCT
from baken.core import audit, policy
from baken.core.errors import DomainError
from baken.core.i18n import N_
from baken.core.marking_store import intern, load_one
from baken.core.markings import summary
from baken.core.principals import Principal
from baken.core.timeutil import aware
from baken.protect.threats import reads
from baken.protect.threats.models import Decision, ThreatRecord
from baken.protect.threats.reads import ThreatNotFound as ThreatNotFound
from baken.protect.threats.reads import is_partner as is_partner
from baken.protect.threats.schemas import (
    DECISION,
    KIND,
    NO_MEASURES,
    Dashboard,
    ThreatView,
    addressees,
    authorities,
    authority_info,
    domains,
    measures,
    subject_kinds,
    threat_types,
)

PARTNER = "partner_recipient"
MAX_SUBJECT = 300
MAX_TEXT = 10_000
PAGE = 50


class ThreatError(DomainError):
    """A request about threat products that is refused, with the reason."""


# --- access ----------------------------------------------------------------------------------


def acts_for(principal: Principal, addressee: str) -> None:
    """Refuse an external principal recording a decision for another organisation."""
    if PARTNER not in principal.roles or not principal.organisation:
        raise policy.PolicyDenied(DECISION)
    if principal.organisation != addressee:
        raise ThreatError(
            N_(
                "only the addressee ({addressee}) or the AIVD on its behalf can record the decision"
            ),
            addressee=addressee,
        )


def can_create(principal: Principal) -> bool:
    return (
        not principal.is_external
        and policy.role_may_write(principal, KIND)
        and policy.role_may_write(principal, PRODUCT)
    )


def can_decide(principal: Principal, view: ThreatView) -> bool:
    """Whether the decision form is offered (the service checks again when it is sent)."""
    if view.release is None:
        return False
    if is_partner(principal):
        return PARTNER in principal.roles and principal.organisation == view.addressee
    return policy.can_write(principal, DECISION, view.release.marking)


def can_release(principal: Principal, view: ThreatView) -> bool:
    return (
        view.release is None
        and view.status in ("approved", "released")
        and policy.can_write(principal, AFGIFTE, view.marking)
    )


# --- reading ---------------------------------------------------------------------------------


def search(
    session: Session, principal: Principal, *, page: int = 1
) -> tuple[list[ThreatView], bool]:
    """One page of the readable threat products, newest first (audited)."""
    page = max(page, 1)
    rows = reads.views(
        session, principal, reads.ids(principal), offset=(page - 1) * PAGE, limit=PAGE + 1
    )
    audit.record(
        session,
        principal=principal,
        action="threat.list",
        kind=KIND,
        marking=summary(m for v in rows[:PAGE] for m in v.markings()) if rows else None,
        details={"ids": [v.id for v in rows[:PAGE]], "page": page},
    )
    return rows[:PAGE], len(rows) > PAGE


def dashboard(session: Session, principal: Principal, *, page: int = 1) -> Dashboard:
    """The figures and lists of /bewaken-beveiligen, counted through the read filter."""
    rows, more = search(session, principal, page=page)
    awaiting = reads.views(session, principal, reads.awaiting(principal), offset=0, limit=100)
    by_type: dict[str, int] = {}
    by_status: dict[str, int] = {}
    if not is_partner(principal):
        for column, target in ((Product.type, by_type), (Product.status, by_status)):
            for code, n in session.execute(
                select(column, func.count())
                .select_from(ThreatRecord)
                .join(Product, Product.id == ThreatRecord.product_id)
                .where(*reads.staff_filter(principal))
                .group_by(column)
            ):
                target[str(code)] = int(n)
    result = Dashboard(
        rows=rows,
        page=max(page, 1),
        more=more,
        by_type=by_type,
        by_status=by_status,
        awaiting=awaiting,
        waiting=reads.count(session, reads.awaiting(principal)),
        decided=reads.count(session, reads.decided_ids(principal)),
        total=reads.count(session, reads.ids(principal)),
        received=is_partner(principal),
    )
    audit.record(
        session,
        principal=principal,
        action="threat.dashboard",
        kind=KIND,
        marking=summary(result.markings()) if result.markings() else None,
        details={"awaiting": [v.id for v in awaiting], "total": result.total},
    )
    return result


def figures(session: Session, *, principal: Principal) -> list[tuple[str, int, str, bool]]:
    """The main figures for the protect overview, counted through the read filter (the
    overview audits the page)."""
    if is_partner(principal):
        return [
            (
                N_("Threat products received"),
                reads.count(session, reads.ids(principal)),
                "/bewaken-beveiligen",
                False,
            ),
            (
                N_("Awaiting your decision"),
                reads.count(session, reads.awaiting(principal)),
                "/bewaken-beveiligen#wacht-op-besluit",
                True,
            ),
        ]
    submitted = reads.ids(principal).where(Product.status == "submitted")
    return [
        (
            N_("Threat products"),
            reads.count(session, reads.ids(principal)),
            "/bewaken-beveiligen",
            False,
        ),
        (
            N_("Awaiting approval"),
            reads.count(session, submitted),
            "/bewaken-beveiligen#producten",
            True,
        ),
        (
            N_("Released, awaiting a decision"),
            reads.count(session, reads.awaiting(principal)),
            "/bewaken-beveiligen#wacht-op-besluit",
            False,
        ),
        (
            N_("Decisions on measures recorded"),
            reads.count(session, reads.decided_ids(principal)),
            "/bewaken-beveiligen#besluiten",
            False,
        ),
    ]


def get(session: Session, principal: Principal, record_id: int) -> ThreatView:
    """One threat product as the principal may read it (audited); :class:`ThreatNotFound`
    when it does not exist or may not be read."""
    if is_partner(principal):
        view = reads.partner_views(
            session, principal, [reads.partner_row(session, principal, record_id)]
        )[0]
    else:
        view = reads.staff_views(
            session, principal, [reads.staff_row(session, principal, record_id)]
        )[0]
    audit.record(
        session,
        principal=principal,
        action="threat.read",
        kind=KIND,
        object_id=view.id,
        marking=summary(view.markings()),
        details={
            "product": view.product_id,
            "release": view.release.id if view.release else None,
            "decisions": [d.id for d in view.decisions],
        },
    )
    return view


# --- writing ---------------------------------------------------------------------------------


def _text(value: str, limit: int, missing: str) -> str:
    text = value.strip()
    if not text:
        raise ThreatError(missing)
    if len(text) > limit:
        raise ThreatError(N_("a text field is longer than {limit} characters"), limit=limit)
    return text


def check_addressing(domain: str, authority: str, addressee: str) -> None:
    """The deciding authority fits the domain, and the addressee the authority."""
    if domain not in domains():
        raise ThreatError(N_("unknown domain {domain}"), domain=domain[:40])
    if not authority.strip() or not addressee.strip():
        raise ThreatError(
            N_(
                "a threat product needs an addressee: choose the deciding authority and its "
                "organisation"
            )
        )
    if authority not in authorities():
        raise ThreatError(N_("unknown deciding authority {authority}"), authority=authority[:40])
    if authority_info(authority).get("domain") != domain:
        raise ThreatError(
            N_(
                "the deciding authority does not fit the domain: the NCTV's coordinator decides "
                "in the rijksdomein, the mayor on public order, the chief public prosecutor under "
                "criminal law"
            )
        )
    if addressee not in addressees(authority):
        raise ThreatError(
            N_("{addressee} is not an addressee for this deciding authority"),
            addressee=addressee[:40],
        )


def create(
    session: Session,
    *,
    principal: Principal,
    type: str,
    subject_kind: str,
    subject: str,
    domain: str,
    authority: str,
    addressee: str,
    title: str,
    summary_text: str = "",
    body: str = "",
    event_on: date | None = None,
) -> int:
    """A draft threat product and its record, in the caller's unit of work; returns the
    record's id. Everything is checked before the product is made."""
    if not can_create(principal):
        raise policy.PolicyDenied(KIND)
    if type not in threat_types():
        raise ThreatError(N_("unknown type of threat product {type}"), type=type[:40])
    if subject_kind not in subject_kinds():
        raise ThreatError(N_("unknown kind of subject {kind}"), kind=subject_kind[:40])
    subject = _text(subject, MAX_SUBJECT, N_("say who or what the threat product is about"))
    check_addressing(domain, authority, addressee)
    product_id = products.create(
        session, principal=principal, type=type, title=title, summary_text=summary_text, body=body
    )
    product = session.get(Product, product_id)
    assert product is not None
    marking = load_one(session, product.marking_id)
    policy.require_write(principal, KIND, marking)
    record = ThreatRecord(
        product_id=product_id,
        subject_kind=subject_kind,
        subject=subject,
        domain=domain,
        authority=authority,
        addressee=addressee,
        event_on=event_on,
        marking_id=intern(session, marking),
        created_by=principal.id,
    )
    session.add(record)
    session.flush()
    audit.record(
        session,
        principal=principal,
        action="threat.create",
        kind=KIND,
        object_id=record.id,
        marking=marking,
        details={
            "product": product_id,
            "type": type,
            "authority": authority,
            "addressee": addressee,
        },
    )
    return record.id


def release_to_addressee(
    session: Session, *, principal: Principal, record_id: int, note: str = ""
) -> int:
    """Release the approved product to its addressee (the analysis release: refused
    unless the product is approved with the addressee on its releasability list)."""
    record, product = reads.staff_row(session, principal, record_id)
    release_id = dissemination.release(
        session,
        principal=principal,
        product_id=product.id,
        recipient=record.addressee,
        note=note,
    )
    release = session.get(Release, release_id)
    assert release is not None
    audit.record(
        session,
        principal=principal,
        action="threat.release",
        kind=KIND,
        object_id=record.id,
        marking=load_one(session, release.marking_id),
        details={"product": product.id, "release": release_id, "addressee": record.addressee},
    )
    return release_id


def _measures(chosen: Iterable[str]) -> list[str]:
    picked = [m.strip() for m in chosen if m.strip()]
    known = measures()
    unknown = [m for m in picked if m not in known]
    if unknown:
        raise ThreatError(N_("unknown measure {measure}"), measure=", ".join(unknown)[:80])
    if not picked:
        raise ThreatError(N_("choose at least one measure (or no measures)"))
    if NO_MEASURES in picked and len(set(picked)) > 1:
        raise ThreatError(N_("'no measures' cannot be combined with other measures"))
    return [m for m in known if m in picked]  # vocabulary order, each once


def record_decision(
    session: Session,
    *,
    principal: Principal,
    record_id: int,
    measures_chosen: Iterable[str],
    decided_on: date,
    text: str,
    today: date | None = None,
) -> int:
    """Record the measures the authority decided on the released product: by the
    addressee's partner recipient, or by a protect officer on its behalf. A second
    decision on the same release amends the first. Returns the decision's id."""
    today = today or date.today()
    if is_partner(principal):
        record, release = reads.partner_row(session, principal, record_id)
        acts_for(principal, record.addressee)
        recorded_for = "authority"
    else:
        record, _ = reads.staff_row(session, principal, record_id)
        if not policy.role_may_write(principal, DECISION) or principal.is_external:
            raise policy.PolicyDenied(DECISION)
        found = session.scalar(
            select(Release).where(
                Release.product_id == record.product_id,
                Release.recipient == record.addressee,
                policy.read_filter(principal, AFGIFTE, Release.marking_id),
            )
        )
        if found is None:
            raise ThreatError(
                N_(
                    "the product has not been released to the addressee; a decision can be "
                    "recorded only after the release"
                )
            )
        release, recorded_for = found, "aivd"
    marking = load_one(session, release.marking_id)
    if recorded_for == "aivd":
        policy.require_write(principal, DECISION, marking)
    else:
        policy.require_read(principal, DECISION, marking)
    chosen = _measures(measures_chosen)
    if decided_on > today:
        raise ThreatError(N_("a decision cannot be dated in the future"))
    released_on = aware(release.released_at).date()
    if decided_on < released_on:
        raise ThreatError(
            N_("a decision cannot be dated before the release of the product ({date})"),
            date=released_on.isoformat(),
        )
    text = _text(text, MAX_TEXT, N_("describe the decision"))
    previous = session.scalar(
        select(Decision)
        .where(
            Decision.release_id == release.id,
            policy.read_filter(principal, DECISION, Decision.marking_id),
        )
        .order_by(Decision.version.desc())
        .limit(1)
    )
    decision = Decision(
        record_id=record.id,
        release_id=release.id,
        version=previous.version + 1 if previous else 1,
        amends_id=previous.id if previous else None,
        measures=chosen,
        decided_on=decided_on,
        text=text,
        recorded_for=recorded_for,
        marking_id=intern(session, marking),
        recorded_by=principal.id,
    )
    session.add(decision)
    session.flush()
    audit.record(
        session,
        principal=principal,
        action="threat.decision.amend" if previous else "threat.decision",
        kind=DECISION,
        object_id=decision.id,
        marking=marking,
        details={
            "record": record.id,
            "release": release.id,
            "version": decision.version,
            "measures": chosen,
            "recorded_for": recorded_for,
        },
    )
    return decision.id
