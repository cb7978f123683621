"""Screening against the holdings index: cross-script matches, one entity scored on the
union of what the principal may read, nothing from what they may not, and bad input."""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import pytest
from followthemoney import model
from sqlalchemy.orm import Session, sessionmaker

from baken.core.config import Settings
from baken.core.db import transaction
from baken.core.markings import Level, Marking, Service
from baken.core.policy_index import IndexPolicy, index_policy
from baken.core.principals import Principal
from baken.core.schemas import MarkingIn
from baken.holdings.feed import Feeder
from baken.holdings.schemas import CollectionCreate
from baken.holdings.search import IndexDoc, SearchIndex
from baken.holdings.service import collections, entities
from baken.holdings.vocab import ENTITY
from baken.resolve.names import DateInputError, NameInputError
from baken.resolve.screening import (
    ORGANISATIONS,
    CsvInputError,
    Match,
    ScreenInputError,
    ScreenQuery,
    entry_fields,
    parse_csv,
    parse_query,
    screen,
    screen_batch,
)
from tests.conftest import People


def _principal(
    clearance: Level,
    roles: set[str],
    service: Service | None = Service.AIVD,
    organisation: str | None = None,
    compartments: Sequence[str] = (),
) -> Principal:
    return Principal(
        1,
        "p",
        "P",
        clearance,
        service,
        organisation,
        compartments=frozenset(compartments),
        roles=frozenset(roles),
    )


ANALYST = _principal(Level.STG_GEHEIM, {"analyst"}, compartments=["KOBALT"])
PLANNER = _principal(Level.STG_ZEER_GEHEIM, {"planner"})  # may not read entities
ALL_SEEING = _principal(Level.STG_ZEER_GEHEIM, {"overseer"}, None, "CTIVD")

OPEN = Marking.of("STG_CONFIDENTIEEL", "AIVD")
GEHEIM = Marking.of("STG_GEHEIM", "AIVD", compartments=["KOBALT"])
ZEER_GEHEIM = Marking.of("STG_ZEER_GEHEIM", "AIVD")  # above the analyst
OTHER_COMPARTMENT = Marking.of("STG_GEHEIM", "AIVD", compartments=["ZEPHYR"])


def _entry(
    entity: str,
    marking: Marking,
    props: Sequence[tuple[str, str]],
    *,
    collection: str = "1",
    schema: str = "Person",
) -> IndexDoc:
    fields = entry_fields(entity, model.get(schema), props)
    assert fields is not None
    text = "\n".join(v for _, v in props)
    return IndexDoc(
        doc_id=f"ent:{entity}|{collection}|{marking.key()}",
        kind=ENTITY,
        marking=marking,
        collection=collection,
        title=fields.names[0] if fields.names else entity,
        text=text,
        language=None,
        schema=schema,
        screen=fields,
    )


WORLD = [
    _entry("xi", OPEN, [("name", "习近平"), ("birthDate", "1953-06-15"), ("nationality", "cn")]),
    _entry("li", OPEN, [("name", "李克强"), ("birthDate", "1955-07-01")]),
    _entry("putin", OPEN, [("name", "Владимир Путин"), ("birthDate", "1952-10-07")]),
    _entry("potanin", OPEN, [("name", "Vladimir Potanin"), ("birthDate", "1961-01-03")]),
    _entry("mbs", OPEN, [("name", "محمد بن سلمان"), ("birthDate", "1985-08-31")]),
    _entry("mbr", OPEN, [("name", "Mohammed bin Rashid"), ("birthDate", "1949-07-15")]),
    # One person in two collections at two markings the analyst may read, and a third
    # entry, with a date of birth and an alias, above the analyst's clearance.
    _entry("jansen", OPEN, [("name", "Jan Jansen")], collection="1"),
    _entry(
        "jansen",
        GEHEIM,
        [("alias", "J. Jansen"), ("nationality", "nl"), ("passportNumber", "NP-123456")],
        collection="2",
    ),
    _entry(
        "jansen",
        ZEER_GEHEIM,
        [("alias", "Johannes Jansen"), ("birthDate", "1970-03-05")],
        collection="3",
    ),
    # Only above the analyst, and only in a compartment they do not hold.
    _entry("geheim", ZEER_GEHEIM, [("name", "Pieter Geheimhouder"), ("birthDate", "1960-01-01")]),
    _entry("zephyr", OTHER_COMPARTMENT, [("name", "Pieter Geheimhouder")]),
    # A company: not screened as a person.
    _entry("acme", OPEN, [("name", "Jan Jansen Holding B.V.")], schema="Company"),
]


