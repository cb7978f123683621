"""The fictional demo data of vetting (positions).

All locations, employers and positions are fictional: a designated civil airport,
"Luchthaven Zuidpolder (fictief)", with location-bound B positions at EMPLOYER-A (the
airport) and EMPLOYER-B (a security company at the airport); a ministry building; and
function-bound positions at EMPLOYER-C (a ministry) at levels A and C, plus a
function-bound C position at EMPLOYER-A.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy.orm import Session

from baken.core.config import Settings
from baken.core.models import User
from baken.core.users import to_principal
from baken.vetting.positions import service


def load(session: Session, users: dict[str, int], settings: Settings) -> None:
    user = session.get(User, users["uvo"]) if "uvo" in users else None
    if user is None:
        return
    uvo = to_principal(user)
    today = date.today()
    since = min(date(2025, 1, 6), today - timedelta(days=365))
    airport = service.create_location(
        session,
        uvo,
        code="ZPL",
        name="Luchthaven Zuidpolder (fictief)",
        kind="airport",
        minister="IENW",
        designated_on=since,
        description="Fictieve burgerluchthaven, aangewezen voor locatiegebonden VGB's.",
        today=today,
    )
    service.create_location(
        session,
        uvo,
        code="MIN-C",
        name="Ministeriegebouw C (fictief)",
        kind="building",
        minister="BZK",
        designated_on=since,
        description="Fictief ministeriegebouw van werkgever C.",
        today=today,
    )
    for title, level, employer, minister, place in (
        ("Beveiligingsmedewerker bagagekelder (fictief)", "B", "EMPLOYER-A", "IENW", airport.id),
        ("Systeembeheerder (fictief)", "C", "EMPLOYER-A", "IENW", None),
        ("Beveiliger toegangscontrole (fictief)", "B", "EMPLOYER-B", "IENW", airport.id),
        ("Teamleider beveiliging platform (fictief)", "B", "EMPLOYER-B", "IENW", airport.id),
        ("Beleidsmedewerker crisisbeheersing (fictief)", "A", "EMPLOYER-C", "BZK", None),
        ("Medewerker postkamer (fictief)", "C", "EMPLOYER-C", "BZK", None),
    ):
        service.create(
            session,
            uvo,
            title=title,
            level=level,
            employer=employer,
            minister=minister,
            designated_on=since,
            location_id=place,
            today=today,
        )
