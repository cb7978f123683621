"""The fictional demo data of oversight (lifecycle): a small bulk dataset gathered with a
special power, part of it assessed, and an extension request before the minister."""

from __future__ import annotations

import json
from datetime import date, timedelta

from sqlalchemy.orm import Session

from baken.core.config import Settings
from baken.core.markings import Marking, Service
from baken.core.models import User
from baken.core.schemas import MarkingIn
from baken.core.users import to_principal
from baken.holdings.schemas import CollectionCreate
from baken.holdings.service import collections, entities
from baken.oversight.lifecycle import extensions, service

NAMES = (
    "Noordster Scheepvaart B.V.",
    "Lindeboom Import",
    "Kustwacht Handel",
    "Oostpoort Logistiek",
    "Zilvermeeuw Holding",
    "Dijkzicht Vastgoed",
)


def load(session: Session, users: dict[str, int], settings: Settings) -> None:
    if "analist.zg" not in users:
        return
    user = session.get(User, users["analist.zg"])
    assert user is not None
    analyst = to_principal(user)
    today = date.today()
    acquired = today - timedelta(days=120)
    collection_id = collections.create(
        session,
        principal=analyst,
        data=CollectionCreate(
            name="bulk-scheepvaart",
            title="Bulkdataset scheepvaartregister (fictief)",
            description="Fictieve bulkdataset voor de demonstratie van de bewaartermijn.",
            kind="bulk",
            legal_basis="special_power",
            permission_ref="TIB-DEMO-0001",
            acquired_on=acquired,
            marking=MarkingIn.of(Marking.of("STG_GEHEIM", Service.AIVD)),
        ),
    )
    lines = [
        json.dumps({"id": f"demo-bulk-{i}", "schema": "Company", "properties": {"name": [name]}})
        for i, name in enumerate(NAMES)
    ]
    entities.import_ftm(session, principal=analyst, collection_id=collection_id, lines=lines)
    for ids, verdict in (
        (["demo-bulk-0", "demo-bulk-1"], "relevant"),
        (["demo-bulk-2"], "not_relevant"),
    ):
        service.assess(
            session,
            principal=analyst,
            collection_id=collection_id,
            items=[("entity", i) for i in ids],
            verdict=verdict,
            today=today,
        )
    term = service.default_term(collections.row(session, analyst, collection_id))
    extensions.request_extension(
        session,
        principal=analyst,
        collection_id=collection_id,
        new_until=service.add_months(term, 12),
        motivation="De relevantiebeoordeling van de scheepvaartgegevens vergt meer tijd.",
        today=today,
    )
