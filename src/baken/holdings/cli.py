"""``baken ingest``, ``baken holdings …`` and ``baken worker``.

The CLI acts as a named user (``--user``): the same policy and audit as the web UI.
Ingest resumes: run the same command again after a crash and it registers only what is
new (content hashes) and processes whatever was left unfinished.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from baken.core.config import Settings
from baken.core.db import make_engine, make_sessionmaker, transaction
from baken.core.errors import DomainError
from baken.core.models import User
from baken.core.policy import PolicyDenied
from baken.core.principals import Principal
from baken.core.users import to_principal

holdings_app = typer.Typer(
    help="Holdings: collections, ingest, search index.", no_args_is_help=True
)
console = Console()
err = Console(stderr=True)

UserOption = Annotated[str, typer.Option("--user", "-u", help="Act as this user (policy, audit).")]
CollectionOption = Annotated[str, typer.Option("--collection", "-c", help="Collection name.")]


def _factory(settings: Settings) -> sessionmaker[Session]:
    return make_sessionmaker(make_engine(settings))


def _principal(factory: sessionmaker[Session], username: str) -> Principal:
    with transaction(factory) as session:
        user = session.scalar(select(User).where(User.username == username))
        if user is None or user.disabled:
            err.print(f"[red]No active user {username!r}.[/]")
            raise typer.Exit(2)
        return to_principal(user)


def _collection_id(factory: sessionmaker[Session], principal: Principal, name: str) -> int:
    from baken.holdings.service import collections

    with transaction(factory) as session:
        try:
            return collections.by_name(session, principal, name).id
        except LookupError:
            err.print(f"[red]No collection {name!r} that {principal.username} may read.[/]")
            raise typer.Exit(2) from None


def files_under(path: Path) -> Iterator[tuple[Path, str]]:
    """Regular files under ``path`` (sorted, symlinks not followed), with the name they
    get: their path relative to ``path``'s parent."""
    if path.is_file():
        yield path, path.name
        return
    base = path.parent
    for root, dirs, names in os.walk(path, followlinks=False):
        dirs.sort()
        for name in sorted(names):
            file = Path(root) / name
            if file.is_file() and not file.is_symlink():
                yield file, str(file.relative_to(base))


def _bar() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
    )


def ingest(
    path: Annotated[Path, typer.Argument(help="A file or a directory (recursive).")],
    collection: CollectionOption,
    user: UserOption,
) -> None:
    """Ingest files into a collection, with progress; resumes after a crash."""
    from baken.holdings import runtime
    from baken.holdings.blobs import BlobStore
    from baken.holdings.models import Document
    from baken.holdings.pipeline import STAGES, Task, pending
    from baken.holdings.service import ingest as ingest_service

    if not path.exists():
        err.print(f"[red]{path} does not exist.[/]")
        raise typer.Exit(2)
    settings = Settings()
    factory = _factory(settings)
    principal = _principal(factory, user)
    collection_id = _collection_id(factory, principal, collection)
    blobs = BlobStore(settings.blob_dir)
    files = list(files_under(path))
    # In-process workers, or Procrastinate workers (``baken worker``) on PostgreSQL.
    rt = runtime.start(settings, factory)
    try:
        with transaction(factory) as session:
            job_id = ingest_service.new_job(
                session,
                principal=principal,
                collection_id=collection_id,
                kind="ingest",
                args={"path": str(path), "files": len(files)},
            )
            # Whatever an earlier run left unfinished is part of this job.
            todo = pending(session, collection_id)
            ingest_service.add_to_job(session, job_id, len(todo))
        with _bar() as bar:
            registering = bar.add_task("register", total=len(files))
            processing = bar.add_task("process", total=len(todo))
            for doc_id in todo:
                rt.submit(Task(doc_id, STAGES, job_id))
            new = 0
            for file, name in files:
                try:
                    with transaction(factory) as session:
                        reg = ingest_service.register_file(
                            session,
                            principal=principal,
                            collection_id=collection_id,
                            path=file,
                            name=name,
                            blobs=blobs,
                            max_bytes=settings.ingest_max_bytes,
                        )
                        if reg.new and reg.state == "pending":
                            ingest_service.add_to_job(session, job_id, 1)
                except OSError as exc:
                    err.print(f"[yellow]{name}: cannot read ({exc.strerror})[/]")
                    bar.advance(registering)
                    continue
                bar.advance(registering)
                if reg.new and reg.state == "pending":
                    new += 1
                    bar.update(processing, total=len(todo) + new)
                    rt.submit(Task(reg.document_id, STAGES, job_id))  # blocks when full
                _update(bar, processing, factory, job_id)
            while rt.queue_pending():
                _update(bar, processing, factory, job_id)
                rt.wait(0.5)
            rt.drain()
            _update(bar, processing, factory, job_id)
        with transaction(factory) as session:
            ingest_service.job_progress(session, job_id, 0)
            counts = dict(
                session.execute(
                    select(Document.state, func.count())
                    .where(Document.collection_id == collection_id)
                    .group_by(Document.state)
                ).all()
            )
            quarantined = [
                (str(name), reason or (f"failed: {error}" if error else "failed"))
                for name, reason, error in session.execute(
                    select(Document.name, Document.quarantine_reason, Document.error)
                    .where(
                        Document.collection_id == collection_id,
                        Document.state.in_(("quarantined", "failed")),
                    )
                    .order_by(Document.id)
                    .limit(50)
                )
            ]
    except (DomainError, PolicyDenied) as exc:
        err.print(f"[red]Refused: {exc}[/]")
        raise typer.Exit(2) from None
    finally:
        rt.close()
        runtime.close_recognisers()
    _report(counts, quarantined)


