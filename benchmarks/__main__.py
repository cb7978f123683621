"""Run every benchmark and print one table (``make bench``)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from rich.console import Console
from rich.table import Table

from benchmarks import bulk, core, ingest, ner, screening, search, steering, xref, xref_synthetic

console = Console(width=140)  # one row per figure, also when piped


def main() -> None:
    rows: list[core.Row] = []
    with tempfile.TemporaryDirectory(prefix="baken-bench-") as tmp:
        rows += core.run(Path(tmp), console)
        rows += steering.run(Path(tmp), console)
        rows += search.run(Path(tmp), console)
        rows += screening.run(Path(tmp), console)
        rows += ner.run(Path(tmp), console)
        rows += bulk.run(Path(tmp), console)
        rows += ingest.run(Path(tmp), console)
        rows += xref.run(Path(tmp), console)
        rows += xref_synthetic.run(Path(tmp), console)
    table = Table(
        "figure",
        "Baken",
        "baseline (same run)",
        "note",
        title="Baken benchmarks (this machine)",
    )
    for row in rows:
        table.add_row(row.figure, row.baken, row.baseline, row.note)
    console.print(table)


if __name__ == "__main__":
    main()
