"""``baken vetting screenings`` lists the overdue and at-risk cases the user may read."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from typer.testing import CliRunner

from baken.cli import application
from baken.core.config import Settings
from tests.vetting.screenings.conftest import BSN2, SWorld


def test_cli_lists_overdue_cases(
    sw: SWorld, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BAKEN_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("BAKEN_DATA_DIR", str(settings.data_dir))
    late = sw.request(on=date.today() - timedelta(weeks=9))
    sw.request(bsn=BSN2, on=date.today())
    runner, app = CliRunner(), application()
    result = runner.invoke(app, ["vetting", "screenings", "--user", "uvo"])
    assert result.exit_code == 0, result.output
    assert sw.screening(late).ref in result.output
    assert "te-laat (1)" in result.output
    # The other employer's officer reads none of them.
    other = runner.invoke(app, ["vetting", "screenings", "--user", "werkgever.b"])
    assert "te-laat (0)" in other.output
