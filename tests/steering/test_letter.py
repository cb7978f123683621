"""The public letter holds only text that went through an approved sanitisation —
however the classified data is edited (hypothesis drives the edits)."""

from __future__ import annotations

import shutil
import subprocess

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import Session, sessionmaker

from baken.core import sanitise
from baken.core.db import transaction
from baken.core.markings import Marking
from baken.core.schemas import MarkingIn
from baken.steering.publish import render_html, render_pdf
from baken.steering.schemas import PlanTextCreate, ProgressEntryCreate, SolveRequest
from baken.steering.service import letter, plans, progress, solve, texts
from tests.steering.conftest import SECRET, World

PUBLIC = Marking.of("ONGERUBRICEERD", "AIVD")
SECTIONS = ["inleiding", "ga", "taken", "begroting", "prioriteiten:CYB"]

# What can happen to the plan's texts: write a classified text, request a public
# version and approve, reject or leave it, edit the classified source afterwards, or
# write an unclassified text directly (which is not a sanitisation).
actions = st.lists(
    st.tuples(
        st.sampled_from(["write", "approve", "reject", "pending", "edit", "unmarked"]),
        st.sampled_from(SECTIONS),
    ),
    min_size=1,
    max_size=8,
)


def _all_strings(doc: object) -> str:
    from dataclasses import fields

    return "\n".join(str(getattr(doc, f.name)) for f in fields(doc))  # type: ignore[arg-type]


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=actions)
def test_no_classified_text_reaches_the_letter(
    world: World, factory: sessionmaker[Session], steps: list[tuple[str, str]]
) -> None:
    approved: set[str] = set()
    secrets: set[str] = set()
    with transaction(factory) as session:
        # Classified data everywhere else, marked so a leak would be recognisable.
        solve.solve(
            session,
            principal=world.planner,
            jaarplan_id=world.plan_id,
            data=SolveRequest(note="GEHEIM-notitie"),
        )
        # Hypothesis runs many examples on one database: the report exists after the first.
        existing = progress.list_reports(
            session, principal=world.planner, jaarplan_id=world.plan_id
        )
        report = (
            existing[0].id
            if existing
            else progress.create_report(
                session, principal=world.planner, jaarplan_id=world.plan_id, period=1
            )
        )
        first = plans.assignments(session, world.planner, world.plan_id)[0]
        progress.record_entry(
            session,
            principal=world.planner,
            report_id=report,
            data=ProgressEntryCreate(
                assignment_id=first.id, status="op_koers", narrative="GEHEIM-voortgang"
            ),
        )
        secrets |= {"GEHEIM-notitie", "GEHEIM-voortgang", "Opdracht A-1", "Vraag BH-0001"}
        source: dict[str, int] = {}
        for n, (action, section) in enumerate(steps):
            if action == "unmarked":
                body = f"ONGESANEERD-{n}"
                secrets.add(body)
                texts.create_text(
                    session,
                    principal=world.planner,
                    jaarplan_id=world.plan_id,
                    data=PlanTextCreate(
                        section=section, heading="Kop", body=body, marking=MarkingIn.of(PUBLIC)
                    ),
                )
                continue
            if action == "write" or section not in source:
                body = f"GEHEIM-{n}"
                secrets.add(body)
                source[section] = texts.create_text(
                    session,
                    principal=world.planner,
                    jaarplan_id=world.plan_id,
                    data=PlanTextCreate(
                        section=section, heading="Kop", body=body, marking=MarkingIn.of(SECRET)
                    ),
                ).id
            if action == "edit":
                body = f"GEHEIM-BEWERKT-{n}"
                secrets.add(body)
                texts.update_text(
                    session,
                    principal=world.planner,
                    text_id=source[section],
                    data=PlanTextCreate(
                        section=section, heading="Kop", body=body, marking=MarkingIn.of(SECRET)
                    ),
                )
            if action in ("approve", "reject", "pending"):
                public = f"OPENBAAR-{action}-{n}"
                request = sanitise.request(
                    session,
                    principal=world.planner,
                    kind=texts.KIND,
                    source_id=source[section],
                    marking=PUBLIC,
                    fields={"heading": "Kop", "body": public},
                    reason="openbaar maken",
                )
                if action == "pending":
                    secrets.add(public)
                else:
                    sanitise.decide(
                        session,
                        principal=world.officer,
                        sanitisation_id=request,
                        approve=action == "approve",
                        note="besluit",
                    )
                    (approved if action == "approve" else secrets).add(public)
    with transaction(factory) as session:
        try:
            doc = letter.letter(session, principal=world.planner, jaarplan_id=world.plan_id)
        except letter.NothingPublic:
            return  # no approved introduction yet: no letter at all
        chapter = letter.annual_chapter(session, principal=world.planner, jaarplan_id=world.plan_id)
    outputs = [_all_strings(doc), render_html(doc), render_html(chapter)]
    for output in outputs:
        for secret in secrets:
            assert secret not in output, secret
    # Approved public wording (the newest per section) does appear.
    if approved:
        assert any(a in outputs[0] for a in approved)


def test_pdf_has_the_public_text_and_nothing_else(
    world: World, factory: sessionmaker[Session]
) -> None:
    with transaction(factory) as session:
        source = texts.create_text(
            session,
            principal=world.planner,
            jaarplan_id=world.plan_id,
            data=PlanTextCreate(
                section="inleiding",
                heading="Inleiding",
                body="GEHEIM-bron",
                marking=MarkingIn.of(SECRET),
            ),
        )
        request = sanitise.request(
            session,
            principal=world.planner,
            kind=texts.KIND,
            source_id=source.id,
            marking=PUBLIC,
            fields={"heading": "Inleiding", "body": "Openbare inleiding"},
            reason="brief",
        )
        sanitise.decide(
            session, principal=world.officer, sanitisation_id=request, approve=True, note="akkoord"
        )
    with transaction(factory) as session:
        pdf = letter.pdf(session, principal=world.planner, jaarplan_id=world.plan_id)
    assert pdf.startswith(b"%PDF")
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True
        ).stdout.decode()
        assert "Openbare inleiding" in text
        assert "GEHEIM" not in text
    assert render_pdf  # the renderer itself is tested in test_publish.py
