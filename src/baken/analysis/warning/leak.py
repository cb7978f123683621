"""Leak-matrix fixtures and cases for analysis (warning).

The ``event`` fixture is an event recorded through the service at one marking, its actor
and description naming the secret; it counts in the series of the Netherlands and the
cyber theme. Signals are per recipient and computed with the recipient's own policy
filter (tests/analysis/warning check that); their routes are called here with ids that
address nothing, and the read routes must not change once hidden events exist.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy.orm import Session

from baken.analysis.warning import service
from baken.core.markings import Marking
from baken.core.principals import Principal
from baken.testing.leakmatrix import LeakCase, LeakFixture


def make_event(
    session: Session, author: Principal, marking: Marking, secret: str
) -> dict[str, Any]:
    event_id = service.record_event(
        session,
        principal=author,
        data=service.EventIn(
            occurred_on=service.today() - timedelta(days=3),
            country="NL",
            event_type="cyberincident",
            theme="CYB",
            marking=marking,
            actor=f"Groep {secret}",
            description=f"Inbraak door {secret} bij een ministerie.",
        ),
    )
    return {"event_id": event_id}


FIXTURES = [LeakFixture("event", service.EVENT, make_event)]

_BAD_EVENT = {"occurred_on": "2999-01-01", "country": "NL", "event_type": "overig", "theme": "CYB"}

CASES = [
    LeakCase("GET", "/vroegsignalering"),
    LeakCase("GET", "/vroegsignalering/reeks", query={"plaats": "NL", "thema": "CYB"}),
    LeakCase("GET", "/vroegsignalering/gebeurtenissen"),
    LeakCase("POST", "/vroegsignalering/gebeurtenissen", form=lambda p: dict(_BAD_EVENT)),
    LeakCase("GET", "/vroegsignalering/gebeurtenissen/{event_id}", fixture="event"),
    LeakCase("GET", "/vroegsignalering/signalen"),
    LeakCase(
        "POST",
        "/vroegsignalering/signalen/{alert_id}/gelezen",
        params={"alert_id": 0},
        form=lambda p: {},
    ),
    LeakCase(
        "POST", "/vroegsignalering/volgen", form=lambda p: {"target_kind": "place", "target": "NL"}
    ),
    LeakCase(
        "POST",
        "/vroegsignalering/volgen/{follow_id}/verwijderen",
        params={"follow_id": 0},
        form=lambda p: {},
    ),
    LeakCase("POST", "/vroegsignalering/detectie", form=lambda p: {}, order=1),
    LeakCase("GET", "/api/v1/analysis/warning/events"),
    LeakCase(
        "POST",
        "/api/v1/analysis/warning/events",
        json=lambda p: {**_BAD_EVENT, "marking": {"level": "ONGERUBRICEERD"}},
    ),
    LeakCase("GET", "/api/v1/analysis/warning/events/{event_id}", fixture="event"),
    LeakCase("GET", "/api/v1/analysis/warning/series", query={"place": "NL", "theme": "CYB"}),
    LeakCase("GET", "/api/v1/analysis/warning/alerts"),
    LeakCase(
        "POST",
        "/api/v1/analysis/warning/alerts/{alert_id}/read",
        params={"alert_id": 0},
        json=lambda p: {},
    ),
    LeakCase("GET", "/api/v1/analysis/warning/follows"),
    LeakCase(
        "POST",
        "/api/v1/analysis/warning/follows",
        json=lambda p: {"target_kind": "place", "target": "R-WEUR"},
    ),
    LeakCase("DELETE", "/api/v1/analysis/warning/follows/{follow_id}", params={"follow_id": 0}),
    LeakCase("POST", "/api/v1/analysis/warning/detect", json=lambda p: {}, order=1),
]
