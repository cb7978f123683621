"""The synthetic person-linkage generator: seeded, sized, and corrupted as documented."""

from __future__ import annotations

import re
from typing import Any

import pyarrow.compute as pc  # type: ignore[import-untyped]
import pytest

from baken.resolve import synthetic
from baken.resolve.synthetic import KINDS, Problem, generate, romanise

N = 20_000
ADDRESS = ("street", "house_number", "postcode", "city")
NON_LATIN = re.compile(r"[\u0400-\u04ff\u0600-\u06ff\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def problem() -> Problem:
    return generate(N, seed=11)


def _rows(problem: Problem) -> list[tuple[dict[str, Any], dict[str, Any], int, str]]:
    """(left row, right row, kinds, culture) of every true pair."""
    left = {row["id"]: row for row in problem.left.to_pylist()}
    right = {row["id"]: row for row in problem.right.to_pylist()}
    return [
        (left[p["left_id"]], right[p["right_id"]], p["kinds"], p["culture"])
        for p in problem.pairs.to_pylist()
    ]


def test_same_seed_same_problem() -> None:
    one, two = generate(3000, seed=5), generate(3000, seed=5)
    assert one.left.equals(two.left)
    assert one.right.equals(two.right)
    assert one.pairs.equals(two.pairs)
    other = generate(3000, seed=6)
    assert not one.right.equals(other.right)


def test_sizes_and_ids(problem: Problem) -> None:
    assert problem.left.num_rows == problem.right.num_rows == N
    assert len(problem.pairs) == N - round(N * 0.1)
    for side in (problem.left, problem.right):
        assert len(pc.unique(side.column("id"))) == N
    assert generate(1, unmatched=0.0).pairs.num_rows == 1
    assert len(generate(500, unmatched=0.0).truth) == 500


def test_truth_pairs_are_valid(problem: Problem) -> None:
    left_ids = set(problem.left.column("id").to_pylist())
    right_ids = set(problem.right.column("id").to_pylist())
    truth = problem.truth
    assert len(truth) == len(problem.pairs)
    assert {a for a, _ in truth} <= left_ids
    assert {b for _, b in truth} <= right_ids
    assert len({a for a, _ in truth}) == len({b for _, b in truth}) == len(truth)  # 1:1


def test_an_untouched_pair_is_the_same_person(problem: Problem) -> None:
    fields = [c for c in problem.left.column_names if c not in ("id", "identifier")]
    clean = [(a, b) for a, b, kinds, _ in _rows(problem) if kinds == 0]
    assert len(clean) > N * 0.4
    for a, b in clean:
        assert [a[f] for f in fields] == [b[f] for f in fields]
        if a["identifier"] and b["identifier"]:
            assert a["identifier"] == b["identifier"]


@pytest.mark.parametrize(
    ("kind", "low", "high"),
    [
        ("typo", 0.15, 0.21),  # 20%, but never in Chinese characters
        ("swap", 0.035, 0.055),
        ("missing_birth_date", 0.05, 0.07),  # 15% missing: 40% of it the date
        ("missing_nationality", 0.03, 0.045),
        ("missing_address", 0.045, 0.06),
        ("moved", 0.13, 0.155),  # 15%, unless the address is missing too
        ("date", 0.04, 0.055),
    ],
)
def test_corruption_rates(problem: Problem, kind: str, low: float, high: float) -> None:
    share = problem.kind_counts()[kind] / len(problem.pairs)
    assert low <= share <= high, (kind, share)


def test_corruptions_show(problem: Problem) -> None:
    seen = dict.fromkeys(KINDS, 0)
    for a, b, kinds, _ in _rows(problem):
        if kinds & KINDS["typo"] and not kinds & (KINDS["swap"] | synthetic.CROSS_SCRIPT):
            assert (a["first_name"], a["last_name"]) != (b["first_name"], b["last_name"])
            seen["typo"] += 1
        if kinds == KINDS["swap"]:
            assert (a["first_name"], a["last_name"]) == (b["last_name"], b["first_name"])
            seen["swap"] += 1
        if kinds & KINDS["missing_birth_date"]:
            assert a["birth_date"]
            assert b["birth_date"] is None
        if kinds & KINDS["missing_nationality"]:
            assert a["nationality"]
            assert b["nationality"] is None
        if kinds & KINDS["missing_address"]:
            assert all(b[f] is None for f in ADDRESS)
        if kinds & KINDS["moved"]:
            # All fields move together; the postcode always differs (a new draw of
            # 4 digits and 2 letters), the city now and then by chance stays.
            assert a["postcode"] != b["postcode"]
            seen["moved"] += a["street"] != b["street"] and a["city"] != b["city"]
        elif not kinds & KINDS["missing_address"]:
            assert [a[f] for f in ADDRESS] == [b[f] for f in ADDRESS]
        if kinds & KINDS["date"]:
            assert a["birth_date"] != b["birth_date"]
            year, month, day = b["birth_date"].split("-")
            assert 1 <= int(month) <= 12
            assert 1 <= int(day) <= 31
            # One slip: a digit, or day and month swapped.
            differ = sum(x != y for x, y in zip(a["birth_date"], b["birth_date"], strict=True))
            swapped = a["birth_date"][:4] == year and a["birth_date"][5:7] == day
            assert swapped or differ == 1, (a, b)
            seen["date"] += swapped
        elif b["birth_date"] is not None:
            assert a["birth_date"] == b["birth_date"]
    assert seen["typo"] > 2000
    assert seen["swap"] > 300
    assert seen["moved"] > 0.8 * problem.kind_counts()["moved"]
    assert seen["date"] > 50  # day and month swapped, among the date typos


def test_cross_script_share_and_scripts(problem: Problem) -> None:
    cross = problem.cross_script()
    assert len(cross) == round(0.1 * len(problem.pairs))
    by_culture: dict[str, int] = {}
    for a, b, kinds, culture in _rows(problem):
        if kinds & KINDS["script"]:
            assert bool(NON_LATIN.search(a["name"])) != bool(NON_LATIN.search(b["name"]))
            by_culture[culture] = by_culture.get(culture, 0) + 1
        elif kinds & KINDS["romanisation"]:
            assert not NON_LATIN.search(a["name"])
            assert not NON_LATIN.search(b["name"])
            assert a["name"] != b["name"]
        else:
            # Not cross-script: both sides in the same script.
            assert bool(NON_LATIN.search(a["name"])) == bool(NON_LATIN.search(b["name"]))
        if kinds & synthetic.CROSS_SCRIPT:
            assert culture in ("ru", "ar", "zh")
    assert set(by_culture) == {"ru", "ar", "zh"}
    assert min(by_culture.values()) > 0.15 * len(cross)
    assert not generate(2000, cross_script=0.0).cross_script()


def test_chinese_characters_meet_pinyin(problem: Problem) -> None:
    hanzi = re.compile(r"^[\u4e00-\u9fff]{2,3}$")
    pinyin = re.compile(r"^[A-Z][a-z]+ [A-Z][a-z]+(?:[- ][A-Za-z][a-z]+)?$")
    found = 0
    for a, b, kinds, culture in _rows(problem):
        if culture == "zh" and kinds == KINDS["script"]:
            han, latin = (a, b) if hanzi.match(a["name"]) else (b, a)
            assert hanzi.match(han["name"]), (a, b)
            assert pinyin.match(latin["name"]), (a, b)
            assert han["name"].startswith(han["last_name"])  # surname first
            assert latin["name"].startswith(latin["last_name"] + " ")
            found += 1
    assert found > 100


@pytest.mark.parametrize(
    ("convention", "yuri", "natalya"),
    [
        ("icao", "Iurii", "Natalia"),
        ("bgn", "Yuriy", "Natal'ya"),
        ("press", "Yury", "Natalya"),
        ("scholarly", "Jurij", "Natalʹja"),
        ("nl", "Joeri", "Natalja"),
    ],
)
def test_romanisations(convention: str, yuri: str, natalya: str) -> None:
    assert romanise("Юрий", convention) == yuri
    assert romanise("Наталья", convention) == natalya


def test_the_name_tables_are_large_enough() -> None:
    first, last = synthetic._tables()
    for culture, start, stop in zip(synthetic.CULTURES, first.start, first.stop, strict=True):
        assert stop - start >= 50, culture
    for culture, start, stop in zip(synthetic.CULTURES, last.start, last.stop, strict=True):
        assert stop - start >= 50, culture


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"n": 0}, "n must be positive"),
        ({"n": -3}, "n must be positive"),
        ({"n": 10, "cross_script": 0.5}, "cross_script"),
        ({"n": 10, "cross_script": -0.1}, "cross_script"),
        ({"n": 10, "unmatched": 1.0}, "unmatched"),
    ],
)
def test_bad_arguments(arguments: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        generate(**arguments)


def test_records_for_linkage() -> None:
    linkage = pytest.importorskip("baken.resolve.linkage")
    problem = generate(200, seed=3)
    records = synthetic.to_records(problem.right, source="rechts")
    assert len(records) == 200
    first = records[0]
    assert isinstance(first, linkage.Record)
    row = problem.right.slice(0, 1).to_pylist()[0]
    assert first.entity_id == row["id"]
    assert first.source == "rechts"
    assert first.names == (row["name"],)
    if row["street"]:
        assert first.addresses == (
            f"{row['street']} {row['house_number']}, {row['postcode']} {row['city']}",
        )
