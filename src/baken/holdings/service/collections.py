"""Collections: create, list and read, each through the policy filter and audited."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from datetime import date

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from baken.core import audit, policy
from baken.core.i18n import N_
from baken.core.marking_store import intern, load, load_one
from baken.core.markings import Service, summary
from baken.core.principals import Principal
from baken.holdings.models import Collection, Document, Statement
from baken.holdings.schemas import CollectionCreate, CollectionPublic
from baken.holdings.service import HoldingsError
from baken.holdings.vocab import COLLECTION, DOCUMENT, ENTITY
from baken.plugins import registry


def visible(principal: Principal) -> ColumnElement[bool]:
    return policy.read_filter(principal, COLLECTION, Collection.marking_id)


def row(session: Session, principal: Principal, collection_id: int) -> Collection:
    found = session.scalar(
        select(Collection).where(Collection.id == collection_id, visible(principal))
    )
    if found is None:
        raise LookupError(collection_id)
    return found


def by_name(session: Session, principal: Principal, name: str) -> Collection:
    found = session.scalar(select(Collection).where(Collection.name == name, visible(principal)))
    if found is None:
        raise LookupError(name)
    return found


def names(session: Session, principal: Principal, ids: Iterable[int]) -> dict[int, str]:
    """The short names of the collections among ``ids`` that the principal may read."""
    return dict(
        session.execute(
            select(Collection.id, Collection.name).where(
                Collection.id.in_(set(ids)), visible(principal)
            )
        ).all()
    )


def writable(session: Session, principal: Principal, collection_id: int) -> Collection:
    """The collection, if the principal may add to it (read it and write its kind)."""
    found = row(session, principal, collection_id)
    policy.require_write(principal, COLLECTION, load_one(session, found.marking_id))
    return found


def check_intake(session: Session, principal: Principal, collection: Collection) -> None:
    """Refuse new data when oversight says so: the collection's permission expired or was
    refused, or the dataset was destroyed: oversight answers through a hook and raises
    :class:`HoldingsError`)."""
    registry().hook.baken_intake_check(
        session=session, principal=principal, collection_id=collection.id, today=date.today()
    )


def create(session: Session, *, principal: Principal, data: CollectionCreate) -> int:
    marking = data.marking.to_marking()
    if principal.service is None:
        raise policy.PolicyDenied(COLLECTION)
    if marking.owner not in (principal.service, Service.JOINT):
        raise HoldingsError(N_("a collection is owned by your own service or jointly"))
    if data.originator:
        # The third-party rule travels with every item: the partner is an originator.
        marking = dataclasses.replace(marking, originators=marking.originators | {data.originator})
    policy.require_write(principal, COLLECTION, marking)
    if session.scalar(select(Collection.id).where(Collection.name == data.name)) is not None:
        raise HoldingsError(N_("a collection with this name exists already"))
    item = Collection(
        name=data.name,
        title=data.title,
        description=data.description,
        kind=data.kind,
        service=principal.service.value,
        unit=principal.unit,
        legal_basis=data.legal_basis,
        originator=data.originator,
        permission_ref=data.permission_ref,
        acquired_on=data.acquired_on,
        retention_until=data.retention_until,
        marking_id=intern(session, marking),
        created_by=principal.id,
    )
    session.add(item)
    try:
        session.flush()
    except IntegrityError:
        raise HoldingsError(N_("a collection with this name exists already")) from None
    audit.record(
        session,
        principal=principal,
        action="collection.create",
        kind=COLLECTION,
        object_id=item.id,
        marking=marking,
        details={"name": data.name, "legal_basis": data.legal_basis},
    )
    return item.id


def public(
    session: Session, item: Collection, *, counts_for: Principal | None = None
) -> CollectionPublic:
    """The collection; with ``counts_for``, the counts of its documents (by state) and
    statements that principal may read (an item can be marked above its collection)."""
    by_state: dict[str, int] = {}
    statements = 0
    if counts_for is not None:
        by_state = {
            state: n
            for state, n in session.execute(
                select(Document.state, func.count())
                .where(
                    Document.collection_id == item.id,
                    policy.read_filter(counts_for, DOCUMENT, Document.marking_id),
                )
                .group_by(Document.state)
            )
        }
        statements = (
            session.scalar(
                select(func.count())
                .select_from(Statement)
                .where(
                    Statement.collection_id == item.id,
                    policy.read_filter(counts_for, ENTITY, Statement.marking_id),
                )
            )
            or 0
        )
    return CollectionPublic(
        id=item.id,
        name=item.name,
        title=item.title,
        description=item.description,
        kind=item.kind,
        service=item.service,
        unit=item.unit,
        legal_basis=item.legal_basis,
        originator=item.originator,
        permission_ref=item.permission_ref,
        acquired_on=item.acquired_on,
        retention_until=item.retention_until,
        marking=load_one(session, item.marking_id),
        created_at=item.created_at,
        counts=by_state,
        statements=statements,
    )


def list_collections(session: Session, *, principal: Principal) -> list[CollectionPublic]:
    rows = list(
        session.scalars(select(Collection).where(visible(principal)).order_by(Collection.name))
    )
    load(session, {r.marking_id for r in rows})
    items = [public(session, r, counts_for=principal) for r in rows]
    audit.record(
        session,
        principal=principal,
        action="collection.list",
        kind=COLLECTION,
        marking=summary(i.marking for i in items) if items else None,
        details={"ids": [i.id for i in items]},
    )
    return items


def get(session: Session, *, principal: Principal, collection_id: int) -> CollectionPublic:
    item = public(session, row(session, principal, collection_id), counts_for=principal)
    audit.record(
        session,
        principal=principal,
        action="collection.read",
        kind=COLLECTION,
        object_id=item.id,
        marking=item.marking,
    )
    return item
