"""Leak-matrix fixtures and cases for oversight (lifecycle).

The ``bulkdataset`` fixture is a bulk collection gathered with a special power, titled
after the secret, holding one entity named after it, with a verdict on that entity and a
request to extend its term (whose motivation carries the secret). The ``vernietiging``
fixture is a destroyed bulk dataset whose destruction record's reason carries the secret.
All are made through the services.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from baken.core.markings import Marking
from baken.core.principals import Principal
from baken.core.schemas import MarkingIn
from baken.holdings.schemas import CollectionCreate
from baken.holdings.service import collections, entities
from baken.oversight.lifecycle import destruction, extensions, service
from baken.testing.leakmatrix import LeakCase, LeakFixture

DAY = date(2026, 3, 2)


def _dataset(session: Session, author: Principal, marking: Marking, secret: str) -> tuple[int, str]:
    collection_id = collections.create(
        session,
        principal=author,
        data=CollectionCreate(
            name=f"lek-bulk-{secret.lower()}",
            title=f"Bulkdataset {secret}",
            kind="bulk",
            legal_basis="special_power",
            permission_ref="TIB-2026-0001",
            acquired_on=date(2026, 1, 5),
            marking=MarkingIn.of(marking),
        ),
    )
    entity_id = f"lek-bulk-{secret.lower()}-1"
    person = {"id": entity_id, "schema": "Person", "properties": {"name": [secret]}}
    entities.import_ftm(
        session, principal=author, collection_id=collection_id, lines=[json.dumps(person)]
    )
    return collection_id, entity_id


def make_dataset(
    session: Session, author: Principal, marking: Marking, secret: str
) -> dict[str, Any]:
    collection_id, entity_id = _dataset(session, author, marking, secret)
    service.assess(
        session,
        principal=author,
        collection_id=collection_id,
        items=[("entity", entity_id)],
        verdict="relevant",
        today=DAY,
    )
    extension_id = extensions.request_extension(
        session,
        principal=author,
        collection_id=collection_id,
        new_until=date(2028, 1, 1),
        motivation=f"Nog te beoordelen: {secret}",
        today=DAY,
    )
    return {"collection_id": collection_id, "extension_id": extension_id, "entity_id": entity_id}


def make_destroyed(
    session: Session, author: Principal, marking: Marking, secret: str
) -> dict[str, Any]:
    collection_id, _ = _dataset(session, author, marking, f"{secret}-weg")
    record_id = destruction.destroy(
        session,
        principal=author,
        collection_id=collection_id,
        scope="all",
        reason=f"Niet relevant: {secret}",
        today=DAY,
        stores=destruction.Stores.for_session(session),
    )
    return {"record_id": record_id, "collection_id": collection_id}


FIXTURES = [
    LeakFixture("bulkdataset", service.TERM, make_dataset),
    LeakFixture("vernietiging", service.DESTRUCTION, make_destroyed),
]

CASES = [
    LeakCase("GET", "/bulkdatasets"),
    LeakCase("GET", "/bulkdatasets/{collection_id}", fixture="bulkdataset"),
    LeakCase("GET", "/collecties/{collection_id}/rechtsgrond", fixture="bulkdataset"),
    LeakCase(
        "POST",
        "/collecties/{collection_id}/rechtsgrond",
        fixture="bulkdataset",
        form=lambda p: {"permission_id": "999999"},
    ),
    LeakCase(
        "POST",
        "/bulkdatasets/{collection_id}/beoordeling",
        fixture="bulkdataset",
        form=lambda p: {"item": "entity:x", "verdict": "?"},
    ),
    LeakCase(
        "POST",
        "/bulkdatasets/{collection_id}/beoordeling/rest",
        fixture="bulkdataset",
        form=lambda p: {"verdict": "?"},
    ),
    LeakCase(
        "POST",
        "/bulkdatasets/{collection_id}/bewaring",
        fixture="bulkdataset",
        form=lambda p: {"hold": "1", "reason": ""},
    ),
    LeakCase(
        "POST",
        "/bulkdatasets/{collection_id}/vernietigen",
        fixture="bulkdataset",
        form=lambda p: {"scope": "all", "reason": "x", "confirm": "nee"},
    ),
    LeakCase(
        "POST",
        "/bulkdatasets/{collection_id}/verlenging",
        fixture="bulkdataset",
        form=lambda p: {"new_until": "2099-01-01", "motivation": "x"},
    ),
    LeakCase(
        "POST",
        "/verlengingen/{extension_id}/minister",
        fixture="bulkdataset",
        form=lambda p: {"decision": "?"},
    ),
    LeakCase(
        "POST",
        "/verlengingen/{extension_id}/ctivd",
        fixture="bulkdataset",
        form=lambda p: {"review": "?"},
    ),
    LeakCase("GET", "/vernietigingen", fixture="vernietiging"),
    LeakCase(
        "POST",
        "/vernietigingen/{record_id}/controle",
        fixture="vernietiging",
        form=lambda p: {},
        differential=False,
    ),
    LeakCase("GET", "/api/v1/oversight/bulkdatasets"),
    LeakCase("GET", "/api/v1/oversight/destructions"),
    LeakCase(
        "POST",
        "/api/v1/oversight/destructions/{record_id}/verify",
        fixture="vernietiging",
        json=lambda p: {},
    ),
]