def _index(docs: Sequence[IndexDoc], path: Path | None = None) -> SearchIndex:
    index = SearchIndex(path, writer_threads=1)
    index.upsert(docs)
    return index


@pytest.fixture(scope="module")
def world() -> SearchIndex:
    return _index(WORLD)


def _policy(principal: Principal) -> IndexPolicy:
    return index_policy(principal, [ENTITY])


def _ids(matches: Sequence[Match]) -> list[str]:
    return [m.entity_id for m in matches]


# -- matching -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("names", "birth", "expected", "not_expected"),
    [
        (["Xi Jinping"], "1953-06-15", "xi", "li"),
        (["Jinping Xi"], None, "xi", "li"),
        (["Vladimir Putin"], "1952-10-07", "putin", "potanin"),
        (["Wladimir Putin"], "1952-07-10", "putin", "potanin"),  # typo, day and month swapped
        (["Mohammed bin Salman"], "1985-08-31", "mbs", "mbr"),
        (["Muhammad bin Salman"], None, "mbs", "mbr"),
        (["Vladimir Potanin"], None, "potanin", "putin"),
    ],
)
def test_cross_script_matches(
    world: SearchIndex, names: list[str], birth: str | None, expected: str, not_expected: str
) -> None:
    found = screen(world, _policy(ANALYST), parse_query(names, birth))
    assert found, names
    assert found[0].entity_id == expected
    assert not_expected not in _ids(found[:1])
    top = found[0]
    assert top.explanation[0][0].startswith("name: ")
    assert 0.0 < top.score <= 1.0
    assert top.score == pytest.approx(
        max(0.0, min(1.0, sum(w for _, w in top.explanation))), abs=1e-3
    )


def test_explanation_names_the_evidence(world: SearchIndex) -> None:
    [top, *_] = screen(world, _policy(ANALYST), parse_query(["Xi Jinping"], "1953-06-15", "China"))
    labels = [label for label, _ in top.explanation]
    assert labels[0] == "name: Xi Jinping ≈ 习近平"
    assert "birth date equal: 1953-06-15" in labels
    assert "nationality equal: cn" in labels
    wrong = screen(world, _policy(ANALYST), parse_query(["Xi Jinping"], "1990-01-01", "NL"))
    if wrong:  # a wrong date and nationality take away
        assert wrong[0].score < top.score
        assert any(w < 0 for _, w in wrong[0].explanation)


def test_a_different_date_of_birth_lowers_the_score(world: SearchIndex) -> None:
    same = screen(world, _policy(ANALYST), parse_query("Vladimir Putin", "1952-10-07"))
    other = screen(world, _policy(ANALYST), parse_query("Vladimir Putin", "1980-01-01"))
    assert same[0].score > (other[0].score if other else 0.0)


def test_identifier_alone_finds_the_entity(world: SearchIndex) -> None:
    found = screen(world, _policy(ANALYST), parse_query([], identifiers=["np 123456"]))
    assert _ids(found) == ["jansen"]


def test_companies_are_not_persons(world: SearchIndex) -> None:
    found = screen(world, _policy(ANALYST), parse_query("Jan Jansen"))
    assert "acme" not in _ids(found)


# -- the read rule --------------------------------------------------------------------


def test_readable_entries_of_one_entity_combine(world: SearchIndex) -> None:
    [match] = [m for m in screen(world, _policy(ANALYST), parse_query("Jan Jansen")) if True]
    assert match.entity_id == "jansen"
    assert match.collections == ("1", "2")  # both readable entries, one match
    assert set(match.names) == {"Jan Jansen", "J. Jansen"}
    assert match.nationalities == ("nl",)
    assert match.identifiers == ("NP123456",)
    assert set(match.marking_keys) == {OPEN.key(), GEHEIM.key()}
    assert match.marking == GEHEIM  # the high-water mark of what was used


def test_nothing_from_an_entry_the_principal_may_not_read(world: SearchIndex) -> None:
    query = parse_query(["Jan Jansen"], "1970-03-05")
    [seen] = screen(world, _policy(ANALYST), query)
    # The date of birth and the alias are only in the entry above the analyst: they
    # neither show nor score, and the explanation does not mention them.
    assert seen.birth_dates == ()
    assert "Johannes Jansen" not in seen.names
    assert ZEER_GEHEIM.key() not in seen.marking_keys
    assert not any("birth" in label for label, _ in seen.explanation)
    assert all("Johannes" not in label.split("≈")[-1] for label, _ in seen.explanation)
    # The one who may read everything sees them.
    [full] = screen(world, _policy(ALL_SEEING), query)
    assert full.birth_dates == ("1970-03-05",)
    assert full.score > seen.score
    # Nothing that exists only above the analyst, or in another compartment.
    assert screen(world, _policy(ANALYST), parse_query("Pieter Geheimhouder")) == []
    assert _ids(screen(world, _policy(ALL_SEEING), parse_query("Pieter Geheimhouder"))) == [
        "geheim",
        "zephyr",
    ]


