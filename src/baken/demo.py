"""The fictional demo world: units of AIVD, MIVD and joint units, one user for every
role and clearance level, and each module's part through the ``baken_demo`` hook.

Everything here is invented for the demo, except public facts from DOMAIN.md.
"""

from __future__ import annotations

from sqlalchemy import select, update

from baken.core.config import Settings
from baken.core.db import make_engine, make_sessionmaker, transaction
from baken.core.markings import Level, Service
from baken.core.models import User
from baken.core.users import UserCreate, UserPublic, create, ensure_unit, hasher, list_users
from baken.plugins import registry

UNITS = [
    # code, nl, en, service
    (
        "AIVD-DI",
        "Directie Inlichtingen (fictieve eenheid)",
        "Intelligence directorate (fictional unit)",
        Service.AIVD,
    ),
    (
        "AIVD-DV",
        "Directie Veiligheid (fictieve eenheid)",
        "Security directorate (fictional unit)",
        Service.AIVD,
    ),
    ("AIVD-PLAN", "Planning en control AIVD", "Planning and control AIVD", Service.AIVD),
    (
        "MIVD-INL",
        "Inlichtingen MIVD (fictieve eenheid)",
        "MIVD intelligence (fictional unit)",
        Service.MIVD,
    ),
    ("MIVD-PLAN", "Planning en control MIVD", "Planning and control MIVD", Service.MIVD),
    ("UVO", "Unit Veiligheidsonderzoeken", "Security Screening Unit", Service.JOINT),
    (
        "NBIV",
        "Nationaal Bureau Industriële Veiligheid",
        "National Bureau for Industrial Security",
        Service.JOINT,
    ),
    ("EVO", "Elektronische veiligheidsonderzoeken", "Electronic security sweeps", Service.JOINT),
    (
        "AIVD-BB",
        "Bewaken en Beveiligen (fictieve eenheid)",
        "Surveillance and Protection (fictional unit)",
        Service.AIVD,
    ),
]

