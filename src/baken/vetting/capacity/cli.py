"""``baken vetting capacity``: ask the screening-queue simulation from the shell, as a
named user (same checks, policy and audit as the page), with a progress bar."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn

from baken.core.config import Settings
from baken.core.db import transaction
from baken.core.errors import DomainError
from baken.core.policy import PolicyDenied
from baken.holdings.cli import UserOption, _factory, _principal
from baken.vetting.cli import group

console = Console()
err = Console(stderr=True)


def _floats(text: str, what: str) -> tuple[float, float, float]:
    try:
        values = [float(v) for v in text.split(",")]
    except ValueError:
        err.print(f"[red]{what}: give three numbers separated by commas, e.g. 20,50,30[/]")
        raise typer.Exit(2) from None
    if len(values) != 3:
        err.print(f"[red]{what}: give three numbers (A, B, C), e.g. 20,50,30[/]")
        raise typer.Exit(2)
    return values[0], values[1], values[2]


def capacity(
    user: UserOption,
    volume: Annotated[int, typer.Option(help="Screenings a year.")],
    mix: Annotated[str, typer.Option(help="Percent of levels A,B,C, e.g. 20,50,30.")],
    fte: Annotated[int | None, typer.Option(help="Simulate at this FTE.")] = None,
    find_fte: Annotated[
        bool, typer.Option("--find-fte", help="Search the least FTE meeting the target.")
    ] = False,
    hours: Annotated[str, typer.Option(help="Officer hours per screening at A,B,C.")] = "",
    target: Annotated[float, typer.Option(help="Share within the term, e.g. 0.9.")] = 0.90,
    seed: Annotated[int, typer.Option(help="Seed of the simulation.")] = 2026,
    title: Annotated[str, typer.Option(help="Title of the stored scenario.")] = "",
) -> None:
    """Simulate the screening queue for a year, or find the FTE that keeps the target
    share of decisions within the legal term. The scenario is stored and audited."""
    from baken.vetting.capacity import service

    if find_fte == (fte is not None):
        err.print("[red]Give either --fte N or --find-fte.[/]")
        raise typer.Exit(2)
    settings = Settings()
    factory = _factory(settings)
    principal = _principal(factory, user)
    changes: dict[str, object] = {}
    if hours:
        changes["hours"] = _floats(hours, "--hours")
    question = service.ScenarioIn.defaults(
        title=title or f"CLI: {volume} per jaar",
        mode="find" if find_fte else "simulate",
        volume=volume,
        mix=_floats(mix, "--mix"),
        fte=fte,
        target=target,
        seed=seed,
        **changes,
    )
    try:
        with Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            TaskProgressColumn(),
            TimeElapsedColumn(),
            console=console,
        ) as bar:
            task = bar.add_task("simulation", total=None)

            def heard(done: int, total: int, step: str) -> None:
                bar.update(task, completed=done, total=total, description=f"simulation {step}")

            scenario_id = service.run_now(
                factory, principal=principal, data_in=question, on_progress=heard
            )
    except DomainError as exc:
        err.print(f"[red]{exc.translate('en')}[/]")
        raise typer.Exit(2) from None
    except PolicyDenied as exc:
        err.print(f"[red]Not allowed: {exc}[/]")
        raise typer.Exit(2) from None
    with transaction(factory) as session:
        view = service.get(session, principal=principal, scenario_id=scenario_id)
    result = view.result
    term = view.params.get("term_weeks")
    if result is None:
        console.print(
            f"No FTE up to the limit keeps {target:.0%} of decisions within {term} weeks "
            f"at {volume} screenings a year."
        )
    else:
        console.print(
            f"[bold]{result['fte']} FTE[/] keep {result['share_within_term']:.1%} of decisions "
            f"within {term} weeks at {volume} screenings a year (scenario {scenario_id})."
        )
        days = result["throughput_days"]
        console.print(
            f"throughput days p50 {days['p50']}, p90 {days['p90']}, p95 {days['p95']}; "
            f"utilisation {result['utilisation']:.0%}"
        )
    for f, share, load in view.results.get("curve", []):
        fits = "fits" if load < 1 else "backlog grows"
        console.print(f"  FTE {f:>5}: {share:.1%} within the term; work {load:.0%} ({fits})")


def register(app: typer.Typer) -> None:
    group(app).command("capacity")(capacity)
