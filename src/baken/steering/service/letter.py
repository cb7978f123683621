"""The public jaarplanbrief and annual-report chapter, from public texts only.

Everything that reaches these documents comes from :func:`texts.public_sections`:
unmarked text made by an approved sanitisation. No classified field (requirements,
assignments, capacity, budget lines, narratives, the classified plan texts) is read
here, so none can leak, however the data is edited (tests/steering/test_letter.py).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from baken.core import audit
from baken.core.principals import Principal
from baken.steering import vocab
from baken.steering.publish import AnnualReportChapter, PublicLetter, render_html, render_pdf
from baken.steering.service.plans import plan_row
from baken.steering.service.texts import KIND, public_sections

MINISTERS = {
    "AIVD": "De Minister van Binnenlandse Zaken en Koninkrijksrelaties",
    "MIVD": "De Minister van Defensie",
}
ADDRESSEE = (
    "Aan de Voorzitter van de Tweede Kamer der Staten-Generaal\nPostbus 20018\n2500 EA Den Haag"
)


class NothingPublic(LookupError):
    """No section of this plan has an approved public version yet."""


def letter(session: Session, *, principal: Principal, jaarplan_id: int) -> PublicLetter:
    plan = plan_row(session, principal, jaarplan_id)
    sections = {s.section: s.body for s in public_sections(session, plan.id)}
    if "inleiding" not in sections:
        raise NothingPublic(jaarplan_id)
    themes = [
        (vocab.label("themes", key.removeprefix("prioriteiten:")), body)
        for key, body in sorted(sections.items())
        if key.startswith("prioriteiten:")
    ]
    audit.record(
        session,
        principal=principal,
        action="jaarplanbrief.render",
        kind=KIND,
        object_id=plan.id,
        details={"sections": sorted(sections)},
    )
    return PublicLetter(
        service=plan.service,
        year=plan.year,
        title=f"Openbare jaarplanbrief {plan.service} {plan.year}",
        date=dt.date(plan.year - 1, 12, 15),
        addressee=ADDRESSEE,
        signatory=(MINISTERS[plan.service], "", ""),
        inleiding=sections["inleiding"],
        geintegreerde_aanwijzing=sections.get("ga", ""),
        prioriteiten_inleiding=sections.get("prioriteiten", ""),
        prioriteiten=themes,
        veiligheidsbevordering=sections.get("taken", ""),
        randvoorwaarden=sections.get("randvoorwaarden", ""),
        begroting=sections.get("begroting", ""),
        verantwoording=sections.get("verantwoording", ""),
    )


def annual_chapter(
    session: Session, *, principal: Principal, jaarplan_id: int
) -> AnnualReportChapter:
    """The public chapter of the annual report, from the same public texts."""
    pub = letter(session, principal=principal, jaarplan_id=jaarplan_id)
    parts = [
        ("Inleiding", pub.inleiding),
        ("Prioriteiten", pub.prioriteiten_inleiding),
        *pub.prioriteiten,
        ("Veiligheidsbevorderende taken", pub.veiligheidsbevordering),
        ("Verantwoording", pub.verantwoording),
    ]
    return AnnualReportChapter(
        title=f"Jaarverslag {pub.service} {pub.year}: het jaar in hoofdlijnen",
        year=pub.year,
        service=pub.service,
        sections=[(h, t) for h, t in parts if t],
    )


def pdf(session: Session, *, principal: Principal, jaarplan_id: int, kind: str = "letter") -> bytes:
    doc = (letter if kind == "letter" else annual_chapter)(
        session, principal=principal, jaarplan_id=jaarplan_id
    )
    return render_pdf(doc)


def html(session: Session, *, principal: Principal, jaarplan_id: int, kind: str = "letter") -> str:
    doc = (letter if kind == "letter" else annual_chapter)(
        session, principal=principal, jaarplan_id=jaarplan_id
    )
    return render_html(doc)