# username, display name, clearance, roles, service, organisation, unit, compartments
DemoUser = tuple[str, str, Level, set[str], Service | None, str | None, str | None, set[str]]
USERS: list[DemoUser] = [
    ("beheer", "Bea Beheer", Level.STG_GEHEIM, {"admin"}, Service.AIVD, None, "AIVD-PLAN", set()),
    (
        "planner.aivd",
        "Pieter Plan",
        Level.STG_GEHEIM,
        {"planner"},
        Service.AIVD,
        None,
        "AIVD-PLAN",
        set(),
    ),
    (
        "planner.mivd",
        "Mira Planning",
        Level.STG_GEHEIM,
        {"planner"},
        Service.MIVD,
        None,
        "MIVD-PLAN",
        set(),
    ),
    (
        "analist.zg",
        "Anna Zeergeheim",
        Level.STG_ZEER_GEHEIM,
        {"analyst"},
        Service.AIVD,
        None,
        "AIVD-DI",
        {"KOBALT"},
    ),
    (
        "analist.g",
        "Gijs Geheim",
        Level.STG_GEHEIM,
        {"analyst"},
        Service.AIVD,
        None,
        "AIVD-DI",
        set(),
    ),
    (
        "analist.c",
        "Carla Confidentieel",
        Level.STG_CONFIDENTIEEL,
        {"analyst"},
        Service.MIVD,
        None,
        "MIVD-INL",
        set(),
    ),
    (
        "analist.dv",
        "Daan Vertrouwelijk",
        Level.DEP_VERTROUWELIJK,
        {"analyst"},
        Service.AIVD,
        None,
        "AIVD-DI",
        set(),
    ),
    (
        "analist.ong",
        "Olga Nieuw (screening loopt)",
        Level.ONGERUBRICEERD,
        {"analyst"},
        Service.AIVD,
        None,
        "AIVD-DI",
        set(),
    ),
    (
        "analist.mivd",
        "Maarten Militair",
        Level.STG_ZEER_GEHEIM,
        {"analyst"},
        Service.MIVD,
        None,
        "MIVD-INL",
        set(),
    ),
    (
        "teamleider",
        "Tamara Teamleider",
        Level.STG_ZEER_GEHEIM,
        {"team_lead"},
        Service.AIVD,
        None,
        "AIVD-DI",
        {"KOBALT"},
    ),
    (
        "rubricering",
        "Ruben Rubricering",
        Level.STG_ZEER_GEHEIM,
        {"classification_officer"},
        Service.AIVD,
        None,
        "AIVD-DI",
        {"KOBALT"},
    ),
    (
        "uvo",
        "Ursula Onderzoek",
        Level.STG_GEHEIM,
        {"screening_officer"},
        Service.AIVD,
        None,
        "UVO",
        set(),
    ),
    (
        "evo",
        "Erik Veegploeg",
        Level.STG_GEHEIM,
        {"protect_officer"},
        Service.MIVD,
        None,
        "EVO",
        set(),
    ),
    (
        "nbiv",
        "Nora Industrie",
        Level.STG_GEHEIM,
        {"protect_officer"},
        Service.AIVD,
        None,
        "NBIV",
        set(),
    ),
    (
        "bewaking",
        "Bram Bewaking",
        Level.STG_GEHEIM,
        {"protect_officer"},
        Service.AIVD,
        None,
        "AIVD-BB",
        set(),
    ),
    (
        "minister.bzk",
        "Kabinet minister BZK",
        Level.STG_ZEER_GEHEIM,
        {"minister_office"},
        None,
        "BZK",
        None,
        set(),
    ),
    ("tib", "Theo TIB", Level.STG_ZEER_GEHEIM, {"tib"}, None, "TIB", None, set()),
    ("ctivd", "Cees Toezicht", Level.STG_ZEER_GEHEIM, {"overseer"}, None, "CTIVD", None, set()),
    ("civd", "Kamerlid CIVD", Level.STG_GEHEIM, {"civd_member"}, None, "CIVD", None, set()),
    (
        "werkgever",
        "Wim Werkgever (luchthaven, fictief)",
        Level.STG_CONFIDENTIEEL,
        {"employer_security_officer"},
        None,
        "EMPLOYER-A",
        None,
        set(),
    ),
    (
        "werkgever.b",
        "Bart Beveiliging (beveiligingsbedrijf op de luchthaven, fictief)",
        Level.STG_CONFIDENTIEEL,
        {"employer_security_officer"},
        None,
        "EMPLOYER-B",
        None,
        set(),
    ),
    (
        "kmar",
        "Karin Marechaussee (onderzoek onder mandaat)",
        Level.STG_CONFIDENTIEEL,
        {"mandated_screening_officer"},
        Service.AIVD,
        "KMAR",
        None,
        set(),
    ),
    ("nctv", "Nadia NCTV", Level.STG_GEHEIM, {"partner_recipient"}, None, "NCTV", None, set()),
    (
        "burgemeester",
        "Kabinet burgemeester Zuidpolder (fictief)",
        Level.DEP_VERTROUWELIJK,
        {"partner_recipient"},
        None,
        "GEMEENTE-ZUIDPOLDER",
        None,
        set(),
    ),
    (
        "slachtoffer",
        "Sanne Slachtoffer (getroffen organisatie, fictief)",
        Level.DEP_VERTROUWELIJK,
        {"partner_recipient"},
        None,
        "VICTIM-A",
        None,
        set(),
    ),
    (
        "partner.a",
        "Partnerdienst A (fictief)",
        Level.STG_GEHEIM,
        {"partner_recipient"},
        None,
        "PARTNER-A",
        None,
        set(),
    ),
]


def load_demo(
    settings: Settings, *, password: str, reset: bool = False
) -> tuple[bool, list[UserPublic]]:
    """Load the world if it is not there yet; returns (created now, the users)."""
    factory = make_sessionmaker(make_engine(settings))
    with transaction(factory) as session:
        exists = session.scalar(select(User.id).where(User.username == USERS[0][0]))
        created = exists is None
        if created:
            for code, nl, en, unit_service in UNITS:
                ensure_unit(session, code=code, name_nl=nl, name_en=en, service=unit_service)
            ids: dict[str, int] = {}
            for username, name, level, roles, service, org, unit, comps in USERS:
                ids[username] = create(
                    session,
                    settings=settings,
                    principal=None,
                    data=UserCreate(
                        username=username,
                        display_name=name,
                        password=password,
                        clearance=level,
                        service=service,
                        organisation=org,
                        unit=unit,
                        roles=frozenset(roles),
                        compartments=frozenset(comps),
                    ),
                ).id
            # In module order (pluggy would call the last registered first): a module's
            # demo may build on the worlds of the modules it depends on.
            given = {"session": session, "users": ids, "settings": settings}
            for impl in registry().hook.baken_demo.get_hookimpls():
                impl.function(**{name: given[name] for name in impl.argnames})
        elif reset:
            names = [u[0] for u in USERS]
            session.execute(
                update(User)
                .where(User.username.in_(names))
                .values(
                    password_hash=hasher(settings).hash(password),
                    failed_logins=0,
                    locked_until=None,
                )
            )
        people = [
            u
            for u in list_users(session, principal=None)
            if u.username in {row[0] for row in USERS}
        ]
    return created, people
