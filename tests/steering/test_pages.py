"""The planner's journey through the steering pages, and what others may see."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from baken.core import sanitise
from baken.core.db import transaction
from baken.core.markings import Marking
from baken.core.schemas import MarkingIn
from baken.steering.schemas import PlanTextCreate
from baken.steering.service import texts
from tests.conftest import login
from tests.steering.conftest import SECRET, World


def _publish_intro(world: World, factory: sessionmaker[Session]) -> None:
    with transaction(factory) as session:
        source = texts.create_text(
            session,
            principal=world.planner,
            jaarplan_id=world.plan_id,
            data=PlanTextCreate(
                section="inleiding",
                heading="Inleiding",
                body="Geheime inleiding",
                marking=MarkingIn.of(SECRET),
            ),
        )
        request = sanitise.request(
            session,
            principal=world.planner,
            kind=texts.KIND,
            source_id=source.id,
            marking=Marking.of("ONGERUBRICEERD"),
            fields={"heading": "Inleiding", "body": "Openbare inleiding"},
            reason="brief",
        )
        sanitise.decide(
            session, principal=world.officer, sanitisation_id=request, approve=True, note="akkoord"
        )


def test_planner_journey(client: TestClient, world: World, factory: sessionmaker[Session]) -> None:
    _publish_intro(world, factory)
    csrf = login(client, "planner")
    overview = client.get("/sturing")
    assert "GA I&amp;V test" in overview.text
    assert f'/sturing/jaarplan/{world.plan_id}"' in overview.text
    plan = client.get(f"/sturing/jaarplan/{world.plan_id}")
    assert plan.status_code == 200
    assert "Opdracht A-1" in plan.text
    solved = client.post(
        f"/sturing/jaarplan/{world.plan_id}/oplossen",
        data={"csrf_token": csrf, "pins": ["A-2"], "note": "A-2 vast"},
        follow_redirects=False,
    )
    assert solved.status_code == 303
    version = client.get(solved.headers["location"])
    assert "A-2 vast" in version.text
    assert re.search(r"<title>[^<]* — versie \d+ · Baken", version.text)
    client.cookies.set("baken_lang", "en")
    english = client.get(solved.headers["location"]).text
    assert re.search(r"<title>[^<]* — version \d+ · Baken", english), english[:400]
    client.cookies.delete("baken_lang")
    assert "<svg" in version.text  # the coverage charts
    csv = client.get(solved.headers["location"] + "/export.csv")
    assert csv.headers["content-type"].startswith("text/csv")
    assert "A-2" in csv.text
    assert csv.text.startswith("# STG. GEHEIM")
    # An infeasible what-if: refused with the reason, nothing saved.
    bad = client.post(
        f"/sturing/jaarplan/{world.plan_id}/oplossen",
        data={"csrf_token": csrf, "extra_skill": "cyber", "extra_fte": "-5", "pins": ["A-3"]},
    )
    assert bad.status_code == 422
    assert "cyber" in bad.text
    versions = re.findall(r'href="/sturing/versies/(\d+)"', bad.text)
    assert len(set(versions)) == 1
    # Progress: start a report, record an entry, send it.
    made = client.post(
        f"/sturing/jaarplan/{world.plan_id}/voortgang",
        data={"csrf_token": csrf, "period": "1"},
        follow_redirects=False,
    )
    report = made.headers["location"]
    page = client.get(report)
    assignment_id = re.search(r'<option value="(\d+)"', page.text).group(1)  # type: ignore[union-attr]
    entry = client.post(
        report + "/regels",
        data={
            "csrf_token": csrf,
            "assignment_id": assignment_id,
            "status": "vertraagd",
            "narrative": "Werving loopt achter",
            "indicator_name": "producten",
            "indicator_value": "3",
        },
        follow_redirects=False,
    )
    assert entry.status_code == 303
    empty = client.post(
        report + "/regels",
        data={
            "csrf_token": csrf,
            "assignment_id": assignment_id,
            "status": "onzin",
            "narrative": "",
        },
    )
    assert empty.status_code == 422
    assert (
        client.post(
            report + "/versturen", data={"csrf_token": csrf}, follow_redirects=False
        ).status_code
        == 303
    )
    # The public letter, as a page and as a PDF.
    letter_page = client.get(f"/sturing/jaarplan/{world.plan_id}/jaarplanbrief")
    assert "Openbare inleiding" in letter_page.text
    assert "Geheime inleiding" not in letter_page.text
    pdf = client.get(f"/sturing/jaarplan/{world.plan_id}/jaarplanbrief.pdf")
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


def test_civd_reads_the_plan_and_progress_the_uncleared_do_not(
    client: TestClient, world: World
) -> None:
    login(client, "civd")
    assert client.get(f"/sturing/jaarplan/{world.plan_id}").status_code == 200
    client.cookies.clear()
    login(client, "laag")
    assert client.get(f"/sturing/jaarplan/{world.plan_id}").status_code == 404
    assert "Jaarplan test" not in client.get("/sturing").text


def test_bad_form_input_is_shown_at_the_field(client: TestClient, world: World) -> None:
    csrf = login(client, "planner")
    bad_ref = client.post(
        f"/sturing/ga/{world.version_id}/vaststellen",
        data={"csrf_token": csrf, "staatscourant_ref": "krant"},
    )
    assert bad_ref.status_code == 422
    assert 'class="error"' in bad_ref.text
    bad_year = client.post(
        f"/sturing/ga/{world.version_id}/actualisatie",
        data={"csrf_token": csrf, "update_year": "abc"},
    )
    assert bad_year.status_code == 422


def test_assignment_form_refuses_bad_numbers_at_the_field(client: TestClient, world: World) -> None:
    csrf = login(client, "planner")
    client.cookies.set("baken_lang", "en")  # the messages below are the English ones
    base = {
        "csrf_token": csrf,
        "code": "A-10",
        "title": "Nieuw onderzoek",
        "theme": "CYB",
        "min_fte": "2",
        "max_fte": "6",
        "skill_mix": "analyse=1",
        "cost_meur_per_fte": "0.1",
        "covers": "BH-0001=0.5",
        "level": "STG_GEHEIM",
        "owner": "AIVD",
        "releasable_to": "CIVD",
    }
    for field, value, message in [
        ("min_fte", "-2", "greater than or equal"),
        ("max_fte", "1", "minimum effort exceeds"),
        ("skill_mix", "analyse=0.5, cyber=0.2", "add up to 1"),
        ("covers", "BH-0001=1.5", "between 0 and 1"),
        ("covers", "BH-7777=1", "not in the GA"),
        ("joint_with", "MIVD-X", "other service"),
    ]:
        response = client.post(
            f"/sturing/jaarplan/{world.plan_id}/opdrachten", data={**base, field: value}
        )
        assert response.status_code == 422, (field, value)
        assert "error-box" in response.text
        assert message in response.text, (field, message)
    ok = client.post(
        f"/sturing/jaarplan/{world.plan_id}/opdrachten", data=base, follow_redirects=False
    )
    assert ok.status_code == 303
    again = client.post(f"/sturing/jaarplan/{world.plan_id}/opdrachten", data=base)
    assert again.status_code == 422
    capacity = client.post(
        f"/sturing/jaarplan/{world.plan_id}/capaciteit",
        data={"csrf_token": csrf, "unit": "DI", "skill": "cyber", "fte": "-1"},
    )
    assert capacity.status_code == 422
    assert (
        client.post(
            f"/sturing/jaarplan/{world.plan_id}/capaciteit",
            data={"csrf_token": csrf, "unit": "DI", "skill": "cyber", "fte": "8"},
            follow_redirects=False,
        ).status_code
        == 303
    )


def test_new_ga_and_plan_from_the_overview(client: TestClient, world: World) -> None:
    csrf = login(client, "planner")
    marking = {"level": "STG_GEHEIM", "owner": "AIVD"}
    bad = client.post(
        "/sturing/ga",
        data={
            "csrf_token": csrf,
            "label": "GA I&V 2027–2030",
            "period_start": "2030",
            "period_end": "2027",
            **marking,
        },
    )
    assert bad.status_code == 422
    made = client.post(
        "/sturing/ga",
        data={
            "csrf_token": csrf,
            "label": "GA I&V 2027–2030",
            "period_start": "2027",
            "period_end": "2030",
            **marking,
        },
        follow_redirects=False,
    )
    assert made.status_code == 303
    duplicate = client.post(
        "/sturing/jaarplannen",
        data={
            "csrf_token": csrf,
            "title": "Nog een plan",
            "service": "AIVD",
            "year": "2026",
            "ga_version_id": str(world.version_id),
            "budget_meur": "10",
            **marking,
        },
    )
    assert duplicate.status_code == 422
    plan = client.post(
        "/sturing/jaarplannen",
        data={
            "csrf_token": csrf,
            "title": "Jaarplan AIVD 2027",
            "service": "AIVD",
            "year": "2027",
            "ga_version_id": str(world.version_id),
            "budget_meur": "10",
            **marking,
        },
        follow_redirects=False,
    )
    assert plan.status_code == 303


def test_public_version_is_requested_and_approved_in_the_browser(
    client: TestClient, world: World, factory: sessionmaker[Session]
) -> None:
    with transaction(factory) as session:
        source = texts.create_text(
            session,
            principal=world.planner,
            jaarplan_id=world.plan_id,
            data=PlanTextCreate(
                section="inleiding",
                heading="Inleiding",
                body="Geheime inleiding",
                marking=MarkingIn.of(SECRET),
            ),
        )
    csrf = login(client, "planner")
    sent = client.post(
        f"/sturing/teksten/{source.id}/saneren",
        data={
            "csrf_token": csrf,
            "heading": "Inleiding",
            "body": "Openbare inleiding",
            "reason": "jaarplanbrief",
            "level": "ONGERUBRICEERD",
            "owner": "AIVD",
        },
        follow_redirects=False,
    )
    assert sent.status_code == 303
    request_path = sent.headers["location"]
    client.post("/logout", data={"csrf_token": csrf})
    csrf = login(client, "rubricering")
    page = client.get(request_path)
    assert f'href="/sturing/teksten/{source.id}"' in page.text
    decided = client.post(
        request_path + "/besluit",
        data={"csrf_token": csrf, "decision": "approve", "note": "akkoord"},
        follow_redirects=False,
    )
    assert decided.status_code == 303
    assert decided.headers["location"].startswith("/sturing/teksten/")
    public = client.get(decided.headers["location"])
    assert "Openbare inleiding" in public.text
    assert 'class="banner level-0"' in public.text
