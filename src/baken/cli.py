"""The ``baken`` command line. Commands parse arguments and call services; modules add
their own commands through the ``baken_cli`` hook."""

from __future__ import annotations

import getpass
import os
import secrets
import sys
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from baken.core import backup_cli
from baken.core.config import Settings
from baken.core.markings import Level, Service

app = typer.Typer(
    help="Baken: the joint data and work platform of AIVD and MIVD (demo with fictional data).",
    no_args_is_help=True,
)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
user_app = typer.Typer(help="User accounts.", no_args_is_help=True)
audit_app = typer.Typer(help="The hash-chained audit log.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(user_app, name="user")
app.add_typer(audit_app, name="audit")
backup_cli.register(app)
console = Console()
err = Console(stderr=True)


def _settings() -> Settings:
    return Settings()


def _factory(settings: Settings):  # type: ignore[no-untyped-def]
    from baken.core.db import make_engine, make_sessionmaker

    return make_sessionmaker(make_engine(settings))


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(help="Worker processes (PostgreSQL only).")] = 1,
    trusted_proxy: Annotated[
        str,
        typer.Option(
            help="Address(es) of the reverse proxy, comma-separated: its X-Forwarded-For "
            "names the client (rate limits and the audit log then see users, not the proxy)."
        ),
    ] = "",
) -> None:
    """Serve the web UI and the HTTP API."""
    import uvicorn

    from baken.core import runlock

    settings = _settings()
    try:
        # Held while serving: `baken restore` is refused meanwhile (and the reverse).
        lock = runlock.hold_shared(settings)
    except runlock.InUse as exc:
        err.print(f"[red]Not started: {exc}.[/]")
        raise typer.Exit(2) from None
    if settings.is_sqlite and workers > 1:
        err.print("[yellow]SQLite serves one writer at a time: using 1 worker.[/]")
        workers = 1
    console.print(
        f"Baken at [bold]http://{host}:{port}[/] (database: "
        f"{'SQLite' if settings.is_sqlite else 'PostgreSQL'})"
    )
    uvicorn.run(
        "baken.web.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        # Only a named proxy may say who the client is; anyone else's header is ignored.
        proxy_headers=bool(trusted_proxy),
        forwarded_allow_ips=trusted_proxy or None,
        server_header=False,
        # Longer than a proxy's idle timeout (commonly 60 s) and than the pause between
        # two pages: the other side closes first, so no request meets a connection the
        # server is closing at that moment (uvicorn's 5 s did, under load).
        timeout_keep_alive=65,
        # A worker busy on a long request (a search catching up with the index, a solve)
        # on a loaded machine is not dead: uvicorn's 5 s ended such workers mid-request.
        timeout_worker_healthcheck=30,
    )
    lock.close()


@db_app.command("upgrade")
def db_upgrade(revision: Annotated[str, typer.Argument(help="Target revision.")] = "head") -> None:
    """Apply the migrations (one chain for SQLite and PostgreSQL)."""
    from baken.migrations import upgrade

    settings = _settings()
    upgrade(settings, revision)
    console.print(f"Database at revision [bold]{revision}[/].")


@user_app.command("add")
def user_add(
    username: str,
    display_name: Annotated[str, typer.Option("--name", help="Full name.")],
    clearance: Annotated[str, typer.Option(help="Level: " + ", ".join(lv.name for lv in Level))],
    role: Annotated[list[str], typer.Option(help="Role (repeat for more).")],
    service: Annotated[str | None, typer.Option(help="AIVD or MIVD (internal staff).")] = None,
    organisation: Annotated[str | None, typer.Option(help="Organisation code (external).")] = None,
    unit: Annotated[str | None, typer.Option(help="Unit code.")] = None,
    compartment: Annotated[list[str] | None, typer.Option(help="Compartment (repeat).")] = None,
    password_stdin: Annotated[bool, typer.Option(help="Read the password from stdin.")] = False,
) -> None:
    """Add an account. The password is asked for (or read from stdin), never an argument."""
    from pydantic import ValidationError

    from baken.core.db import transaction
    from baken.core.users import UserCreate, UserError, create

    password = sys.stdin.readline().rstrip("\n") if password_stdin else getpass.getpass()
    try:
        data = UserCreate(
            username=username,
            display_name=display_name,
            password=password,
            clearance=Level[clearance.upper()]
            if clearance.upper() in Level.__members__
            else clearance,
            service=Service(service.upper()) if service else None,
            organisation=organisation.upper() if organisation else None,
            unit=unit,
            roles=frozenset(role),
            compartments=frozenset(compartment or ()),
        )
    except (ValidationError, ValueError) as exc:
        err.print(f"[red]Not added:[/] {exc}")
        raise typer.Exit(2) from None
    settings = _settings()
    try:
        with transaction(_factory(settings)) as session:
            create(session, settings=settings, principal=None, data=data)
    except UserError as exc:
        err.print(f"[red]Not added:[/] {exc}")
        raise typer.Exit(2) from None
    console.print(f"Added [bold]{username}[/].")


