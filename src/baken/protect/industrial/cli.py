"""``baken protect nbiv-review``: the NBIV's open investigations, the declarations due for
review and the Defence assignments still under ABDO 2019, from the shell, as a named user
(same policy and audit as the dashboard)."""

from __future__ import annotations

from datetime import date

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


def nbiv_review(user: UserOption) -> None:
    """Open assignments, declarations due for review, ABDO 2019 assignments."""
    from baken.protect.industrial import dashboard

    console = Console()
    settings = Settings()
    factory = _factory(settings)
    principal = _principal(factory, user)
    with transaction(factory) as session:
        board = dashboard.dashboard(session, principal, date.today())
        table = Table("ref", "title", "client", "TBB", "regime", "status", "attention")
        for a in board.investigations:
            table.add_row(a.ref, a.title, a.client, a.tbb, a.regime, a.status, "open")
        for d in board.due:
            a = d.assignment
            note = f"review by {d.review_by.isoformat()}"
            table.add_row(a.ref, a.title, a.client, a.tbb, a.regime, a.status, note)
        for a in board.abdo:
            table.add_row(a.ref, a.title, a.client, a.tbb, a.regime, a.status, "ABDO 2019")
    console.print(table)
    console.print(
        f"{len(board.investigations)} open (assessment or investigation), "
        f"{len(board.due)} due for review, "
        f"{len(board.abdo)} under ABDO 2019"
    )


def register(app: typer.Typer) -> None:
    group(app).command("nbiv-review")(nbiv_review)
