"""``baken xref …`` and ``baken screen``: cross-referencing and screening from the shell.

The CLI acts as a named user (``--user``): the same policy and audit as the web UI.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from baken.core.config import Settings
from baken.core.db import transaction
from baken.core.errors import DomainError
from baken.core.policy import PolicyDenied
from baken.holdings.cli import UserOption, _collection_id, _factory, _principal

xref_app = typer.Typer(
    help="Cross-referencing: runs, candidate pairs, judgements.", no_args_is_help=True
)
console = Console()
err = Console(stderr=True)


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


@xref_app.command("run")
def run(
    left: Annotated[str, typer.Argument(help="First collection (name).")],
    right: Annotated[str, typer.Argument(help="Second collection (name).")],
    user: UserOption,
    threshold: Annotated[float, typer.Option(help="Keep pairs at this probability or more.")] = 0.3,
    engine: Annotated[
        str | None, typer.Option(help="local or spark; default BAKEN_XREF_ENGINE.")
    ] = None,
) -> None:
    """Cross-reference two collections, with progress; keeps the candidate pairs."""
    from baken.resolve import service
    from baken.resolve.routes import engine_for

    settings = Settings()
    engine = engine or settings.xref_engine
    factory = _factory(settings)
    principal = _principal(factory, user)
    left_id = _collection_id(factory, principal, left)
    right_id = _collection_id(factory, principal, right)
    try:
        with transaction(factory) as session:
            run_id = service.start(
                session,
                principal=principal,
                left_collection_id=left_id,
                right_collection_id=right_id,
                threshold=threshold,
                engine=engine,
                settings=settings,
            )
        batch = engine_for(settings, engine)
    except (DomainError, PolicyDenied, LookupError) as exc:
        raise _fail(exc) from None
    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
    ) as bar:
        task = bar.add_task("load", total=None)

        def progress(step: str, done: int, total: int) -> None:
            bar.update(task, description=step, completed=done, total=total or None)

        try:
            service.execute(
                factory, principal=principal, run_id=run_id, engine=batch, on_progress=progress
            )
        except Exception as exc:
            err.print(f"Run #{run_id} failed and stored nothing; `baken xref again {run_id}`.")
            raise _fail(exc) from None
    with transaction(factory) as session:
        view = service.get_run(session, principal=principal, run_id=run_id)
    console.print(
        f"Run #{run_id}: {view.left_records} × {view.right_records} records, "
        f"{view.compared} comparisons, {view.candidates} candidate pairs kept."
    )


@xref_app.command("again")
def again(
    run_id: Annotated[int, typer.Argument(help="A failed run.")],
    user: UserOption,
    abandoned: Annotated[
        bool,
        typer.Option(help="The process running this queued or running run is gone: rerun it."),
    ] = False,
) -> None:
    """Run a failed run again (with --abandoned: one a killed process left unfinished)."""
    from baken.resolve import service
    from baken.resolve.routes import engine_for

    settings = Settings()
    factory = _factory(settings)
    principal = _principal(factory, user)
    try:
        with transaction(factory) as session:
            state = service.get_run(session, principal=principal, run_id=run_id).state
    except Exception as exc:
        raise _fail(exc) from None
    if state in ("queued", "running") and not abandoned:
        err.print(
            f"[red]Run #{run_id} is {state}. If no process runs it any more (it was "
            f"killed), `baken xref again {run_id} --abandoned` runs it again.[/]"
        )
        raise typer.Exit(2)
    try:
        with transaction(factory) as session:
            if abandoned:
                service.abandon(session, principal=principal, run_id=run_id)
            service.rerun(session, principal=principal, run_id=run_id)
            name = service.get_run(session, principal=principal, run_id=run_id).engine
        service.execute(
            factory, principal=principal, run_id=run_id, engine=engine_for(settings, name)
        )
    except Exception as exc:
        raise _fail(exc) from None
    console.print(f"Run #{run_id} done.")


@xref_app.command("pairs")
def pairs(
    run_id: Annotated[int, typer.Argument(help="The run.")],
    user: UserOption,
    verdict: Annotated[str | None, typer.Option(help="open, same, different or unsure.")] = None,
    page: int = 1,
) -> None:
    """List a run's candidate pairs, best first."""
    from baken.resolve import service

    settings = Settings()
    factory = _factory(settings)
    principal = _principal(factory, user)
    try:
        with transaction(factory) as session:
            found = service.pairs(
                session, principal=principal, run_id=run_id, page=page, verdict=verdict
            )
    except (DomainError, PolicyDenied, LookupError) as exc:
        raise _fail(exc) from None
    table = Table("pair", "marking", "left", "right", "probability", "verdict", "why")
    for p in found.items:
        why = "; ".join(f"{c.comparison} {c.weight:+.1f}" for c in p.explanation)
        table.add_row(
            str(p.id),
            p.marking.key(),
            p.left_caption,
            p.right_caption,
            f"{p.probability:.3f}",
            p.verdict or "–",
            why,
        )
    console.print(table)
    console.print(f"{found.total} pairs; page {found.page} of {found.pages}.")


