"""Xref on a synthetic person-linkage problem: Baken's linkage against plain splink.

* :func:`baken.resolve.synthetic.generate` makes N x N fictional people (seed 2026,
  10% of the true pairs cross-script, 10% of each side without a counterpart), with
  typos, swapped names, missing fields, people who moved and date typos.
* Baken's xref (``synthetic.to_records`` -> ``linkage.prepare`` -> ``linkage.link`` on
  the local engine, which trains its own model) against plain splink on DuckDB with
  standard settings: ``NameComparison`` on first and last name, ``DateOfBirthComparison``,
  exact nationality, identifier, postcode and city; blocking on first name + date of
  birth, last name + date of birth, postcode and identifier; u by random sampling, m by
  EM. Both keep the pairs with a match probability of at least 0.9 (Baken's review
  threshold; ``BAKEN_BENCH_XREF_THRESHOLD`` changes it).
* Each runs in a fresh interpreter, reading the two sides from Parquet: its wall time
  (from reading to scored pairs; imports excluded) and its peak memory (the resident
  set of the process and any children it starts, sampled every 0.1 s).
* F1, precision and recall over all true pairs; then over the cross-script part alone
  (true pairs written in two scripts or two romanisations, and every predicted pair
  that touches one of their records); recall per corruption kind, so that misses can
  be traced to what causes them.

Targets from issue 6 at N = 1,000,000: <= 45 s, <= 4 GB, F1 >= 0.99; cross-script
F1 >= 0.95. ``BAKEN_BENCH_XREF_N`` sets N (default 1,000,000);
``BAKEN_BENCH_XREF_ONLY`` (``splink``, ``baken`` or both, comma-separated) the runs. On a
shared machine a run is stopped past ``BAKEN_BENCH_XREF_MAX_GB`` (default 10) or
``BAKEN_BENCH_XREF_MAX_SECONDS`` (default 1200); the table then says so.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]
import pyarrow.parquet as pq  # type: ignore[import-untyped]
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from baken.resolve import synthetic
from benchmarks.core import Row

SEED = 2026
N = int(os.environ.get("BAKEN_BENCH_XREF_N", "1000000"))
THRESHOLD = float(os.environ.get("BAKEN_BENCH_XREF_THRESHOLD", "0.9"))
CROSS_SCRIPT = 0.1
ROOT = Path(__file__).resolve().parents[1]
PAGE = os.sysconf("SC_PAGE_SIZE")
MAX_GB = float(os.environ.get("BAKEN_BENCH_XREF_MAX_GB", "10"))
MAX_SECONDS = float(os.environ.get("BAKEN_BENCH_XREF_MAX_SECONDS", "1200"))
ONLY = os.environ.get("BAKEN_BENCH_XREF_ONLY", "splink,baken").split(",")


@dataclass(frozen=True)
class Run:
    """One linker's run: its pairs and what it cost."""

    pairs: set[tuple[str, str]]
    seconds: float
    peak_bytes: int
    steps: dict[str, float]
    compared: int | None


@dataclass(frozen=True)
class Score:
    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __str__(self) -> str:
        return f"{self.f1:.4f} / {self.precision:.4f} / {self.recall:.4f}"


def score(predicted: set[tuple[str, str]], truth: set[tuple[str, str]]) -> Score:
    tp = len(predicted & truth)
    return Score(tp=tp, fp=len(predicted) - tp, fn=len(truth) - tp)


def score_part(predicted: set[tuple[str, str]], part: set[tuple[str, str]]) -> Score:
    """The score on part of the truth: predicted pairs that touch one of its records
    count, the others are none of its business."""
    lefts = {a for a, _ in part}
    rights = {b for _, b in part}
    touching = {p for p in predicted if p[0] in lefts or p[1] in rights}
    return score(touching, part)


# -- the two linkers, each in a fresh interpreter ---------------------------------------


def _note(text: str) -> None:
    """A line in the child's log (stderr): how far a run got, should it be stopped."""
    with open("/proc/self/statm", "rb") as handle:
        resident = int(handle.read().split()[1]) * PAGE
    print(f"[{time.strftime('%H:%M:%S')}] {text}; {resident / 1e9:.2f} GB", file=sys.stderr)
    sys.stderr.flush()