@user_app.command("list")
def user_list() -> None:
    """List the accounts with their clearance, roles and status."""
    from baken.core.db import transaction
    from baken.core.users import list_users

    with transaction(_factory(_settings())) as session:
        people = list_users(session, principal=None)
    table = Table("username", "name", "clearance", "service/org", "roles", "compartments", "status")
    for u in people:
        table.add_row(
            u.username,
            u.display_name,
            u.clearance.name,
            u.service.value if u.service else (u.organisation or ""),
            ", ".join(sorted(u.roles)),
            ", ".join(sorted(u.compartments)),
            "disabled" if u.disabled else "active",
        )
    console.print(table)


@user_app.command("disable")
def user_disable(
    username: str,
    enable: Annotated[bool, typer.Option("--enable", help="Enable again instead.")] = False,
) -> None:
    """Disable an account (its sessions end at once), or enable it again."""
    from baken.core.db import transaction
    from baken.core.users import UserError, set_disabled

    try:
        with transaction(_factory(_settings())) as session:
            set_disabled(session, principal=None, username=username, disabled=not enable)
    except UserError as exc:
        err.print(f"[red]{exc}[/]")
        raise typer.Exit(2) from None
    console.print(f"{username} {'enabled' if enable else 'disabled'}.")


@app.command()
def demo(
    reset_passwords: Annotated[
        bool, typer.Option(help="Give the demo users new passwords and print them again.")
    ] = False,
    size: Annotated[
        str,
        typer.Option(
            help="small: the base world (for tests); default: adds 2,000 generated documents, "
            "a 1,000-row bulk dataset and a screening in every state (make run); large: "
            "30,000 documents and 100,000 bulk rows (benchmark scale)."
        ),
    ] = "default",
) -> None:
    """Load the fictional demo world (idempotent) and print the demo users."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TaskID,
        TextColumn,
        TimeElapsedColumn,
    )

    from baken.demo import load_demo
    from baken.demo_world.sizes import SizeError, size_of

    try:
        wanted = size_of(size)
    except SizeError as exc:
        err.print(f"[red]--size: {exc}.[/] Nothing was changed.")
        raise typer.Exit(2) from None
    settings = _settings()
    password = os.environ.get("BAKEN_DEMO_PASSWORD") or secrets.token_urlsafe(9)
    bar = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
    )
    tasks: dict[str, TaskID] = {}

    def progress(step: str, done: int, total: int) -> None:
        if step not in tasks:
            tasks[step] = bar.add_task(step, total=total)
        bar.update(tasks[step], completed=done, total=total)

    with bar:
        created, users = load_demo(
            settings, password=password, reset=reset_passwords, size=wanted, progress=progress
        )
    table = Table(
        "username",
        "role",
        "clearance",
        "service/organisation",
        "compartments",
        title="Demo users (fictional)",
    )
    for u in users:
        table.add_row(
            u.username,
            ", ".join(sorted(u.roles)),
            u.clearance.name,
            u.service.value if u.service else (u.organisation or ""),
            ", ".join(sorted(u.compartments)),
        )
    console.print(table)
    if created or reset_passwords:
        console.print(
            f"Password for every demo user: [bold]{password}[/] "
            "(shown once; `baken demo --reset-passwords` sets a new one)."
        )
    else:
        console.print(
            "Demo world already loaded; passwords were shown when it was made "
            "(`baken demo --reset-passwords` sets new ones)."
        )


@audit_app.command("verify")
def audit_verify(
    anchor: Annotated[
        str | None,
        typer.Option(help="SEQ:HASH from `baken audit head`, kept outside the database."),
    ] = None,
) -> None:
    """Check the audit hash chain; name the first bad entry. Exit 1 when broken."""
    from baken.core import audit
    from baken.core.db import transaction

    pin = None
    if anchor:
        seq, _, digest = anchor.partition(":")
        if not seq.isdigit() or len(digest) != 64:
            err.print("[red]--anchor takes SEQ:HASH as printed by `baken audit head`.[/]")
            raise typer.Exit(2)
        pin = (int(seq), digest)
    with transaction(_factory(_settings())) as session:
        result = audit.verify(session, anchor=pin)
        audit.record(
            session,
            principal=None,
            actor="console",
            action="audit.verify",
            outcome="ok" if result.ok else "broken",
            details={"checked": result.checked, "bad_seq": result.bad_seq},
        )
    if result.ok:
        console.print(f"[green]Audit chain intact[/]: {result.checked} entries checked.")
        return
    err.print(
        f"[red]Audit chain broken at entry {result.bad_seq}[/]: {result.reason} "
        f"({result.checked} entries before it are intact)."
    )
    raise typer.Exit(1)


@audit_app.command("head")
def audit_head() -> None:
    """Print the last entry as SEQ:HASH, to keep outside the database as an anchor."""
    from baken.core import audit
    from baken.core.db import transaction

    with transaction(_factory(_settings())) as session:
        seq, digest = audit.head(session)
    console.print(f"{seq}:{digest}")


_registered: list[bool] = []


def application() -> typer.Typer:
    """The CLI with every module's commands (added once, through the ``baken_cli`` hook)."""
    from baken.plugins import registry

    if not _registered:
        registry().hook.baken_cli(app=app)
        _registered.append(True)
    return app


def main() -> None:
    application()()
