"""Linkage with splink on the local engine: a small cross-collection world with people
written in other scripts, names swapped and mistyped, and a seeded crowd to train on."""

from __future__ import annotations

import json
import math
import random

import pyarrow as pa
import pytest

from baken.engines.local import LocalEngine
from baken.resolve.linkage import (
    DEFAULT_PRIOR,
    INPUT_SCHEMA,
    PRIOR,
    LinkageError,
    Linked,
    Record,
    link,
    prepare,
)

GIVEN = [
    "anna",
    "bram",
    "carla",
    "daan",
    "emma",
    "femke",
    "gijs",
    "hanna",
    "ivo",
    "joost",
    "karin",
    "lars",
    "maria",
    "niels",
    "olga",
    "peter",
    "quinten",
    "rosa",
    "sven",
    "tessa",
    "ugo",
    "vera",
    "willem",
    "xandra",
    "yara",
    "zeno",
    "ahmed",
    "fatima",
    "mehmet",
    "elif",
]
FAMILY = [
    "bakker",
    "visser",
    "smit",
    "meijer",
    "mulder",
    "bos",
    "vos",
    "peters",
    "hendriks",
    "dekker",
    "brouwer",
    "dijkstra",
    "jacobs",
    "kok",
    "koster",
    "prins",
    "huisman",
    "kuipers",
    "schouten",
    "willems",
    "maas",
    "verhoeven",
    "boer",
    "postma",
    "wouters",
    "yilmaz",
    "demir",
]
CITIES = ["amsterdam", "rotterdam", "utrecht", "zwolle", "arnhem", "breda", "leiden", "delft"]

# (collection a, collection b): the pairs the tests look for by name.
SPECIAL = [
    (
        Record("a-putin", "a", "Person", ("Vladimir Putin",), ("1952-10-07",), ("ru",)),
        Record("b-putin", "b", "Person", ("Владимир Путин",), ("1952-10-07",), ("ru",)),
    ),
    (
        Record("a-xi", "a", "Person", ("Xi Jinping",), ("1953-06-15",), ("cn",)),
        Record("b-xi", "b", "Person", ("习近平",), ("1953-06-15",), ("cn",)),
    ),
    (
        Record("a-gagarin", "a", "Person", ("Iurii Gagarin",), ("1934-03-09",), ("ru",)),
        Record("b-gagarin", "b", "Person", ("Юрий Гагарин",), ("1934-03-09",), ("ru",)),
    ),
    (
        Record("a-mbs", "a", "Person", ("Mohammed bin Salman",), ("1985-08-31",), ("sa",)),
        Record("b-mbs", "b", "Person", ("محمد بن سلمان",), ("1985-08-31",), ("sa",)),
    ),
    (
        Record("a-jansen", "a", "Person", ("Pieter Jansen",), ("1970-03-12",), ("nl",)),
        Record("b-jansen", "b", "Person", ("Jansen Pieter",), ("1970-03-12",), ("nl",)),
    ),
    (
        Record("a-vries", "a", "Person", ("Johanna de Vries",), ("1981-04-09",), ("nl",)),
        Record("b-vries", "b", "Person", ("Johana de Vries",), ("1981-09-04",), ("nl",)),
    ),
    (
        Record("a-acme", "a", "Company", ("Acme Trading B.V.",), identifiers=("NL-12345678",)),
        Record("b-acme", "b", "Company", ("ACME Trading BV",), identifiers=("nl12345678",)),
    ),
]
# Same name, another person: born decades apart, elsewhere.
NAMESAKES = (
    Record("a-boer", "a", "Person", ("Jan de Boer",), ("1960-01-20",), ("nl",), (), ("delft",)),
    Record("b-boer", "b", "Person", ("Jan de Boer",), ("1994-11-02",), ("be",), (), ("gent",)),
)


def _typo(rng: random.Random, word: str) -> str:
    i = rng.randrange(1, len(word) - 1)
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :]


