"""Lifecycle services: the legal basis of a collection, the bulk-dataset term with its
relevance assessment per item, the legal hold, and extensions of the term.

Every service takes the principal, reads marked rows through the policy filter in the
query, and audits. Refusals raise :class:`LifecycleError` (or the permissions part's
error); :func:`attempt` runs a unit of work and audits a refusal in a unit of its own, so
that the refusal stays on record while the refused work rolls back. Destruction is in
:mod:`baken.oversight.lifecycle.destruction`.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.orm import Session, sessionmaker

from baken.core import audit, policy, refusals
from baken.core.errors import DomainError
from baken.core.i18n import N_
from baken.core.marking_store import intern, load, load_one
from baken.core.markings import Marking, summary
from baken.core.principals import Principal
from baken.core.timeutil import utcnow
from baken.holdings.models import Collection, Document, Statement
from baken.holdings.service import HoldingsError, collections
from baken.holdings.vocab import DOCUMENT, ENTITY
from baken.oversight.lifecycle.models import Assessment, BulkDataset, LegalBasis
from baken.oversight.vocab import data

T = TypeVar("T")

TERM = "bewaartermijn"
DESTRUCTION = "vernietiging"
LEGAL_BASIS = "rechtsgrond"
PAGE = 50
ITEM_KINDS = ("entity", "document")
VERDICTS = ("relevant", "not_relevant")


class LifecycleError(DomainError):
    """A lifecycle action refused for a domain reason (the message says why)."""


def terms() -> dict[str, int]:
    return {k: int(v) for k, v in data("lifecycle")["terms"].items()}


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


# --- refusals, audited -----------------------------------------------------------------


def attempt(
    factory: sessionmaker[Session],
    principal: Principal,
    action: str,
    work: Callable[[Session], T],
    *,
    object_id: object | None = None,
) -> T:
    """Run ``work`` in one unit of work; a refusal is rolled back, then audited."""
    return refusals.attempt(factory, principal, action, TERM, work, object_id=object_id)


# --- the legal basis ---------------------------------------------------------------------


def _permissions() -> Any:
    # The permissions part is built beside this one; its service is the contract.
    return importlib.import_module("baken.oversight.permissions.service")


def usable(session: Session, principal: Principal, permission_id: int, on: date) -> Any:
    """The permission, if data may be gathered under it on ``on`` (else its error)."""
    return _permissions().usable(session, principal=principal, permission_id=permission_id, on=on)


@dataclass(frozen=True)
class LegalBasisView:
    collection_id: int
    permission_id: int
    marking: Marking
    linked_at: datetime
    usable: bool
    problem: DomainError | None
    power: str | None
    valid_until: date | None


def link_permission(
    session: Session,
    *,
    principal: Principal,
    collection_id: int,
    permission_id: int,
    today: date,
) -> None:
    """Record that the collection was gathered under the permission (usable today)."""
    collection = collections.writable(session, principal, collection_id)
    marking = load_one(session, collection.marking_id)
    policy.require_write(principal, LEGAL_BASIS, marking)
    if collection.legal_basis != "special_power":
        raise LifecycleError(
            N_("only a collection gathered with a special power points to a permission")
        )
    usable(session, principal, permission_id, today)
    row = session.get(LegalBasis, collection.id)
    if row is None:
        row = LegalBasis(collection_id=collection.id, marking_id=collection.marking_id)
        session.add(row)
    row.permission_id, row.linked_by = permission_id, principal.id
    session.flush()
    audit.record(
        session,
        principal=principal,
        action="legal_basis.link",
        kind=LEGAL_BASIS,
        object_id=collection.id,
        marking=marking,
        details={"permission": permission_id},
    )


def _basis_row(session: Session, principal: Principal, collection_id: int) -> LegalBasis | None:
    return session.scalar(
        select(LegalBasis).where(
            LegalBasis.collection_id == collection_id,
            policy.read_filter(principal, LEGAL_BASIS, LegalBasis.marking_id),
        )
    )


def legal_basis(
    session: Session, *, principal: Principal, collection_id: int, today: date
) -> LegalBasisView | None:
    """The permission a readable collection was gathered under, and whether it is usable
    today (None when the collection has no such link, or it is not readable)."""
    collections.row(session, principal, collection_id)
    row = _basis_row(session, principal, collection_id)
    if row is None:
        return None
    marking = load_one(session, row.marking_id)
    problem: DomainError | None = None
    power: str | None = None
    until: date | None = None
    try:
        found = usable(session, principal, row.permission_id, today)
        power = getattr(found, "power", None)
        until = getattr(found, "valid_until", None)
    except DomainError as exc:
        problem = exc
    audit.record(
        session,
        principal=principal,
        action="legal_basis.read",
        kind=LEGAL_BASIS,
        object_id=collection_id,
        marking=marking,
        details={"permission": row.permission_id, "usable": problem is None},
    )
    return LegalBasisView(
        collection_id=collection_id,
        permission_id=row.permission_id,
        marking=marking,
        linked_at=row.linked_at,
        usable=problem is None,
        problem=problem,
        power=power,
        valid_until=until,
    )


def check_intake(
    session: Session, *, principal: Principal, collection_id: int, today: date
) -> None:
    """Refuse adding data to a destroyed dataset or under a permission that is no longer
    usable (expired, refused, stopped). Called by holdings' ingest and bulk entry points."""
    dataset = session.get(BulkDataset, collection_id)
    if dataset is not None and dataset.state == "destroyed":
        raise HoldingsError(N_("this dataset was destroyed; nothing can be added to it"))
    link = session.get(LegalBasis, collection_id)
    if link is None:
        return
    try:
        usable(session, principal, link.permission_id, today)
    except DomainError as exc:
        audit.record(
            session,
            principal=principal,
            action="legal_basis.intake",
            kind=LEGAL_BASIS,
            object_id=collection_id,
            outcome="refused",
            details={"permission": link.permission_id, "reason": exc.message},
        )
        raise HoldingsError(exc.message, **exc.params) from None


