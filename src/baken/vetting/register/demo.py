"""The fictional demo data of vetting (register): the people whose VGBs the screenings
demo issued are registered at their positions (by the screening officer, on the day the
VGB was issued). When the screenings demo issued none, nothing is registered."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from baken.core.config import Settings
from baken.core.errors import DomainError
from baken.core.models import User
from baken.core.users import to_principal
from baken.vetting.register import service
from baken.vetting.register.models import RegisterEntry
from baken.vetting.screenings.models import Vgb


def load(session: Session, users: dict[str, int], settings: Settings) -> None:
    user = session.get(User, users["uvo"]) if "uvo" in users else None
    if user is None:
        return
    uvo = to_principal(user)
    today = date.today()
    vgbs = list(
        session.scalars(select(Vgb).where(Vgb.status == "valid").order_by(Vgb.id).limit(20))
    )
    for vgb in vgbs:
        known = session.scalar(select(RegisterEntry.id).where(RegisterEntry.vgb_id == vgb.id))
        if known is not None or vgb.issued_on > today:
            continue
        try:
            with session.begin_nested():
                service.register(
                    session,
                    uvo,
                    bsn=vgb.person_bsn,
                    position_id=vgb.position_id,
                    on=vgb.issued_on,
                    vgb_ref=vgb.ref,
                    today=today,
                )
        except DomainError:  # e.g. the position's designation ended: not registered
            continue
