"""Linkage records from the statement store, for one principal.

A record is one entity as one collection knows it, built from the statements of that
collection the principal may read (the policy filter is in the query): names, dates of
birth (or incorporation, or build), nationalities (or jurisdictions, or flags),
identifiers and addresses. Its marking is the high-water mark of those statements, so a
pair of records, and everything said about the pair, is marked at least as high as what
it was built from.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from followthemoney.schema import Schema
from followthemoney.types import registry
from sqlalchemy.orm import Session

from baken.core.marking_store import load
from baken.core.markings import Marking, MarkingError, high_water
from baken.core.principals import Principal
from baken.holdings.service import entities
from baken.holdings.statements import common_schema
from baken.resolve.linkage import Record

if TYPE_CHECKING:
    from baken.holdings.models import Statement  # the rows entities.by_entity yields

# What xref pairs: these schemata and their descendants (Company is a LegalEntity...).
MATCHABLE = ("Person", "Organization", "Company", "LegalEntity", "Vessel")
NAME_PROPS = ("name", "alias", "previousName")
BIRTH_PROPS = ("birthDate", "incorporationDate", "buildDate")
COUNTRY_PROPS = ("nationality", "citizenship", "jurisdiction", "flag")


def matchable(schema: Schema | None) -> bool:
    return schema is not None and any(schema.is_a(name) for name in MATCHABLE)


@dataclass(frozen=True, slots=True)
class Loaded:
    """A collection's records as the principal may read them."""

    records: list[Record]
    captions: dict[str, str]
    markings: dict[str, Marking]  # entity id -> high-water of the statements used
    schemata: dict[str, str]


def load_records(session: Session, *, principal: Principal, collection_id: int) -> Loaded:
    records: list[Record] = []
    captions: dict[str, str] = {}
    marking_ids: dict[str, set[int]] = {}
    schemata: dict[str, str] = {}
    for entity_id, stmts in entities.by_entity(
        session, principal=principal, collection_id=collection_id
    ):
        schema = common_schema(s.schema for s in stmts)
        if not matchable(schema):
            continue
        assert schema is not None
        record = _record(entity_id, str(collection_id), schema, stmts)
        if record is None:
            continue
        records.append(record)
        captions[entity_id] = record.names[0]
        marking_ids[entity_id] = {s.marking_id for s in stmts}
        schemata[entity_id] = schema.name
    marks = load(session, {m for ids in marking_ids.values() for m in ids})
    markings: dict[str, Marking] = {}
    for entity_id, ids in marking_ids.items():
        try:
            markings[entity_id] = high_water(marks[m] for m in ids)
        except MarkingError:
            continue  # statements no one marking covers: not one record
    records = [r for r in records if r.entity_id in markings]
    return Loaded(records=records, captions=captions, markings=markings, schemata=schemata)


def _record(entity_id: str, source: str, schema: Schema, stmts: list[Statement]) -> Record | None:
    values: dict[str, list[str]] = {}
    for s in stmts:
        if s.value:
            values.setdefault(s.prop, []).append(s.value)

    def get(*props: str) -> tuple[str, ...]:
        return tuple(dict.fromkeys(v for p in props for v in values.get(p, ())))

    names = list(get(*NAME_PROPS))
    if not names and (values.get("firstName") or values.get("lastName")):
        names.append(" ".join([*values.get("firstName", [])[:1], *values.get("lastName", [])[:1]]))
    if not names:
        return None  # nothing to compare a record by
    identifiers = tuple(
        dict.fromkeys(
            v
            for p, vs in values.items()
            if (prop := schema.get(p)) is not None and prop.type == registry.identifier
            for v in vs
        )
    )
    return Record(
        entity_id=entity_id,
        source=source,
        schema=schema.name,
        names=tuple(dict.fromkeys(names)),
        birth_dates=get(*BIRTH_PROPS),
        nationalities=get(*COUNTRY_PROPS),
        identifiers=identifiers,
        addresses=get("address"),
    )
