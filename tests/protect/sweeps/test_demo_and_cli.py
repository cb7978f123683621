"""The sweeps demo (fictional: an overdue room with a flagged meeting, a remediated
finding, an open one) and ``baken protect sweeps-due`` over it."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from baken.cli import application
from baken.core.config import Settings
from baken.core.db import transaction
from baken.core.markings import Level, Service
from baken.protect.sweeps import dashboard, demo, meetings, service
from baken.protect.sweeps.models import Finding, Room
from tests.conftest import People
from tests.protect.sweeps.conftest import TODAY


def test_the_demo_is_fictional_and_the_cli_lists_the_overdue_room(
    settings: Settings,
    factory: sessionmaker[Session],
    people: People,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    evo = people.add("evo", Level.STG_GEHEIM, {"protect_officer"}, Service.MIVD)
    lead = people.add("teamleider", Level.STG_ZEER_GEHEIM, {"team_lead"})
    planner = people.add("planner.aivd", Level.STG_GEHEIM, {"planner"})
    users = {"evo": evo.id, "teamleider": lead.id, "planner.aivd": planner.id}
    with transaction(factory) as s:
        demo.load(s, users, settings)
    with transaction(factory) as s:
        names = list(s.scalars(select(Room.name)))
        assert len(names) == 5
        assert all("(fictief)" in n for n in names)
        assert {f.status for f in s.scalars(select(Finding))} == {"open", "closed"}
        states = {service.state(r, TODAY) for r in service.rooms(s, evo)[0]}
        assert {"overdue", "never", "due_soon", "ok"} <= states
        flagged, _ = meetings.meetings(s, planner, today=TODAY, flagged_only=True)
        assert [m.meeting.title for m in flagged] == ["Overleg operationele prioriteiten (fictief)"]
        counts = dashboard.counts(s, evo, today=TODAY)
        assert counts.open_findings == 1
        assert counts.flagged_meetings == 1
    monkeypatch.setenv("BAKEN_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("BAKEN_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("COLUMNS", "200")  # rich wraps long names in a narrow terminal
    runner, app = CliRunner(), application()
    result = runner.invoke(app, ["protect", "sweeps-due", "--user", "evo"])
    assert result.exit_code == 0, result.output
    assert "Bestuurskamer" in result.output
    assert "Crisiszaal" not in result.output  # due soon, not overdue
    wider = runner.invoke(app, ["protect", "sweeps-due", "--user", "evo", "--dagen", "30"])
    assert "Crisiszaal" in wider.output
