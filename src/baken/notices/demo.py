"""Demo notices (fictional), at several markings, so each demo user sees a different start page."""

from __future__ import annotations

from sqlalchemy.orm import Session

from baken.core.markings import Marking
from baken.core.models import User
from baken.core.schemas import MarkingIn
from baken.core.users import to_principal
from baken.notices import service
from baken.notices.schemas import NoticeCreate

NOTICES = [
    (
        "Welkom in de Baken-demo",
        "Deze omgeving bevat uitsluitend fictieve gegevens. Elke gebruiker ziet alleen wat "
        "zijn rubricering, compartimenten en dienst toelaten.",
        Marking.of("ONGERUBRICEERD", "JOINT"),
        "beheer",
    ),
    (
        "Planning jaarplan 2026 gestart",
        "De planners van AIVD en MIVD starten de uitwerking van het jaarplan 2026 op basis van "
        "de geactualiseerde GA I&V 2023-2026. (Fictief demobericht.)",
        Marking.of("DEP_VERTROUWELIJK", "JOINT"),
        "planner.aivd",
    ),
    (
        "Verhoogde aandacht cyberoperaties (fictief)",
        "Fictief: analyseteam meldt toegenomen activiteit van een statelijke actor tegen "
        "kennisinstellingen. Details in het compartiment.",
        Marking.of("STG_GEHEIM", "AIVD"),
        "analist.g",
    ),
    (
        "Operatie KOBALT: stand van zaken (fictief)",
        "Fictief compartimentsbericht: alleen leesbaar voor wie in KOBALT is opgenomen.",
        Marking.of("STG_ZEER_GEHEIM", "AIVD", compartments={"KOBALT"}),
        "analist.zg",
    ),
    (
        "Gezamenlijke dreigingsbeeld-update (fictief)",
        "Fictief: MIVD-bericht, vrijgegeven aan de AIVD.",
        Marking.of("STG_CONFIDENTIEEL", "MIVD", releasable_to={"AIVD"}),
        "analist.mivd",
    ),
    (
        "Partnerinformatie (derde-partijregel, fictief)",
        "Fictief: informatie van partnerdienst A; niet verder verstrekken zonder toestemming.",
        Marking.of("STG_GEHEIM", "AIVD", originators={"PARTNER-A"}),
        "analist.g",
    ),
    (
        "Dreigingsmelding voor NCTV (fictief)",
        "Fictief: vrijgegeven aan de NCTV voor het Stelsel Bewaken en Beveiligen.",
        Marking.of("STG_CONFIDENTIEEL", "AIVD", releasable_to={"NCTV"}),
        "analist.g",
    ),
]


def load(session: Session, users: dict[str, int]) -> None:
    # Through the service, as any author would: policy-checked and audited.
    for title, body, marking, author in NOTICES:
        user = session.get(User, users[author])
        assert user is not None
        data = NoticeCreate(title=title, body=body, marking=MarkingIn.of(marking))
        service.create(session, principal=to_principal(user), data=data)