def crowd(
    seed: int = 7, people: int = 120, shared: int = 80
) -> tuple[list[Record], set[tuple[str, str]]]:
    """A seeded crowd in two collections; ``shared`` people are in both, some with a
    typo, a swapped name or a missing date. Returns the records and the true pairs."""
    rng = random.Random(seed)
    records: list[Record] = []
    truth: set[tuple[str, str]] = set()
    for n in range(people):
        given, family = rng.choice(GIVEN), rng.choice(FAMILY)
        born = f"{rng.randint(1940, 2000)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        city = f"{rng.randint(1, 200)} {rng.choice(FAMILY)}straat {rng.choice(CITIES)}"
        ident = f"P{rng.randint(10**7, 10**8 - 1)}"
        a = Record(
            f"a-{n}", "a", "Person", (f"{given} {family}",), (born,), ("nl",), (ident,), (city,)
        )
        records.append(a)
        if n >= shared:
            continue
        name, dates = f"{given} {family}", (born,)
        change = rng.random()
        if change < 0.2:
            name = f"{given} {_typo(rng, family)}"
        elif change < 0.35:
            name = f"{family} {given}"
        elif change < 0.45:
            dates = ()
        records.append(Record(f"b-{n}", "b", "Person", (name,), dates, ("nl",), (ident,), (city,)))
        truth.add((f"a-{n}", f"b-{n}"))
    return records, truth


def sample_records() -> tuple[list[Record], set[tuple[str, str]]]:
    """The crowd, the special pairs and the namesakes; and the true pairs."""
    records, truth = crowd()
    for left, right in SPECIAL:
        records += [left, right]
        truth.add((left.entity_id, right.entity_id))
    records += NAMESAKES
    return records, truth


@pytest.fixture(scope="module")
def engine() -> LocalEngine:
    return LocalEngine(threads=2)


@pytest.fixture(scope="module")
def trained(engine: LocalEngine) -> tuple[pa.Table, Linked, set[tuple[str, str]]]:
    records, truth = sample_records()
    table = prepare(records)
    return table, link(table, engine=engine, threshold=0.5), truth


def test_prepare_gives_one_row_of_comparable_columns_per_record() -> None:
    table = prepare([SPECIAL[1][1], NAMESAKES[0], Record("x", "a", "Person", ("!!!",))])
    assert table.schema.equals(INPUT_SCHEMA)
    rows = table.to_pylist()
    assert rows[0]["name_primary"] == "xi jinping"
    assert "xi jinping" in rows[0]["name_forms"]
    assert rows[0]["schema_group"] == "person"
    assert rows[1]["birth_year"] == "1960"
    assert rows[1]["address"] == "delft"
    # A name of punctuation only is no name: unknown, not a disagreement.
    assert rows[2]["name_primary"] is None
    assert rows[2]["name_forms"] is None


def test_pairs_across_scripts_swaps_and_typos_are_found(
    trained: tuple[pa.Table, Linked, set[tuple[str, str]]],
) -> None:
    _, linked, truth = trained
    found = {(p.left_id, p.right_id) for p in linked.pairs}
    for left, right in SPECIAL:
        assert (left.entity_id, right.entity_id) in found, left.names
    assert ("a-boer", "b-boer") not in found
    true_found = len(found & truth)
    assert true_found / len(truth) >= 0.9
    assert true_found / len(found) >= 0.95
    assert linked.compared >= len(linked.pairs)
    assert linked.pairs == sorted(linked.pairs, key=lambda p: (p.left_id, p.right_id))