def _baken(left: pa.Table, right: pa.Table, steps: dict[str, float]) -> tuple[pa.Table, int | None]:
    from baken.engines import get_engine
    from baken.resolve import linkage

    start = time.perf_counter()
    records = synthetic.to_records(left, source="links") + synthetic.to_records(
        right, source="rechts"
    )
    steps["records"] = time.perf_counter() - start
    _note(f"records: {steps['records']:.1f} s")
    start = time.perf_counter()
    table = linkage.prepare(records)
    del records
    steps["prepare"] = time.perf_counter() - start
    _note(f"prepare: {steps['prepare']:.1f} s")
    start = time.perf_counter()

    def progress(done: int, total: int) -> None:
        _note(f"link step {done}/{total} at {time.perf_counter() - start:.1f} s")

    linked = linkage.link(table, engine=get_engine("local"), threshold=THRESHOLD, progress=progress)
    steps["link"] = time.perf_counter() - start
    pairs = pa.table(
        {
            "left_id": [p.left_id for p in linked.pairs],
            "right_id": [p.right_id for p in linked.pairs],
            "probability": [p.probability for p in linked.pairs],
        }
    )
    return pairs, linked.compared


def _splink(
    left: pa.Table, right: pa.Table, steps: dict[str, float]
) -> tuple[pa.Table, int | None]:
    import duckdb
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    start = time.perf_counter()
    settings = SettingsCreator(
        link_type="link_only",
        unique_id_column_name="id",
        comparisons=[
            cl.NameComparison("first_name"),
            cl.NameComparison("last_name"),
            cl.DateOfBirthComparison("birth_date", input_is_string=True),
            cl.ExactMatch("nationality"),
            cl.ExactMatch("identifier"),
            cl.ExactMatch("postcode"),
            cl.ExactMatch("city"),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("first_name", "birth_date"),
            block_on("last_name", "birth_date"),
            block_on("postcode"),
            block_on("identifier"),
        ],
        retain_intermediate_calculation_columns=False,
        retain_matching_columns=False,
    )
    api = DuckDBAPI(connection=duckdb.connect())
    inputs = [
        api.register(left, dataset_display_name="links"),
        api.register(right, dataset_display_name="rechts"),
    ]
    linker = Linker(inputs, settings, log_level=None)
    training = linker.training
    training.estimate_probability_two_random_records_match(
        [block_on("first_name", "last_name", "birth_date")], recall=0.8
    )
    training.estimate_u_using_random_sampling(max_pairs=5e6, seed=SEED)
    for rule in (block_on("first_name", "last_name"), block_on("birth_date")):
        training.estimate_parameters_using_expectation_maximisation(rule, max_pairs=5e6)
    steps["train"] = time.perf_counter() - start
    start = time.perf_counter()
    predictions = linker.inference.predict(
        threshold_match_probability=THRESHOLD, warning_mode="never"
    )
    result = predictions.query_sql(
        "SELECT id_l, id_r, match_probability FROM {this}"
    ).as_pyarrow_table()  # type: ignore[no-untyped-call]
    steps["predict"] = time.perf_counter() - start
    pairs = pa.table(
        {
            "left_id": result.column("id_l"),
            "right_id": result.column("id_r"),
            "probability": result.column("match_probability"),
        }
    )
    return pairs, None


def _worker(which: str, folder: Path) -> None:
    """In the child: link the two sides in ``folder``, write the pairs, print figures."""
    job = {"baken": _baken, "splink": _splink}[which]
    if which == "baken":
        import baken.resolve.linkage  # noqa: F401 - imports are not the job
    else:
        import splink.comparison_library  # noqa: F401
    steps: dict[str, float] = {}
    start = time.perf_counter()
    left = pq.read_table(folder / "left.parquet")
    right = pq.read_table(folder / "right.parquet")
    pairs, compared = job(left, right, steps)
    seconds = time.perf_counter() - start
    pq.write_table(pairs, folder / f"pairs-{which}.parquet")
    print(json.dumps({"seconds": seconds, "steps": steps, "compared": compared}))


def _tree_rss(root: int) -> int:
    """The resident bytes of ``root`` and its descendants (Linux /proc)."""
    parents: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                with open(f"/proc/{entry.name}/stat", "rb") as handle:
                    fields = handle.read().rsplit(b")", 1)[1].split()
                parents[int(entry.name)] = int(fields[1])
            except (OSError, IndexError, ValueError):
                continue
    tree, frontier = {root}, [root]
    while frontier:
        pid = frontier.pop()
        for child, parent in parents.items():
            if parent == pid and child not in tree:
                tree.add(child)
                frontier.append(child)
    total = 0
    for pid in tree:
        try:
            with open(f"/proc/{pid}/statm", "rb") as handle:
                total += int(handle.read().split()[1]) * PAGE
        except (OSError, IndexError, ValueError):
            continue
    return total


