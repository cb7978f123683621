"""The early-warning part of the demo world. Everything here is FICTIONAL: three years of
weekly event counts drawn by :mod:`baken.analysis.warning.synthetic` for a few regions and
themes, with a surge of cyber incidents in Eastern Europe in the last week. The demo
analyst ``analist.zg`` follows Eastern Europe, and detection runs once the events are in,
so a signal waits for that analyst on ``/vroegsignalering/signalen``.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy.orm import Session

from baken.analysis.warning import service, synthetic
from baken.analysis.warning.series import weeks_ending
from baken.core.config import Settings
from baken.core.markings import Level, Marking, Service
from baken.core.models import User
from baken.core.principals import Principal
from baken.core.users import to_principal

SEED = 2026
WEEKS = 120
ANALYST = "analist.zg"
LOW = Marking(level=Level.DEP_VERTROUWELIJK, owner=Service.JOINT)
MID = Marking(level=Level.STG_CONFIDENTIEEL, owner=Service.JOINT)
HIGH = Marking(level=Level.STG_GEHEIM, owner=Service.AIVD)

# (countries, theme, event type, weekly base count, marking, surge in the last week)
SERIES = (
    (("UA", "PL", "LT", "EE"), "CYB", "cyberincident", 1.6, MID, True),
    (("IQ", "SY", "LB"), "ET", "aanslag", 1.2, LOW, False),
    (("RU", "GE"), "RUS", "militaire_activiteit", 1.0, HIGH, False),
    (("ML", "NE", "BF"), "EW", "demonstratie", 0.8, LOW, False),
)
ACTORS = ("Onbekende groep (fictief)", "Collectief Noordster (fictief)", "Eenheid 00000 (fictief)")


def load(session: Session, users: dict[str, int], settings: Settings) -> None:
    analyst = session.get(User, users[ANALYST])
    assert analyst is not None
    author = to_principal(analyst)
    today = service.today()
    weeks = weeks_ending(today, WEEKS)
    rng = random.Random(SEED)  # noqa: S311 - fictional demo data, not a secret
    for index, (countries, theme, kind, base, marking, surge) in enumerate(SERIES):
        drawn = synthetic.generate(
            WEEKS,
            seed=SEED + index,
            base=base,
            amplitude=0.5,
            at=[WEEKS - 1] if surge else [],
            strength=8.0,
        )
        for week, count in zip(weeks, drawn.values, strict=True):
            for _ in range(count):
                day = min(week + timedelta(days=rng.randrange(7)), today)
                _record(session, author, rng, day, rng.choice(countries), theme, kind, marking)
    service.follow(session, principal=author, target_kind="place", target="R-OEUR")
    service.detect_followers(session, user_ids={author.id})


def _record(
    session: Session,
    author: Principal,
    rng: random.Random,
    day: date,
    country: str,
    theme: str,
    kind: str,
    marking: Marking,
) -> None:
    service.record_event(
        session,
        principal=author,
        data=service.EventIn(
            occurred_on=day,
            country=country,
            event_type=kind,
            theme=theme,
            marking=marking,
            actor=rng.choice(ACTORS),
            description="FICTIEF — demodata van Baken.",
        ),
        run_detection=False,
    )
