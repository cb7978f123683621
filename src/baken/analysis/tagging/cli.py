"""``baken tag``: (re)tag the processed documents a user may read against the active GA
requirements, with a progress bar. The CLI acts as a named user (``--user``): the same
policy and audit as the web UI. Each batch of documents is its own transaction, so an
interrupted run keeps what it finished and can simply be run again."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from baken.core.config import Settings
from baken.core.db import transaction
from baken.core.errors import DomainError
from baken.core.policy import PolicyDenied
from baken.holdings.cli import UserOption, _collection_id, _factory, _principal

console = Console()
err = Console(stderr=True)
BATCH = 200


def _fail(exc: Exception) -> typer.Exit:
    if isinstance(exc, DomainError):
        err.print(f"[red]{exc.translate('en')}[/]")
    elif isinstance(exc, PolicyDenied):
        err.print(f"[red]Not allowed: {exc}[/]")
    elif isinstance(exc, LookupError):
        err.print(f"[red]Not found (or not readable): {exc}[/]")
    else:
        err.print(f"[red]{exc}[/]")
    return typer.Exit(2)


def tag(
    user: UserOption,
    collection: Annotated[
        str | None, typer.Option("--collection", "-c", help="Only this collection (name).")
    ] = None,
) -> None:
    """Score the documents you may read against the active requirements (proposed tags)."""
    from baken.analysis.tagging import service

    settings = Settings()
    factory = _factory(settings)
    principal = _principal(factory, user)
    collection_id = _collection_id(factory, principal, collection) if collection else None
    try:
        with transaction(factory) as session:
            ids = service.retag_targets(session, principal=principal, collection_id=collection_id)
    except (DomainError, PolicyDenied, LookupError) as exc:
        raise _fail(exc) from None
    proposed = 0
    with Progress(
        TextColumn("[bold]tagging"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
    ) as bar:
        task = bar.add_task("tag", total=len(ids))
        for start in range(0, len(ids), BATCH):
            try:
                with transaction(factory) as session:
                    proposed += service.retag(
                        session,
                        principal=principal,
                        document_ids=ids[start : start + BATCH],
                        on_progress=lambda n: bar.advance(task, n),
                    )
            except (DomainError, PolicyDenied, LookupError) as exc:
                raise _fail(exc) from None
    console.print(f"{len(ids)} documents scored; {proposed} tags proposed.")


def register(app: typer.Typer) -> None:
    app.command("tag")(tag)
