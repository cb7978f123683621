"""Leak-matrix fixtures and cases for protect (resilience).

The ``weerbaarheidsproduct`` fixture is a victim notification (victim VICTIM-A) whose
title, topic and incident carry the secret, made through the service as the matrix
author; then the product and its record are re-marked at the matrix marking, the product
is approved (set directly: the matrix has no second person for the four-eyes step) and,
when the marking is releasable to exactly one recipient organisation, released to it (so
the release is marked as the fixture). ``release_id`` is 0 when there is no release.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from baken.analysis.products import dissemination
from baken.analysis.products import service as products
from baken.analysis.products.models import Product
from baken.analysis.products.schemas import recipient_codes
from baken.core.marking_store import intern, load_one
from baken.core.markings import Marking
from baken.core.principals import Principal
from baken.protect.resilience import service
from baken.protect.resilience.models import ResilienceRecord
from baken.protect.resilience.schemas import KIND
from baken.testing.leakmatrix import LeakCase, LeakFixture

DAY = date(2026, 3, 2)


def marking_of(session: Session, record_id: int) -> Marking:
    """The stored marking of a record (for tests; no policy)."""
    row = session.get(ResilienceRecord, record_id)
    assert row is not None
    return load_one(session, row.marking_id)


def remark(session: Session, record_id: int, marking: Marking) -> None:
    """Set a record's and its product's marking directly: the matrix (and tests) need
    objects at exactly a given marking."""
    row = session.get(ResilienceRecord, record_id)
    assert row is not None
    product = session.get(Product, row.product_id)
    assert product is not None
    row.marking_id = product.marking_id = intern(session, marking)
    session.flush()


def make_record(
    session: Session, author: Principal, marking: Marking, secret: str
) -> dict[str, Any]:
    record_id = service.create(
        session,
        principal=author,
        type="slachtoffernotificatie",
        title=f"Notificatie {secret}",
        summary_text=f"Samenvatting {secret}",
        audience=["vitale_sectoren"],
        topic=f"Onderwerp {secret}",
        victim="VICTIM-A",
        incident=f"Incident {secret}",
        observed_on=DAY,
        channel="gesprek",
        today=DAY,
    )
    remark(session, record_id, marking)
    row = session.get(ResilienceRecord, record_id)
    assert row is not None
    product_id = row.product_id
    products._force_status(session, product_id, "approved", approver=author.id)
    outside = sorted(set(marking.external_readers()) & set(recipient_codes()))
    products._set_recipients(session, product_id, outside)
    release_id = 0
    if len(outside) == 1 and not marking.compartments:
        release_id = dissemination.release(
            session, principal=author, product_id=product_id, recipient=outside[0]
        )
    return {"record_id": record_id, "product_id": product_id, "release_id": release_id}


FIXTURES = [LeakFixture(KIND, KIND, make_record)]

_R = "/weerbaarheid/{record_id}"

CASES = [
    LeakCase("GET", "/weerbaarheid", fixture=KIND),
    LeakCase("GET", "/weerbaarheid/nieuw"),
    LeakCase(
        "POST",
        "/weerbaarheid/nieuw",
        fixture=KIND,
        form=lambda p: {"type": "slachtoffernotificatie", "title": "x", "topic": "x"},
    ),
    LeakCase("GET", "/weerbaarheid/meldingen", fixture=KIND),
    LeakCase(
        "POST",
        "/weerbaarheid/meldingen/{release_id}/ontvangst",
        fixture=KIND,
        form=lambda p: {},
        order=1,
    ),
    LeakCase("GET", _R, fixture=KIND),
    LeakCase("POST", _R, fixture=KIND, form=lambda p: {"topic": ""}),
    LeakCase("GET", "/api/v1/protect/resilience", fixture=KIND),
    LeakCase("GET", "/api/v1/protect/resilience/{record_id}", fixture=KIND),
]
