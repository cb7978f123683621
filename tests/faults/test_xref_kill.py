"""An xref job survives kill -9 at random points of its work (seeded): afterwards every
run is complete (``done``, as many pairs stored as it counted, its ``xref.run`` audited)
or shows nothing (no pair, no ``xref.run`` audited), and the audit chain verifies. A run
a killed process left ``running`` is refused by a plain ``baken xref again`` with a clear
message, and ``baken xref again --abandoned`` then ends with exactly the pairs, scores and
explanations of a run that was never killed."""

from __future__ import annotations

import contextlib
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from baken.core import audit
from baken.core.db import transaction
from baken.core.markings import Marking, Service
from baken.core.models import AuditEntry
from baken.engines import get_engine
from baken.holdings.service import entities
from baken.resolve import service
from baken.resolve.models import CandidatePair, XrefRun
from tests.holdings.conftest import World, _no_frog, world

__all__ = ["_no_frog", "world"]

BAKEN = str(Path(sys.executable).with_name("baken"))
PEOPLE = 400  # per side: a run of several seconds here, on either backend
ROUNDS = 3
SEED = 20261126
# A low review threshold keeps more pairs: more writes to be killed in.
NEW_RUN = ("run", "osint", "register", "--threshold", "0.05")
TIMEOUT = 120  # seconds: a safety bound on any one CLI call

FIRST = ["Jan", "Pieter", "Anna", "Sophie", "Mark", "Eva", "Lucas", "Emma", "Daan", "Julia"]
FIRST += ["Thomas", "Sara", "Ruben", "Lotte", "Bram", "Noor", "Milan", "Fleur", "Sem", "Iris"]
LAST = ["de Vries", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "Mulder", "de Boer"]
LAST += ["Bos", "Vos", "Peters", "Hendriks", "Dekker", "Brouwer", "de Wit", "Dijkstra"]

Pairs = dict[tuple[str, str], tuple[float, float, str]]


def _people(rng: random.Random) -> tuple[list[str], list[str]]:
    """Fictional people as FtM lines; the right side repeats half of the left, some with a
    typo, and adds others."""
    left, right = [], []
    for i in range(PEOPLE):
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        born = f"19{rng.randrange(40, 99)}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}"
        left.append(_person(f"a{i}", name, born))
        if i % 2:
            other = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            right.append(_person(f"c{i}", other, f"19{rng.randrange(40, 99)}-06-15"))
        else:
            typo = name.replace("a", "aa", 1) if i % 6 == 0 else name
            right.append(_person(f"b{i}", typo, born))
    return left, right


def _person(entity_id: str, name: str, born: str) -> str:
    props = {"name": [name], "birthDate": [born], "nationality": ["nl"]}
    return json.dumps({"id": entity_id, "schema": "Person", "properties": props})


@contextlib.contextmanager
def _cli(world: World, *args: str) -> Iterator[subprocess.Popen[str]]:
    """``baken ARGS`` as the analyst on the test's database, in its own process group,
    killed with that group when the block ends however it ends."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("BAKEN_")}
    env |= {
        "BAKEN_DATA_DIR": str(world.settings.data_dir),
        "BAKEN_DATABASE_URL": world.settings.database_url,
        "BAKEN_FROG": "false",
        "BAKEN_XREF_ENGINE": "local",
        "COLUMNS": "200",
    }
    proc = subprocess.Popen(
        [BAKEN, *args, "-u", "analist"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        yield proc
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate(timeout=TIMEOUT)


def _finish(world: World, *args: str) -> tuple[int, str]:
    with _cli(world, *args) as proc:
        out, err = proc.communicate(timeout=TIMEOUT)
    return proc.returncode, out + err


def _stored(world: World, run_id: int) -> Pairs:
    with transaction(world.factory) as session:
        rows = session.scalars(select(CandidatePair).where(CandidatePair.run_id == run_id))
        return {
            (p.left_id, p.right_id): (
                p.probability,
                p.match_weight,
                json.dumps(p.explanation, sort_keys=True),
            )
            for p in rows
        }


def _started(world: World) -> set[tuple[int, object]]:
    """Which runs began their work, and when: a rerun begins again."""
    with transaction(world.factory) as session:
        rows = session.execute(select(XrefRun.id, XrefRun.started_at)).all()
    return {(i, t) for i, t in rows if t is not None}


def _consistent(world: World) -> dict[int, str]:
    """Every run is complete or shows nothing, and the chain verifies; returns the states."""
    with transaction(world.factory) as session:
        runs = list(session.scalars(select(XrefRun)))
        counts = dict(
            session.execute(
                select(CandidatePair.run_id, func.count()).group_by(CandidatePair.run_id)
            ).all()
        )
        audited = set(
            session.scalars(
                select(AuditEntry.object_id).where(
                    AuditEntry.action == "xref.run", AuditEntry.outcome == "ok"
                )
            )
        )
        verified = audit.verify(session)
    assert verified.ok, f"audit chain broken at {verified.bad_seq}: {verified.reason}"
    for run in runs:
        if run.state == "done":
            assert counts.get(run.id, 0) == run.candidates, f"run {run.id} lost pairs"
            assert str(run.id) in audited, f"run {run.id} is done but not audited"
        else:
            assert counts.get(run.id, 0) == 0, f"{run.state} run {run.id} shows pairs"
            assert str(run.id) not in audited, f"{run.state} run {run.id} audited as done"
    return {run.id: run.state for run in runs}


def _import_people(world: World, rng: random.Random) -> int:
    """The seeded people into the open-source collection and a register; returns the
    register's id."""
    left, right = _people(rng)
    register = world.collection("register", Marking.of("DEP_VERTROUWELIJK", Service.AIVD))
    for collection_id, lines in ((world.osint, left), (register, right)):
        with transaction(world.factory) as session:
            entities.import_ftm(
                session, principal=world.analyst, collection_id=collection_id, lines=lines
            )
    return register


