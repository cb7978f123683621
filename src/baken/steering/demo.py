"""The steering part of the demo world.

Public facts (the 2026 themes, the requesting ministries, the AIVD's 2026 budget) come
from DOMAIN.md; every requirement, assignment, capacity figure and classified text is
invented, seeded so the world is the same on every run, and sized so the optimiser has
to make real choices.
"""

from __future__ import annotations

import random

from sqlalchemy.orm import Session

from baken.core import sanitise
from baken.core.markings import Marking
from baken.core.models import User
from baken.core.principals import Principal
from baken.core.schemas import MarkingIn
from baken.core.users import to_principal
from baken.steering.schemas import (
    AssignmentCreate,
    BudgetLineIn,
    CapacityIn,
    Establish,
    GaUpdateCreate,
    GaVersionCreate,
    JaarplanCreate,
    PlanTextCreate,
    ProgressEntryCreate,
    RequirementCreate,
    SolveRequest,
)
from baken.steering.service import ga, plans, progress, solve, texts

GA_MARKING = Marking.of("STG_GEHEIM", "JOINT", releasable_to={"CIVD"})
PLAN_MARKING = {
    "AIVD": Marking.of("STG_GEHEIM", "AIVD", releasable_to={"CIVD"}),
    "MIVD": Marking.of("STG_GEHEIM", "MIVD", releasable_to={"CIVD"}),
}

# Per theme: the ministries that ask, and the services that answer.
THEMES = {
    "RUS": (["BZ", "DEF", "AZ"], ["AIVD", "MIVD"]),
    "CHN": (["BZ", "BZK", "AZ"], ["AIVD", "MIVD"]),
    "MOO": (["BZ", "DEF"], ["AIVD", "MIVD"]),
    "VEN": (["BZK", "DEF"], ["AIVD", "MIVD"]),
    "EW": (["DEF", "BZ"], ["MIVD"]),
    "CP": (["BZ", "DEF", "JENV"], ["AIVD", "MIVD"]),
    "ET": (["JENV", "BZK"], ["AIVD"]),
    "MT": (["DEF", "BZ"], ["MIVD"]),
    "EV": (["BZK", "AZ"], ["AIVD"]),
    "CYB": (["BZK", "JENV", "DEF"], ["AIVD", "MIVD"]),
    "CN": (["JENV", "BZK"], ["AIVD"]),
    "HT1": (["DEF"], ["MIVD"]),
}

QUESTIONS = [
    "Welke intenties heeft actor {n} (fictief) ten aanzien van Nederlandse belangen"
    " binnen het thema {t}?",
    "Welke capaciteiten bouwt netwerk {n} (fictief) op en hoe snel?",
    "Welke dreiging gaat er binnen {t} uit van groepering {n} (fictief) voor vitale"
    " infrastructuur?",
    "Hoe beïnvloedt staat {n} (fictief) besluitvorming in Nederland of bondgenoten?",
    "Welke verwervingspogingen van kennis en goederen doet entiteit {n} (fictief)?",
    "Welke vroege signalen wijzen op escalatie rond {t} in gebied {n} (fictief)?",
]

SKILLS = {
    "AIVD": {
        "analyse": 120,
        "humint": 60,
        "sigint": 40,
        "cyber": 45,
        "data": 30,
        "taal-ru": 12,
        "taal-zh": 10,
        "taal-ar": 14,
        "juridisch": 10,
    },
    "MIVD": {
        "analyse": 100,
        "humint": 35,
        "sigint": 55,
        "cyber": 35,
        "data": 20,
        "taal-ru": 14,
        "taal-ar": 8,
        "technisch": 30,
        "juridisch": 6,
    },
}
LANG = {"RUS": "taal-ru", "CHN": "taal-zh", "MOO": "taal-ar", "ET": "taal-ar"}

