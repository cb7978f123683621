"""Entities assembled per principal from the statements that principal may read, and
FollowTheMoney JSON in and out.

Two users can see different properties of one entity: each value is a statement with its
own marking, and only readable statements reach the view, the export or the index entry
the user can find. The view's marking is the high-water mark of what it shows.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from itertools import groupby
from typing import Any

from followthemoney import model
from followthemoney.exc import FollowTheMoneyException
from followthemoney.proxy import EntityProxy
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from baken.core import audit, policy
from baken.core.i18n import N_
from baken.core.marking_store import load, load_one
from baken.core.markings import Marking, high_water
from baken.core.principals import Principal
from baken.core.timeutil import utcnow
from baken.holdings.models import Collection, Document, IndexOutbox, Statement
from baken.holdings.schemas import EntityView, ValueView
from baken.holdings.service import HoldingsError, collections
from baken.holdings.service.documents import _summaries
from baken.holdings.service.documents import visible as document_visible
from baken.holdings.statements import common_schema, statement_id
from baken.holdings.vocab import ENTITY

MAX_IMPORT_LINES = 200_000


def _readable(principal: Principal) -> Any:
    return policy.read_filter(principal, ENTITY, Statement.marking_id)


def _schema(stmts: Iterable[Statement]) -> str:
    found = common_schema(s.schema for s in stmts)
    return found.name if found else "Thing"


def get(session: Session, *, principal: Principal, entity_id: str) -> EntityView:
    stmts = list(
        session.scalars(
            select(Statement)
            .where(Statement.entity_id == entity_id, _readable(principal))
            .order_by(Statement.prop, Statement.value)
        )
    )
    if not stmts:
        raise LookupError(entity_id)
    marks = load(session, {s.marking_id for s in stmts})
    names = dict(
        session.execute(
            select(Collection.id, Collection.name).where(
                Collection.id.in_({s.collection_id for s in stmts}),
                collections.visible(principal),
            )
        ).all()
    )
    props: dict[str, list[ValueView]] = defaultdict(list)
    for s in stmts:
        if s.prop == "id":
            continue
        props[s.prop].append(
            ValueView(
                value=s.value,
                marking=marks[s.marking_id],
                collection=names.get(s.collection_id, "—"),
                collection_id=s.collection_id,
                document_id=s.document_id,
                origin=s.origin,
                first_seen=s.first_seen,
                last_seen=s.last_seen,
            )
        )
    doc_ids = {s.document_id for s in stmts if s.document_id is not None}
    docs = _summaries(
        session,
        list(
            session.scalars(
                select(Document)
                .where(Document.id.in_(doc_ids), document_visible(principal))
                .order_by(Document.id)
            )
        ),
    )
    schema = _schema(stmts)
    proxy = _proxy(entity_id, schema, stmts)
    marking = high_water(marks.values())
    view = EntityView(
        id=entity_id,
        schema_name=schema,
        caption=proxy.caption,
        marking=marking,
        properties=dict(props),
        documents=docs,
    )
    audit.record(
        session,
        principal=principal,
        action="entity.read",
        kind=ENTITY,
        object_id=entity_id,
        marking=marking,
        details={"statements": len(stmts), "documents": [d.id for d in docs]},
    )
    return view


def by_entity(
    session: Session, *, principal: Principal, collection_id: int, batch: int = 5000
) -> Iterator[tuple[str, list[Statement]]]:
    """A collection's statements the principal may read, entity by entity (streamed, in
    entity id order). Not audited here: the caller records what it does with them."""
    rows = session.scalars(
        select(Statement)
        .where(Statement.collection_id == collection_id, _readable(principal))
        .order_by(Statement.entity_id, Statement.id)
        .execution_options(yield_per=batch)
    )
    for entity_id, group in groupby(rows, key=lambda s: s.entity_id):
        yield entity_id, list(group)


def _proxy(entity_id: str, schema: str, stmts: Iterable[Statement]) -> EntityProxy:
    proxy = model.make_entity(schema)
    proxy.id = entity_id
    for s in stmts:
        if s.prop != "id" and proxy.schema.get(s.prop) is not None:
            proxy.add(s.prop, s.value, quiet=True, cleaned=True)
    return proxy


def export(
    session: Session, *, principal: Principal, collection_id: int
) -> tuple[list[dict[str, Any]], Marking]:
    """The collection's entities as FtM JSON, from readable statements only; the export
    carries the high-water mark of the statements in it."""
    collection = collections.row(session, principal, collection_id)
    stmts = list(
        session.scalars(
            select(Statement)
            .where(Statement.collection_id == collection.id, _readable(principal))
            .order_by(Statement.entity_id)
        )
    )
    by_entity: dict[str, list[Statement]] = defaultdict(list)
    for s in stmts:
        by_entity[s.entity_id].append(s)
    entities = [_proxy(e, _schema(ss), ss).to_dict() for e, ss in by_entity.items()]
    marks = load(session, {s.marking_id for s in stmts} | {collection.marking_id})
    marking = high_water(marks.values())
    audit.record(
        session,
        principal=principal,
        action="entity.export",
        kind=ENTITY,
        object_id=collection.id,
        marking=marking,
        details={"format": "ftm", "entities": len(entities), "statements": len(stmts)},
    )
    return entities, marking


def parse_ftm(lines: Iterable[str]) -> Iterator[EntityProxy]:
    """FtM entities from JSON lines (one entity per line); the first bad line stops it."""
    for number, line in enumerate(lines, start=1):
        if number > MAX_IMPORT_LINES:
            raise HoldingsError(N_("too many entities in one import"))
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError:
            raise HoldingsError(N_("line {line}: not valid JSON"), line=number) from None
        if not isinstance(data, dict) or not data.get("id") or not data.get("schema"):
            raise HoldingsError(N_("line {line}: an entity needs an id and a schema"), line=number)
        if model.get(str(data["schema"])) is None:
            raise HoldingsError(N_("line {line}: unknown schema"), line=number)
        try:
            proxy = model.get_proxy(data, cleaned=False)
        except (FollowTheMoneyException, TypeError, ValueError, AttributeError):
            raise HoldingsError(N_("line {line}: not a valid entity"), line=number) from None
        if len(str(proxy.id)) > 120:
            raise HoldingsError(N_("line {line}: the entity id is too long"), line=number)
        yield proxy


def import_ftm(
    session: Session, *, principal: Principal, collection_id: int, lines: Iterable[str]
) -> int:
    """Import FtM JSON lines into a collection, at its marking. Every line is checked
    before anything is written: a bad line changes nothing."""
    collection = collections.writable(session, principal, collection_id)
    collections.check_intake(session, principal, collection)
    marking = load_one(session, collection.marking_id)
    policy.require_write(principal, ENTITY, marking)
    proxies = list(parse_ftm(lines))
    now = utcnow()
    rows: dict[str, dict[str, Any]] = {}
    for proxy in proxies:
        assert proxy.id is not None
        for prop, value in [("id", ""), *((p.name, v) for p, v in proxy.itervalues())]:
            sid = statement_id(collection.id, None, proxy.id, prop, value)
            rows[sid] = {
                "id": sid,
                "entity_id": proxy.id,
                "schema": proxy.schema.name,
                "prop": prop,
                "value": value,
                "collection_id": collection.id,
                "document_id": None,
                "origin": "import",
                "marking_id": collection.marking_id,
                "first_seen": now,
                "last_seen": now,
            }
    upsert_statements(session, list(rows.values()))
    session.add_all(
        IndexOutbox(object_id=f"ent:{p.id}|{collection.id}")
        for p in {p.id: p for p in proxies}.values()
    )
    audit.record(
        session,
        principal=principal,
        action="entity.import",
        kind=ENTITY,
        object_id=collection.id,
        marking=marking,
        details={"format": "ftm", "entities": len(proxies), "statements": len(rows)},
    )
    return len(proxies)


def upsert_statements(session: Session, rows: list[dict[str, Any]], chunk: int = 2000) -> None:
    """Insert statements; one already there only gets a new ``last_seen``."""
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    for start in range(0, len(rows), chunk):
        stmt = insert(Statement).values(rows[start : start + chunk])
        session.execute(
            stmt.on_conflict_do_update(
                index_elements=[Statement.id], set_={"last_seen": stmt.excluded.last_seen}
            )
        )
