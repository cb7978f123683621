"""The planner solves the jaarplan and publishes the public letter; a classification
officer approves the public version of a new plan text."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from tests.e2e.conftest import Journey

pytestmark = [pytest.mark.browser, pytest.mark.timeout(600)]

HEADING = "Rusland: economische veiligheid (fictief)"
PUBLIC = "De diensten volgen in 2026 Russische pogingen tot economische beïnvloeding (fictief)."


def test_planner_solves_the_plan_and_publishes_the_letter(
    journey: Callable[[str], Journey],
) -> None:
    j = journey("planner")
    j.login("planner.aivd")
    j.goto("/sturing")
    assert "Jaarplan AIVD 2026" in j.main()
    j.shot("steering")

    j.submit("main a:text-is('Jaarplan AIVD 2026')")
    plan = j.page.url
    assert "Onderzoeksopdrachten" in j.main()
    j.shot("plan")

    # Refused: one assignment both pinned and excluded; the plan keeps its versions.
    versions = j.page.locator("a[href^='/sturing/versies/']").count()
    j.page.locator("input[name=pins]").first.check()
    j.page.locator("input[name=excludes]").first.check()
    message = j.refused("form[action$='/oplossen'] button.primary")
    assert message, "no reason shown for the refused solve"
    j.shot("solve-refused")
    j.page.goto(plan)
    assert j.page.locator("a[href^='/sturing/versies/']").count() == versions

    j.page.fill("form[action$='/oplossen'] input[name=note]", "Doorrekening voor de demo (fictief)")
    j.submit("form[action$='/oplossen'] button.primary")
    assert re.search(r"/sturing/versies/\d+$", j.page.url), j.page.url
    assert "Doorrekening voor de demo (fictief)" in j.main()
    j.shot("solved")

    # A new classified plan text and the request for its public version.
    j.goto(plan.removeprefix(j.server.url) + "/teksten")
    form = "form[action$='/teksten']"
    j.page.select_option(f"{form} select[name=section]", "prioriteiten:RUS")
    j.page.fill(f"{form} input[name=heading]", HEADING)
    j.page.fill(f"{form} textarea[name=body]", "Gerubriceerde tekst over Rusland (fictief).")
    j.page.select_option(f"{form} select[name=level]", "STG_GEHEIM")
    j.submit(f"{form} button.primary")
    j.shot("texts")

    j.submit(f"main tr:has-text('{HEADING}') a[href$='/saneren']")
    j.page.fill("textarea[name=body]", PUBLIC)
    j.unguard("textarea[name=reason]")
    j.page.fill("textarea[name=reason]", "")
    assert j.refused("form[action$='/saneren'] button.primary")
    j.shot("public-version-refused")
    j.page.fill("textarea[name=body]", PUBLIC)
    j.page.fill("textarea[name=reason]", "Openbare samenvatting voor de jaarplanbrief (fictief).")
    j.submit("form[action$='/saneren'] button.primary")
    request = j.page.url.removeprefix(j.server.url)
    assert re.fullmatch(r"/saneringen/\d+", request), request
    j.shot("public-version-requested")

    officer = j.section("classification_officer")
    officer.login("rubricering")
    officer.goto(request)
    assert PUBLIC in officer.main()
    officer.shot("sanitisation")
    officer.page.fill(
        "form[action$='/besluit'] textarea[name=note]", "Geen staatsgeheim meer (fictief)."
    )
    officer.submit("form[action$='/besluit'] button[value=approve]")
    assert PUBLIC in officer.main()
    officer.shot("approved")

    j.login("planner.aivd")
    j.goto(plan.removeprefix(j.server.url) + "/jaarplanbrief")
    letter = j.main()
    assert PUBLIC in letter
    assert "Gerubriceerde tekst over Rusland" not in letter
    j.shot("letter")
    pdf = j.page.request.get(plan + "/jaarplanbrief.pdf")
    assert pdf.status == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")
