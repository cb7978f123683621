"""The remaining roles: a permission request for a special power goes from the team lead
through the minister's office to the TIB, and every other role's main pages."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from tests.e2e.conftest import Journey

pytestmark = [pytest.mark.browser, pytest.mark.timeout(600)]

TITLE = "Interceptie bij Kelderberg Logistics (fictief)"

# role (the screenshots' folder), user, [(page, slug, text the page shows)]
PAGES: list[tuple[str, str, list[tuple[str, str, str]]]] = [
    ("classification_officer", "rubricering", [("/saneringen", "sanitisations", "goedgekeurd")]),
    (
        "admin",
        "beheer",
        [("/beheer/gebruikers", "users", "analist.zg"), ("/audit", "audit", "auth.login")],
    ),
    (
        "civd_member",
        "civd",
        [("/sturing", "steering", "Jaarplan AIVD 2026"), ("/sturing/jaarplan/1", "plan", "CHN")],
    ),
    (
        "mandated_screening_officer",
        "kmar",
        [
            ("/veiligheidsonderzoeken", "screenings", "VO-"),
            ("/vertrouwensfuncties", "positions", "VF-"),
        ],
    ),
    (
        "protect_officer",
        "evo",
        [("/beveiliging", "overview", "veegonderzoek"), ("/veegonderzoeken", "sweeps", "ruimte")],
    ),
    ("protect_officer", "nbiv", [("/industriele-veiligheid", "industrial", "ABRO")]),
    (
        "protect_officer",
        "bewaking",
        [
            ("/weerbaarheid", "resilience", "advies"),
            ("/bewaken-beveiligen", "threats", "Dreigingsinschatting"),
        ],
    ),
]


def _decide(j: Journey, form: str, outcome: str, note: str) -> None:
    j.page.fill(f"form[action$='/{form}'] textarea[name=note]", note)
    j.submit(f"form[action$='/{form}'] button[value={outcome}]")


def test_permission_request_through_minister_and_tib(journey: Callable[[str], Journey]) -> None:
    analyst = journey("analyst")
    analyst.login("analist.zg")
    analyst.goto("/toestemmingen/nieuw")
    analyst.page.select_option("select[name=power]", "interceptie")
    analyst.page.fill("input[name=title]", TITLE)
    analyst.page.fill("textarea[name=targets]", "Telefoonnummer van de directeur (fictief)")
    assignment = analyst.page.locator("select[name=assignment_id] option").nth(1)
    analyst.page.select_option("select[name=assignment_id]", assignment.get_attribute("value"))
    for reason in ("necessity", "proportionality", "subsidiarity", "targeting"):
        analyst.page.fill(f"textarea[name={reason}]", f"Motivering: {reason} (fictief).")
    analyst.page.fill("input[name=term_months]", "3")
    analyst.shot("permission-request")
    analyst.submit("form[action='/toestemmingen'] button.primary")
    request = analyst.page.url.removeprefix(analyst.server.url)
    assert re.fullmatch(r"/toestemmingen/\d+", request), request
    analyst.submit("form[action$='/indienen'] button")

    lead = analyst.section("team_lead")
    lead.login("teamleider")
    lead.goto("/toestemmingen")
    assert TITLE in lead.main()
    lead.shot("permissions")
    lead.goto(request)
    _decide(lead, "teamleider", "forwarded", "Door naar de minister (fictief).")
    lead.shot("forwarded")

    minister = analyst.section("minister_office")
    minister.login("minister.bzk")
    minister.goto("/toestemmingen")
    assert TITLE in minister.main()
    minister.shot("permissions")
    minister.goto(request)
    # Refused: a refusal without its reasons; the request stays with the minister.
    minister.unguard("form[action$='/besluit'] textarea[name=note]")
    assert minister.refused("form[action$='/besluit'] button[value=refused]")
    minister.shot("decision-refused")
    minister.goto(request)
    _decide(minister, "besluit", "permitted", "Toestemming verleend (fictief).")
    minister.shot("permitted")

    tib = analyst.section("tib")
    tib.login("tib")
    tib.goto("/toestemmingen")
    assert TITLE in tib.main()
    tib.shot("permissions")
    tib.goto(request)
    _decide(tib, "besluit", "lawful", "Rechtmatig (fictief).")
    tib.shot("lawful")


def test_tour_of_the_other_roles(journey: Callable[[str], Journey]) -> None:
    for role, user, pages in PAGES:
        j = journey(role)
        j.login(user)
        for path, slug, text in pages:
            j.goto(path)
            assert text in j.main(), (user, path, j.main()[:400])
            j.shot(f"{user}-{slug}" if role == "protect_officer" else slug)
