"""``baken vetting screenings``: the overdue and at-risk screenings from the shell, as a
named user (same policy and audit as the worklist page)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer
from rich.console import Console

from baken.core.config import Settings
from baken.core.db import transaction
from baken.holdings.cli import UserOption, _factory, _principal
from baken.vetting.cli import group

console = Console()


def screenings(
    user: UserOption,
    queue: Annotated[
        str, typer.Option("--wachtrij", "-w", help="te-laat, risico or any queue code.")
    ] = "",
) -> None:
    """The overdue and at-risk screenings you may read (first page of each queue)."""
    from baken.vetting.screenings import service

    settings = Settings()
    factory = _factory(settings)
    principal = _principal(factory, user)
    tabs = [queue] if queue else ["te-laat", "risico"]
    today = date.today()
    for tab in tabs:
        mine = service.tabs_for(principal)
        if tab not in mine:
            console.print(f"[red]Unknown queue {tab!r}; one of {', '.join(mine)}.[/]")
            raise typer.Exit(2)
        with transaction(factory) as session:
            found = service.queue(session, principal, tab=tab, today=today)
        console.print(f"[bold]{tab}[/] ({found.counts[tab]})")
        for r in found.rows:
            console.print(
                f"{r.ref}\t{r.employer}\t{r.level}\t{r.status}\t"
                f"{r.clock.due_on}\t{r.clock.days_left}"
            )


def register(app: typer.Typer) -> None:
    group(app).command("screenings")(screenings)
