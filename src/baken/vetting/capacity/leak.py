"""Leak-matrix fixtures and cases for vetting (capacity).

The ``capaciteitsscenario`` fixture is a small scenario titled after the secret, made
through the service and answered by one short simulation; its marking is then set to the
matrix marking, so that the matrix tests the read filter at every marking.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from baken.core.marking_store import intern
from baken.core.markings import Marking
from baken.core.principals import Principal
from baken.testing.leakmatrix import LeakCase, LeakFixture
from baken.vetting.capacity import service, sim
from baken.vetting.capacity.models import Scenario


def make_scenario(
    session: Session, author: Principal, marking: Marking, secret: str
) -> dict[str, Any]:
    question = service.ScenarioIn.defaults(
        title=f"Scenario {secret}",
        mode="simulate",
        volume=200,
        mix=(10.0, 40.0, 50.0),
        fte=2,
        marking="ONGERUBRICEERD",
    )
    scenario_id = service.create(session, principal=author, data_in=question)
    row = session.get(Scenario, scenario_id)
    assert row is not None
    result = sim.simulate(service.check(question))
    row.results = {
        "result": result.as_dict(),
        "curve": [[2, result.share_within_term, result.utilisation]],
    }
    row.state = "done"
    row.marking_id = intern(session, marking)
    session.flush()
    return {"scenario_id": scenario_id}


FIXTURES = [LeakFixture("capaciteitsscenario", service.KIND, make_scenario)]

CASES = [
    LeakCase("GET", "/capaciteit"),
    LeakCase(
        "POST",
        "/capaciteit",
        form=lambda p: {"title": "x", "mode": "find", "volume": "0", "mix_a": "50"},
    ),
    LeakCase("GET", "/capaciteit/{scenario_id}", fixture="capaciteitsscenario"),
    LeakCase("GET", "/capaciteit/{scenario_id}/voortgang", fixture="capaciteitsscenario"),
    LeakCase("GET", "/api/v1/vetting/capacity"),
    LeakCase(
        "POST",
        "/api/v1/vetting/capacity",
        json=lambda p: {"title": "x", "volume": 0, "mix": [10, 40, 50]},
    ),
    LeakCase("GET", "/api/v1/vetting/capacity/{scenario_id}", fixture="capaciteitsscenario"),
]