def _measure(which: str, folder: Path) -> Run:
    log = (folder / f"{which}.log").open("w")
    child = subprocess.Popen(  # noqa: S603 - this interpreter, this module, fixed arguments
        [sys.executable, "-m", "benchmarks.xref_synthetic", "--worker", which, str(folder)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=log,
        text=True,
        start_new_session=True,
    )
    peak = 0
    stopped = ""
    done = threading.Event()
    started = time.monotonic()

    def sample() -> None:
        # On a shared machine a run that outgrows its limits is stopped, not waited for.
        nonlocal peak, stopped
        while not done.is_set():
            peak = max(peak, _tree_rss(child.pid))
            if peak > MAX_GB * 1e9:
                stopped = f"stopped at {peak / 1e9:.1f} GB (BAKEN_BENCH_XREF_MAX_GB={MAX_GB})"
            elif time.monotonic() - started > MAX_SECONDS:
                stopped = f"stopped after {MAX_SECONDS:.0f} s (BAKEN_BENCH_XREF_MAX_SECONDS)"
            if stopped:
                os.killpg(child.pid, signal.SIGKILL)  # the child's own process group
                return
            done.wait(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, _ = child.communicate()
    done.set()
    sampler.join()
    log.close()
    if stopped:
        notes = [
            line
            for line in (folder / f"{which}.log").read_text().splitlines()
            if line.startswith("[")
        ]
        reached = f"; its last step: {notes[-1]}" if notes else ""
        raise RuntimeError(f"the {which} run was {stopped}{reached}")
    if child.returncode != 0:
        tail = (folder / f"{which}.log").read_text()[-3000:]
        raise RuntimeError(f"the {which} run failed (exit {child.returncode}):\n{tail}")
    figures = json.loads(out.strip().splitlines()[-1])
    table = pq.read_table(folder / f"pairs-{which}.parquet")
    pairs = set()
    ids = zip(
        table.column("left_id").to_pylist(), table.column("right_id").to_pylist(), strict=True
    )
    for a, b in ids:
        pairs.add((a, b) if a < b else (b, a))  # left ids start with "l", right with "r"
    return Run(
        pairs=pairs,
        seconds=figures["seconds"],
        peak_bytes=peak,
        steps=figures["steps"],
        compared=figures["compared"],
    )


# -- the benchmark ----------------------------------------------------------------------


def _recall(predicted: set[tuple[str, str]], part: set[tuple[str, str]]) -> str:
    return f"{len(predicted & part) / len(part):.4f}" if part else "–"


def _pairs_of(table: pa.Table) -> set[tuple[str, str]]:
    return set(
        zip(table.column("left_id").to_pylist(), table.column("right_id").to_pylist(), strict=True)
    )


def run(tmp: Path, console: Console) -> list[Row]:
    folder = tmp / "xref-synthetic"
    folder.mkdir(parents=True, exist_ok=True)
    columns = (SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn())
    runs: dict[str, Run] = {}
    failures: dict[str, str] = {}
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task(f"synthetic people, {N:,} x {N:,}", total=None)
        synthetic.generate(10, seed=SEED)  # the name tables, built once, not timed
        start = time.perf_counter()
        problem = synthetic.generate(N, seed=SEED, cross_script=CROSS_SCRIPT)
        generate_seconds = time.perf_counter() - start
        pq.write_table(problem.left, folder / "left.parquet")
        pq.write_table(problem.right, folder / "right.parquet")
        progress.remove_task(task)
        for which in ONLY:
            task = progress.add_task(f"xref: {which} (a fresh interpreter)", total=None)
            try:
                runs[which] = _measure(which, folder)
            except RuntimeError as exc:  # print what runs; say what did not
                console.print(f"[red]{exc}[/red]")
                failures[which] = str(exc).splitlines()[0]
            progress.remove_task(task)

    truth = problem.truth
    cross = problem.cross_script()
    counts = problem.kind_counts()

    def both(figure: Any) -> tuple[str, str]:
        cells = [
            figure(runs[w]) if w in runs else "failed" if w in ONLY else "not run"
            for w in ("baken", "splink")
        ]
        return cells[0], cells[1]

    def steps(run: Run) -> str:
        return ", ".join(f"{name} {seconds:.1f}" for name, seconds in run.steps.items())

    size = f"{N:,} x {N:,}"
    baken = runs.get("baken")
    rows = [
        Row(
            f"xref synthetic, {size}: generate",
            f"{generate_seconds:.1f} s",
            "–",
            f"{len(truth):,} true pairs, {len(cross):,} cross-script; seed {SEED}",
        ),
        Row(
            f"xref synthetic, {size}: wall time",
            *both(lambda r: f"{r.seconds:.1f} s"),
            (
                f"Baken compared {runs['baken'].compared:,} candidate pairs; "
                if "baken" in runs and runs["baken"].compared is not None
                else ""
            )
            + "Baken: "
            + (steps(runs["baken"]) if "baken" in runs else "–")
            + "; splink: "
            + (steps(runs["splink"]) if "splink" in runs else "–"),
            target="<= 45 s",
            holds=baken.seconds <= 45 if baken else None,
        ),
        Row(
            f"xref synthetic, {size}: peak memory",
            *both(lambda r: f"{r.peak_bytes / 1e9:.2f} GB"),
            "resident set of the job's process tree",
            target="<= 4 GB",
            holds=baken.peak_bytes <= 4e9 if baken else None,
        ),
        Row(
            f"xref synthetic, {size}: F1 / precision / recall",
            *both(lambda r: str(score(r.pairs, truth))),
            f"match probability >= {THRESHOLD}; predicted pairs: "
            + " vs ".join(f"{len(runs[w].pairs):,}" for w in ("baken", "splink") if w in runs),
            target="F1 >= 0.99",
            holds=score(baken.pairs, truth).f1 >= 0.99 if baken else None,
        ),
        Row(
            "xref synthetic, cross-script part: F1 / precision / recall",
            *both(lambda r: str(score_part(r.pairs, cross))),
            f"{len(cross):,} pairs in two scripts or romanisations",
            target="F1 >= 0.95",
            holds=score_part(baken.pairs, cross).f1 >= 0.95 if baken else None,
        ),
    ]
    for culture in ("ru", "ar", "zh"):
        part = problem.pairs.filter(
            pc.and_(
                pc.equal(problem.pairs.column("culture"), culture),
                pc.not_equal(
                    pc.bit_wise_and(problem.pairs.column("kinds"), synthetic.CROSS_SCRIPT),
                    0,
                ),
            )
        )
        subset = _pairs_of(part)
        rows.append(
            Row(
                f"xref synthetic, cross-script {culture}: recall",
                *both(lambda r, s=subset: _recall(r.pairs, s)),
                f"{len(subset):,} pairs",
            )
        )
    kinds = problem.pairs.column("kinds")
    for kind, bit in synthetic.KINDS.items():
        subset = _pairs_of(problem.pairs_with(bit))
        alone = _pairs_of(problem.pairs.filter(pc.equal(kinds, bit)))

        def recalls(
            r: Run, s: set[tuple[str, str]] = subset, a: set[tuple[str, str]] = alone
        ) -> str:
            return f"{_recall(r.pairs, s)} (alone {_recall(r.pairs, a)})"

        rows.append(
            Row(
                f"xref synthetic, recall where {kind}",
                *both(recalls),
                f"{counts[kind]:,} pairs, {len(alone):,} with no other corruption",
            )
        )
    clean = _pairs_of(problem.pairs.filter(pc.equal(problem.pairs.column("kinds"), 0)))
    rows.append(
        Row(
            "xref synthetic, recall where untouched",
            *both(lambda r: _recall(r.pairs, clean)),
            f"{len(clean):,} pairs",
        )
    )
    if failures:
        rows.append(
            Row(
                "xref synthetic: runs that failed",
                failures.get("baken", "–"),
                failures.get("splink", "–"),
                "see the messages above the table",
            )
        )
    return rows


def main() -> None:
    import tempfile

    from rich.table import Table

    out = Console(width=160)
    with tempfile.TemporaryDirectory(prefix="baken-bench-") as tmp:
        result = run(Path(tmp), out)
    table = Table("figure", "Baken", "baseline (same run)", "note")
    for row in result:
        table.add_row(row.figure, row.baken, row.baseline, row.note)
    out.print(table)


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--worker":
        _worker(sys.argv[2], Path(sys.argv[3]))
    else:
        main()
