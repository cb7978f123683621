"""Shapes of the portal that leave Baken: what the employer's API answers."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict

from baken.core.schemas import MarkingOut
from baken.vetting.portal.service import ScreeningStatus
from baken.vetting.vocab import label


class ScreeningStatusPublic(BaseModel):
    """Status, dates and outcome of one screening: never the findings."""

    model_config = ConfigDict(frozen=True)

    id: int
    ref: str
    person_name: str
    position_ref: str | None
    level: str
    status: str
    status_label: str
    received_on: date
    due_on: date
    days_left: int | None
    suspended: bool
    overdue: bool
    decided_on: date | None
    outcome: str | None
    marking: MarkingOut

    @classmethod
    def of(cls, s: ScreeningStatus, locale: str = "nl") -> ScreeningStatusPublic:
        return cls(
            id=s.id,
            ref=s.ref,
            person_name=s.person_name,
            position_ref=s.position_ref,
            level=s.level,
            status=s.status,
            status_label=label("screenings", "statuses", s.status, locale),
            received_on=s.received_on,
            due_on=s.due_on,
            days_left=s.days_left,
            suspended=s.suspended,
            overdue=s.overdue,
            decided_on=s.decided_on,
            outcome=s.outcome,
            marking=MarkingOut.of(s.marking, locale),
        )
