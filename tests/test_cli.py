"""The ``baken`` command line: help, migrations, users, demo (on the test database)."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from baken import cli
from baken.cli import app
from baken.core.config import Settings
from baken.core.db import transaction
from baken.core.models import AuditEntry, User

runner = CliRunner()


@pytest.fixture(autouse=True)
def _db(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BAKEN_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("BAKEN_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("BAKEN_ARGON2_TIME_COST", "1")
    monkeypatch.setenv("BAKEN_ARGON2_MEMORY_KIB", "64")
    # Wide enough that tables do not wrap the names the tests look for.
    monkeypatch.setattr(cli.console, "_width", 200)


@pytest.mark.parametrize(
    "command",
    [[], ["db"], ["user"], ["audit"], ["serve"], ["demo"], ["user", "add"], ["audit", "verify"]],
)
def test_help_explains_each_command(command: list[str]) -> None:
    result = runner.invoke(app, [*command, "--help"])
    assert result.exit_code == 0
    assert "Usage" in result.output


def test_db_upgrade_is_idempotent() -> None:
    result = runner.invoke(app, ["db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert "head" in result.output


def test_user_add_list_disable(factory: sessionmaker[Session]) -> None:
    added = runner.invoke(
        app,
        [
            "user",
            "add",
            "piet.planner",
            "--name",
            "Piet Planner",
            "--clearance",
            "stg_geheim",
            "--role",
            "planner",
            "--service",
            "aivd",
            "--password-stdin",
        ],
        input="een lang wachtwoord\n",
    )
    assert added.exit_code == 0, added.output
    listed = runner.invoke(app, ["user", "list"])
    assert "piet.planner" in listed.output
    assert "planner" in listed.output
    disabled = runner.invoke(app, ["user", "disable", "piet.planner"])
    assert disabled.exit_code == 0
    with transaction(factory) as session:
        user = session.scalar(select(User).where(User.username == "piet.planner"))
        assert user is not None
        assert user.disabled
        assert session.scalar(select(AuditEntry).where(AuditEntry.action == "user.disable"))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--clearance", "supergeheim", "--role", "planner", "--service", "aivd"], "clearance"),
        (["--clearance", "stg_geheim", "--role", "koning", "--service", "aivd"], "unknown roles"),
        (["--clearance", "stg_geheim", "--role", "planner"], "AIVD or MIVD"),
        (
            ["--clearance", "stg_geheim", "--role", "partner_recipient", "--organisation", "NOPE"],
            "unknown organisation",
        ),
    ],
)
def test_user_add_refuses_bad_input(
    args: list[str], message: str, factory: sessionmaker[Session]
) -> None:
    result = runner.invoke(
        app,
        ["user", "add", "iemand", "--name", "Iemand", *args, "--password-stdin"],
        input="een lang wachtwoord\n",
    )
    assert result.exit_code == 2
    assert message in result.output
    with transaction(factory) as session:
        assert session.scalar(select(User)) is None


def test_short_password_and_duplicate_are_refused() -> None:
    base = [
        "user",
        "add",
        "jan.jansen",
        "--name",
        "Jan",
        "--clearance",
        "stg_geheim",
        "--role",
        "analyst",
        "--service",
        "mivd",
        "--password-stdin",
    ]
    assert runner.invoke(app, base, input="kort\n").exit_code == 2
    assert runner.invoke(app, base, input="een lang wachtwoord\n").exit_code == 0
    again = runner.invoke(app, base, input="een lang wachtwoord\n")
    assert again.exit_code == 2
    assert "taken" in again.output


def test_disable_unknown_user() -> None:
    result = runner.invoke(app, ["user", "disable", "niemand"])
    assert result.exit_code == 2


def test_demo_loads_once_and_prints_users(
    monkeypatch: pytest.MonkeyPatch, factory: sessionmaker[Session]
) -> None:
    monkeypatch.setenv("BAKEN_DEMO_PASSWORD", "demo-wachtwoord-1")
    first = runner.invoke(app, ["demo", "--size", "small"])
    assert first.exit_code == 0, first.output
    assert "demo-wachtwoord-1" in first.output
    assert "analist.zg" in first.output
    second = runner.invoke(app, ["demo", "--size", "small"])
    assert second.exit_code == 0
    assert "demo-wachtwoord-1" not in second.output
    assert "already loaded" in second.output
    verify = runner.invoke(app, ["audit", "verify"])
    assert verify.exit_code == 0, verify.output
    with transaction(factory) as session:
        roles = {r for (r,) in session.execute(select(User.username))}
        assert {"ctivd", "nctv", "werkgever", "rubricering", "uvo"} <= roles