def collections_of_permission(session: Session, permission_id: int) -> list[int]:
    """Every collection gathered under the permission (for destruction; not a read)."""
    return list(
        session.scalars(
            select(LegalBasis.collection_id)
            .where(LegalBasis.permission_id == permission_id)
            .order_by(LegalBasis.collection_id)
        )
    )


# --- bulk datasets -------------------------------------------------------------------------


@dataclass(frozen=True)
class DatasetView:
    collection_id: int
    name: str
    title: str
    marking: Marking
    acquired_on: date
    term_until: date
    legal_hold: bool
    hold_reason: str
    state: str
    items: int
    relevant: int
    not_relevant: int
    overdue: bool

    @property
    def assessed(self) -> int:
        return self.relevant + self.not_relevant

    @property
    def unassessed(self) -> int:
        return self.items - self.assessed


def default_term(collection: Collection) -> date:
    return collection.retention_until or add_months(
        collection.acquired_on, terms()["assessment_months"]
    )


def _dataset(session: Session, collection: Collection, principal: Principal) -> BulkDataset:
    """The dataset's lifecycle row, made on the first write."""
    row = session.get(BulkDataset, collection.id)
    if row is None:
        row = BulkDataset(
            collection_id=collection.id,
            term_until=default_term(collection),
            marking_id=collection.marking_id,
            created_by=principal.id,
        )
        session.add(row)
        session.flush()
    return row


def _visible_entities(principal: Principal, collection_id: int) -> Any:
    return (
        select(Statement.entity_id)
        .where(
            Statement.collection_id == collection_id,
            policy.read_filter(principal, ENTITY, Statement.marking_id),
        )
        .distinct()
    )


def _visible_documents(principal: Principal, collection_id: int) -> Any:
    return select(func.cast(Document.id, Statement.entity_id.type)).where(
        Document.collection_id == collection_id,
        policy.read_filter(principal, DOCUMENT, Document.marking_id),
    )


