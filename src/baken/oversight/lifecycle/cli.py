"""``baken oversight verify-destruction`` and ``baken oversight destructions``: the CTIVD's
check of destruction records from the shell, as a named user (same policy and audit)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

from baken.core.config import Settings
from baken.core.db import transaction
from baken.holdings.cli import UserOption, _factory, _principal

console = Console()
err = Console(stderr=True)


def _group(app: typer.Typer) -> typer.Typer:
    """The ``oversight`` command group, shared with the other oversight part."""
    for info in app.registered_groups:
        if info.name == "oversight" and info.typer_instance is not None:
            return info.typer_instance
    group = typer.Typer(help="Oversight: permissions, bulk datasets, destruction.")
    app.add_typer(group, name="oversight")
    return group


def verify_destruction(
    record: Annotated[int, typer.Argument(help="Destruction record id.")],
    user: UserOption,
) -> None:
    """Check a destruction record: its hash, and that nothing it destroyed is anywhere."""
    from baken.holdings.search import SearchIndex
    from baken.oversight.lifecycle import destruction

    settings = Settings()
    factory = _factory(settings)
    principal = _principal(factory, user)
    index = SearchIndex(settings.index_dir)
    try:
        with transaction(factory) as session:
            check = destruction.verify(
                session,
                principal=principal,
                record_id=record,
                stores=destruction.Stores.of(settings),
                index=index,
            )
    except LookupError:
        err.print(f"[red]Not found (or not readable): {record}[/]")
        raise typer.Exit(2) from None
    if check.ok:
        console.print(f"record {record}: [green]verified[/] (hash intact, nothing remains)")
        return
    for problem in check.problems:
        err.print(f"[red]record {record}: {problem}[/]")
    raise typer.Exit(1)


def list_destructions(user: UserOption) -> None:
    """The destruction records you may read."""
    from baken.oversight.lifecycle import destruction

    settings = Settings()
    factory = _factory(settings)
    principal = _principal(factory, user)
    with transaction(factory) as session:
        records = destruction.list_records(session, principal=principal)
    for r in records:
        counts = ", ".join(f"{k} {v}" for k, v in sorted(r.counts.items()))
        console.print(f"{r.id}\t{r.collection}\t{r.scope}\t{r.destroyed_at}\t{counts}")


def register(app: typer.Typer) -> None:
    group = _group(app)
    group.command("verify-destruction")(verify_destruction)
    group.command("destructions")(list_destructions)