def test_every_pair_is_explained_and_the_weights_add_up(
    trained: tuple[pa.Table, Linked, set[tuple[str, str]]],
) -> None:
    _, linked, _ = trained
    for pair in linked.pairs:
        names = [c.comparison for c in pair.contributions]
        assert names == [PRIOR, "name", "birth_date", "nationality", "identifier", "address"]
        assert math.isclose(
            sum(c.weight for c in pair.contributions), pair.match_weight, abs_tol=1e-6
        )
        odds = 2**pair.match_weight
        assert math.isclose(odds / (1 + odds), pair.probability, rel_tol=1e-9)
        assert all(c.level for c in pair.contributions[1:])
    gagarin = next(p for p in linked.pairs if p.left_id == "a-gagarin")
    name = next(c for c in gagarin.contributions if c.comparison == "name")
    assert name.level == "same name in another script or transliteration"
    assert name.weight > 0


def test_the_threshold_is_honoured(
    engine: LocalEngine, trained: tuple[pa.Table, Linked, set[tuple[str, str]]]
) -> None:
    table, linked, _ = trained
    strict = link(table, engine=engine, threshold=0.99, model=linked.model)
    assert strict.pairs
    assert all(p.probability >= 0.99 for p in strict.pairs)
    assert {(p.left_id, p.right_id) for p in strict.pairs} == {
        (p.left_id, p.right_id) for p in linked.pairs if p.probability >= 0.99
    }


def test_a_model_is_reused_without_training(
    engine: LocalEngine, trained: tuple[pa.Table, Linked, set[tuple[str, str]]]
) -> None:
    table, linked, _ = trained
    model = json.loads(json.dumps(linked.model))  # JSON-able, as stored
    again = link(table, engine=engine, threshold=0.5, model=model)
    assert [(p.left_id, p.right_id) for p in again.pairs] == [
        (p.left_id, p.right_id) for p in linked.pairs
    ]
    for one, two in zip(again.pairs, linked.pairs, strict=True):
        assert math.isclose(one.match_weight, two.match_weight, abs_tol=1e-9)
    # Training is seeded: the same input trains the same model.
    retrained = link(table, engine=engine, threshold=0.5)
    assert [round(p.match_weight, 6) for p in retrained.pairs] == [
        round(p.match_weight, 6) for p in linked.pairs
    ]


def test_a_small_input_is_scored_with_the_default_model(engine: LocalEngine) -> None:
    left, right = SPECIAL[0]
    linked = link(prepare([left, right, *NAMESAKES]), engine=engine, threshold=0.5)
    assert [(p.left_id, p.right_id) for p in linked.pairs] == [("a-putin", "b-putin")]
    assert linked.model["probability_two_random_records_match"] == DEFAULT_PRIOR


def test_progress_is_reported(
    engine: LocalEngine, trained: tuple[pa.Table, Linked, set[tuple[str, str]]]
) -> None:
    table, linked, _ = trained
    seen: list[tuple[int, int]] = []
    link(table, engine=engine, model=linked.model, progress=lambda d, t: seen.append((d, t)))
    assert seen[0][0] == 0
    assert seen[-1][0] == seen[-1][1]


def test_bad_input_is_refused_clearly(
    engine: LocalEngine, trained: tuple[pa.Table, Linked, set[tuple[str, str]]]
) -> None:
    table, _, _ = trained
    with pytest.raises(LinkageError, match="no records"):
        link(prepare([]), engine=engine)
    with pytest.raises(LinkageError, match="lacks the columns") as refused:
        link(pa.table({"unique_id": ["1"], "naam": ["x"]}), engine=engine)
    assert "name_primary" in str(refused.value)
    with pytest.raises(LinkageError, match="wrong type"):
        link(table.set_column(0, "unique_id", pa.array(range(len(table)))), engine=engine)
    with pytest.raises(LinkageError, match="two collections"):
        link(prepare([NAMESAKES[0]]), engine=engine)
    with pytest.raises(LinkageError, match="own id"):
        link(prepare([NAMESAKES[0], NAMESAKES[0]]), engine=engine)
    with pytest.raises(LinkageError, match="does not fit"):
        link(table, engine=engine, model={"comparisons": []})
    with pytest.raises(ValueError, match="link_type"):
        link(table, engine=engine, link_type="everything")
