"""``baken vetting capacity`` from the shell (same checks, policy and audit as the page),
and the demo scenario (a search for the FTE at the UVO's 2026 volume)."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from baken.cli import application
from baken.core.db import transaction
from baken.vetting.capacity import demo, service
from baken.vetting.capacity.models import Scenario
from tests.vetting.capacity.conftest import CWorld

runner = CliRunner()


@pytest.fixture(autouse=True)
def _env(cw: CWorld, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BAKEN_DATABASE_URL", cw.settings.database_url)
    monkeypatch.setenv("BAKEN_DATA_DIR", str(cw.settings.data_dir))


def _rows(cw: CWorld) -> list[Scenario]:
    with transaction(cw.factory) as session:
        rows = list(session.scalars(select(Scenario)))
        session.expunge_all()
        return rows


def test_the_cli_simulates_and_finds_the_fte(cw: CWorld) -> None:
    base = ["vetting", "capacity", "--user", "uvo", "--volume", "1500", "--mix", "20,50,30"]
    one = runner.invoke(application(), [*base, "--fte", "6"])
    assert one.exit_code == 0, one.output
    assert "6 FTE" in one.output
    found = runner.invoke(application(), [*base, "--find-fte", "--seed", "3"])
    assert found.exit_code == 0, found.output
    rows = _rows(cw)
    assert [r.state for r in rows] == ["done", "done"]
    assert f"{rows[1].results['fte']} FTE" in found.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--volume", "0", "--mix", "20,50,30", "--fte", "3"], "volume"),
        (["--volume", "900", "--mix", "20,50,20", "--fte", "3"], "100%"),
        (["--volume", "900", "--mix", "20,50,30", "--fte", "-1"], "FTE"),
        (["--volume", "900", "--mix", "20,50,30", "--find-fte", "--target", "1.5"], "target"),
        (["--volume", "900", "--mix", "20,50", "--fte", "3"], "three numbers"),
        (["--volume", "900", "--mix", "20,50,30"], "--fte N or --find-fte"),
    ],
)
def test_the_cli_refuses_bad_input(cw: CWorld, args: list[str], message: str) -> None:
    result = runner.invoke(application(), ["vetting", "capacity", "--user", "uvo", *args])
    assert result.exit_code == 2
    assert message in result.output
    assert _rows(cw) == []


def test_the_cli_acts_as_a_user_with_the_role(cw: CWorld) -> None:
    args = ["--user", "analist", "--volume", "900", "--mix", "20,50,30", "--fte", "3"]
    result = runner.invoke(application(), ["vetting", "capacity", *args])
    assert result.exit_code == 2
    assert "Not allowed" in result.output
    assert _rows(cw) == []


def test_the_demo_answers_the_fte_question(cw: CWorld) -> None:
    with transaction(cw.factory) as session:
        demo.load(session, {"uvo": cw.officer.id}, cw.settings)
    with transaction(cw.factory) as session:
        [view] = service.list_scenarios(session, principal=cw.officer)
    assert view.state == "done"
    assert view.answer_fte is not None
    assert view.result is not None
    assert view.result["share_within_term"] >= 0.9
    assert "fictieve" in view.title
    assert view.params["volume"] == round(26438 * 1.15)
