"""The fictional demo data of oversight (permissions): permission requests at every step
of their flow, so that each user can take the next one in the browser, and complaints.

Everything here is FICTIONAL. Sign in as ``analist.g`` (draft, submit), ``teamleider``
(forward, oral permission), ``minister.bzk`` (permit or refuse), ``tib`` (lawful or
unlawful, also after an urgency procedure) and ``ctivd`` (oversight under the Tijdelijke
wet: stop order; complaints).

The requests serve an onderzoeksopdracht of the steering demo when one is readable; the
steering demo may load after this one, so otherwise a small fictional plan is made here.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy.orm import Session

from baken.core.config import Settings
from baken.core.markings import Marking, Service
from baken.core.models import User
from baken.core.principals import Principal
from baken.core.schemas import MarkingIn
from baken.core.timeutil import utcnow
from baken.core.users import to_principal
from baken.oversight.permissions import complaints, service

NOTICE = "fictief"
MARKING = Marking.of("STG_GEHEIM", Service.AIVD)


def _who(session: Session, users: dict[str, int], name: str) -> Principal:
    user = session.get(User, users[name])
    assert user is not None
    return to_principal(user)


def _assignment(session: Session, users: dict[str, int], analyst: Principal) -> int:
    found = [a for a in service.assignments(session, principal=analyst) if a.marking == MARKING]
    if found:
        return int(found[0].id)
    from baken.steering.leak import _plan

    planner = _who(session, users, "planner.aivd")
    _, assignment = _plan(
        session,
        planner,
        MARKING,
        f"Demoplan voor toestemmingsverzoeken — {NOTICE}",
        "Statelijke cyberoperaties tegen Nederland (fictief)",
    )
    return assignment


def load(session: Session, users: dict[str, int], settings: Settings) -> None:
    analyst = _who(session, users, "analist.g")
    lead = _who(session, users, "teamleider")
    minister = _who(session, users, "minister.bzk")
    tib = _who(session, users, "tib")
    ctivd = _who(session, users, "ctivd")
    assignment = _assignment(session, users, analyst)
    today = utcnow().date()

    def request(title: str, **changes: Any) -> int:
        fields: dict[str, Any] = {
            "power": "interceptie",
            "title": f"{title} ({NOTICE})",
            "targets": ["Persoon A (fictief)", "+31 6 0000 0001 (fictief)"],
            "assignment_id": assignment,
            "necessity": "De dreiging is concreet en valt onder de onderzoeksopdracht.",
            "proportionality": "Beperkt tot de communicatie van één persoon.",
            "subsidiarity": "Open bronnen en informanten leverden onvoldoende op.",
            "targeting": "Alleen het nummer dat aan persoon A is gekoppeld.",
            "term_months": 3,
            "marking": MarkingIn.of(MARKING),
        }
        fields.update(changes)
        return service.create(
            session,
            principal=analyst,
            data=service.PermissionCreate.model_validate(fields),
            on=today,
        )

    def forward(pid: int) -> None:
        service.submit(session, principal=analyst, permission_id=pid)
        service.team_lead(session, principal=lead, permission_id=pid, outcome="forwarded")

    # A draft for the analyst to submit.
    request("Observatie ontmoetingsplek", power="observatie")
    # With the team lead.
    pid = request("Tap telefoon contactpersoon B", targets=["Persoon B (fictief)"])
    service.submit(session, principal=analyst, permission_id=pid)
    # With the minister.
    forward(request("Binnendringen server C", power="hacken"))
    # With the TIB.
    pid = request("Tap telefoon persoon D", targets=["Persoon D (fictief)"])
    forward(pid)
    service.decide(session, principal=minister, permission_id=pid, outcome="permitted")
    # In use, expiring soon (reviewed 80 days ago).
    pid = request("Tap telefoon persoon E", targets=["Persoon E (fictief)"])
    forward(pid)
    service.decide(session, principal=minister, permission_id=pid, outcome="permitted")
    service.decide(
        session, principal=tib, permission_id=pid, outcome="lawful", on=today - timedelta(days=80)
    )
    # Urgency: oral permission, in use, the TIB's review still to come.
    pid = request("Spoed: tap telefoon persoon F", urgent=True, targets=["Persoon F (fictief)"])
    service.submit(session, principal=analyst, permission_id=pid)
    service.team_lead(
        session,
        principal=lead,
        permission_id=pid,
        outcome="oral",
        note="Minister telefonisch akkoord, 02:10 uur (fictief)",
        on=today,
    )
    # Tijdelijke wet: in use after the minister, under the CTIVD's binding oversight.
    pid = request(
        "Binnendringen infrastructuur cyberactor (Tijdelijke wet)", power="hacken", country="RU"
    )
    forward(pid)
    service.decide(session, principal=minister, permission_id=pid, outcome="permitted")
    # Refused and unlawful ones, for the dashboard's figures.
    pid = request("Tap telefoon persoon G", targets=["Persoon G (fictief)"])
    forward(pid)
    service.decide(
        session,
        principal=minister,
        permission_id=pid,
        outcome="refused",
        note="Noodzaak onvoldoende onderbouwd (fictief).",
    )
    pid = request("Tap telefoon persoon H", targets=["Persoon H (fictief)"])
    forward(pid)
    service.decide(session, principal=minister, permission_id=pid, outcome="permitted")
    service.decide(
        session,
        principal=tib,
        permission_id=pid,
        outcome="unlawful",
        note="Niet proportioneel (fictief).",
    )

    # Complaints: one with the minister, one with the CTIVD (deciding within two weeks).
    def complaint(subject: str) -> int:
        return complaints.create_complaint(
            session,
            principal=lead,
            data=complaints.ComplaintCreate(
                subject=f"{subject} ({NOTICE})",
                body="De klager meent dat de dienst onrechtmatig gegevens over hem verwerkt.",
                received_on=date(today.year, max(1, today.month - 1), 1),
                marking=MarkingIn.of(Marking.of("DEP_VERTROUWELIJK", Service.AIVD)),
            ),
        )

    complaint("Klacht over huisbezoek")
    cid = complaint("Klacht over gegevensverwerking")
    complaints.decide_complaint(
        session,
        principal=minister,
        complaint_id=cid,
        outcome="answered",
        note="De minister acht de klacht ongegrond (fictief).",
    )
    complaints.decide_complaint(
        session,
        principal=ctivd,
        complaint_id=cid,
        outcome="received",
        on=today - timedelta(days=3),
    )