def _update(bar: Progress, task: object, factory: sessionmaker[Session], job_id: int) -> None:
    from baken.holdings.models import Job

    with transaction(factory) as session:
        job = session.get(Job, job_id)
        if job is not None:
            bar.update(task, completed=job.done, total=job.total)  # type: ignore[arg-type]


def _report(counts: dict[str, int], quarantined: Sequence[tuple[str, str | None]]) -> None:
    from baken.core.i18n import gettext
    from baken.holdings.types import QUARANTINE_REASONS

    table = Table("state", "documents", title="Collection")
    for state in ("done", "quarantined", "failed", "pending", "processing"):
        if counts.get(state):
            table.add_row(state, str(counts[state]))
    console.print(table)
    for name, reason in quarantined:
        message = QUARANTINE_REASONS.get(reason or "", reason or "")
        console.print(f"[yellow]{name}[/]: {gettext('en', message)}")


@holdings_app.command("status")
def status(collection: CollectionOption, user: UserOption) -> None:
    """Documents of a collection by processing state, and its recent jobs."""
    from baken.holdings.service import collections, jobs

    settings = Settings()
    factory = _factory(settings)
    principal = _principal(factory, user)
    collection_id = _collection_id(factory, principal, collection)
    with transaction(factory) as session:
        item = collections.get(session, principal=principal, collection_id=collection_id)
        recent = jobs.list_jobs(session, principal=principal, collection_id=collection_id)
    table = Table("state", "documents", title=f"{item.name}: {item.title}")
    for state, n in sorted(item.counts.items()):
        table.add_row(state, str(n))
    console.print(table)
    for j in recent:
        console.print(f"job {j.id} {j.kind}: {j.state} {j.done}/{j.total}")


@holdings_app.command("rerun")
def rerun(
    collection: CollectionOption,
    user: UserOption,
    stage: Annotated[str, typer.Option(help="extract, language, ner or index.")],
) -> None:
    """Re-run one stage (and the stages after it) over a collection's documents."""
    from baken.holdings import runtime
    from baken.holdings.pipeline import STAGES, Task
    from baken.holdings.service import jobs

    settings = Settings()
    factory = _factory(settings)
    principal = _principal(factory, user)
    collection_id = _collection_id(factory, principal, collection)
    try:
        with transaction(factory) as session:
            job_id, docs = jobs.rerun(
                session, principal=principal, collection_id=collection_id, stage=stage
            )
    except DomainError as exc:
        err.print(f"[red]{exc}[/] (stages: {', '.join(STAGES)})")
        raise typer.Exit(2) from None
    rt = runtime.start(settings, factory, local=True)
    stages = STAGES[STAGES.index(stage) :]
    try:
        with _bar() as bar:
            task = bar.add_task(f"re-run {stage}", total=len(docs))
            for doc_id in docs:
                rt.submit(Task(doc_id, stages, job_id))
                _update(bar, task, factory, job_id)
            while rt.queue_pending():
                _update(bar, task, factory, job_id)
                rt.wait(0.5)
            rt.drain()
            _update(bar, task, factory, job_id)
    finally:
        rt.close()
        runtime.close_recognisers()


@holdings_app.command("reindex")
def reindex() -> None:
    """Rebuild the search index from the database (it is derived data)."""
    from baken.holdings.feed import Feeder
    from baken.holdings.search import SearchIndex

    settings = Settings()
    with console.status("Rebuilding the search index…"):
        count = Feeder(_factory(settings), SearchIndex(settings.index_dir)).rebuild()
    console.print(f"Indexed {count} objects.")


