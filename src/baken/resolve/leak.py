"""Leak-matrix fixtures and cases for resolve.

The ``xref`` fixture is a finished run over two collections at one marking, with one
candidate pair of two people named after the secret and a "same" verdict on it, all
made through the service. The ``screened`` fixture is a person entity (the holdings
entity fixture) that a screening query for the secret's name finds: what a match shows
is entity data, so its kind is the entity's.
"""

from __future__ import annotations

import json
from types import SimpleNamespace
from typing import Any

from sqlalchemy.orm import Session

from baken.core.markings import Marking
from baken.core.principals import Principal
from baken.holdings.leak import _collection
from baken.holdings.leak import make_document as make_person_document
from baken.holdings.service import entities
from baken.holdings.vocab import ENTITY
from baken.resolve import service
from baken.resolve.models import XrefRun
from baken.resolve.vocab import XREF
from baken.testing.leakmatrix import LeakCase, LeakFixture


def make_xref(session: Session, author: Principal, marking: Marking, secret: str) -> dict[str, Any]:
    left = _collection(session, author, marking, f"{secret}-a")
    right = _collection(session, author, marking, f"{secret}-b")
    run_id = service.start(
        session, principal=author, left_collection_id=left, right_collection_id=right
    )
    left_id, right_id = f"lek-{secret.lower()}-a", f"lek-{secret.lower()}-b"
    for collection_id, entity_id in ((left, left_id), (right, right_id)):
        person = {"id": entity_id, "schema": "Person", "properties": {"name": [secret]}}
        entities.import_ftm(
            session, principal=author, collection_id=collection_id, lines=[json.dumps(person)]
        )
    loaded = {
        side: SimpleNamespace(
            markings={entity: marking},
            captions={entity: f"{secret} {side}"},
            schemata={entity: "Person"},
        )
        for side, entity in (("a", left_id), ("b", right_id))
    }
    pair = SimpleNamespace(
        left_id=left_id,
        right_id=right_id,
        probability=0.99,
        match_weight=8.0,
        contributions=[SimpleNamespace(comparison="name", level=f"exact {secret}", weight=8.0)],
    )
    service._store(session, run_id, [pair], loaded["a"], loaded["b"])
    run = session.get(XrefRun, run_id)
    assert run is not None
    run.state, run.candidates = "done", 1
    session.flush()
    pair_id = service.pairs(session, principal=author, run_id=run_id).items[0].id
    service.judge(session, principal=author, pair_id=pair_id, verdict="same", note=secret)
    return {"run_id": run_id, "pair_id": pair_id, "entity_id": left_id}


def make_screened(
    session: Session, author: Principal, marking: Marking, secret: str
) -> dict[str, Any]:
    params = make_person_document(session, author, marking, secret)
    return {**params, "name": secret}


FIXTURES = [
    LeakFixture("xref", XREF, make_xref),
    LeakFixture("screened", ENTITY, make_screened),
]

CASES = [
    LeakCase("GET", "/kruisverwijzingen"),
    LeakCase(
        "POST", "/kruisverwijzingen", form=lambda p: {"left": "x", "right": "y", "threshold": "2"}
    ),
    LeakCase("GET", "/kruisverwijzingen/{run_id}", fixture="xref"),
    LeakCase("GET", "/kruisverwijzingen/{run_id}/voortgang", fixture="xref"),
    LeakCase("POST", "/kruisverwijzingen/{run_id}/opnieuw", fixture="xref", form=lambda p: {}),
    LeakCase("GET", "/kandidaten/{pair_id}", fixture="xref"),
    LeakCase(
        "POST", "/kandidaten/{pair_id}/oordeel", fixture="xref", form=lambda p: {"verdict": "?"}
    ),
    LeakCase("POST", "/kandidaten/{pair_id}/herstel", fixture="xref", form=lambda p: {}, order=1),
    LeakCase("GET", "/entiteiten/{entity_id}/samengevoegd", fixture="xref"),
    LeakCase("GET", "/screening"),
    LeakCase("POST", "/screening", fixture="screened", form=lambda p: {"names": p["name"].lower()}),
    LeakCase("POST", "/screening/batch", form=lambda p: {}),
    LeakCase("GET", "/api/v1/resolve/runs"),
    LeakCase(
        "POST",
        "/api/v1/resolve/runs",
        json=lambda p: {"left_collection_id": 0, "right_collection_id": 0},
    ),
    LeakCase("GET", "/api/v1/resolve/runs/{run_id}", fixture="xref"),
    LeakCase("GET", "/api/v1/resolve/runs/{run_id}/pairs", fixture="xref"),
    LeakCase(
        "POST",
        "/api/v1/resolve/pairs/{pair_id}/judgement",
        fixture="xref",
        json=lambda p: {"verdict": "?"},
    ),
    LeakCase(
        "POST", "/api/v1/resolve/pairs/{pair_id}/undo", fixture="xref", json=lambda p: {}, order=1
    ),
    LeakCase("GET", "/api/v1/resolve/entities/{entity_id}/merged", fixture="xref"),
    LeakCase(
        "POST",
        "/api/v1/resolve/screening",
        fixture="screened",
        json=lambda p: {"names": [p["name"].lower()]},
    ),
    LeakCase("POST", "/api/v1/resolve/screening/batch", json=lambda p: {}),
]