@xref_app.command("judge")
def judge(
    pair_id: Annotated[int, typer.Argument(help="The candidate pair.")],
    verdict: Annotated[str, typer.Argument(help="same, different, unsure — or undo.")],
    user: UserOption,
    note: Annotated[str, typer.Option(help="Why.")] = "",
) -> None:
    """Judge a candidate pair (or undo the current verdict on it)."""
    from baken.resolve import service

    settings = Settings()
    factory = _factory(settings)
    principal = _principal(factory, user)
    try:
        with transaction(factory) as session:
            if verdict == "undo":
                undone = service.undo(session, principal=principal, pair_id=pair_id)
                console.print(f"Undid judgement #{undone}.")
                return
            judgement = service.judge(
                session, principal=principal, pair_id=pair_id, verdict=verdict, note=note
            )
    except (DomainError, PolicyDenied, LookupError) as exc:
        raise _fail(exc) from None
    console.print(f"Judgement #{judgement}: {verdict}.")


def screen(
    user: UserOption,
    name: Annotated[list[str] | None, typer.Option("--name", help="A name (repeatable).")] = None,
    birth_date: Annotated[str | None, typer.Option("--birth-date", help="YYYY-MM-DD")] = None,
    nationality: Annotated[str | None, typer.Option(help="Country name or code.")] = None,
    identifier: Annotated[
        list[str] | None, typer.Option(help="An identifier (repeatable).")
    ] = None,
    csv: Annotated[Path | None, typer.Option(help="Screen every row of this CSV file.")] = None,
) -> None:
    """Screen a person (or a CSV of people) against the holdings you may read."""
    from baken.core import audit
    from baken.core.markings import summary
    from baken.core.policy import role_may_read
    from baken.core.policy_index import index_policy
    from baken.holdings.feed import Feeder
    from baken.holdings.search import SearchIndex
    from baken.holdings.vocab import ENTITY
    from baken.resolve import screening
    from baken.resolve.vocab import SCREENING

    settings = Settings()
    factory = _factory(settings)
    principal = _principal(factory, user)
    if not role_may_read(principal, SCREENING):
        raise _fail(PolicyDenied(f"{user} may not screen"))
    try:
        if csv is not None:
            if not csv.is_file():
                raise FileNotFoundError(f"{csv} does not exist")
            queries = screening.parse_csv(csv.read_bytes())
        elif name:
            queries = [
                screening.parse_query(
                    names=name,
                    birth_date=birth_date,
                    nationality=nationality,
                    identifiers=identifier or [],
                )
            ]
        else:
            err.print("[red]Give --name (and more) or --csv.[/]")
            raise typer.Exit(2)
    except (DomainError, FileNotFoundError) as exc:
        raise _fail(exc) from None
    index = SearchIndex(settings.index_dir)
    Feeder(factory, index).sync()  # what committed before now is screened against
    policy = index_policy(principal, [ENTITY])
    with Progress(BarColumn(), MofNCompleteColumn(), console=err, transient=True) as bar:
        task = bar.add_task("screen", total=len(queries))
        results = screening.screen_batch(
            index, policy, queries, progress=lambda done, total: bar.update(task, completed=done)
        )
    found = [m for ms in results for m in ms]
    with transaction(factory) as session:
        audit.record(
            session,
            principal=principal,
            action="screening.query",
            kind=SCREENING,
            marking=summary(m.marking for m in found) if found else None,
            details={"queries": len(queries), "matches": sorted({m.entity_id for m in found})},
        )
    for query, matches in zip(queries, results, strict=True):
        table = Table(
            "entity", "marking", "names", "born", "score", "why", title=" / ".join(query.names)
        )
        for m in matches:
            table.add_row(
                m.entity_id,
                m.marking.key(),
                "; ".join(m.names[:3]),
                ", ".join(m.birth_dates),
                f"{m.score:.2f}",
                "; ".join(f"{what} {weight:+.2f}" for what, weight in m.explanation),
            )
        console.print(table if matches else f"{' / '.join(query.names)}: no matches.")


def register(app: typer.Typer) -> None:
    app.add_typer(xref_app, name="xref")
    app.command("screen")(screen)
