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


# The cases ``baken demo --size default`` adds so that every status (and every VGB status)
# shows: each is a step further along the objection and appeal road, a withdrawn VGB and
# a doubtful KMar case handed to the AIVD. Not in the small world, whose counts the tests
# and the browser journeys rely on.
MORE_PEOPLE = {
    "voornemen": ("Vera Voornemen (fictief)", date(1983, 8, 14), "100000095"),
    "beroep": ("Bert Beroep (fictief)", date(1970, 10, 2), "100000101"),
    "hoger": ("Hanna Hogerberoep (fictief)", date(1968, 5, 27), "100000113"),
    "ingetrokken": ("Ivo Ingetrokken (fictief)", date(1988, 11, 9), "100000125"),
    "overgedragen": ("Olaf Overdracht (fictief)", date(1994, 2, 17), "100000137"),
}


def load_more(session: Session, users: dict[str, int], settings: Settings) -> int:
    """Add the cases for the remaining statuses; returns how many were made (0 when they
    exist already, or when the users or positions they need are missing)."""
    uvo = _principal(session, users, "uvo")
    employer = _principal(session, users, "werkgever")
    kmar = _principal(session, users, "kmar")
    pos = _positions(session)
    if uvo is None or employer is None or kmar is None or pos is None:
        return 0
    first = MORE_PEOPLE["voornemen"][2]
    if session.scalar(select(Screening.id).where(Screening.person_bsn == first)) is not None:
        return 0
    today = date.today()

    def case(key: str, where: str, days_ago: int, who: Principal) -> tuple[int, date]:
        name, birth, number = MORE_PEOPLE[key]
        position = pos[where]
        on = max(today - timedelta(days=days_ago), position.designated_on)
        sid = service.request(
            session, who, position_id=position.id, person_name=name,
            person_birth_date=birth, person_bsn=number, on=on,
        ).id  # fmt: skip
        return sid, on

    def refused(sid: int, start: date, uvo: Principal = uvo) -> None:
        service.intake(session, uvo, screening_id=sid, on=start)
        decisions.intend_refusal(
            session, uvo, screening_id=sid, on=start + timedelta(days=25),
            reasons="Onverklaarde financiële banden met een buitenlandse overheid.",
        )  # fmt: skip
        decisions.record_view(
            session, uvo, screening_id=sid, received=False, text="",
            on=start + timedelta(days=40),
        )  # fmt: skip
        decisions.decide(
            session, uvo, screening_id=sid, outcome="refused",
            reasons="Geen zienswijze ontvangen; de twijfel blijft.", on=start + timedelta(days=42),
        )  # fmt: skip

    def contest(sid: int, start: date, steps: tuple[str, ...]) -> None:
        day = start + timedelta(days=50)
        for n, step in enumerate(steps):
            decisions.lodge(
                session, uvo, screening_id=sid, step=step, reasons="Betrokkene komt op.", on=day
            )
            if n < len(steps) - 1:
                day += timedelta(days=30)
                decisions.rule(
                    session, uvo, screening_id=sid, outcome="dismissed",
                    reasons="De weigering blijft in stand.", on=day,
                )  # fmt: skip
                day += timedelta(days=10)

    # Intended refusal, waiting for the person's view.
    sid, start = case("voornemen", "ministry", 45, uvo)
    service.intake(session, uvo, screening_id=sid, on=start)
    decisions.intend_refusal(
        session, uvo, screening_id=sid, on=start + timedelta(days=30),
        reasons="Verzwegen verblijf in een land met een offensief inlichtingenprogramma.",
    )  # fmt: skip
    # Refused, objection dismissed, appeal pending at the court.
    sid, start = case("beroep", "ministry", 200, uvo)
    refused(sid, start)
    contest(sid, start, ("objection", "appeal"))
    # ... and one more step: higher appeal pending at the Raad van State.
    sid, start = case("hoger", "ministry", 300, uvo)
    refused(sid, start)
    contest(sid, start, ("objection", "appeal", "higher_appeal"))
    # Issued, then withdrawn (art. 10).
    sid, start = case("ingetrokken", "plain", 150, employer)
    service.intake(session, uvo, screening_id=sid, on=start)
    vgb = decisions.decide(
        session, uvo, screening_id=sid, outcome="issued", reasons="Geen bezwaren gebleken.",
        on=start + timedelta(days=20),
    )  # fmt: skip
    if vgb is not None:
        decisions.withdraw(
            session, uvo, vgb_id=vgb.id, on=start + timedelta(days=90),
            reasons="Nieuwe feiten: veroordeling voor omkoping.",
        )  # fmt: skip
    # At the KMar under mandate, handed to the AIVD on doubt (the KMar never refuses).
    sid, start = case("overgedragen", "airport", 20, employer)
    service.mandate(session, uvo, screening_id=sid, party="KMAR")
    service.intake(session, kmar, screening_id=sid, on=start)
    decisions.hand_over(
        session, kmar, screening_id=sid, reason="Twijfel over contacten in het buitenland.",
        on=start + timedelta(days=6),
    )  # fmt: skip
    return len(MORE_PEOPLE)
