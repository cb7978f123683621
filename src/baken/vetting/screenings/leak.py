"""Leak-matrix fixtures and cases for vetting (screenings).

``veiligheidsonderzoek``: a decided screening whose person is named after the secret, with
its VGB. ``vo_dossier``: a suspended screening whose file carries the secret (the
suspension's reason, a check's note, the partner's name); the unit's screening officers
are put on the case, so the matrix tests the read filter of the file at every marking.
Both are made through the services by a screening officer of the matrix, then marked at
the matrix's marking (vetting's services choose their markings themselves).
"""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from baken.core.marking_store import intern
from baken.core.markings import Level, Marking
from baken.core.models import User, UserRole
from baken.core.principals import Principal
from baken.core.users import to_principal
from baken.testing.leakmatrix import LeakCase, LeakFixture
from baken.vetting import access
from baken.vetting.positions import service as positions
from baken.vetting.positions.models import Position
from baken.vetting.screenings import decisions, file, service
from baken.vetting.screenings.models import CheckItem, Partner, Screening, Step, Suspension, Vgb

DAY = date(2026, 3, 2)
TITLE = "Lekmatrix beveiliger (fictief)"


def _bsn(secret: str) -> str:
    """A valid BSN derived from the secret (one per fixture object: no duplicates)."""
    seed = int(hashlib.sha256(secret.encode()).hexdigest(), 16)
    while True:
        digits = [int(c) for c in f"{seed % 10**8:08d}"]
        check = sum(w * d for w, d in zip(range(9, 1, -1), digits, strict=True)) % 11
        if check <= 9 and any(digits):
            return "".join(map(str, digits)) + str(check)
        seed //= 7


def _officers(session: Session) -> list[Principal]:
    users = session.scalars(
        select(User)
        .join(UserRole, UserRole.user_id == User.id)
        .where(UserRole.role == access.SCREENER, User.service.is_not(None))
        .order_by(User.clearance.desc(), User.id)
    )
    found = [to_principal(u) for u in users]
    return [p for p in found if p.clearance >= Level.DEP_VERTROUWELIJK]


def _position(session: Session, officer: Principal) -> int:
    found = session.scalar(select(Position.id).where(Position.title == TITLE))
    if found is not None:
        return found
    return positions.create(
        session,
        officer,
        title=TITLE,
        level="B",
        employer="EMPLOYER-A",
        minister="JENV",
        designated_on=date(2026, 1, 1),
        today=DAY,
    ).id


def _case(session: Session, secret: str, name: str) -> tuple[Principal, Screening]:
    officers = _officers(session)
    officer = officers[0]
    screening = service.request(
        session,
        officer,
        position_id=_position(session, officer),
        person_name=name,
        person_birth_date=date(1988, 8, 8),
        person_bsn=_bsn(secret),
        on=DAY,
    )
    service.intake(
        session,
        officer,
        screening_id=screening.id,
        officer_ids=[o.id for o in officers],
        on=DAY,
    )
    return officer, screening


def _mark(session: Session, screening_id: int, marking: Marking) -> None:
    marking_id = intern(session, marking)
    session.execute(
        update(Screening).where(Screening.id == screening_id).values(marking_id=marking_id)
    )
    for table in (Vgb, CheckItem, Partner, Suspension, Step):
        session.execute(
            update(table).where(table.screening_id == screening_id).values(marking_id=marking_id)
        )
    session.flush()
    session.expire_all()


def make_screening(
    session: Session, author: Principal, marking: Marking, secret: str
) -> dict[str, Any]:
    officer, screening = _case(session, secret, f"Persoon {secret}")
    vgb = decisions.decide(
        session,
        officer,
        screening_id=screening.id,
        outcome="issued",
        reasons="Geen bezwaar.",
        on=DAY,
    )
    assert vgb is not None
    ids = {"screening_id": screening.id, "vgb_id": vgb.id}
    _mark(session, screening.id, marking)
    return ids


def make_file(session: Session, author: Principal, marking: Marking, secret: str) -> dict[str, Any]:
    officer, screening = _case(session, secret, "Persoon met dossier")
    sid = screening.id
    file.update_check(
        session,
        officer,
        screening_id=sid,
        item="police",
        state="done",
        result="findings",
        note=f"Politie: {secret}",
        on=DAY,
    )
    file.set_partner(
        session, officer, screening_id=sid, name=f"Partner {secret}", birth_date=None, on=DAY
    )
    decisions.suspend(session, officer, screening_id=sid, reason=f"Navraag {secret}", on=DAY)
    _mark(session, sid, marking)
    return {"screening_id": sid}


FIXTURES = [
    LeakFixture("veiligheidsonderzoek", service.KIND, make_screening),
    LeakFixture("vo_dossier", service.FILE, make_file),
]

BASE = "/veiligheidsonderzoeken"
CASE = BASE + "/{screening_id}"


def _bad(**values: str) -> Any:
    return lambda p: {"on": "x", **values}


CASES = [
    LeakCase("GET", BASE, query={"wachtrij": "alle"}),
    LeakCase("GET", BASE + "/nieuw"),
    LeakCase(
        "POST",
        BASE + "/nieuw",
        form=lambda p: {"position_id": "0", "person_name": "x", "person_bsn": "123"},
    ),
    LeakCase("GET", CASE, fixture="veiligheidsonderzoek"),
    LeakCase("GET", CASE, fixture="vo_dossier"),
    LeakCase("POST", CASE + "/intake", fixture="vo_dossier", form=_bad()),
    LeakCase("POST", CASE + "/behandelaars", fixture="vo_dossier", form=lambda p: {"officer": "0"}),
    LeakCase("POST", CASE + "/mandaat", fixture="vo_dossier", form=lambda p: {"party": "?"}),
    LeakCase("POST", CASE + "/controle", fixture="vo_dossier", form=_bad(item="police")),
    LeakCase("POST", CASE + "/bestanden", fixture="veiligheidsonderzoek", form=lambda p: {}),
    LeakCase("POST", CASE + "/partner", fixture="vo_dossier", form=lambda p: {"birth_date": "x"}),
    LeakCase("POST", CASE + "/opschorten", fixture="vo_dossier", form=_bad(reason="x")),
    LeakCase("POST", CASE + "/hervatten", fixture="vo_dossier", form=_bad()),
    LeakCase("POST", CASE + "/verlengen", fixture="vo_dossier", form=_bad(reason="x")),
    LeakCase("POST", CASE + "/overdracht", fixture="vo_dossier", form=_bad(reason="x")),
    LeakCase("POST", CASE + "/voornemen", fixture="vo_dossier", form=_bad(reasons="x")),
    LeakCase("POST", CASE + "/zienswijze", fixture="vo_dossier", form=_bad(received="1")),
    LeakCase("POST", CASE + "/besluit", fixture="vo_dossier", form=_bad(outcome="issued")),
    LeakCase(
        "POST", CASE + "/rechtsmiddel", fixture="veiligheidsonderzoek", form=_bad(step="appeal")
    ),
    LeakCase("POST", CASE + "/uitspraak", fixture="veiligheidsonderzoek", form=_bad()),
    LeakCase("GET", "/vgb/{vgb_id}", fixture="veiligheidsonderzoek"),
    LeakCase("POST", "/vgb/{vgb_id}/intrekken", fixture="veiligheidsonderzoek", form=_bad()),
    LeakCase("GET", "/api/v1/vetting/screenings", query={"wachtrij": "alle"}),
    LeakCase("GET", "/api/v1/vetting/screenings/{screening_id}", fixture="veiligheidsonderzoek"),
]
