"""``baken vetting notify-delays``: send the delay notices to employers from the shell,
as a named screening officer (same policy and audit as the page), with a progress bar."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from baken.core.config import Settings
from baken.core.db import transaction
from baken.core.policy import PolicyDenied
from baken.holdings.cli import UserOption, _factory, _principal
from baken.vetting.cli import group

console = Console()
err = Console(stderr=True)


def _day(value: str | None) -> date:
    if not value:
        return date.today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        err.print(f"[red]--on: give a date as YYYY-MM-DD, not {value!r}[/]")
        raise typer.Exit(2) from None


def notify_delays(
    user: UserOption,
    on: Annotated[
        str | None, typer.Option("--on", help="The day to judge the clocks on (YYYY-MM-DD).")
    ] = None,
) -> None:
    """Tell employers of screenings that are overdue or at risk (once per due date)."""
    from baken.vetting.portal import service

    today = _day(on)
    factory = _factory(Settings())
    principal = _principal(factory, user)
    with Progress(
        TextColumn("[bold]screenings"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
    ) as bar:
        task = bar.add_task("notify", total=None)

        def progress(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        try:
            with transaction(factory) as session:
                sent = service.notify_delays(
                    session, principal=principal, today=today, progress=progress
                )
        except PolicyDenied:
            err.print(f"[red]{user} may not send delay notices.[/]")
            raise typer.Exit(1) from None
    console.print(f"{sent} delay notice(s) sent.")


def register(app: typer.Typer) -> None:
    group(app).command("notify-delays")(notify_delays)