TEXTS = {
    # section: (classified text, public wording approved by the classification officer)
    "inleiding": (
        "Fictief geheim: het jaarplan kiest expliciet voor inzet op de statelijke dreiging "
        "en laat capaciteit op enkele lagere prioriteiten onbenut (zie bijlage scherpe keuzes).",
        "In deze brief informeren wij u over de hoofdlijnen van het jaarplan 2026. Het "
        "volledige jaarplan is staatsgeheim en is gedeeld met de Commissie voor de "
        "Inlichtingen- en Veiligheidsdiensten (CIVD).",
    ),
    "ga": (
        "Fictief geheim: de actualisatie 2026 voegt behoeften toe op contraproliferatie en "
        "militaire technologie.",
        "De Geïntegreerde Aanwijzing Inlichtingen en Veiligheid (GA I&V) 2023–2026 is voor "
        "2026 geactualiseerd. De GA I&V wordt vastgesteld door de minister-president met de "
        "ministers van BZK en Defensie, na overleg met de ministers van JenV en BZ. In 2026 "
        "wordt de GA I&V 2027–2030 voorbereid.",
    ),
    "prioriteiten": (
        "Fictief geheim: prioritering per thema met inzet in FTE.",
        "De diensten richten zich in 2026 onder meer op Rusland, China, het Midden-Oosten, "
        "Venezuela in relatie tot het Caribisch deel van het Koninkrijk, early warning, "
        "contraproliferatie, extremisme en terrorisme, militaire technologie, economische "
        "veiligheid, cyber en criminele netwerken die de nationale veiligheid bedreigen.",
    ),
    "taken": (
        "Fictief geheim: doelstellingen per taak met aantallen.",
        "Buiten de GA I&V voeren de diensten hun veiligheidsbevorderende taken uit: "
        "veiligheidsonderzoeken (waaronder de invoering van de locatiegebonden verklaring "
        "van geen bezwaar), elektronische veiligheidsonderzoeken, industriële veiligheid via "
        "het NBIV, het bevorderen van weerbaarheid en dreigingsproducten voor het Stelsel "
        "Bewaken en Beveiligen. De diensten verwachten in 2026 een sterke stijging van het "
        "aantal veiligheidsonderzoeken.",
    ),
    "randvoorwaarden": (
        "Fictief geheim: knelpunten in huisvesting en werving.",
        "Randvoorwaarden voor de uitvoering zijn de wettelijke kaders (waaronder de "
        "Tijdelijke wet, sinds 1 juli 2024 van kracht), voldoende gekwalificeerd personeel "
        "en passende huisvesting.",
    ),
    "begroting": (
        "Fictief geheim: verdeling van de begroting over de directies.",
        "De begroting van de AIVD bedraagt in 2026 EUR 544 mln. Daarin zitten EUR 29 mln "
        "extra middelen (oplopend tot EUR 74 mln in latere jaren) en EUR 7 mln structureel "
        "voor Bewaken en Beveiligen; EUR 3,4 mln gaat af wegens een onvolledige "
        "loonbijstelling.",
    ),
    "verantwoording": (
        "Fictief geheim: toezichtsonderzoeken en aandachtspunten.",
        "De diensten leggen verantwoording af aan de CIVD met periodieke "
        "voortgangsrapportages en publiek met het jaarverslag in april. De CTIVD houdt "
        "toezicht op de rechtmatigheid; de TIB toetst vooraf de inzet van bijzondere "
        "bevoegdheden.",
    ),
}


def _principal(session: Session, user_id: int) -> Principal:
    user = session.get(User, user_id)
    assert user is not None
    return to_principal(user)


def load(session: Session, users: dict[str, int]) -> None:
    rng = random.Random(2026)  # noqa: S311 - a reproducible demo, not a secret
    planner = _principal(session, users["planner.aivd"])
    officer = _principal(session, users["rubricering"])
    version_id = ga.create_version(
        session,
        principal=planner,
        data=GaVersionCreate(
            label="GA I&V 2023–2026",
            period_start=2023,
            period_end=2026,
            marking=MarkingIn.of(GA_MARKING),
        ),
    )
    _requirements(session, rng, planner, version_id)
    ga.establish(
        session,
        principal=planner,
        version_id=version_id,
        data=Establish(staatscourant_ref="Stcrt. 2023, 99999"),
    )
    # The 2026 update: a copy with a few edits, so the diff shows something.
    update_id = ga.create_update(
        session, principal=planner, version_id=version_id, data=GaUpdateCreate(update_year=2026)
    )
    _update_2026(session, planner, update_id)
    ga.establish(
        session,
        principal=planner,
        version_id=update_id,
        data=Establish(staatscourant_ref="Stcrt. 2025, 99999"),
    )
    planners = {"AIVD": planner, "MIVD": _principal(session, users["planner.mivd"])}
    for service, who in planners.items():
        plan_id = _plan(session, who, service, update_id)
        _assignments(session, rng, who, service, plan_id, update_id)
        solve.solve(
            session,
            principal=who,
            jaarplan_id=plan_id,
            data=SolveRequest(note="Eerste doorrekening (demo)"),
        )
        if service == "AIVD":
            _texts(session, planner, officer, plan_id)
            _progress(session, planner, plan_id)


