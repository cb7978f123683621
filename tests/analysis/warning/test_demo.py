"""The early-warning demo data: the dashboard is alive and a signal waits for the demo
analyst ``analist.zg``, who follows Eastern Europe."""

from __future__ import annotations

from baken.analysis.warning import demo, service
from baken.core.db import transaction
from baken.core.markings import Level
from tests.conftest import People
from tests.holdings.conftest import World


def test_the_demo_fires_a_signal_for_the_demo_analyst(world: World, people: People) -> None:
    analyst = people.add("analist.zg", Level.STG_ZEER_GEHEIM, compartments={"KOBALT"})
    with transaction(world.factory) as session:
        demo.load(session, {"analist.zg": analyst.id}, world.settings)
    with transaction(world.factory) as session:
        alerts = service.list_alerts(session, principal=analyst)
        board = service.dashboard(session, principal=analyst)
        low = service.dashboard(session, principal=world.low)
    assert [a.key.place for a in alerts] == ["R-OEUR"]
    assert alerts[0].week == service.recent_weeks()[-1]
    assert ("R-OEUR", "CYB") in {(r, t) for r, t, _, _ in board.flagged}
    assert {t for _, t in board.cells} >= {"CYB", "ET", "RUS", "EW"}
    # A Dep. Vertrouwelijk viewer sees only the series marked at that level.
    assert {t for _, t in low.cells} == {"ET", "EW"}
