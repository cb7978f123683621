"""``baken warn``: run the early-warning detector over every follower's series, with
progress. It acts as a named user (``--user``), who must be allowed to run detection; it
prints only that user's new signals."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from baken.core.config import Settings
from baken.core.db import transaction
from baken.core.errors import DomainError
from baken.core.policy import PolicyDenied
from baken.holdings.cli import UserOption, _factory, _principal

console = Console()
err = Console(stderr=True)


def warn(
    user: UserOption,
    season: Annotated[int, typer.Option(help="Season length in weeks.")] = 52,
    window: Annotated[int, typer.Option(help="Weeks either side in earlier seasons.")] = 2,
    threshold: Annotated[float, typer.Option(help="Robust z-score that flags a week.")] = 3.5,
) -> None:
    """Run early-warning detection for every follower; store and deliver signals."""
    from baken.analysis.warning import service
    from baken.analysis.warning.detect import Params

    settings = Settings()
    factory = _factory(settings)
    principal = _principal(factory, user)
    try:
        params = Params(season=season, window=window, threshold=threshold).check()
        with (
            Progress(
                TextColumn("[bold]{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=console,
            ) as progress,
            transaction(factory) as session,
        ):
            task = progress.add_task("follows", total=None)
            created = service.run_detection(
                session,
                principal=principal,
                params=params,
                on_progress=lambda done, total: progress.update(task, completed=done, total=total),
            )
    except DomainError as exc:
        err.print(f"[red]{exc.translate('en')}[/]")
        raise typer.Exit(2) from None
    except PolicyDenied as exc:
        err.print(f"[red]Not allowed: {exc}[/]")
        raise typer.Exit(2) from None
    console.print(f"New signals for {principal.username}: {created}")


def register(app: typer.Typer) -> None:
    app.command("warn")(warn)
