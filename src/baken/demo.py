"""The fictional demo world: units of AIVD, MIVD and joint units, one user for every
role and clearance level, and each module's part through the ``baken_demo`` hook (size
``small``); sizes ``default`` and ``large`` add the mass data of :mod:`baken.demo_world`.

Everything here is invented for the demo, except public facts from DOMAIN.md.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from baken.core.config import Settings
from baken.core.db import make_engine, make_sessionmaker, transaction
from baken.core.markings import Level, Service
from baken.core.models import User
from baken.core.users import UserCreate, UserPublic, create, ensure_unit, hasher, list_users
from baken.demo_world.sizes import Size, size_of
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


Progress = Callable[[str, int, int], None]
NAMES = frozenset(u[0] for u in USERS)


def load_demo(
    settings: Settings,
    *,
    password: str,
    reset: bool = False,
    size: str | Size = "default",
    progress: Progress | None = None,
) -> tuple[bool, list[UserPublic]]:
    """Load the world if it is not there yet, then bring it up to ``size`` (``small``:
    the units, users and every module's part; ``default`` and ``large`` add the generated
    documents, the bulk dataset and more screenings). Returns (created now, the users).

    An unknown size raises :class:`~baken.demo_world.sizes.SizeError` before anything is
    written. ``progress(step, done, total)`` is told how far the long steps are.
    """
    wanted = size if isinstance(size, Size) else size_of(size)
    tell = progress or _quiet
    factory = make_sessionmaker(make_engine(settings))
    with transaction(factory) as session:
        exists = session.scalar(select(User.id).where(User.username == USERS[0][0]))
        created = exists is None
        if created:
            _create_world(session, settings, password, tell)
        elif reset:
            _set_password(session, settings, password)
    if wanted.documents or wanted.bulk_rows or wanted.screenings:
        from baken.demo_world.load import build

        with transaction(factory) as session:
            found = session.execute(
                select(User.username, User.id).where(User.username.in_(NAMES))
            ).tuples()
            ids = {username: user_id for username, user_id in found}
        build(settings, factory, size=wanted, users=ids, progress=tell)
    with transaction(factory) as session:
        people = [u for u in list_users(session, principal=None) if u.username in NAMES]
    return created, people


def _quiet(step: str, done: int, total: int) -> None:
    return None


def _set_password(session: Session, settings: Settings, password: str) -> None:
    """One password for every demo user: hashed once (argon2 with the settings' cost),
    which keeps loading fast; the demo users share the password anyway."""
    session.execute(
        update(User)
        .where(User.username.in_(NAMES))
        .values(password_hash=hasher(settings).hash(password), failed_logins=0, locked_until=None)
    )


def _create_world(session: Session, settings: Settings, password: str, tell: Progress) -> None:
    for code, nl, en, unit_service in UNITS:
        ensure_unit(session, code=code, name_nl=nl, name_en=en, service=unit_service)
    # Each account is made with a cheap hash, then all get the one real hash below.
    cheap = settings.model_copy(update={"argon2_time_cost": 1, "argon2_memory_kib": 64})
    ids: dict[str, int] = {}
    for username, name, level, roles, service, org, unit, comps in USERS:
        ids[username] = create(
            session,
            settings=cheap,
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
    _set_password(session, settings, password)
    # In module order (pluggy would call the last registered first): a module's demo may
    # build on the worlds of the modules it depends on.
    given = {"session": session, "users": ids, "settings": settings}
    impls = registry().hook.baken_demo.get_hookimpls()
    for done, impl in enumerate(impls):
        tell("modules", done, len(impls))
        impl.function(**{name: given[name] for name in impl.argnames})
    tell("modules", len(impls), len(impls))
