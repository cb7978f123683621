"""Whether a person holds a VGB, for those outside the screening unit who must know it
and may not read the screening: the NBIV checks that a supplier's key staff hold a
valid VGB for a special assignment (ABRO 2026).

The asker gives the VGB's reference and the person's name, as the supplier gives them;
the answer is the VGB's standing (valid, lapsed or withdrawn), level, scope and date of
issue, and only when both match. It never gives the BSN, the employer, the screening or
its file. This is a deliberate read without the read filter (ADR 0014: like the
register's coverage check, the VGB is released to the employer it was issued for, not
to the asker); it is open to protect officers and to readers of screenings, and every
question is audited with the references asked and found.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from baken.core import audit, policy
from baken.core.principals import Principal
from baken.vetting.screenings.models import Vgb

KIND = "veiligheidsonderzoek"
ASKERS = frozenset({"protect_officer"})
MAX_ASKED = 200


@dataclass(frozen=True)
class Standing:
    ref: str
    level: str
    scope: str  # function | location
    status: str  # valid | lapsed | withdrawn
    issued_on: date

    @property
    def valid(self) -> bool:
        return self.status == "valid"


def may_ask(principal: Principal) -> bool:
    return not principal.is_external and (
        bool(ASKERS & principal.roles) or policy.role_may_read(principal, KIND)
    )


def _name(value: str) -> str:
    folded = unicodedata.normalize("NFKC", value).casefold()
    return " ".join(folded.split())


def standing(
    session: Session, principal: Principal, asked: Iterable[tuple[str, str]]
) -> dict[tuple[str, str], Standing]:
    """The standing of each VGB asked for as (reference, person's name) whose reference
    and name both match, keyed by the pair as asked; the others are left out (not found,
    or another person's)."""
    pairs = sorted(set(asked))[:MAX_ASKED]
    if not pairs or not may_ask(principal):
        return {}
    refs = sorted({ref for ref, _ in pairs})
    rows = list(session.scalars(select(Vgb).where(Vgb.ref.in_(refs))))
    found = {
        (ref, name): Standing(v.ref, v.level, v.scope, v.status, v.issued_on)
        for ref, name in pairs
        for v in rows
        if v.ref == ref and _name(v.person_name) == _name(name)
    }
    audit.record(
        session,
        principal=principal,
        action="vgb.standing",
        kind=KIND,
        details={"asked": refs, "found": sorted({ref for ref, _ in found})},
    )
    return found