def _assessment_filter(principal: Principal) -> ColumnElement[bool]:
    return policy.read_filter(principal, TERM, Assessment.marking_id)


def _counts(session: Session, principal: Principal, collection_id: int) -> tuple[int, int, int]:
    """Readable items, and readable verdicts on readable items (relevant, not)."""
    entities = _visible_entities(principal, collection_id).subquery()
    docs = _visible_documents(principal, collection_id).subquery()
    items = (session.scalar(select(func.count()).select_from(entities)) or 0) + (
        session.scalar(select(func.count()).select_from(docs)) or 0
    )
    verdicts: dict[str, int] = {}
    for kind, ids in (("entity", select(entities.c[0])), ("document", select(docs.c[0]))):
        for verdict, n in session.execute(
            select(Assessment.verdict, func.count())
            .where(
                Assessment.collection_id == collection_id,
                Assessment.item_kind == kind,
                Assessment.item_id.in_(ids),
                _assessment_filter(principal),
            )
            .group_by(Assessment.verdict)
        ):
            verdicts[verdict] = verdicts.get(verdict, 0) + n
    return items, verdicts.get("relevant", 0), verdicts.get("not_relevant", 0)


def _view(
    session: Session, principal: Principal, collection: Collection, today: date
) -> DatasetView:
    row = session.get(BulkDataset, collection.id)
    term = row.term_until if row else default_term(collection)
    items, relevant, not_relevant = _counts(session, principal, collection.id)
    return DatasetView(
        collection_id=collection.id,
        name=collection.name,
        title=collection.title,
        marking=load_one(session, collection.marking_id),
        acquired_on=collection.acquired_on,
        term_until=term,
        legal_hold=bool(row and row.legal_hold),
        hold_reason=row.hold_reason if row else "",
        state=row.state if row else "active",
        items=items,
        relevant=relevant,
        not_relevant=not_relevant,
        overdue=today > term and items > relevant + not_relevant,
    )


def _bulk_collections(principal: Principal) -> ColumnElement[bool]:
    return and_(
        Collection.kind == "bulk",
        collections.visible(principal),
        policy.read_filter(principal, TERM, Collection.marking_id),
    )


def list_datasets(session: Session, *, principal: Principal, today: date) -> list[DatasetView]:
    rows = list(
        session.scalars(
            select(Collection).where(_bulk_collections(principal)).order_by(Collection.name)
        )
    )
    load(session, {r.marking_id for r in rows})
    items = [_view(session, principal, r, today) for r in rows]
    audit.record(
        session,
        principal=principal,
        action="bulkdataset.list",
        kind=TERM,
        marking=summary(i.marking for i in items) if items else None,
        details={"ids": [i.collection_id for i in items]},
    )
    return items


def _collection(session: Session, principal: Principal, collection_id: int) -> Collection:
    found = session.scalar(
        select(Collection).where(Collection.id == collection_id, _bulk_collections(principal))
    )
    if found is None:
        raise LookupError(collection_id)
    return found


def get_dataset(
    session: Session, *, principal: Principal, collection_id: int, today: date
) -> DatasetView:
    view = _view(session, principal, _collection(session, principal, collection_id), today)
    audit.record(
        session,
        principal=principal,
        action="bulkdataset.read",
        kind=TERM,
        object_id=collection_id,
        marking=view.marking,
    )
    return view


@dataclass(frozen=True)
class ItemView:
    kind: str
    id: str
    caption: str
    marking: Marking
    verdict: str | None


