"""FollowTheMoney mapping files: rows of a CSV or Parquet file become entities, and the
entities become statement rows.

The format is FtM's own query mapping (what ``ftm map`` reads)::

    company_register:            # a dataset name (ignored); or just one query
      queries:
        - entities:
            company:
              schema: Company
              keys: [kvk]
              properties:
                name: {column: company_name}
                registrationNumber: {column: kvk}

A query's source (``csv_url``) is ignored: the rows come from the uploaded file, and every
query is applied to every row (subject to its ``filters``). SQL queries are refused.

Everything is checked before any row is read, with one specific message per problem;
FtM's own ``InvalidMapping`` is wrapped for the rest. Entity ids made from ``keys`` are
hashes seeded with a key prefix (the collection's name), so two collections never share
an id by accident; an ``id_column`` is used as is, which lets a mapping refer to ids that
exist elsewhere.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]
import yaml
from banal import keys_values
from followthemoney import model
from followthemoney.exc import FollowTheMoneyException
from followthemoney.mapping.csv import CSVSource
from followthemoney.mapping.query import QueryMapping
from followthemoney.proxy import EntityProxy
from followthemoney.schema import Schema
from followthemoney.util import sanitize_text

from baken.core.i18n import N_
from baken.holdings.service import HoldingsError
from baken.holdings.statements import statement_id

Record = dict[str, str]
MAX_ENTITY_ID = 128  # statements.entity_id

QUERY_OPTIONS = frozenset({"csv_url", "csv_urls", "entities", "filters", "filters_not"})
SQL_OPTIONS = frozenset({"database", "table", "tables", "joins"})
ENTITY_OPTIONS = frozenset({"schema", "key", "keys", "key_literal", "id_column", "properties"})
PROPERTY_OPTIONS = frozenset(
    {
        "column",
        "columns",
        "literal",
        "literals",
        "template",
        "entity",
        "join",
        "split",
        "format",
        "fuzzy",
        "required",
    }
)
VALUE_SOURCES = ("column", "columns", "literal", "literals", "template", "entity")

STATEMENT_SCHEMA = pa.schema(
    [
        ("id", pa.string()),
        ("entity_id", pa.string()),
        ("schema", pa.string()),
        ("prop", pa.string()),
        ("value", pa.string()),
    ]
)


class MappingError(HoldingsError):
    """A mapping file that cannot be used (the message says why)."""


@dataclass(frozen=True)
class CompiledMapping:
    """A checked mapping, ready to turn records into entities."""

    queries: tuple[tuple[QueryMapping, CSVSource], ...]
    columns: frozenset[str]  # every column the mapping reads
    schemata: frozenset[str]

    def map(self, record: Record) -> Iterator[EntityProxy]:
        for query, source in self.queries:
            if source.check_filters(record):
                yield from query.map(record).values()


def compile_mapping(
    yaml_text: str, columns: Iterable[str] | None = None, *, key_prefix: str | None = None
) -> CompiledMapping:
    """Parse and check a mapping. With ``columns`` (the file's header), a column the
    mapping reads but the file lacks is an error too."""
    queries = _queries(yaml_text)
    compiled: list[tuple[QueryMapping, CSVSource]] = []
    used: set[str] = set()
    schemata: set[str] = set()
    for number, query in enumerate(queries, start=1):
        _check_query(number, query)
        data = {k: v for k, v in query.items() if k not in ("csv_url", "csv_urls")}
        data["csv_url"] = "/dev/null"  # FtM wants a source; the rows come from the file
        try:
            mapping = model.make_mapping(data, key_prefix=key_prefix)
        except (FollowTheMoneyException, TypeError, ValueError, AttributeError, KeyError) as exc:
            raise MappingError(N_("the mapping is not valid: {detail}"), detail=str(exc)) from None
        source = mapping.source
        assert isinstance(source, CSVSource)
        compiled.append((mapping, source))
        for entity in mapping.entities:
            used.update(entity.refs)
            schemata.add(entity.schema.name)
        used.update(str(k) for k in (*_filters(query, "filters"), *_filters(query, "filters_not")))
    if columns is not None:
        missing = sorted(used - set(columns))
        if missing:
            raise MappingError(
                N_("the mapping reads columns the file does not have: {columns}"),
                columns=", ".join(missing),
            )
    return CompiledMapping(tuple(compiled), frozenset(used), frozenset(schemata))


def _queries(yaml_text: str) -> list[Any]:
    try:
        data = yaml.safe_load(yaml_text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 0
        raise MappingError(N_("the mapping is not valid YAML (line {line})"), line=line) from None
    except yaml.YAMLError:
        raise MappingError(N_("the mapping is not valid YAML")) from None
    if not isinstance(data, dict) or not data:
        raise MappingError(N_("the mapping must be a YAML mapping of a dataset to its queries"))
    if "entities" in data:
        queries: list[Any] = [data]
    elif "queries" in data or "query" in data:
        queries = keys_values(data, "queries", "query")
    else:
        queries = []
        for name, meta in data.items():
            if not isinstance(meta, dict):
                raise MappingError(
                    N_("dataset {dataset}: expected queries, not a single value"),
                    dataset=str(name),
                )
            queries.extend(keys_values(meta, "queries", "query"))
    if not queries:
        raise MappingError(N_("the mapping defines no queries"))
    return queries


def _filters(query: Mapping[str, Any], key: str) -> Iterable[Any]:
    found = query.get(key) or {}
    return found.keys() if isinstance(found, dict) else ()


def _check_query(number: int, query: Any) -> None:
    if not isinstance(query, dict):
        raise MappingError(N_("query {query}: expected a mapping with entities"), query=number)
    for option in query:
        if option in SQL_OPTIONS:
            raise MappingError(N_("SQL queries are not supported: map a CSV or Parquet file"))
        if option not in QUERY_OPTIONS:
            raise MappingError(
                N_("query {query}: unknown option {option}"), query=number, option=str(option)
            )
    for key in ("filters", "filters_not"):
        if query.get(key) is not None and not isinstance(query[key], dict):
            raise MappingError(
                N_("query {query}: {option} must map columns to values"), query=number, option=key
            )
    entities = query.get("entities")
    if not isinstance(entities, dict) or not entities:
        raise MappingError(N_("query {query}: no entities are defined"), query=number)
    schemata: dict[str, Schema] = {}
    for name, entity in entities.items():
        schemata[str(name)] = _check_entity(str(name), entity)
    for name, entity in entities.items():
        for prop_name, spec in (entity.get("properties") or {}).items():
            target = spec.get("entity")
            if target is not None:
                _check_reference(str(name), schemata[str(name)], str(prop_name), target, schemata)


def _check_entity(name: str, entity: Any) -> Schema:
    if not isinstance(entity, dict):
        raise MappingError(
            N_("entity {entity}: expected a mapping of schema, keys and properties"), entity=name
        )
    for option in entity:
        if option not in ENTITY_OPTIONS:
            raise MappingError(
                N_("entity {entity}: unknown option {option}"), entity=name, option=str(option)
            )
    schema_name = entity.get("schema")
    if not schema_name:
        raise MappingError(N_("entity {entity}: no schema is given"), entity=name)
    schema = model.get(str(schema_name))
    if schema is None:
        raise MappingError(
            N_("entity {entity}: unknown schema {schema}"), entity=name, schema=str(schema_name)
        )
    if schema.abstract:
        raise MappingError(
            N_("entity {entity}: schema {schema} is abstract; choose a concrete one"),
            entity=name,
            schema=schema.name,
        )
    keys = keys_values(entity, "key", "keys")
    if not keys and not entity.get("id_column"):
        raise MappingError(
            N_("entity {entity}: no keys are given (keys or id_column make the entity id)"),
            entity=name,
        )
    if keys and entity.get("id_column"):
        raise MappingError(N_("entity {entity}: give keys or id_column, not both"), entity=name)
    if not all(isinstance(k, str) for k in keys):
        raise MappingError(N_("entity {entity}: keys must be column names"), entity=name)
    properties = entity.get("properties") or {}
    if not isinstance(properties, dict):
        raise MappingError(
            N_("entity {entity}: properties must map property names to values"), entity=name
        )
    for prop_name, spec in properties.items():
        _check_property(name, schema, str(prop_name), spec)
    return schema


def _check_property(entity: str, schema: Schema, prop_name: str, spec: Any) -> None:
    prop = schema.get(prop_name)
    if prop is None:
        raise MappingError(
            N_("entity {entity}: schema {schema} has no property {prop}"),
            entity=entity,
            schema=schema.name,
            prop=prop_name,
        )
    if prop.stub:
        raise MappingError(
            N_("entity {entity}: property {prop} is set from the other side; map it there"),
            entity=entity,
            prop=prop_name,
        )
    if not isinstance(spec, dict):
        raise MappingError(
            N_("entity {entity}, property {prop}: expected a mapping such as column: NAME"),
            entity=entity,
            prop=prop_name,
        )
    for option in spec:
        if option not in PROPERTY_OPTIONS:
            raise MappingError(
                N_("entity {entity}, property {prop}: unknown option {option}"),
                entity=entity,
                prop=prop_name,
                option=str(option),
            )
    if not any(spec.get(k) is not None for k in VALUE_SOURCES):
        raise MappingError(
            N_("entity {entity}, property {prop}: give a column, literal, template or entity"),
            entity=entity,
            prop=prop_name,
        )


def _check_reference(
    entity: str, schema: Schema, prop_name: str, target: Any, schemata: Mapping[str, Schema]
) -> None:
    prop = schema.get(prop_name)
    assert prop is not None
    found = schemata.get(str(target))
    if found is None:
        raise MappingError(
            N_("entity {entity}, property {prop}: there is no entity {target} in this query"),
            entity=entity,
            prop=prop_name,
            target=str(target),
        )
    if prop.range is None or not found.is_a(prop.range):
        raise MappingError(
            N_("entity {entity}, property {prop}: must refer to a {range}, not a {schema}"),
            entity=entity,
            prop=prop_name,
            range=prop.range.name if prop.range is not None else "-",
            schema=found.name,
        )


# -- the batch job --------------------------------------------------------------------


@dataclass(frozen=True)
class MappingJob:
    """What a worker needs to map a partition: plain data, so it pickles."""

    mapping_yaml: str
    key_prefix: str
    collection_id: int


def map_batch(batch: Any, job: MappingJob) -> Any:
    """The batch job: one Arrow record batch of source rows to statement rows
    (:data:`STATEMENT_SCHEMA`), each statement once per batch."""
    compiled = _compiled(job.mapping_yaml, job.key_prefix)
    return statements(compiled, records(batch, compiled.columns), job.collection_id)


@lru_cache(maxsize=8)
def _compiled(mapping_yaml: str, key_prefix: str) -> CompiledMapping:
    # FtM logs a warning for every discarded value and skipped row: millions in a bulk load.
    logging.getLogger("followthemoney.mapping").setLevel(logging.ERROR)
    return compile_mapping(mapping_yaml, key_prefix=key_prefix)


def mappable(type_: Any) -> bool:
    """Whether a column of this Arrow type can be read as text by a mapping."""
    return not (pa.types.is_nested(type_) or pa.types.is_binary(type_))


def records(batch: Any, columns: Iterable[str] | None = None) -> Iterator[Record]:
    """The rows of a batch as FtM records: text values, cleaned as FtM's CSV reader
    cleans them, empty ones left out."""
    wanted = set(batch.schema.names if columns is None else columns)
    names: list[str] = []
    values: list[list[Any]] = []
    for name, column in zip(batch.schema.names, batch.columns, strict=True):
        if name not in wanted:
            continue
        if not pa.types.is_string(column.type) and not pa.types.is_large_string(column.type):
            column = pc.cast(column, pa.string())
        names.append(name)
        values.append(column.to_pylist())
    for row in zip(*values, strict=True):
        record: Record = {}
        for name, raw in zip(names, row, strict=True):
            if raw is not None:
                text = sanitize_text(raw)
                if text is not None:
                    record[name] = text
        yield record


def statements(compiled: CompiledMapping, rows: Iterable[Record], collection_id: int) -> Any:
    """Statement rows for the entities the mapping makes of ``rows``: one ``id`` row per
    entity and one row per property value, each distinct statement once."""
    columns: dict[str, list[str]] = {name: [] for name in STATEMENT_SCHEMA.names}
    ids, entity_ids, schemata, props, values = columns.values()
    seen: set[str] = set()
    for record in rows:
        for proxy in compiled.map(record):
            entity_id = str(proxy.id)
            if len(entity_id) > MAX_ENTITY_ID:
                raise MappingError(
                    N_("an entity id is longer than {limit} characters"), limit=MAX_ENTITY_ID
                )
            schema = proxy.schema.name
            for prop, value in (("id", ""), *((p.name, v) for p, v in proxy.itervalues())):
                sid = statement_id(collection_id, None, entity_id, prop, value)
                if sid in seen:
                    continue
                seen.add(sid)
                ids.append(sid)
                entity_ids.append(entity_id)
                schemata.append(schema)
                props.append(prop)
                values.append(value)
    return pa.table(columns, schema=STATEMENT_SCHEMA)


__all__ = [
    "STATEMENT_SCHEMA",
    "CompiledMapping",
    "MappingError",
    "MappingJob",
    "compile_mapping",
    "map_batch",
    "mappable",
    "records",
    "statements",
]
