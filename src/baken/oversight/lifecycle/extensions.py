"""Extensions of a bulk dataset's term (Tijdelijke wet): the minister sets a new end date
one year at a time on a reasoned request, the CTIVD reviews it — more strictly from the
third extension, which takes effect only when found lawful, with a full motivation and
both chambers informed — and an unlawful finding annuls an extension in effect.

The minister's office and the CTIVD are external principals whom ``policy.can_write``
refuses: :func:`may_decide` is the narrow rule for their decisions (the same rule as the
permissions part's ``rules.may_decide``: the role, the read rule on the request, and for
the minister the minister of the owning service).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from baken.core import audit, policy
from baken.core.i18n import N_
from baken.core.marking_store import intern, load_one
from baken.core.markings import Marking, Service, summary
from baken.core.principals import Principal
from baken.holdings.models import Collection
from baken.oversight.lifecycle.models import BulkDataset, Extension
from baken.oversight.lifecycle.service import (
    TERM,
    LifecycleError,
    _now,
    _writable,
    add_months,
    terms,
)
from baken.oversight.vocab import data


@dataclass(frozen=True)
class ExtensionView:
    id: int
    collection_id: int
    title: str
    number: int
    previous_until: date
    new_until: date
    motivation: str
    state: str
    minister_decision: str | None
    inform_parliament: bool
    ctivd_review: str | None
    ctivd_note: str
    strict: bool
    marking: Marking


def _minister_marking(marking: Marking) -> Marking:
    """The request goes to the minister responsible for the owning service."""
    ministers = data("lifecycle")["ministers"]
    owners = [Service.AIVD, Service.MIVD] if marking.owner == Service.JOINT else [marking.owner]
    extra = {str(ministers[o.value]) for o in owners}
    return dataclasses.replace(marking, releasable_to=marking.releasable_to | extra)


def _ext_view(session: Session, row: Extension, title: str) -> ExtensionView:
    return ExtensionView(
        id=row.id,
        collection_id=row.collection_id,
        title=title,
        number=row.number,
        previous_until=row.previous_until,
        new_until=row.new_until,
        motivation=row.motivation,
        state=row.state,
        minister_decision=row.minister_decision,
        inform_parliament=row.inform_parliament,
        ctivd_review=row.ctivd_review,
        ctivd_note=row.ctivd_note,
        strict=row.number >= terms()["strict_from"],
        marking=load_one(session, row.marking_id),
    )


def _ext_visible(principal: Principal) -> ColumnElement[bool]:
    return policy.read_filter(principal, TERM, Extension.marking_id)


def list_extensions(
    session: Session, *, principal: Principal, collection_id: int | None = None
) -> list[ExtensionView]:
    """Extension requests the principal may read (one dataset's, or all of them)."""
    query = (
        select(Extension, Collection.title)
        .join(Collection, Collection.id == Extension.collection_id)
        .where(_ext_visible(principal))
        .order_by(Extension.collection_id, Extension.number, Extension.id)
    )
    if collection_id is not None:
        query = query.where(Extension.collection_id == collection_id)
    items = [_ext_view(session, row, title) for row, title in session.execute(query)]
    audit.record(
        session,
        principal=principal,
        action="extension.list",
        kind=TERM,
        marking=summary(i.marking for i in items) if items else None,
        details={"ids": [i.id for i in items]},
    )
    return items


def request_extension(
    session: Session,
    *,
    principal: Principal,
    collection_id: int,
    new_until: date,
    motivation: str,
    today: date,
) -> int:
    """Ask the minister for a new end date, at most one year after the current one."""
    collection, dataset, marking = _writable(session, principal, collection_id, today)
    motivation = motivation.strip()
    open_ = session.scalar(
        select(func.count())
        .select_from(Extension)
        .where(
            Extension.collection_id == collection.id,
            Extension.state.in_(("requested", "permitted")),
        )
    )
    if open_:
        raise LifecycleError(N_("an extension of this dataset is still being decided"))
    limit = add_months(dataset.term_until, terms()["extension_months"])
    if new_until <= dataset.term_until:
        raise LifecycleError(
            N_("the new end date must be after the current one ({date})"),
            date=dataset.term_until.isoformat(),
        )
    if new_until > limit:
        raise LifecycleError(
            N_("an extension is at most one year at a time: no later than {date}"),
            date=limit.isoformat(),
        )
    number = (
        session.scalar(
            select(func.count())
            .select_from(Extension)
            .where(Extension.collection_id == collection.id, Extension.state == "in_effect")
        )
        or 0
    ) + 1
    if not motivation:
        raise LifecycleError(N_("an extension needs a motivation"))
    if number >= terms()["strict_from"] and len(motivation) < 100:
        raise LifecycleError(
            N_("from the third extension on the motivation must be full (at least 100 characters)")
        )
    ext_marking = _minister_marking(marking)
    row = Extension(
        collection_id=collection.id,
        number=number,
        previous_until=dataset.term_until,
        new_until=new_until,
        motivation=motivation,
        marking_id=intern(session, ext_marking),
        requested_by=principal.id,
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        principal=principal,
        action="extension.request",
        kind=TERM,
        object_id=row.id,
        marking=ext_marking,
        details={"collection": collection.id, "number": number, "new_until": new_until.isoformat()},
    )
    return row.id


def may_decide(principal: Principal, role: str, marking: Marking) -> bool:
    """The narrow rule for the minister's and the CTIVD's decisions: external principals
    whom ``policy.can_write`` refuses, but who may decide on what they may read."""
    return role in principal.roles and policy.can_read(principal, TERM, marking)


def _extension(session: Session, principal: Principal, extension_id: int) -> Extension:
    row = session.scalar(
        select(Extension).where(Extension.id == extension_id, _ext_visible(principal))
    )
    if row is None:
        raise LookupError(extension_id)
    return row


def minister_decide(
    session: Session,
    *,
    principal: Principal,
    extension_id: int,
    decision: str,
    inform_parliament: bool,
) -> None:
    row = _extension(session, principal, extension_id)
    marking = load_one(session, row.marking_id)
    if not may_decide(principal, "minister_office", marking):
        raise policy.PolicyDenied(TERM)
    if row.state != "requested":
        raise LifecycleError(N_("the minister has decided on this extension already"))
    if decision not in ("permitted", "refused"):
        raise LifecycleError(N_("choose permit or refuse"))
    strict = row.number >= terms()["strict_from"]
    if decision == "permitted" and strict and not inform_parliament:
        raise LifecycleError(
            N_("from the third extension on both chambers of parliament must be informed")
        )
    row.minister_decision, row.minister_by = decision, principal.id
    row.minister_at, row.inform_parliament = _now(), inform_parliament
    row.state = decision
    if decision == "permitted" and not strict:
        _apply(session, row)
    audit.record(
        session,
        principal=principal,
        action="extension.minister",
        kind=TERM,
        object_id=row.id,
        marking=marking,
        details={"decision": decision, "inform_parliament": inform_parliament},
    )


def ctivd_review(
    session: Session, *, principal: Principal, extension_id: int, review: str, note: str
) -> None:
    """The CTIVD's review of a permitted extension. From the third extension on the
    extension takes effect only when found lawful; before that an unlawful finding
    annuls an extension already in effect."""
    row = _extension(session, principal, extension_id)
    marking = load_one(session, row.marking_id)
    if not may_decide(principal, "overseer", marking):
        raise policy.PolicyDenied(TERM)
    if row.minister_decision is None:
        raise LifecycleError(N_("the CTIVD reviews an extension after the minister's decision"))
    if row.minister_decision != "permitted" or row.ctivd_review is not None:
        raise LifecycleError(N_("this extension is not open for review"))
    if review not in ("lawful", "unlawful"):
        raise LifecycleError(N_("choose lawful or unlawful"))
    row.ctivd_review, row.ctivd_note = review, note.strip()
    row.ctivd_by, row.ctivd_at = principal.id, _now()
    if review == "lawful" and row.state == "permitted":
        _apply(session, row)
    elif review == "unlawful":
        dataset = session.get(BulkDataset, row.collection_id)
        if dataset is not None and row.state == "in_effect":
            dataset.term_until = row.previous_until
        row.state = "annulled"
    audit.record(
        session,
        principal=principal,
        action="extension.ctivd",
        kind=TERM,
        object_id=row.id,
        marking=marking,
        details={"review": review},
    )


def _apply(session: Session, row: Extension) -> None:
    dataset = session.get(BulkDataset, row.collection_id)
    assert dataset is not None
    dataset.term_until = row.new_until
    row.state = "in_effect"
