"""Exchange: STIX 2.1 bundles in (as holdings statements), a cyber product out as a STIX
2.1 bundle or a MISP event, a collection's entities out as FtM JSON lines.

Nothing here reads or writes marked tables itself: products are read through
:func:`baken.analysis.products.service.get` (the policy filter and its audit), holdings
through its services, which check the collection may be written and store everything
at the collection's marking in the caller's one transaction. Each exchange is audited
on top of what those services record.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from baken.analysis.exchange import misp_export, stix_export, stix_import
from baken.analysis.products import service as products
from baken.analysis.products.schemas import PRODUCT
from baken.core import audit
from baken.core.marking_store import load_one
from baken.core.markings import Marking
from baken.core.principals import Principal
from baken.holdings.service import collections, entities
from baken.holdings.vocab import ENTITY


@dataclass(frozen=True)
class Export:
    body: str
    marking: Marking
    filename: str
    media_type: str


@dataclass(frozen=True)
class Imported:
    collection_id: int
    entities: int
    objects: int
    skipped: dict[str, int] = field(default_factory=dict)


def _record(
    session: Session, principal: Principal, product_id: int, fmt: str, marking: Marking, n: int
) -> None:
    audit.record(
        session,
        principal=principal,
        action="product.export",
        kind=PRODUCT,
        object_id=product_id,
        marking=marking,
        details={"format": fmt, "observables": n},
    )


def export_stix(session: Session, *, principal: Principal, product_id: int) -> Export:
    """The product as a STIX 2.1 bundle (JSON); unreadable products are :class:`LookupError`."""
    view = products.get(session, principal=principal, product_id=product_id)
    bundle = stix_export.bundle(view)
    _record(session, principal, view.id, "stix", view.marking, len(view.observables))
    return Export(
        body=bundle.serialize(pretty=True),
        marking=view.marking,
        filename=f"product-{view.id}.stix.json",
        media_type="application/stix+json;version=2.1",
    )


def export_misp(session: Session, *, principal: Principal, product_id: int) -> Export:
    """The product as a MISP event (JSON)."""
    view = products.get(session, principal=principal, product_id=product_id)
    event = misp_export.event(view)
    _record(session, principal, view.id, "misp", view.marking, len(view.observables))
    return Export(
        body=misp_export.to_json(event),
        marking=view.marking,
        filename=f"product-{view.id}.misp.json",
        media_type="application/json",
    )


def export_ftm(session: Session, *, principal: Principal, collection_id: int) -> Export:
    """The collection's entities as FtM JSON lines, from readable statements only
    (holdings audits the export)."""
    items, marking = entities.export(session, principal=principal, collection_id=collection_id)
    body = "".join(json.dumps(e, ensure_ascii=False, sort_keys=True) + "\n" for e in items)
    return Export(
        body=body,
        marking=marking,
        filename=f"collectie-{collection_id}.ftm.json",
        media_type="application/x-ndjson",
    )


def import_stix(
    session: Session, *, principal: Principal, collection_id: int, raw: bytes
) -> Imported:
    """Validate the bundle, map it and write its entities into the collection at the
    collection's marking. A bad file raises before anything is written; the holdings
    import runs in the caller's transaction, so it is all or nothing."""
    collection = collections.writable(session, principal, collection_id)
    objects = stix_import.parse(raw)
    mapped = stix_import.to_entities(objects)
    lines = [json.dumps(p.to_dict(), ensure_ascii=False) for p in mapped.entities]
    count = entities.import_ftm(
        session, principal=principal, collection_id=collection.id, lines=lines
    )
    details: dict[str, Any] = {
        "format": "stix",
        "objects": mapped.objects,
        "entities": count,
        "skipped": dict(mapped.skipped),
    }
    audit.record(
        session,
        principal=principal,
        action="exchange.import",
        kind=ENTITY,
        object_id=collection.id,
        marking=load_one(session, collection.marking_id),
        details=details,
    )
    return Imported(
        collection_id=collection.id,
        entities=count,
        objects=mapped.objects,
        skipped=dict(mapped.skipped),
    )
