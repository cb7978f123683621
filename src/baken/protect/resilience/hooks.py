"""What protect (resilience) adds to other modules' pages through hooks.

:func:`release_links` is the body of ``baken_release_links`` (src/baken/plugins.py): on a
release's page in the partner portal (``/portaal/{release_id}``) it links, for the victim
organisation, its list where it confirms receipt of the notification, and for internal
readers the resilience record of the product. The release is read through the read filter
(``afgifte``) and, for internal readers, the record through its own
(:func:`baken.protect.resilience.service`), so a release or record the principal may not
read gives no link; the read is audited.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from baken.analysis.products.models import Product, Release
from baken.analysis.products.schemas import AFGIFTE
from baken.core import audit, policy
from baken.core.marking_store import load_one
from baken.core.principals import Principal
from baken.protect.resilience.models import ResilienceRecord
from baken.protect.resilience.schemas import KIND
from baken.protect.resilience.service import read_filter


def release_links(
    session: Session, principal: Principal, release_id: int
) -> list[tuple[str, str, str]]:
    """(href, label nl, label en) for the resilience product of this release, if any."""
    query = (
        select(ResilienceRecord.id, ResilienceRecord.victim, Release.recipient, Release.marking_id)
        .join(Release, Release.product_id == ResilienceRecord.product_id)
        .join(Product, Product.id == ResilienceRecord.product_id)
        .where(
            Release.id == release_id,
            policy.read_filter(principal, AFGIFTE, Release.marking_id),
            policy.read_filter(principal, KIND, Release.marking_id),
        )
    )
    partner = principal.is_external and not principal.is_overseer
    if not partner:
        query = query.where(read_filter(principal))
    row = session.execute(query).first()
    if row is None:
        return []
    record_id, victim, recipient, marking_id = row
    audit.record(
        session,
        principal=principal,
        action="resilience.link",
        kind=KIND,
        object_id=record_id,
        marking=load_one(session, marking_id),
        details={"release": release_id},
    )
    if partner:
        if victim is not None and victim == recipient == principal.organisation:
            return [
                (
                    "/weerbaarheid/meldingen",
                    "Ontvangst van de notificatie bevestigen",
                    "Confirm receipt of the notification",
                )
            ]
        return []
    return [(f"/weerbaarheid/{record_id}", "Weerbaarheidsproduct", "Resilience product")]