def _requirements(
    session: Session, rng: random.Random, planner: Principal, version_id: int
) -> None:
    n = 0
    for theme, (ministries, services) in THEMES.items():
        for i in range(rng.randint(8, 12)):
            n += 1
            service = (
                services[i % len(services)]
                if len(services) == 1
                else rng.choice([*services, "JOINT"])
            )
            task = {"AIVD": rng.choice("ad"), "MIVD": rng.choice("ace"), "JOINT": "a"}[service]
            level = rng.choices(["STG_CONFIDENTIEEL", "STG_GEHEIM"], weights=[1, 3])[0]
            ga.add_requirement(
                session,
                principal=planner,
                version_id=version_id,
                data=RequirementCreate(
                    ref=f"BH-{n:04d}",
                    question=rng.choice(QUESTIONS).format(n=n, t=theme),
                    theme=theme,
                    ministry=rng.choice(ministries),
                    priority=rng.choices([1, 2, 3, 4, 5], [2, 3, 4, 3, 2])[0],
                    service=service,
                    task=task,
                    marking=MarkingIn.of(Marking.of(level, "JOINT", releasable_to={"CIVD"})),
                ),
            )


def _update_2026(session: Session, planner: Principal, update_id: int) -> None:
    items = ga.requirements(session, planner, update_id)
    for item in [i for i in items if i.priority > 1][:3]:  # three priorities raised
        ga.update_requirement(
            session,
            principal=planner,
            requirement_id=item.id,
            data=RequirementCreate(
                ref=item.ref,
                question=item.question,
                theme=item.theme,
                ministry=item.ministry,
                priority=max(1, item.priority - 1),
                service=item.service,
                task=item.task,
                marking=MarkingIn.of(item.marking),
            ),
        )
    ga.remove_requirement(session, principal=planner, requirement_id=items[-1].id)
    for k, theme in enumerate(("CP", "MT")):  # new for 2026 (letters)
        ga.add_requirement(
            session,
            principal=planner,
            version_id=update_id,
            data=RequirementCreate(
                ref=f"BH-{9001 + k}",
                question=f"Welke nieuwe verwervingsroutes gebruikt land {k + 1} "
                "(fictief) voor overbrengingsmiddelen?",
                theme=theme,
                ministry="DEF",
                priority=1,
                service="JOINT",
                task="a",
                marking=MarkingIn.of(GA_MARKING),
            ),
        )


def _plan(session: Session, planner: Principal, service: str, version_id: int) -> int:
    budget = 544.0 if service == "AIVD" else 420.0
    units = ["AIVD-DI", "AIVD-DV"] if service == "AIVD" else ["MIVD-INL"]
    if service == "AIVD":  # the public 2026 figures (DOMAIN.md §1)
        lines = [
            ("Basisbudget", 511.4),
            ("Extra middelen 2026", 29.0),
            ("Structureel Bewaken en Beveiligen", 7.0),
            ("Onvolledige loonbijstelling", -3.4),
        ]
        targets = {"screenings": 30000, "sweeps": 260, "nbiv": 120, "threat_products": 70}
    else:
        lines = [("Budget (fictief)", budget)]
        targets = {"screenings": 22000, "sweeps": 140, "nbiv": 60, "threat_products": 10}
    # The part of the budget that the plan's assignments may spend (fictional share).
    return plans.create_plan(
        session,
        principal=planner,
        data=JaarplanCreate(
            service=service,
            year=2026,
            ga_version_id=version_id,
            title=f"Jaarplan {service} 2026",
            budget_meur=round(budget * 0.1, 1),
            marking=MarkingIn.of(PLAN_MARKING[service]),
            capacity=[
                CapacityIn(unit=unit, skill=skill, fte=round(fte / len(units), 1))
                for skill, fte in SKILLS[service].items()
                for unit in units
            ],
            budget_lines=[BudgetLineIn(label=label, amount_meur=amount) for label, amount in lines],
            targets=targets,
        ),
    )


