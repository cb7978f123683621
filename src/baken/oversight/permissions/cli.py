"""``baken permissions remind`` and ``baken permissions expire``: the reminders of
permissions that end soon, and marking those whose term is over as expired.

The CLI acts as a named user (``--user``): the same policy and audit as the web UI.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer
from rich.console import Console

from baken.core.config import Settings
from baken.core.db import transaction
from baken.core.timeutil import utcnow
from baken.holdings.cli import UserOption, _factory, _principal

permissions_app = typer.Typer(
    help="Permissions for special powers: reminders and expiry.", no_args_is_help=True
)
console = Console()

OnOption = Annotated[
    str | None, typer.Option("--on", help="The day to check (YYYY-MM-DD); default today.")
]


def _day(on: str | None) -> date:
    if not on:
        return utcnow().date()
    try:
        return date.fromisoformat(on)
    except ValueError:
        Console(stderr=True).print(f"[red]Not a date: {on!r} (use YYYY-MM-DD).[/]")
        raise typer.Exit(2) from None


@permissions_app.command("remind")
def remind(user: UserOption, on: OnOption = None) -> None:
    """List the permissions in use that end within their power's reminder lead time."""
    from baken.oversight.permissions import service

    day = _day(on)
    factory = _factory(Settings())
    principal = _principal(factory, user)
    with transaction(factory) as session:
        items = service.expiring(session, principal=principal, on=day)
    for p in items:
        assert p.valid_until is not None
        console.print(
            f"{p.reference}  {p.power}  until {p.valid_until.isoformat()}"
            f"  ({(p.valid_until - day).days} days left)  {p.title}  [{p.created_by}]",
            highlight=False,
            markup=False,
        )
    if not items:
        console.print("No permissions expiring soon.")


@permissions_app.command("expire")
def expire(user: UserOption, on: OnOption = None) -> None:
    """Mark the permissions whose term ended before the day as expired."""
    from baken.oversight.permissions import service

    day = _day(on)
    factory = _factory(Settings())
    principal = _principal(factory, user)
    with transaction(factory) as session:
        done = service.expire(session, principal=principal, on=day)
    console.print(f"{len(done)} permission(s) expired" + (": " + ", ".join(done) if done else "."))


def register(app: typer.Typer) -> None:
    app.add_typer(permissions_app, name="permissions")
