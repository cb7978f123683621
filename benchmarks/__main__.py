"""Run every benchmark and print one table (``make bench``); the table is also written
as Markdown to ``docs/benchmarks.md``.

``BAKEN_BENCH_ONLY=search,xref`` runs only the named modules (the Markdown file is then
left alone, so it always holds a full run).
"""

from __future__ import annotations

import os
import platform
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from rich.console import Console
from rich.table import Table

from benchmarks import (
    analysis_graph,
    analysis_tagging,
    analysis_warning,
    bulk,
    core,
    ingest,
    load,
    ner,
    screening,
    search,
    steering,
    vetting,
    xref,
    xref_synthetic,
)

console = Console(width=160)  # one row per figure, also when piped

MODULES: dict[str, Callable[[Path, Console], list[core.Row]]] = {
    "core": core.run,
    "steering": steering.run,
    "search": search.run,
    "screening": screening.run,
    "ner": ner.run,
    "bulk": bulk.run,
    "ingest": ingest.run,
    "xref": xref.run,
    "xref_synthetic": xref_synthetic.run,
    "analysis_tagging": analysis_tagging.run,
    "analysis_warning": analysis_warning.run,
    "analysis_graph": analysis_graph.run,
    "vetting": vetting.run,
    "load": load.run,
}
MARKDOWN = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"


def verdict(row: core.Row) -> str:
    return "–" if row.holds is None else "yes" if row.holds else "NO"


def markdown(rows: list[core.Row]) -> str:
    def cell(text: str) -> str:
        return text.replace("|", "\\|").replace("\n", " ")

    cpu = os.cpu_count()
    lines = [
        "# Benchmarks",
        "",
        f"Written by `make bench` on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC "
        f"({platform.machine()}, {cpu} cores, Python {platform.python_version()}). "
        "Each baseline was measured in the same run on the same machine; the target is "
        "the one the issue sets.",
        "",
        "| figure | Baken | baseline (same run) | target | holds | note |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for r in rows:
        cells = (r.figure, r.baken, r.baseline, r.target, verdict(r), r.note)
        lines.append("| " + " | ".join(cell(c) for c in cells) + " |")
    return "\n".join(lines) + "\n"


def main() -> None:
    only = [m for m in os.environ.get("BAKEN_BENCH_ONLY", "").split(",") if m]
    unknown = sorted(set(only) - set(MODULES))
    if unknown:
        raise SystemExit(f"unknown benchmark modules: {', '.join(unknown)}")
    rows: list[core.Row] = []
    with tempfile.TemporaryDirectory(prefix="baken-bench-") as tmp:
        for name, run in MODULES.items():
            if not only or name in only:
                rows += run(Path(tmp), console)
    table = Table(
        "figure",
        "Baken",
        "baseline (same run)",
        "target",
        "holds",
        "note",
        title="Baken benchmarks (this machine)",
    )
    for row in rows:
        table.add_row(row.figure, row.baken, row.baseline, row.target, verdict(row), row.note)
    console.print(table)
    if not only:
        MARKDOWN.write_text(markdown(rows), encoding="utf-8")
        console.print(f"written to {MARKDOWN}")


if __name__ == "__main__":
    main()