def _assignments(
    session: Session,
    rng: random.Random,
    planner: Principal,
    service: str,
    plan_id: int,
    version_id: int,
) -> None:
    reqs = [
        r for r in ga.requirements(session, planner, version_id) if r.service in (service, "JOINT")
    ]
    skills = list(SKILLS[service])
    n = 0
    for theme, (_, services) in THEMES.items():
        if service not in services:
            continue
        theme_reqs = [r for r in reqs if r.theme == theme]
        for _ in range(rng.randint(3, 5)):
            n += 1
            chosen = rng.sample(theme_reqs, k=min(len(theme_reqs), rng.randint(2, 5)))
            mix_skills = {"analyse"} | set(rng.sample(skills[1:6], k=rng.randint(1, 2)))
            if theme in LANG and LANG[theme] in skills:
                mix_skills.add(LANG[theme])
            weights = {s: rng.uniform(0.5, 2.0) for s in sorted(mix_skills)}
            total = sum(weights.values())
            mix = {s: round(w / total, 4) for s, w in weights.items()}
            first = next(iter(mix))
            mix[first] = round(mix[first] + 1.0 - sum(mix.values()), 6)
            max_fte = round(rng.uniform(8, 30), 1)
            plans.add_assignment(
                session,
                principal=planner,
                jaarplan_id=plan_id,
                data=AssignmentCreate(
                    code=f"{service[0]}-{theme}-{n:02d}",
                    title=f"Onderzoek {theme} {n} (fictief)",
                    description="Fictieve onderzoeksopdracht voor de demo.",
                    theme=theme,
                    min_fte=round(max_fte * rng.uniform(0.3, 0.5), 1),
                    max_fte=max_fte,
                    skill_mix=mix,
                    cost_meur_per_fte=round(rng.uniform(0.11, 0.16), 3),
                    mandatory=theme == "HT1" or (theme == "ET" and n % 4 == 0),
                    covers={r.ref: round(rng.uniform(0.4, 1.0), 2) for r in chosen},
                    marking=MarkingIn.of(PLAN_MARKING[service]),
                ),
            )


def _texts(session: Session, planner: Principal, officer: Principal, plan_id: int) -> None:
    for section, (secret, public) in TEXTS.items():
        heading = section.capitalize()
        source = texts.create_text(
            session,
            principal=planner,
            jaarplan_id=plan_id,
            data=PlanTextCreate(
                section=section,
                heading=heading,
                body=secret,
                marking=MarkingIn.of(PLAN_MARKING["AIVD"]),
            ),
        )
        request_id = sanitise.request(
            session,
            principal=planner,
            kind=texts.KIND,
            source_id=source.id,
            marking=Marking.of("ONGERUBRICEERD", "AIVD"),
            fields={"heading": heading, "body": public},
            reason="Openbare jaarplanbrief 2026 (demo)",
        )
        sanitise.decide(
            session,
            principal=officer,
            sanitisation_id=request_id,
            approve=True,
            note="Geen staatsgeheime informatie meer; vrij voor publicatie.",
        )


def _progress(session: Session, planner: Principal, plan_id: int) -> None:
    from baken.steering.service.plans import assignments

    report_id = progress.create_report(session, principal=planner, jaarplan_id=plan_id, period=1)
    statuses = ["op_koers", "op_koers", "vertraagd", "bijgesteld", "op_koers"]
    for k, item in enumerate(assignments(session, planner, plan_id)[:12]):
        progress.record_entry(
            session,
            principal=planner,
            report_id=report_id,
            data=ProgressEntryCreate(
                assignment_id=item.id,
                status=statuses[k % len(statuses)],
                narrative=f"Fictieve voortgang van {item.code} in periode 1.",
                indicators={
                    "producten": float(3 + k % 5),
                    "inzet_fte": round(item.min_fte + k % 3, 1),
                },
            ),
        )
    progress.send_report(session, principal=planner, report_id=report_id)
    progress.create_report(session, principal=planner, jaarplan_id=plan_id, period=2)
