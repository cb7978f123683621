"""FtM mapping files: a fictional company register mapped to companies, directors and
directorships, and every way a mapping can be wrong, each with its own message."""

from __future__ import annotations

import csv
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from baken.holdings.mapping import (
    STATEMENT_SCHEMA,
    MappingError,
    MappingJob,
    compile_mapping,
    map_batch,
    records,
    statements,
)

DATA = Path(__file__).parent / "data"
MAPPING = (DATA / "mapping_companies.yaml").read_text(encoding="utf-8")
COLUMNS = (
    "kvk",
    "company",
    "incorporated",
    "country",
    "address",
    "director",
    "director_birth",
    "role",
)


def register() -> Any:
    with (DATA / "mapping_companies.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return pa.RecordBatch.from_pylist(rows)


def entities(table: Any) -> dict[str, dict[str, Any]]:
    """Statement rows back to {entity_id: {"schema": …, prop: sorted values}}."""
    found: dict[str, dict[str, Any]] = defaultdict(dict)
    for row in table.to_pylist():
        entity = found[row["entity_id"]]
        entity["schema"] = row["schema"]
        if row["prop"] != "id":
            entity.setdefault(row["prop"], []).append(row["value"])
    return dict(found)


def test_register_maps_to_companies_directors_directorships() -> None:
    table = map_batch(register(), MappingJob(MAPPING, "kvk_register", collection_id=1))
    assert table.schema == STATEMENT_SCHEMA
    found = entities(table)
    assert Counter(e["schema"] for e in found.values()) == {
        "Company": 5,
        "Person": 4,
        "Directorship": 5,  # the company without a director has none
    }
    companies = {e["name"][0]: i for i, e in found.items() if e["schema"] == "Company"}
    people = {e["name"][0]: i for i, e in found.items() if e["schema"] == "Person"}
    zandvoort = found[companies["Zandvoort Handel B.V."]]
    assert zandvoort["registrationNumber"] == ["90000001"]
    assert zandvoort["incorporationDate"] == ["2011-04-12"]
    assert zandvoort["country"] == ["nl"]
    # Jan de Wit directs two companies: one person, two directorships.
    jan = people["Jan de Wit"]
    roles = [e for e in found.values() if e["schema"] == "Directorship" and e["director"] == [jan]]
    assert sorted(r["organization"][0] for r in roles) == sorted(
        [companies["Zandvoort Handel B.V."], companies["Polderlicht Holding N.V."]]
    )
    # One id row per entity, each statement once.
    assert table.column("prop").to_pylist().count("id") == len(found)
    assert len(set(table.column("id").to_pylist())) == table.num_rows


def test_ids_are_scoped_by_key_prefix() -> None:
    first = map_batch(register(), MappingJob(MAPPING, "register_a", collection_id=1))
    again = map_batch(register(), MappingJob(MAPPING, "register_a", collection_id=1))
    other = map_batch(register(), MappingJob(MAPPING, "register_b", collection_id=2))
    assert first.equals(again)  # deterministic
    assert not set(entities(first)) & set(entities(other))


def test_single_query_forms_and_filters() -> None:
    query = """
entities:
  company:
    schema: Company
    keys: [kvk]
    properties:
      name: {column: company}
filters:
  country: be
"""
    compiled = compile_mapping(query, COLUMNS, key_prefix="x")
    assert compiled.schemata == {"Company"}
    table = statements(compiled, records(register()), 1)
    names = [e["name"] for e in entities(table).values()]
    assert names == [["Kastanje Import B.V."]]
    wrapped = "query:\n" + "\n".join("  " + line for line in query.splitlines())
    assert compile_mapping(wrapped, COLUMNS).columns == {"kvk", "company", "country"}


def test_typed_parquet_columns_become_text() -> None:
    batch = pa.RecordBatch.from_pylist(
        [{"kvk": 90000001, "company": "Zandvoort Handel B.V.", "incorporated": date(2011, 4, 12)}]
    )
    mapping = """
entities:
  company:
    schema: Company
    keys: [kvk]
    properties:
      name: {column: company}
      registrationNumber: {column: kvk}
      incorporationDate: {column: incorporated}
"""
    table = map_batch(batch, MappingJob(mapping, "x", collection_id=1))
    (company,) = entities(table).values()
    assert company["registrationNumber"] == ["90000001"]
    assert company["incorporationDate"] == ["2011-04-12"]


def test_id_column_is_used_as_is_and_checked_for_length() -> None:
    mapping = """
entities:
  company:
    schema: Company
    id_column: ref
    properties:
      name: {column: name}
"""
    batch = pa.RecordBatch.from_pylist([{"ref": "nl-kvk-90000001", "name": "Zandvoort"}])
    assert set(entities(map_batch(batch, MappingJob(mapping, "x", 1)))) == {"nl-kvk-90000001"}
    long = pa.RecordBatch.from_pylist([{"ref": "x" * 129, "name": "Zandvoort"}])
    with pytest.raises(MappingError, match="longer than 128 characters"):
        map_batch(long, MappingJob(mapping, "x", 1))


def company(
    props: str = "{name: {column: company}}", head: str = "keys: [kvk]", schema: str = "Company"
) -> str:
    return f"""
register:
  queries:
    - entities:
        company:
          schema: {schema}
          {head}
          properties: {props}
"""


CIRCULAR = """
entities:
  a:
    schema: Company
    keys: [kvk]
    properties:
      parent: {entity: b}
  b:
    schema: Company
    keys: [company]
    properties:
      parent: {entity: a}
"""

DIRECTORSHIP = """
entities:
  director:
    schema: Person
    keys: [director]
    properties:
      name: {column: director}
  role:
    schema: Directorship
    keys: [kvk, director]
    properties:
      %s
"""


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("register:\n  queries: [\n", "the mapping is not valid YAML (line 3)"),
        ("", "the mapping must be a YAML mapping of a dataset to its queries"),
        ("- a\n- b\n", "the mapping must be a YAML mapping of a dataset to its queries"),
        ("register: 3\n", "dataset register: expected queries, not a single value"),
        ("register:\n  queries: []\n", "the mapping defines no queries"),
        ("queries: [3]\n", "query 1: expected a mapping with entities"),
        ("queries: [{entities: {}}]\n", "query 1: no entities are defined"),
        (
            "query: {database: 'sqlite://', entities: {}}\n",
            "SQL queries are not supported: map a CSV or Parquet file",
        ),
        ("query: {sheet: 1, entities: {}}\n", "query 1: unknown option sheet"),
        ("query: {filters: [a], entities: {}}\n", "query 1: filters must map columns to values"),
        (
            "entities: {company: Company}\n",
            "entity company: expected a mapping of schema, keys and properties",
        ),
        (
            company(head="keys: [kvk]\n          key_column: kvk"),
            "entity company: unknown option key_column",
        ),
        (company(schema="''"), "entity company: no schema is given"),
        (company(schema="Compnay"), "entity company: unknown schema Compnay"),
        (
            company(schema="Thing"),
            "entity company: schema Thing is abstract; choose a concrete one",
        ),
        (
            company(head="key_literal: x"),
            "entity company: no keys are given (keys or id_column make the entity id)",
        ),
        (
            company(head="keys: [kvk]\n          id_column: kvk"),
            "entity company: give keys or id_column, not both",
        ),
        (company(head="keys: [{a: 1}]"), "entity company: keys must be column names"),
        (company(props="[name]"), "entity company: properties must map property names to values"),
        (
            company("{nmae: {column: company}}"),
            "entity company: schema Company has no property nmae",
        ),
        (
            company("{directorshipDirector: {column: director}}"),
            "entity company: property directorshipDirector is set from the other side;"
            " map it there",
        ),
        (
            company("{name: company}"),
            "entity company, property name: expected a mapping such as column: NAME",
        ),
        (
            company("{name: {colum: company}}"),
            "entity company, property name: unknown option colum",
        ),
        (
            company("{name: {format: x}}"),
            "entity company, property name: give a column, literal, template or entity",
        ),
        (
            DIRECTORSHIP % "organization: {entity: company}",
            "entity role, property organization: there is no entity company in this query",
        ),
        (
            DIRECTORSHIP % "organization: {entity: director}",
            "entity role, property organization: must refer to a Organization, not a Person",
        ),
        pytest.param(
            CIRCULAR,
            "the mapping is not valid: Circular entity dependency detected.",
            marks=pytest.mark.filterwarnings("ignore:Mapping uses a deprecated property"),
        ),
        (
            company("{name: {column: company_name}, address: {column: street}}"),
            "the mapping reads columns the file does not have: company_name, street",
        ),
    ],
)
def test_bad_mappings(text: str, message: str) -> None:
    with pytest.raises(MappingError) as caught:
        compile_mapping(text, COLUMNS)
    assert str(caught.value) == message
    assert caught.value.message != message or not caught.value.params  # a template + params


def test_columns_are_only_checked_when_known() -> None:
    compiled = compile_mapping(company("{name: {column: company_name}}"))
    assert compiled.columns == {"kvk", "company_name"}