def list_items(
    session: Session, *, principal: Principal, collection_id: int, page: int = 1
) -> tuple[list[ItemView], int]:
    """One page of the dataset's readable items (entities, then documents)."""
    collection = _collection(session, principal, collection_id)
    entities = list(
        session.scalars(_visible_entities(principal, collection.id).order_by(Statement.entity_id))
    )
    doc_rows = list(
        session.execute(
            select(Document.id, Document.title, Document.name, Document.marking_id)
            .where(
                Document.collection_id == collection.id,
                policy.read_filter(principal, DOCUMENT, Document.marking_id),
            )
            .order_by(Document.id)
        )
    )
    keys = [("entity", e) for e in entities] + [("document", str(d.id)) for d in doc_rows]
    total = len(keys)
    start = (max(page, 1) - 1) * PAGE
    chosen = keys[start : start + PAGE]
    wanted = [e for k, e in chosen if k == "entity"]
    names: dict[str, str] = {}
    marks: dict[str, set[int]] = {}
    for entity_id, prop, value, marking_id in session.execute(
        select(Statement.entity_id, Statement.prop, Statement.value, Statement.marking_id).where(
            Statement.collection_id == collection.id,
            Statement.entity_id.in_(wanted),
            policy.read_filter(principal, ENTITY, Statement.marking_id),
        )
    ):
        marks.setdefault(entity_id, set()).add(marking_id)
        if prop == "name" and value and entity_id not in names:
            names[entity_id] = value
    docs = {str(d.id): d for d in doc_rows}
    verdicts = dict(
        (f"{k}:{i}", v)
        for k, i, v in session.execute(
            select(Assessment.item_kind, Assessment.item_id, Assessment.verdict).where(
                Assessment.collection_id == collection.id,
                Assessment.item_id.in_([i for _, i in chosen]),
                _assessment_filter(principal),
            )
        )
    )
    all_marks = load(
        session, {m for ms in marks.values() for m in ms} | {d.marking_id for d in doc_rows}
    )
    items = []
    for kind, item_id in chosen:
        if kind == "entity":
            marking = summary(all_marks[m] for m in marks.get(item_id, set()))
            caption = names.get(item_id, item_id)
        else:
            d = docs[item_id]
            marking, caption = all_marks[d.marking_id], d.title or d.name
        items.append(ItemView(kind, item_id, caption, marking, verdicts.get(f"{kind}:{item_id}")))
    audit.record(
        session,
        principal=principal,
        action="bulkdataset.items",
        kind=TERM,
        object_id=collection.id,
        marking=summary(i.marking for i in items) if items else None,
        details={"items": [f"{i.kind}:{i.id}" for i in items]},
    )
    return items, total


def _writable(
    session: Session, principal: Principal, collection_id: int, today: date
) -> tuple[Collection, BulkDataset, Marking]:
    collection = _collection(session, principal, collection_id)
    marking = load_one(session, collection.marking_id)
    policy.require_write(principal, TERM, marking)
    dataset = _dataset(session, collection, principal)
    if dataset.state == "destroyed":
        raise LifecycleError(N_("this dataset was destroyed"))
    return collection, dataset, marking


def _item_marking(
    session: Session, principal: Principal, collection: Collection, kind: str, item_id: str
) -> Marking | None:
    """The marking of a readable item (None if it does not exist or is not readable)."""
    if kind == "document":
        if not item_id.isdigit():
            return None
        found = session.scalar(
            select(Document.marking_id).where(
                Document.id == int(item_id),
                Document.collection_id == collection.id,
                policy.read_filter(principal, DOCUMENT, Document.marking_id),
            )
        )
        return load_one(session, found) if found is not None else None
    ids = set(
        session.scalars(
            select(Statement.marking_id)
            .where(
                Statement.collection_id == collection.id,
                Statement.entity_id == item_id,
                policy.read_filter(principal, ENTITY, Statement.marking_id),
            )
            .distinct()
        )
    )
    if not ids:
        return None
    return policy.derived_marking(list(load(session, ids).values()))


