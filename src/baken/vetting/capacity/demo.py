"""The fictional demo data of vetting (capacity): one answered scenario, the UVO's 2021
volume with the (assumed) 2026 rise, so that the capacity page shows an answer at once.
Its assumptions are illustrative and say so."""

from __future__ import annotations

from sqlalchemy.orm import Session

from baken.core.config import Settings
from baken.core.models import User
from baken.core.timeutil import utcnow
from baken.core.users import to_principal
from baken.vetting.capacity import service, sim
from baken.vetting.capacity.models import Scenario


def load(session: Session, users: dict[str, int], settings: Settings) -> None:
    if "uvo" not in users:
        return
    user = session.get(User, users["uvo"])
    assert user is not None
    officer = to_principal(user)
    rise = float(service.vocab()["rise_2026"])
    question = service.ScenarioIn.defaults(
        title=f"UVO 2026: verwachte stijging +{rise * 100:.0f}% (fictieve aannames)",
        mode="find",
        volume=service.preset_volume("uvo_2026", rise),
    )
    scenario_id = service.create(session, principal=officer, data_in=question)
    row = session.get(Scenario, scenario_id)
    assert row is not None
    search = sim.find_fte(service.check(question), target=question.target)
    row.results, row.state = search.as_dict(), "done"
    row.done = row.total = 1
    row.finished_at = utcnow()
