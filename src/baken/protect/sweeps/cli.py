"""``baken protect sweeps-due``: the secure rooms overdue or due soon, from the shell, as a
named user (same policy and audit as the dashboard)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from baken.core.config import Settings
from baken.core.db import transaction
from baken.holdings.cli import UserOption, _factory, _principal


def group(app: typer.Typer) -> typer.Typer:
    """The ``protect`` group of ``app``, made by the first part that asks for it."""
    for info in app.registered_groups:
        if info.name == "protect" and info.typer_instance is not None:
            return info.typer_instance
    found = typer.Typer(help="Protect: sweeps, industrial security, resilience, threats.")
    app.add_typer(found, name="protect")
    return found


def sweeps_due(
    user: UserOption,
    days: Annotated[
        int, typer.Option("--dagen", "-d", help="Also list rooms due within this many days.")
    ] = 0,
) -> None:
    """The secure rooms you may read whose sweep is overdue (or due within --dagen)."""
    from baken.protect.sweeps import service

    console = Console()
    settings = Settings()
    factory = _factory(settings)
    principal = _principal(factory, user)
    today = date.today()
    due_by = today + timedelta(days=days) if days > 0 else today - timedelta(days=1)
    with transaction(factory) as session:
        rows, more = service.rooms(session, principal, due_by=due_by)
        table = Table("ref", "room", "level", "risk", "last swept", "next due", "state")
        for r in rows:
            table.add_row(
                r.ref,
                r.name,
                r.level,
                r.risk,
                r.last_swept_on.isoformat() if r.last_swept_on else "-",
                r.next_due_on.isoformat() if r.next_due_on else "-",
                service.state(r, today),
            )
    console.print(table)
    console.print(f"{len(rows)} room(s){' (more on the dashboard)' if more else ''}")


def register(app: typer.Typer) -> None:
    group(app).command("sweeps-due")(sweeps_due)