@pytest.mark.timeout(300)
def test_xref_killed_at_random_points_resumes_to_the_same_pairs(world: World) -> None:
    rng = random.Random(SEED)
    register = _import_people(world, rng)

    # The control: the same run, in this process, never killed.
    with transaction(world.factory) as session:
        service.start(
            session,
            principal=world.analyst,
            left_collection_id=world.osint,
            right_collection_id=register,
            threshold=float(NEW_RUN[-1]),
        )
    service.execute(world.factory, principal=world.analyst, run_id=1, engine=get_engine("local"))
    assert _consistent(world) == {1: "done"}
    control = _stored(world, 1)
    assert len(control) > 100, "a world too small to kill a run in the middle of"
    with transaction(world.factory) as session:
        first = session.get(XrefRun, 1)
        assert first is not None
        assert first.started_at is not None
        assert first.finished_at is not None
        took = (first.finished_at - first.started_at).total_seconds()

    # Each round starts the job (a new run, or the rerun of the run the last kill left
    # behind) and kills it at a random point of its work: loading, linking, or its writes
    # (progress, pairs, the final state), or just after it finished.
    target: int | None = None  # a run a kill left unfinished
    refused = False
    for round_ in range(ROUNDS):
        args = NEW_RUN if target is None else ("again", str(target), "--abandoned")
        delay = rng.uniform(0, 1.1) * took
        before = _started(world)
        with _cli(world, "xref", *args) as proc:
            deadline = time.monotonic() + TIMEOUT
            while _started(world) <= before and proc.poll() is None:
                assert time.monotonic() < deadline, "the job never started its work"
                time.sleep(0.05)
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=delay)
        states = _consistent(world)
        target = target or max(states)
        if states[target] == "done":  # the kill came after it finished
            assert _stored(world, target) == control
            target = None
        elif not refused:
            # A plain rerun of a run a killed process left says so and changes nothing.
            code, output = _finish(world, "xref", "again", str(target))
            assert code == 2, output
            assert "--abandoned" in output, output
            assert _consistent(world) == states
            refused = True
        print(f"round {round_}: {' '.join(args)}, killed {delay:.1f} s into {took:.1f}: {states}")
    assert refused, "no kill left a run unfinished: kill earlier"

    args = NEW_RUN if target is None else ("again", str(target), "--abandoned")
    code, output = _finish(world, "xref", *args)
    assert code == 0, output
    states = _consistent(world)
    last = target or max(states)
    assert states[last] == "done"
    assert _stored(world, last) == control


def test_a_run_wrongly_abandoned_keeps_the_pairs_of_whichever_finished(world: World) -> None:
    """The process thought killed was alive: it reaches its store after the rerun stored
    the run. It fails, and the run stays done with one set of pairs."""
    rng = random.Random(SEED)
    register = _import_people(world, rng)
    with transaction(world.factory) as session:
        run_id = service.start(
            session,
            principal=world.analyst,
            left_collection_id=world.osint,
            right_collection_id=register,
            threshold=0.05,
        )
    at_store, go_on = threading.Event(), threading.Event()

    def pause(step: str, done: int, total: int) -> None:
        if step == "store":
            at_store.set()
            assert go_on.wait(TIMEOUT)

    errors: list[BaseException] = []

    def slow() -> None:
        try:
            service.execute(
                world.factory,
                principal=world.analyst,
                run_id=run_id,
                engine=get_engine("local"),
                on_progress=pause,
            )
        except Exception as exc:  # what the slow one ends with
            errors.append(exc)

    first = threading.Thread(target=slow)
    first.start()
    try:
        assert at_store.wait(TIMEOUT)
        with transaction(world.factory) as session:
            assert service.abandon(session, principal=world.analyst, run_id=run_id)
            service.rerun(session, principal=world.analyst, run_id=run_id)
        service.execute(
            world.factory, principal=world.analyst, run_id=run_id, engine=get_engine("local")
        )
        control = _stored(world, run_id)
    finally:
        go_on.set()
        first.join(TIMEOUT)
    assert len(errors) == 1, errors  # its pairs collide with the stored ones
    assert _consistent(world) == {run_id: "done"}
    assert _stored(world, run_id) == control
    with transaction(world.factory) as session:
        done = session.get(XrefRun, run_id)
        assert done is not None
        assert (done.step, done.candidates) == (None, len(control)), "the slow one wrote on"
