"""The fictional demo data of vetting (portal): the delay notices for the demo's
screenings that are overdue or at risk, sent as the demo screening officer ``uvo`` (runs
after the screenings part has made its fictional cases). The employer ``werkgever``
finds them on its home page, to pass on."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from baken.core.config import Settings
from baken.core.models import User
from baken.core.users import to_principal
from baken.vetting.portal import service


def load(session: Session, users: dict[str, int], settings: Settings) -> None:
    if "uvo" not in users:
        return
    user = session.get(User, users["uvo"])
    assert user is not None
    service.notify_delays(session, principal=to_principal(user), today=date.today())