def test_hidden_entries_change_nothing(world: SearchIndex) -> None:
    """Non-interference: the analyst's results on the full index equal those on an index
    holding only what the analyst may read."""
    policy = _policy(ANALYST)
    readable_only = _index(
        [d for d in WORLD if d.marking in (OPEN, GEHEIM)],
    )
    queries = [
        parse_query(["Johannes Jansen"], "1970-03-05"),
        parse_query(["Jan Jansen"]),
        parse_query(["Pieter Geheimhouder"], "1960-01-01"),
        parse_query(["Xi Jinping"]),
    ]
    for query in queries:
        assert screen(world, policy, query) == screen(readable_only, policy, query), query


def test_a_principal_who_may_not_read_entities_gets_nothing(world: SearchIndex) -> None:
    assert screen(world, _policy(PLANNER), parse_query("Xi Jinping")) == []


def test_screening_survives_reopening(tmp_path: Path) -> None:
    _index(WORLD[:2], tmp_path / "index")
    again = SearchIndex(tmp_path / "index")
    assert _ids(screen(again, _policy(ANALYST), parse_query("Xi Jinping"))) == ["xi"]


# -- input ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "error", "says"),
    [
        ({"names": ["!!!"]}, NameInputError, "no letters"),
        ({"names": ["   "]}, ScreenInputError, "at least one name"),
        ({"names": []}, ScreenInputError, "at least one name"),
        ({"names": ["P\u0430vel Ivanov"]}, NameInputError, "cyrillic, latin"),
        ({"names": ["Jan"], "birth_date": "2023-02-30"}, DateInputError, "no day 30"),
        ({"names": ["Jan"], "birth_date": "1970-13-01"}, DateInputError, "no month 13"),
        ({"names": ["Jan"], "birth_date": "3000-01-01"}, DateInputError, "between"),
        ({"names": ["Jan"], "nationality": "Atlantis"}, ScreenInputError, "Atlantis"),
        ({"names": ["Jan"], "identifiers": ["--"]}, ScreenInputError, "identifier"),
    ],
)
def test_bad_queries_are_refused(kwargs: dict[str, object], error: type, says: str) -> None:
    with pytest.raises(error, match=says):
        parse_query(**kwargs)  # type: ignore[arg-type]


def test_parse_query_normalises() -> None:
    query = parse_query(["  Jan   Jansen ", "Jan Jansen"], "5-3-1970", "Nederland", ["np-1"])
    assert query == ScreenQuery(("Jan Jansen",), "1970-03-05", "nl", ("NP1",))
    assert parse_query("Jan", nationality="RU").nationality == "ru"
    assert parse_query("Jan", nationality="ru").nationality == "ru"


CSV = (
    "name,birth_date,nationality,identifier\n"
    "Xi Jinping,1953-06-15,CN,\n"
    "Владимир Путин|Vladimir Putin,1952-10-07,,\n"
    ",,,NP-123456\n"
    "Nobody Atall,1999-09-09,,\n"
)


def test_csv_batch() -> None:
    queries = parse_csv(CSV.encode())
    assert [q.names for q in queries] == [
        ("Xi Jinping",),
        ("Владимир Путин", "Vladimir Putin"),
        (),
        ("Nobody Atall",),
    ]
    index = _index(WORLD)
    calls: list[tuple[int, int]] = []
    results = screen_batch(
        index, _policy(ANALYST), queries, progress=lambda d, t: calls.append((d, t))
    )
    assert [_ids(r)[:1] for r in results] == [["xi"], ["putin"], ["jansen"], []]
    assert calls[-1] == (4, 4)
    # The batch gives what one screening at a time gives.
    assert results == [screen(index, _policy(ANALYST), q) for q in queries]


def test_csv_semicolons_bom_and_subset_of_columns() -> None:
    data = "\ufeffName;Birth_Date\r\nJan Jansen;05-03-1970\r\n\r\n".encode()
    assert parse_csv(data) == [ScreenQuery(("Jan Jansen",), "1970-03-05")]


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (b"", "empty"),
        (b"  \n\n", "empty"),
        # Found by tests/hostile: a BOM or Unicode spaces alone failed with an IndexError.
        (b"\xef\xbb\xbf", "empty"),
        ("\u00a0\u2028\x1c".encode(), "empty"),
        (b"name,birth_date\n", "no rows"),
        (b"naam,geboortedatum\nJan,1970\n", "unknown columns: naam, geboortedatum; missing: name"),
        (b"name,name\nJan,Piet\n", "repeated: name"),
        (b"name,birthdate\nJan,1970\n", "unknown columns: birthdate"),
        (b"\xff\xfe\x00n", "not UTF-8"),
    ],
)
def test_bad_csv_files_are_refused(data: bytes, says: str) -> None:
    with pytest.raises(CsvInputError, match=says):
        parse_csv(data)


