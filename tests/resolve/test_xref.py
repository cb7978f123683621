"""Cross-referencing through the service: runs over two collections as a principal may
read them, candidate pairs with explanations, judgements with undo, merged entities with
canonical ids; the error paths store nothing."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

import pytest
from sqlalchemy import func, select

from baken.core.db import transaction
from baken.core.errors import DomainError
from baken.core.markings import Marking, Service
from baken.core.policy import PolicyDenied
from baken.core.principals import Principal
from baken.engines import get_engine
from baken.holdings.service import entities
from baken.resolve import service
from baken.resolve.models import CandidatePair, Judgement, XrefRun
from tests.conftest import People
from tests.holdings.conftest import World

# Fictional people. The second collection spells some of them differently: another
# script, swapped names, a typo, a missing date of birth.
FIRST = [
    "Jan",
    "Pieter",
    "Anna",
    "Sophie",
    "Mark",
    "Eva",
    "Lucas",
    "Emma",
    "Daan",
    "Julia",
    "Thomas",
    "Sara",
    "Ruben",
    "Lotte",
    "Bram",
    "Noor",
    "Milan",
    "Fleur",
    "Sem",
    "Iris",
]
LAST = [
    "de Vries",
    "Jansen",
    "Bakker",
    "Visser",
    "Smit",
    "Meijer",
    "Mulder",
    "de Boer",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "Dekker",
    "Brouwer",
    "de Wit",
    "Dijkstra",
    "Smits",
    "de Graaf",
    "van Dam",
    "Kok",
]
SPECIAL = [
    # (left name, right name, birth date)
    ("Pavel Orlov", "Павел Орлов", "1971-03-02"),
    ("Xi Mingzhe", "习明哲", "1980-11-23"),
    ("Mohammed al-Rashid", "محمد الراشد", "1975-06-14"),
    ("Katarina Novak", "Novak Katarina", "1990-01-30"),
    ("Willem Hoekstra", "Wilem Hoekstra", "1966-09-09"),
]


def population() -> tuple[list[dict[str, Any]], list[dict[str, Any]], set[tuple[str, str]]]:
    left: list[dict[str, Any]] = []
    right: list[dict[str, Any]] = []
    truth: set[tuple[str, str]] = set()
    for i in range(40):
        name = f"{FIRST[i % 20]} {LAST[(i * 7 + i // 20) % 20]}"
        born = f"19{50 + i:02d}-{1 + i % 12:02d}-{1 + (i * 3) % 28:02d}"
        left.append(_person(f"a{i}", name, born, "nl"))
        if i % 2 == 0:  # half of them are in the other collection too
            right.append(_person(f"b{i}", name, born if i % 4 else None, "nl"))
            truth.add((f"a{i}", f"b{i}"))
        else:  # and someone else is
            other = f"{FIRST[(i + 5) % 20]} {LAST[(i * 3 + 1) % 20]}"
            right.append(_person(f"c{i}", other, f"19{40 + i:02d}-06-15", "be"))
    for j, (a, b, born) in enumerate(SPECIAL):
        left.append(_person(f"sa{j}", a, born, None))
        right.append(_person(f"sb{j}", b, born, None))
        truth.add((f"sa{j}", f"sb{j}"))
    return left, right, truth


def _person(entity_id: str, name: str, born: str | None, country: str | None) -> dict[str, Any]:
    props: dict[str, list[str]] = {"name": [name]}
    if born:
        props["birthDate"] = [born]
    if country:
        props["nationality"] = [country]
    return {"id": entity_id, "schema": "Person", "properties": props}


def load(world: World, collection_id: int, items: Iterable[dict[str, Any]]) -> None:
    with transaction(world.factory) as session:
        entities.import_ftm(
            session,
            principal=world.analyst,
            collection_id=collection_id,
            lines=[json.dumps(p) for p in items],
        )


@pytest.fixture
def two(world: World) -> tuple[int, int, set[tuple[str, str]]]:
    left, right, truth = population()
    other = world.collection("register", Marking.of("DEP_VERTROUWELIJK", Service.AIVD))
    load(world, world.osint, left)
    load(world, other, right)
    return world.osint, other, truth


def run(world: World, principal: Principal, left: int, right: int, **kw: Any) -> int:
    with transaction(world.factory) as session:
        run_id = service.start(
            session, principal=principal, left_collection_id=left, right_collection_id=right, **kw
        )
    service.execute(world.factory, principal=principal, run_id=run_id, engine=get_engine("local"))
    return run_id


def found_pairs(world: World, principal: Principal, run_id: int) -> list[service.PairView]:
    with transaction(world.factory) as session:
        return service.pairs(session, principal=principal, run_id=run_id).items


def test_xref_finds_the_same_people_across_collections(
    world: World, two: tuple[int, int, set[tuple[str, str]]]
) -> None:
    left, right, truth = two
    run_id = run(world, world.analyst, left, right)
    with transaction(world.factory) as session:
        view = service.get_run(session, principal=world.analyst, run_id=run_id)
    assert view.state == "done"
    assert (view.left_records, view.right_records) == (45, 45)
    pairs = found_pairs(world, world.analyst, run_id)
    got = {(p.left_id, p.right_id) for p in pairs}
    hits = got & truth
    assert len(hits) >= 0.9 * len(truth), sorted(truth - got)
    assert len(got - truth) <= 2, sorted(got - truth)
    # Across scripts too.
    assert {("sa0", "sb0"), ("sa1", "sb1"), ("sa2", "sb2")} <= got
    for pair in pairs:
        assert pair.probability >= service.DEFAULT_THRESHOLD
        assert pair.explanation, "every pair says why"
        assert any(c.comparison for c in pair.explanation)
        assert pair.marking == Marking.of("DEP_VERTROUWELIJK", Service.AIVD)


def test_judgements_make_canonical_ids_and_undo_restores(
    world: World, two: tuple[int, int, set[tuple[str, str]]]
) -> None:
    left, right, _ = two
    run_id = run(world, world.analyst, left, right)
    pair = next(p for p in found_pairs(world, world.analyst, run_id) if p.left_id == "sa1")
    with transaction(world.factory) as session:
        service.judge(session, principal=world.analyst, pair_id=pair.id, verdict="same", note="ok")
    with transaction(world.factory) as session:
        merged = service.merged(session, principal=world.analyst, entity_id="sb1")
        assert merged.canonical_id == "sa1"
        assert {m.id for m in merged.members} == {"sa1", "sb1"}
        names = {v.value for v, _ in merged.properties["name"]}
        assert names == {"Xi Mingzhe", "习明哲"}
        assert service.canonical_id(session, principal=world.analyst, entity_id="sb1") == "sa1"
    again = next(p for p in found_pairs(world, world.analyst, run_id) if p.id == pair.id)
    assert again.verdict == "same"
    assert again.judged_by == "analist"
    with transaction(world.factory) as session:
        service.undo(session, principal=world.analyst, pair_id=pair.id)
    with transaction(world.factory) as session:
        merged = service.merged(session, principal=world.analyst, entity_id="sb1")
        assert [m.id for m in merged.members] == ["sb1"]
        assert merged.canonical_id == "sb1"
    # "Not the same" joins nothing.
    with transaction(world.factory) as session:
        service.judge(session, principal=world.analyst, pair_id=pair.id, verdict="different")
    with transaction(world.factory) as session:
        assert service.canonical_id(session, principal=world.analyst, entity_id="sb1") == "sb1"
        assert session.scalar(select(func.count()).select_from(Judgement)) == 2


def test_a_principal_reads_only_runs_and_pairs_at_their_clearance(world: World) -> None:
    left, right, _ = population()
    load(world, world.secret, left)
    other = world.collection("register-geheim", Marking.of("STG_GEHEIM", Service.AIVD))
    load(world, other, right)
    run_id = run(world, world.analyst, world.secret, other)
    assert found_pairs(world, world.analyst, run_id)
    with transaction(world.factory) as session:
        assert service.list_runs(session, principal=world.low) == []
        with pytest.raises(LookupError):
            service.get_run(session, principal=world.low, run_id=run_id)
        with pytest.raises(LookupError):
            service.pairs(session, principal=world.low, run_id=run_id)
        # Nor can the low principal cross-reference what it may not read.
        with pytest.raises(LookupError):
            service.start(
                session,
                principal=world.low,
                left_collection_id=world.osint,
                right_collection_id=world.secret,
            )


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"threshold": 2.0}, "threshold"),
        ({"threshold": 0.01}, "threshold"),
        ({"engine": "mainframe"}, "engine"),
    ],
)
def test_bad_run_requests_store_nothing(
    world: World, two: tuple[int, int, set[tuple[str, str]]], kwargs: dict[str, Any], message: str
) -> None:
    left, right, _ = two
    with transaction(world.factory) as session, pytest.raises(DomainError) as caught:
        service.start(
            session,
            principal=world.analyst,
            left_collection_id=left,
            right_collection_id=right,
            **kwargs,
        )
    assert message in caught.value.translate("en")
    with transaction(world.factory) as session:
        assert session.scalar(select(func.count()).select_from(XrefRun)) == 0


def test_one_collection_against_itself_is_refused(world: World) -> None:
    with transaction(world.factory) as session, pytest.raises(DomainError):
        service.start(
            session,
            principal=world.analyst,
            left_collection_id=world.osint,
            right_collection_id=world.osint,
        )


def test_bad_judgements_store_nothing(
    world: World, two: tuple[int, int, set[tuple[str, str]]]
) -> None:
    left, right, _ = two
    run_id = run(world, world.analyst, left, right)
    pair = found_pairs(world, world.analyst, run_id)[0]
    for verdict, note in (("maybe", ""), ("same", "x" * 2001)):
        with transaction(world.factory) as session, pytest.raises(DomainError):
            service.judge(
                session, principal=world.analyst, pair_id=pair.id, verdict=verdict, note=note
            )
    with transaction(world.factory) as session, pytest.raises(DomainError):
        service.undo(session, principal=world.analyst, pair_id=pair.id)  # nothing to undo
    with transaction(world.factory) as session, pytest.raises(LookupError):
        service.judge(session, principal=world.analyst, pair_id=999_999, verdict="same")
    with transaction(world.factory) as session:
        assert session.scalar(select(func.count()).select_from(Judgement)) == 0


def test_readers_without_write_roles_cannot_judge(
    world: World, two: tuple[int, int, set[tuple[str, str]]], people: People
) -> None:
    left, right, _ = two
    run_id = run(world, world.analyst, left, right)
    pair = found_pairs(world, world.analyst, run_id)[0]
    overseer = people.add(
        "toezicht",
        world.analyst.clearance,
        roles={"overseer"},
        service=None,
        organisation="CTIVD",
    )
    with transaction(world.factory) as session:
        assert service.pairs(session, principal=overseer, run_id=run_id).items  # may read
        with pytest.raises(PolicyDenied):
            service.judge(session, principal=overseer, pair_id=pair.id, verdict="same")


def test_a_failed_run_stores_nothing_and_runs_again(
    world: World, two: tuple[int, int, set[tuple[str, str]]]
) -> None:
    left, right, _ = two
    with transaction(world.factory) as session:
        run_id = service.start(
            session, principal=world.analyst, left_collection_id=left, right_collection_id=right
        )
    broken = get_engine("spark", master="spark://127.0.0.1:9")  # nothing listens there
    with pytest.raises(Exception, match=r"(?i)spark"):
        service.execute(world.factory, principal=world.analyst, run_id=run_id, engine=broken)
    with transaction(world.factory) as session:
        view = service.get_run(session, principal=world.analyst, run_id=run_id)
        assert view.state == "failed"
        assert view.error
        assert session.scalar(select(func.count()).select_from(CandidatePair)) == 0
        service.rerun(session, principal=world.analyst, run_id=run_id)
    service.execute(
        world.factory, principal=world.analyst, run_id=run_id, engine=get_engine("local")
    )
    with transaction(world.factory) as session:
        assert service.get_run(session, principal=world.analyst, run_id=run_id).state == "done"
        with pytest.raises(DomainError):
            service.rerun(session, principal=world.analyst, run_id=run_id)  # not failed


def test_cli_runs_lists_judges_and_screens(
    world: World, two: tuple[int, int, set[tuple[str, str]]]
) -> None:
    from typer.testing import CliRunner

    from baken.cli import application
    from tests.holdings.test_holdings import env

    runner, cli = CliRunner(), application()
    done = runner.invoke(cli, ["xref", "run", "osint", "register", "-u", "analist"], env=env(world))
    assert done.exit_code == 0, done.output
    assert "45 × 45 records" in done.output
    listed = runner.invoke(cli, ["xref", "pairs", "1", "-u", "analist"], env=env(world))
    assert listed.exit_code == 0, listed.output
    with transaction(world.factory) as session:
        pair_id = service.pairs(session, principal=world.analyst, run_id=1).items[0].id
    judged = runner.invoke(
        cli, ["xref", "judge", str(pair_id), "same", "-u", "analist"], env=env(world)
    )
    assert judged.exit_code == 0, judged.output
    wrong = runner.invoke(
        cli, ["xref", "judge", str(pair_id), "misschien", "-u", "analist"], env=env(world)
    )
    assert wrong.exit_code == 2
    assert "unknown verdict" in wrong.output
    missing = runner.invoke(cli, ["xref", "pairs", "99", "-u", "analist"], env=env(world))
    assert missing.exit_code == 2
    assert "Not found" in missing.output
    screened = runner.invoke(
        cli,
        ["screen", "-u", "analist", "--name", "习明哲", "--birth-date", "1980-11-23"],
        env=env(world),
    )
    assert screened.exit_code == 0, screened.output
    assert "Xi Mingzhe" in screened.output
    bad = runner.invoke(cli, ["screen", "-u", "analist", "--name", "!!!"], env=env(world))
    assert bad.exit_code == 2
