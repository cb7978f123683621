"""The fictional demo data of vetting (screenings): a handful of cases in every state.

All people, numbers and employers are fictional. Among them: a request waiting for
intake, a case in investigation whose clock was suspended for a foreign inquiry, one
suspended now, one overdue, one at risk, a decided case with a location-bound VGB at the
airport for a person at EMPLOYER-A (the register demo registers them; the browser journey
moves them to EMPLOYER-B at the same airport), a refusal under objection, and a B-level
case at the KMar. Runs after the positions demo and uses its positions (and makes no
cases when there are none).
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from baken.core.config import Settings
from baken.core.models import User
from baken.core.principals import Principal
from baken.core.users import to_principal
from baken.vetting.positions.models import Position
from baken.vetting.screenings import decisions, file, service
from baken.vetting.screenings.models import Screening

# Fictional BSNs that pass the eleven-test.
PEOPLE = {
    "wacht": ("Willem Wachtrij (fictief)", date(1985, 2, 11), "100000009"),
    "opgeschort": ("Olga Opschort (fictief)", date(1979, 7, 3), "100000010"),
    "stil": ("Stefan Stilstand (fictief)", date(1992, 12, 30), "100000022"),
    "laat": ("Lotte Laat (fictief)", date(1990, 4, 4), "100000034"),
    "risico": ("Ruben Risico (fictief)", date(1987, 9, 19), "100000046"),
    "vgb": ("Anna de Vries (fictief)", date(1991, 6, 12), "100000058"),
    "geweigerd": ("Gerrit Geweigerd (fictief)", date(1975, 1, 23), "100000071"),
    "kmar": ("Karel Kaartjes (fictief)", date(1996, 3, 8), "100000083"),
}


def _principal(session: Session, users: dict[str, int], name: str) -> Principal | None:
    user = session.get(User, users[name]) if name in users else None
    return to_principal(user) if user is not None else None


def _pick(session: Session, employer: str, level: str | None, located: bool) -> Position | None:
    query = select(Position).where(Position.employer == employer, Position.active.is_(True))
    if level:
        query = query.where(Position.level == level)
    query = query.where(
        Position.location_id.is_not(None) if located else Position.location_id.is_(None)
    )
    return session.scalar(query.order_by(Position.id).limit(1))


def _positions(session: Session) -> dict[str, Position] | None:
    """The positions demo's airport position at EMPLOYER-A (B), its A-level one at the
    ministry and its C-level one at EMPLOYER-A; None when the positions demo made none."""
    found = {
        "airport": _pick(session, "EMPLOYER-A", "B", True),
        "ministry": _pick(session, "EMPLOYER-C", "A", False),
        "plain": _pick(session, "EMPLOYER-A", "C", False),
    }
    if any(p is None for p in found.values()):
        return None
    return {k: p for k, p in found.items() if p is not None}


def load(session: Session, users: dict[str, int], settings: Settings) -> None:
    uvo = _principal(session, users, "uvo")
    employer = _principal(session, users, "werkgever")
    if uvo is None or employer is None:
        return
    today = date.today()
    pos = _positions(session)
    if pos is None:
        return

    def ask(key: str, where: str, days_ago: int, who: Principal = employer) -> int:
        name, birth, number = PEOPLE[key]
        position = pos[where]
        on = max(today - timedelta(days=days_ago), position.designated_on)
        return service.request(
            session,
            who,
            position_id=position.id,
            person_name=name,
            person_birth_date=birth,
            person_bsn=number,
            on=on,
        ).id

    def take_in(sid: int, who: Principal = uvo) -> date:
        received = session.get(Screening, sid)
        assert received is not None
        service.intake(session, who, screening_id=sid, on=received.received_on)
        return received.received_on

    # Waiting for intake.
    ask("wacht", "airport", 2)
    # In investigation; the clock stood still ten days for a foreign inquiry.
    sid = ask("opgeschort", "plain", 30)
    start = take_in(sid)
    file.update_check(
        session, uvo, screening_id=sid, item="municipal", state="done", result="none",
        note="BRP: geen bijzonderheden.", on=start + timedelta(days=3),
    )  # fmt: skip
    file.update_check(
        session, uvo, screening_id=sid, item="foreign", state="open",
        note="Verblijf in het buitenland 2019-2021.", on=start + timedelta(days=5),
    )  # fmt: skip
    decisions.suspend(
        session, uvo, screening_id=sid, reason="Navraag bij een buitenlandse partnerdienst",
        on=start + timedelta(days=10),
    )  # fmt: skip
    decisions.resume(session, uvo, screening_id=sid, on=start + timedelta(days=20))
    # Suspended now.
    sid = ask("stil", "ministry", 25, uvo)
    start = take_in(sid)
    file.set_partner(
        session, uvo, screening_id=sid, name="Petra Partner (fictief)",
        birth_date=date(1993, 5, 5), on=start,
    )  # fmt: skip
    decisions.suspend(
        session, uvo, screening_id=sid, reason="Wachten op gegevens van de politie",
        on=start + timedelta(days=15),
    )  # fmt: skip
    # Overdue, and at risk.
    take_in(ask("laat", "plain", 70))
    take_in(ask("risico", "airport", 50))
    # Decided: a location-bound VGB at the airport for a person at EMPLOYER-A.
    sid = ask("vgb", "airport", 40)
    start = take_in(sid)
    for item in ("holdings", "municipal", "police", "justice"):
        file.update_check(
            session, uvo, screening_id=sid, item=item, state="done", result="none",
            on=start + timedelta(days=7),
        )  # fmt: skip
    file.set_partner(
        session, uvo, screening_id=sid, name="Bas de Vries (fictief)", birth_date=None,
        on=start + timedelta(days=7),
    )  # fmt: skip
    file.update_check(
        session, uvo, screening_id=sid, item="partner", state="done", result="none",
        on=start + timedelta(days=8),
    )  # fmt: skip
    decisions.decide(
        session, uvo, screening_id=sid, outcome="issued",
        reasons="Geen bezwaren gebleken.", on=start + timedelta(days=30),
    )  # fmt: skip
    # Refused, with the person's view, under objection.
    sid = ask("geweigerd", "ministry", 60, uvo)
    start = take_in(sid)
    decisions.intend_refusal(
        session, uvo, screening_id=sid,
        reasons="Onverklaarde contacten met een buitenlandse dienst.",
        on=start + timedelta(days=30),
    )  # fmt: skip
    decisions.record_view(
        session, uvo, screening_id=sid, received=True,
        text="Betrokkene noemt de contacten zakelijk.", on=start + timedelta(days=40),
    )  # fmt: skip
    decisions.decide(
        session, uvo, screening_id=sid, outcome="refused",
        reasons="De zienswijze neemt de twijfel niet weg.", on=start + timedelta(days=45),
    )  # fmt: skip
    decisions.lodge(
        session, uvo, screening_id=sid, step="objection", reasons="Bezwaar van betrokkene.",
        on=start + timedelta(days=52),
    )  # fmt: skip
    # At the KMar (B level, under mandate).
    kmar = _principal(session, users, "kmar")
    sid = ask("kmar", "airport", 12)
    if kmar is not None:
        service.mandate(session, uvo, screening_id=sid, party="KMAR")
        take_in(sid, kmar)
