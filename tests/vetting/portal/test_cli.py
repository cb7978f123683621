"""``baken vetting notify-delays`` as a named officer: sends once, refuses others."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from baken.cli import application
from baken.vetting.portal.models import DelayNotice
from tests.vetting.portal.conftest import DAY, World

runner = CliRunner()


@pytest.fixture(autouse=True)
def _db(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BAKEN_DATABASE_URL", world.settings.database_url)
    monkeypatch.setenv("BAKEN_DATA_DIR", str(world.settings.data_dir))


def _notices(world: World) -> int:
    return world.run(lambda s: s.scalar(select(func.count()).select_from(DelayNotice)) or 0)


def test_notify_delays_from_the_shell(world: World) -> None:
    world.request(on=DAY)
    late = str(DAY + timedelta(days=60))
    first = runner.invoke(
        application(), ["vetting", "notify-delays", "--user", "uvo.test", "--on", late]
    )
    assert first.exit_code == 0, first.output
    assert "1 delay notice(s) sent." in first.output
    again = runner.invoke(
        application(), ["vetting", "notify-delays", "--user", "uvo.test", "--on", late]
    )
    assert "0 delay notice(s) sent." in again.output
    assert _notices(world) == 1


def test_notify_delays_refuses_others_and_bad_dates(world: World) -> None:
    world.request(on=DAY)
    late = str(DAY + timedelta(days=60))
    denied = runner.invoke(
        application(), ["vetting", "notify-delays", "-u", "werkgever.a", "--on", late]
    )
    assert denied.exit_code == 1
    bad = runner.invoke(
        application(), ["vetting", "notify-delays", "-u", "uvo.test", "--on", "gisteren"]
    )
    assert bad.exit_code == 2
    assert _notices(world) == 0
