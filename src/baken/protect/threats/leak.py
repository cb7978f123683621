"""Leak-matrix fixtures and cases for protect (threats).

The ``dreigingsproduct`` fixture is a threat assessment about an event named after the
secret, addressed to the NCTV: made through the services as a protect officer, approved
(set directly: the matrix has no second person for the four-eyes step), released to the
NCTV and with a decision on measures whose text carries the secret. Then the product, the
record, the release and the decision are all re-marked at the matrix marking, so the
matrix tests every read filter of this part (the product's, the record's, the release's
and the decision's) at every marking.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session

from baken.analysis.products import service as products
from baken.analysis.products.models import Product, Release
from baken.core.marking_store import intern
from baken.core.markings import Marking
from baken.core.principals import Principal
from baken.core.timeutil import aware
from baken.protect.threats import service
from baken.protect.threats.models import Decision, ThreatRecord
from baken.protect.threats.schemas import KIND
from baken.testing.leakmatrix import LeakCase, LeakFixture


def officer(author: Principal) -> Principal:
    return dataclasses.replace(author, roles=author.roles | {"protect_officer"})


def make_threat(
    session: Session, author: Principal, marking: Marking, secret: str
) -> dict[str, Any]:
    bb = officer(author)
    record_id = service.create(
        session,
        principal=bb,
        type="dreigingsinschatting",
        subject_kind="evenement",
        subject=f"Evenement {secret}",
        domain="rijksdomein",
        authority="nctv_coordinator",
        addressee="NCTV",
        title=f"Dreiging {secret}",
        summary_text="Samenvatting.",
    )
    record = session.get(ThreatRecord, record_id)
    assert record is not None
    products._force_status(session, record.product_id, "approved", approver=author.id)
    products._set_recipients(session, record.product_id, ["NCTV"])
    release_id = service.release_to_addressee(session, principal=bb, record_id=record_id)
    release = session.get(Release, release_id)
    assert release is not None
    day = aware(release.released_at).date()
    decision_id = service.record_decision(
        session,
        principal=bb,
        record_id=record_id,
        measures_chosen=["verhoogde_alertheid"],
        decided_on=day,
        text=f"Besluit {secret}",
        today=day,
    )
    marking_id = intern(session, marking)
    for table, row_id in (
        (Product, record.product_id),
        (ThreatRecord, record_id),
        (Release, release_id),
        (Decision, decision_id),
    ):
        session.execute(update(table).where(table.id == row_id).values(marking_id=marking_id))
    return {"record_id": record_id, "product_id": record.product_id, "release_id": release_id}


FIXTURES = [LeakFixture("dreigingsproduct", KIND, make_threat)]

_R = "/bewaken-beveiligen/{record_id}"
_API = "/api/v1/protect/threats"

CASES = [
    LeakCase("GET", "/bewaken-beveiligen", fixture="dreigingsproduct"),
    LeakCase("GET", "/bewaken-beveiligen/nieuw"),
    LeakCase(
        "POST",
        "/bewaken-beveiligen/nieuw",
        form=lambda p: {
            "type": "dreigingsinschatting",
            "subject_kind": "evenement",
            "subject": "x",
            "domain": "rijksdomein",
            "addressing": "",  # no addressee: refused, nothing stored
            "title": "x",
        },
    ),
    LeakCase("GET", _R, fixture="dreigingsproduct"),
    LeakCase("POST", _R + "/verstrekken", fixture="dreigingsproduct", form=lambda p: {}),
    LeakCase(
        "POST",
        _R + "/besluit",
        fixture="dreigingsproduct",
        form=lambda p: {"measures": "?", "decided_on": "2026-01-05", "text": ""},
    ),
    # The partner portal's release page (analysis) links the threat product through the
    # ``baken_release_links`` hook (:mod:`.hooks`): read at every marking here too.
    LeakCase("GET", "/portaal/{release_id}", fixture="dreigingsproduct"),
    LeakCase("GET", _API, fixture="dreigingsproduct"),
    LeakCase("GET", _API + "/{record_id}", fixture="dreigingsproduct"),
    LeakCase(
        "POST",
        _API + "/{record_id}/decision",
        fixture="dreigingsproduct",
        json=lambda p: {"measures": ["?"], "decided_on": "2026-01-05", "text": ""},
    ),
]