def assess(
    session: Session,
    *,
    principal: Principal,
    collection_id: int,
    items: Iterable[tuple[str, str]],
    verdict: str,
    today: date,
) -> int:
    """Record ``verdict`` on each (kind, id) item; within the term only."""
    collection, dataset, marking = _writable(session, principal, collection_id, today)
    if verdict not in VERDICTS:
        raise LifecycleError(N_("choose relevant or not relevant"))
    if today > dataset.term_until:
        raise LifecycleError(
            N_("the assessment term ended on {date}; items can no longer be assessed"),
            date=dataset.term_until.isoformat(),
        )
    wanted = list(dict.fromkeys(items))
    if not wanted:
        raise LifecycleError(N_("choose one or more items"))
    marks: dict[tuple[str, str], Marking] = {}
    for kind, item_id in wanted:
        found = (
            _item_marking(session, principal, collection, kind, item_id)
            if kind in ITEM_KINDS
            else None
        )
        if found is None:
            raise LifecycleError(N_("unknown item: {item}"), item=item_id[:64])
        marks[(kind, item_id)] = policy.derived_marking([found, marking])
    for (kind, item_id), item_marking in marks.items():
        policy.require_write(principal, TERM, item_marking)
        row = session.scalar(
            select(Assessment).where(
                Assessment.collection_id == collection.id,
                Assessment.item_kind == kind,
                Assessment.item_id == item_id,
            )
        )
        marking_id = intern(session, item_marking)
        if row is None:
            session.add(
                Assessment(
                    collection_id=collection.id,
                    item_kind=kind,
                    item_id=item_id,
                    verdict=verdict,
                    marking_id=marking_id,
                    assessed_by=principal.id,
                    assessed_at=_now(),
                )
            )
        else:
            row.verdict, row.marking_id = verdict, marking_id
            row.assessed_by, row.assessed_at = principal.id, _now()
    session.flush()
    audit.record(
        session,
        principal=principal,
        action="bulkdataset.assess",
        kind=TERM,
        object_id=collection.id,
        marking=summary(marks.values()),
        details={"verdict": verdict, "items": [f"{k}:{i}" for k, i in marks]},
    )
    return len(marks)


def unassessed(
    session: Session, *, principal: Principal, collection_id: int
) -> list[tuple[str, str]]:
    """The readable items of a dataset without a readable verdict (for a bulk action)."""
    collection = _collection(session, principal, collection_id)
    done = {
        (k, i)
        for k, i in session.execute(
            select(Assessment.item_kind, Assessment.item_id).where(
                Assessment.collection_id == collection.id, _assessment_filter(principal)
            )
        )
    }
    entities = session.scalars(
        _visible_entities(principal, collection.id).order_by(Statement.entity_id)
    )
    docs = session.scalars(
        select(Document.id)
        .where(
            Document.collection_id == collection.id,
            policy.read_filter(principal, DOCUMENT, Document.marking_id),
        )
        .order_by(Document.id)
    )
    keys = [("entity", e) for e in entities] + [("document", str(d)) for d in docs]
    return [k for k in keys if k not in done]


def set_hold(
    session: Session,
    *,
    principal: Principal,
    collection_id: int,
    hold: bool,
    reason: str,
    today: date,
) -> None:
    """Place or lift a legal hold: while it holds, nothing of the dataset is destroyed."""
    collection, dataset, marking = _writable(session, principal, collection_id, today)
    reason = reason.strip()
    if hold and not reason:
        raise LifecycleError(N_("a legal hold needs a reason"))
    dataset.legal_hold, dataset.hold_reason = hold, reason if hold else ""
    audit.record(
        session,
        principal=principal,
        action="bulkdataset.hold" if hold else "bulkdataset.release",
        kind=TERM,
        object_id=collection.id,
        marking=marking,
        details={"reason": reason},
    )


def _now() -> datetime:
    return utcnow()


def destroy_for_permission(
    session: Session,
    *,
    principal: Principal,
    permission_id: int,
    reason: str,
    stores: Any = None,
) -> list[int]:
    """Destroy every collection gathered under the permission (an unlawful finding on an
    urgency permission, or a CTIVD stop order); returns the destruction record ids."""
    from baken.oversight.lifecycle import destruction

    return destruction.destroy_permission(
        session, principal=principal, permission_id=permission_id, reason=reason, stores=stores
    )