def test_csv_the_csv_module_cannot_read_is_refused_and_lone_returns_are_line_ends() -> None:
    """Found by tests/hostile: both raised csv.Error (a 500 from the API)."""
    assert parse_csv(b"name\rJan Jansen\r") == [ScreenQuery(("Jan Jansen",))]
    limit = csv.field_size_limit(10)
    try:
        with pytest.raises(CsvInputError, match="Line 2 of the file is not valid CSV"):
            parse_csv(b"name\nJan Jansen de Vries\n")
    finally:
        csv.field_size_limit(limit)


def test_bad_rows_are_reported_by_line_and_nothing_is_returned() -> None:
    data = (
        "name,birth_date,nationality,identifier\n"
        "Jan Jansen,1970-03-05,NL,\n"  # line 2: fine
        "!!!,1970-03-05,,\n"  # line 3
        "Jan Jansen,2023-02-30,,\n"  # line 4
        "Jan Jansen,1970-01-01,Atlantis,\n"  # line 5
        "Jan Jansen,1970\n"  # line 6: a field short
        "P\u0430vel Ivanov,,,\n"  # line 7: mixed scripts
        "Piet Pietersen,1980-01-01,,\n"  # line 8: fine
    ).encode()
    with pytest.raises(CsvInputError) as caught:
        parse_csv(data)
    err = caught.value
    assert [line for line, _ in err.rows] == [3, 4, 5, 6, 7]
    assert isinstance(err.rows[0][1], NameInputError)
    assert isinstance(err.rows[1][1], DateInputError)
    assert err.params["count"] == 5
    text = str(err)
    for line in (3, 4, 5, 6, 7):
        assert f"Line {line}:" in text
    assert "Line 2:" not in text
    assert "Line 8:" not in text


# -- through the database and the feeder ----------------------------------------------


def test_the_feeder_gives_entities_their_screening_fields(
    settings: Settings, factory: sessionmaker[Session], people: People
) -> None:
    analyst = people.add("screener", Level.STG_GEHEIM)
    low = people.add("laag", Level.DEP_VERTROUWELIJK)

    def collection(name: str, marking: Marking) -> int:
        with transaction(factory) as session:
            return collections.create(
                session,
                principal=analyst,
                data=CollectionCreate(
                    name=name,
                    title=name,
                    legal_basis="open_source",
                    acquired_on=date(2026, 1, 5),
                    marking=MarkingIn.of(marking),
                ),
            )

    low_col = collection("laag", Marking.of("DEP_VERTROUWELIJK", Service.JOINT))
    high_col = collection("hoog", Marking.of("STG_GEHEIM", Service.AIVD))
    person = {
        "id": "vvp",
        "schema": "Person",
        "properties": {"name": ["Владимир Путин"], "nationality": ["ru"]},
    }
    secret = {
        "id": "vvp",
        "schema": "Person",
        "properties": {"alias": ["Vova"], "birthDate": ["1952-10-07"], "passportNumber": ["X1"]},
    }
    company = {"id": "acme", "schema": "Company", "properties": {"name": ["Vladimir Putin BV"]}}
    with transaction(factory) as session:
        entities.import_ftm(
            session,
            principal=analyst,
            collection_id=low_col,
            lines=[json.dumps(person), json.dumps(company)],
        )
        entities.import_ftm(
            session, principal=analyst, collection_id=high_col, lines=[json.dumps(secret)]
        )
    index = SearchIndex(settings.index_dir)
    Feeder(factory, index).sync()
    query = parse_query(["Vladimir Putin"], "1952-10-07", "Russia")
    [high] = screen(index, _policy(analyst), query)
    assert high.entity_id == "vvp"
    assert high.birth_dates == ("1952-10-07",)
    assert high.identifiers == ("X1",)
    assert high.nationalities == ("ru",)
    [seen] = screen(index, _policy(low), query)
    assert seen.birth_dates == ()
    assert seen.identifiers == ()
    assert seen.score < high.score
    assert screen(index, _policy(low), parse_query([], identifiers=["X1"])) == []
    assert _ids(screen(index, _policy(low), query, schemata=ORGANISATIONS)) == ["acme"]
