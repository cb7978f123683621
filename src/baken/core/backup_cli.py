"""``baken backup DEST`` and ``baken restore SRC``: thin commands over
:mod:`baken.core.backup`, with progress bars."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

from baken.core.config import Settings

console = Console()
err = Console(stderr=True)

STAGES = {
    "database": "Database snapshot",
    "blobs": "Blobs",
    "bulk": "Parquet files",
    "checksum": "Checksum over the database",
    "verify": "Checking the backup's files",
    "restore": "Restoring",
}


@contextmanager
def _bars() -> Iterator[StageBars]:
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
    ) as bars:
        yield StageBars(bars)


class StageBars:
    """A :data:`baken.core.backup.Progress` callback drawing one bar per stage."""

    def __init__(self, bars: Progress) -> None:
        self.bars = bars
        self.tasks: dict[str, TaskID] = {}

    def __call__(self, stage: str, done: int, total: int) -> None:
        task = self.tasks.get(stage)
        if task is None:
            task = self.tasks[stage] = self.bars.add_task(STAGES.get(stage, stage), total=total)
        self.bars.update(task, completed=done, total=total)


def backup(
    dest: Annotated[
        Path, typer.Argument(help="A new (or empty) folder, or a new file ending in .tar.")
    ],
) -> None:
    """Back up the database, blobs and Parquet files (the server may keep running)."""
    from baken.core.backup import BackupError, create_backup

    settings = Settings()
    try:
        with _bars() as progress:
            manifest = create_backup(settings, dest, progress=progress)
    except BackupError as exc:
        err.print(f"[red]No backup made:[/] {exc}")
        raise typer.Exit(2) from None
    seq, digest = manifest.audit_head
    console.print(
        f"Backup [bold]{dest}[/]: {len(manifest.files)} files, {manifest.dialect} database "
        f"at migration {manifest.migration}."
    )
    console.print(f"Audit head in the backup: [bold]{seq}:{digest}[/]")
    console.print(f"Data checksum: [bold]{manifest.data_checksum}[/]")


def restore(
    src: Annotated[Path, typer.Argument(help="A backup folder or .tar file.")],
    force: Annotated[
        bool, typer.Option("--force", help="Replace a database and data folder that hold data.")
    ] = False,
    anchor: Annotated[
        str | None,
        typer.Option(help="SEQ:HASH printed by `baken backup`, kept apart: checked as well."),
    ] = None,
) -> None:
    """Restore a backup into the configured database and data folder (stop the server
    first), then verify the audit chain and the data checksum. Exit 1 when either fails."""
    from baken.core.backup import BackupError, restore_backup

    pin = None
    if anchor:
        number, _, value = anchor.partition(":")
        if not number.isdigit() or len(value) != 64:
            err.print("[red]--anchor takes SEQ:HASH as printed by `baken backup`.[/]")
            raise typer.Exit(2)
        pin = (int(number), value)
    settings = Settings()
    try:
        with _bars() as progress:
            result = restore_backup(settings, src, force=force, anchor=pin, progress=progress)
    except BackupError as exc:
        err.print(f"[red]Not restored:[/] {exc}")
        raise typer.Exit(2) from None
    seq, digest = result.manifest.audit_head
    if result.audit.ok:
        console.print(
            f"[green]Audit chain intact[/]: {result.audit.checked} entries checked "
            f"against the backup's head {seq}:{digest}" + (" and the given anchor." if pin else ".")
        )
    else:
        err.print(
            f"[red]Audit chain broken at entry {result.audit.bad_seq}[/]: {result.audit.reason}."
        )
    if result.checksum_ok:
        console.print(f"[green]Data checksum matches[/]: {result.data_checksum}")
    else:
        err.print(
            f"[red]Data checksum differs[/]: {result.data_checksum}, "
            f"the backup says {result.manifest.data_checksum}."
        )
    if result.behind_head:
        console.print("The backup is of an older version: run `baken db upgrade`.")
    console.print("Rebuild the search index: `baken holdings reindex`.")
    if not result.ok:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command("backup")(backup)
    app.command("restore")(restore)
