"""What protect (threats) adds to other modules' pages through hooks.

:func:`release_links` is the body of ``baken_release_links`` (src/baken/plugins.py): on a
partner's release page (``/portaal/{release_id}``) it links the threat product the release
belongs to, where the addressee records the measures decided. It reads the release
through the read filter (``afgifte``), so a release the principal may not read gives no
link, and audits the read of the record it links.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from baken.analysis.products.models import Release
from baken.analysis.products.schemas import AFGIFTE
from baken.core import audit, policy
from baken.core.marking_store import load_one
from baken.core.principals import Principal
from baken.protect.threats.models import ThreatRecord
from baken.protect.threats.schemas import KIND
from baken.protect.threats.service import is_partner


def release_links(
    session: Session, principal: Principal, release_id: int
) -> list[tuple[str, str, str]]:
    """(href, label nl, label en) of the threat product of this release, if any."""
    row = session.execute(
        select(ThreatRecord.id, ThreatRecord.addressee, Release.marking_id)
        .join(Release, Release.product_id == ThreatRecord.product_id)
        .where(
            Release.id == release_id,
            policy.read_filter(principal, AFGIFTE, Release.marking_id),
            policy.read_filter(principal, KIND, Release.marking_id),
        )
    ).first()
    if row is None:
        return []
    record_id, addressee, marking_id = row
    audit.record(
        session,
        principal=principal,
        action="threat.link",
        kind=KIND,
        object_id=record_id,
        marking=load_one(session, marking_id),
        details={"release": release_id},
    )
    href = f"/bewaken-beveiligen/{record_id}"
    if is_partner(principal) and principal.organisation == addressee:
        return [(href, "Besluit over maatregelen vastleggen", "Record the decision on measures")]
    return [
        (
            href,
            "Dreigingsproduct (Bewaken en Beveiligen)",
            "Threat product (Surveillance and Protection)",
        )
    ]