@holdings_app.command("import-ftm")
def import_ftm(
    path: Annotated[Path, typer.Argument(help="FtM entities, one JSON object per line.")],
    collection: CollectionOption,
    user: UserOption,
) -> None:
    """Import FollowTheMoney entities into a collection (all or nothing)."""
    from baken.holdings.feed import Feeder
    from baken.holdings.search import SearchIndex
    from baken.holdings.service import entities

    settings = Settings()
    factory = _factory(settings)
    principal = _principal(factory, user)
    collection_id = _collection_id(factory, principal, collection)
    try:
        lines = path.read_text("utf-8").splitlines()
        with transaction(factory) as session:
            n = entities.import_ftm(
                session, principal=principal, collection_id=collection_id, lines=lines
            )
    except (OSError, UnicodeDecodeError) as exc:
        err.print(f"[red]Cannot read {path}: {exc}[/]")
        raise typer.Exit(2) from None
    except DomainError as exc:
        err.print(f"[red]Nothing imported: {exc}[/]")
        raise typer.Exit(2) from None
    Feeder(factory, SearchIndex(settings.index_dir)).sync()
    console.print(f"Imported {n} entities into {collection}.")


@holdings_app.command("load")
def load_structured(
    source: Annotated[Path, typer.Argument(help="A CSV file, or a Parquet file or folder.")],
    mapping: Annotated[Path, typer.Option("--mapping", "-m", help="FtM mapping (YAML).")],
    collection: CollectionOption,
    user: UserOption,
    delete: Annotated[
        bool, typer.Option(help="Delete the collection's bulk data instead.")
    ] = False,
) -> None:
    """Load structured or bulk data through an FtM mapping (all or nothing), or delete
    exactly what was loaded."""
    from baken.engines import get_engine
    from baken.holdings.feed import Feeder
    from baken.holdings.search import SearchIndex
    from baken.holdings.service import structured

    settings = Settings()
    factory = _factory(settings)
    principal = _principal(factory, user)
    collection_id = _collection_id(factory, principal, collection)
    try:
        if delete:
            with transaction(factory) as session:
                n = structured.delete(
                    session,
                    principal=principal,
                    collection_id=collection_id,
                    store_dir=settings.bulk_dir,
                )
            console.print(f"Deleted {n} statements of {collection}.")
        else:
            mapping_yaml = mapping.read_text("utf-8")
            with _bar() as bar:
                tasks: dict[str, object] = {}

                def progress(stage: str, done: int, total: int) -> None:
                    if stage not in tasks:
                        tasks[stage] = bar.add_task(stage, total=total)
                    bar.update(tasks[stage], completed=done, total=total)  # type: ignore[arg-type]

                with transaction(factory) as session:
                    result = structured.load(
                        session,
                        principal=principal,
                        collection_id=collection_id,
                        source=source,
                        mapping_yaml=mapping_yaml,
                        store_dir=settings.bulk_dir,
                        engine=get_engine("local"),
                        progress=progress,
                    )
            console.print(
                f"Loaded {result.rows} rows: {result.entities} entities, "
                f"{result.statements} statements into {collection}."
            )
    except (OSError, UnicodeDecodeError) as exc:
        err.print(f"[red]Cannot read: {exc}[/]")
        raise typer.Exit(2) from None
    except (DomainError, PolicyDenied) as exc:
        err.print(f"[red]Nothing loaded: {exc}[/]")
        raise typer.Exit(2) from None
    with console.status("Indexing…"):
        Feeder(factory, SearchIndex(settings.index_dir)).sync()


def worker(
    concurrency: Annotated[int, typer.Option(help="Tasks run at once.")] = 2,
    once: Annotated[bool, typer.Option(help="Stop when the queue is empty.")] = False,
) -> None:
    """Run ingest tasks from the PostgreSQL queue (Procrastinate); start on any number
    of machines."""
    from baken.core import runlock
    from baken.holdings.queue import PROCRASTINATE_QUEUE, ensure_schema, procrastinate_app

    settings = Settings()
    if settings.is_sqlite:
        err.print("[red]The worker needs PostgreSQL (BAKEN_DATABASE_URL).[/]")
        raise typer.Exit(2)
    try:
        # Held while working: `baken restore` is refused meanwhile (and the reverse).
        lock = runlock.hold_shared(settings)
    except runlock.InUse as exc:
        err.print(f"[red]Not started: {exc}.[/]")
        raise typer.Exit(2) from None
    app = procrastinate_app(settings)
    app.open()
    try:
        ensure_schema(app)
    finally:
        app.close()
    app.run_worker(
        queues=[PROCRASTINATE_QUEUE],
        concurrency=concurrency,
        wait=not once,
        install_signal_handlers=not once,
    )
    lock.close()


def register(app: typer.Typer) -> None:
    app.command("ingest")(ingest)
    app.command("worker")(worker)
    app.add_typer(holdings_app, name="holdings")
