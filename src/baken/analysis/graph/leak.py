"""Leak-matrix fixtures and cases for analysis (graph).

The ``netwerk`` fixture is a collection at one marking with a person and a company
named after the secret, an Ownership between them, and an Associate link from the person
to one shared hub entity (``HUB``) that every fixture links to; plus a saved view of the
person and the company. The hub's neighbourhood grows with every fixture, hidden ones
too: the non-interference pass checks that hidden neighbours change nothing there.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy.orm import Session

from baken.analysis.graph import service
from baken.analysis.graph.vocab import VIEW
from baken.core.markings import Marking
from baken.core.principals import Principal
from baken.holdings.leak import _collection
from baken.holdings.service import entities
from baken.testing.leakmatrix import LeakCase, LeakFixture

HUB = "lek-graaf-knooppunt"


def network_lines(secret: str, hub: str | None = HUB) -> tuple[str, str, list[str]]:
    key = secret.lower()
    person, company = f"lek-graaf-{key}-p", f"lek-graaf-{key}-c"
    items: list[dict[str, Any]] = [
        {"id": person, "schema": "Person", "properties": {"name": [f"{secret} persoon"]}},
        {"id": company, "schema": "Company", "properties": {"name": [f"{secret} bv"]}},
        {
            "id": f"lek-graaf-{key}-own",
            "schema": "Ownership",
            "properties": {"owner": [person], "asset": [company], "role": [secret]},
        },
    ]
    if hub is not None:
        items += [
            {"id": hub, "schema": "Person", "properties": {"name": ["Knooppunt"]}},
            {
                "id": f"lek-graaf-{key}-hub",
                "schema": "Associate",
                "properties": {"person": [hub], "associate": [person]},
            },
        ]
    return person, company, [json.dumps(i) for i in items]


def make_network(
    session: Session, author: Principal, marking: Marking, secret: str
) -> dict[str, Any]:
    collection_id = _collection(session, author, marking, f"{secret}-graaf")
    person, company, lines = network_lines(secret)
    entities.import_ftm(session, principal=author, collection_id=collection_id, lines=lines)
    view_id = service.save_view(
        session,
        principal=author,
        title=f"Weergave {secret}",
        center_id=person,
        nodes=[person, company],
        layout={person: {"x": 0, "y": 0}, company: {"x": 100, "y": 0}},
    )
    return {"entity_id": person, "view_id": view_id, "collection_id": collection_id}


FIXTURES = [LeakFixture("netwerk", VIEW, make_network)]


def _view_form(p: dict[str, Any]) -> dict[str, Any]:
    return {
        "title": "lek",
        "center": p["entity_id"],
        "nodes": json.dumps([p["entity_id"]]),
        "layout": "{}",
    }


CASES = [
    LeakCase("GET", "/graaf"),
    LeakCase("GET", "/graaf/graaf.js"),
    LeakCase("GET", "/graaf/entiteit/{entity_id}", fixture="netwerk"),
    LeakCase("GET", "/graaf/entiteit/{entity_id}", params={"entity_id": HUB}),
    LeakCase("GET", "/graaf/weergaven/{view_id}", fixture="netwerk"),
    LeakCase("POST", "/graaf/weergaven", fixture="netwerk", form=_view_form),
    LeakCase("GET", "/api/v1/analysis/graph/entities/{entity_id}/neighbours", fixture="netwerk"),
    LeakCase(
        "GET",
        "/api/v1/analysis/graph/entities/{entity_id}/neighbours",
        params={"entity_id": HUB},
    ),
    LeakCase("GET", "/api/v1/analysis/graph/views"),
    LeakCase("GET", "/api/v1/analysis/graph/views/{view_id}", fixture="netwerk"),
    LeakCase(
        "POST",
        "/api/v1/analysis/graph/views",
        fixture="netwerk",
        json=lambda p: {"title": "lek", "center": p["entity_id"], "nodes": [p["entity_id"]]},
    ),
]
