"""Leak-matrix fixtures and cases for steering. Every fixture builds its own small
world at one marking (GA, plan and all), so adding hidden fixtures changes nothing a
principal may see."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from baken.core.markings import Marking
from baken.core.principals import Principal
from baken.core.schemas import MarkingIn
from baken.steering.models import Jaarplan
from baken.steering.schemas import (
    AssignmentCreate,
    CapacityIn,
    GaVersionCreate,
    JaarplanCreate,
    PlanTextCreate,
    ProgressEntryCreate,
    RequirementCreate,
    SolveRequest,
)
from baken.steering.service import ga, plans, progress, solve, texts
from baken.testing.leakmatrix import LeakCase, LeakFixture


def _free_year(session: Session, service: str) -> int:
    """Each plan needs its own (service, year): take the next free year."""
    last = session.scalar(select(func.max(Jaarplan.year)).where(Jaarplan.service == service))
    return int(last or 2030) + 1


def _ga(session: Session, author: Principal, marking: Marking, label: str) -> int:
    return ga.create_version(
        session,
        principal=author,
        data=GaVersionCreate(
            label=label, period_start=2027, period_end=2030, marking=MarkingIn.of(marking)
        ),
    )


def _requirement(
    session: Session, author: Principal, marking: Marking, version_id: int, question: str
) -> int:
    return ga.add_requirement(
        session,
        principal=author,
        version_id=version_id,
        data=RequirementCreate(
            ref="BH-0001",
            question=question,
            theme="CYB",
            ministry="BZK",
            priority=1,
            service="JOINT",
            task="a",
            marking=MarkingIn.of(marking),
        ),
    ).id


def _plan(
    session: Session,
    author: Principal,
    marking: Marking,
    title: str,
    assignment_title: str = "Onderzoek",
) -> tuple[int, int]:
    version_id = _ga(session, author, marking, "GA I&V")
    _requirement(session, author, marking, version_id, "Vraag over cyber")
    service = author.service.value if author.service else "AIVD"
    plan_id = plans.create_plan(
        session,
        principal=author,
        data=JaarplanCreate(
            service=service,
            year=_free_year(session, service),
            ga_version_id=version_id,
            title=title,
            budget_meur=10,
            marking=MarkingIn.of(marking),
            capacity=[CapacityIn(unit="U", skill="analyse", fte=20)],
        ),
    )
    assignment_id = plans.add_assignment(
        session,
        principal=author,
        jaarplan_id=plan_id,
        data=AssignmentCreate(
            code="A-1",
            title=assignment_title,
            theme="CYB",
            min_fte=2,
            max_fte=10,
            skill_mix={"analyse": 1.0},
            cost_meur_per_fte=0.1,
            covers={"BH-0001": 1.0},
            marking=MarkingIn.of(marking),
        ),
    )
    return plan_id, assignment_id


def make_ga(session: Session, author: Principal, marking: Marking, secret: str) -> dict[str, Any]:
    return {"version_id": _ga(session, author, marking, f"GA {secret}")}


def make_requirement(
    session: Session, author: Principal, marking: Marking, secret: str
) -> dict[str, Any]:
    version_id = _ga(session, author, marking, "GA I&V")
    requirement_id = _requirement(session, author, marking, version_id, f"Vraag {secret}?")
    return {"version_id": version_id, "requirement_id": requirement_id}


def make_plan(session: Session, author: Principal, marking: Marking, secret: str) -> dict[str, Any]:
    plan_id, _ = _plan(session, author, marking, f"Jaarplan {secret}")
    return {"plan_id": plan_id}


def make_version(
    session: Session, author: Principal, marking: Marking, secret: str
) -> dict[str, Any]:
    plan_id, _ = _plan(session, author, marking, "Jaarplan", f"Opdracht {secret}")
    version_id = solve.solve(
        session, principal=author, jaarplan_id=plan_id, data=SolveRequest(note="matrix")
    )
    return {"plan_id": plan_id, "version_id": version_id}


def make_progress(
    session: Session, author: Principal, marking: Marking, secret: str
) -> dict[str, Any]:
    plan_id, assignment_id = _plan(session, author, marking, "Jaarplan")
    report_id = progress.create_report(session, principal=author, jaarplan_id=plan_id, period=1)
    progress.record_entry(
        session,
        principal=author,
        report_id=report_id,
        data=ProgressEntryCreate(
            assignment_id=assignment_id, status="op_koers", narrative=f"Voortgang {secret}"
        ),
    )
    return {"plan_id": plan_id, "report_id": report_id}


def make_text(session: Session, author: Principal, marking: Marking, secret: str) -> dict[str, Any]:
    plan_id, _ = _plan(session, author, marking, "Jaarplan")
    text = texts.create_text(
        session,
        principal=author,
        jaarplan_id=plan_id,
        data=PlanTextCreate(
            section="inleiding",
            heading="Inleiding",
            body=f"Tekst {secret}",
            marking=MarkingIn.of(marking),
        ),
    )
    return {"plan_id": plan_id, "text_id": text.id}


FIXTURES = [
    LeakFixture("ga", ga.KIND, make_ga),
    LeakFixture("requirement", ga.KIND, make_requirement),
    LeakFixture("plan", plans.KIND, make_plan),
    LeakFixture("version", plans.KIND, make_version),
    LeakFixture("progress", progress.KIND, make_progress),
    LeakFixture("text", texts.KIND, make_text),
]

_MARKING = {"level": "ONGERUBRICEERD", "owner": "JOINT"}

CASES = [
    LeakCase("GET", "/sturing"),
    LeakCase("POST", "/sturing/ga", form=lambda p: {"label": "x", "period_start": "2030"}),
    LeakCase("POST", "/sturing/jaarplannen", form=lambda p: {"title": "", "year": "-1"}),
    LeakCase(
        "POST",
        "/sturing/jaarplan/{plan_id}/opdrachten",
        fixture="plan",
        form=lambda p: {"code": "A-9", "min_fte": "-1", "skill_mix": "analyse=2"},
    ),
    LeakCase(
        "POST",
        "/sturing/jaarplan/{plan_id}/capaciteit",
        fixture="plan",
        form=lambda p: {"unit": "U", "skill": "Fout!", "fte": "-3"},
    ),
    LeakCase("GET", "/sturing/ga/{version_id}", fixture="ga"),
    LeakCase("GET", "/sturing/ga/{version_id}", fixture="requirement"),
    LeakCase(
        "POST",
        "/sturing/ga/{version_id}/actualisatie",
        fixture="requirement",
        form=lambda p: {"update_year": "1999"},
    ),
    LeakCase(
        "POST",
        "/sturing/ga/{version_id}/vaststellen",
        fixture="requirement",
        form=lambda p: {"staatscourant_ref": "geen"},
    ),
    LeakCase(
        "POST",
        "/sturing/ga/{version_id}/behoeften",
        fixture="requirement",
        form=lambda p: {"ref": "fout", "question": "", **_MARKING},
    ),
    LeakCase(
        "POST",
        "/sturing/behoeften/{requirement_id}/verwijderen",
        fixture="requirement",
        form=lambda p: {"version_id": str(p["version_id"])},
        order=50,
    ),
    LeakCase("GET", "/sturing/jaarplan/{plan_id}", fixture="plan"),
    LeakCase("GET", "/sturing/jaarplan/{plan_id}", fixture="version"),
    LeakCase(
        "POST",
        "/sturing/jaarplan/{plan_id}/oplossen",
        fixture="version",
        form=lambda p: {"extra_skill": "onbekend", "extra_fte": "1"},
    ),
    LeakCase("GET", "/sturing/versies/{version_id}", fixture="version"),
    LeakCase("GET", "/sturing/versies/{version_id}/export.csv", fixture="version"),
    LeakCase("GET", "/sturing/jaarplan/{plan_id}/voortgang", fixture="progress"),
    LeakCase(
        "POST",
        "/sturing/jaarplan/{plan_id}/voortgang",
        fixture="progress",
        form=lambda p: {"period": "9"},
    ),
    LeakCase("GET", "/sturing/voortgang/{report_id}", fixture="progress"),
    LeakCase(
        "POST",
        "/sturing/voortgang/{report_id}/regels",
        fixture="progress",
        form=lambda p: {"status": "onbekend"},
    ),
    LeakCase("POST", "/sturing/voortgang/{report_id}/versturen", fixture="progress", order=50),
    LeakCase("GET", "/sturing/voortgang/{report_id}/export.csv", fixture="progress"),
    LeakCase("GET", "/sturing/jaarplan/{plan_id}/teksten", fixture="text"),
    LeakCase(
        "POST",
        "/sturing/jaarplan/{plan_id}/teksten",
        fixture="text",
        form=lambda p: {"section": "onbekend", "heading": "", "body": ""},
    ),
    LeakCase("GET", "/sturing/teksten/{text_id}", fixture="text"),
    LeakCase("GET", "/sturing/teksten/{text_id}/saneren", fixture="text"),
    LeakCase(
        "POST",
        "/sturing/teksten/{text_id}/saneren",
        fixture="text",
        form=lambda p: {"heading": "", "body": "", "reason": ""},
    ),
    LeakCase("GET", "/sturing/jaarplan/{plan_id}/jaarplanbrief", fixture="text"),
    LeakCase("GET", "/sturing/jaarplan/{plan_id}/jaarplanbrief.pdf", fixture="text"),
    LeakCase("GET", "/api/v1/steering/ga"),
    LeakCase("GET", "/api/v1/steering/ga/{version_id}/requirements", fixture="requirement"),
    LeakCase("GET", "/api/v1/steering/plans/{plan_id}", fixture="plan"),
    LeakCase(
        "POST",
        "/api/v1/steering/plans/{plan_id}/solve",
        fixture="version",
        json=lambda p: {"pins": ["BESTAAT-NIET"]},
    ),
    LeakCase("GET", "/api/v1/steering/versions/{version_id}", fixture="version"),
]
