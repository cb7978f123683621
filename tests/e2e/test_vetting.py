"""Security screenings: the employer requests one, the screening officer runs it to a
decision, the employer registers the person in the register of active
vertrouwensfunctionarissen.

The employer's registration needs a decided screening: it uses the one the screening
officer's journey decided (file order), or decides one itself when run alone.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

import pytest

from tests.e2e.conftest import Journey

pytestmark = [pytest.mark.browser, pytest.mark.timeout(600)]

PERSON = "Joris Reiziger (fictief)"
PARTNER = "Partner Reiziger (fictief)"
BSN = "111222333"  # fictional; passes the eleven-test
POSITION = "VF-0001"  # Werkgever A's position at the (fictional) airport
CASE: dict[str, str] = {}


def _request(emp: Journey) -> None:
    emp.login("werkgever")
    emp.goto("/werkgever")
    assert "Werkgeversportaal" in emp.main()
    emp.shot("portal")
    emp.submit("main a[href='/werkgever/aanvragen']")
    position = emp.page.locator(f"select[name=position_id] option:has-text('{POSITION}')")
    emp.page.select_option("select[name=position_id]", position.get_attribute("value"))
    emp.page.fill("input[name=person_name]", PERSON)
    emp.page.fill("input[name=person_birth_date]", "1990-04-12")
    # Refused: a BSN that fails the eleven-test; nothing is requested.
    emp.page.fill("input[name=person_bsn]", "123456789")
    assert emp.refused("form[action='/werkgever/aanvragen'] button.primary")
    emp.shot("bsn-refused")
    emp.page.fill("input[name=person_bsn]", BSN)
    emp.submit("form[action='/werkgever/aanvragen'] button.primary")
    found = re.search(r"VO-\d{4}-\d+", emp.main())
    assert found, emp.main()[:500]
    emp.shot("requested")
    CASE["ref"] = found.group(0)
    CASE["status"] = emp.page.url.removeprefix(emp.server.url)


def _decide(uvo: Journey) -> None:
    uvo.login("uvo")
    uvo.goto("/veiligheidsonderzoeken?wachtrij=intake")
    assert CASE["ref"] in uvo.main()
    uvo.shot("queue")
    uvo.submit(f"main a:has-text('{CASE['ref']}')")
    uvo.submit("form[action$='/intake'] button")
    uvo.page.fill("form[action$='/partner'] input[name=name]", PARTNER)
    uvo.page.fill("form[action$='/partner'] input[name=birth_date]", "1991-02-03")
    uvo.submit("form[action$='/partner'] button")
    uvo.submit("form[action$='/bestanden'] button")
    items = uvo.page.locator("form[action$='/controle'] select[name=item] option")
    for code in [items.nth(i).get_attribute("value") or "" for i in range(items.count())]:
        uvo.page.select_option("form[action$='/controle'] select[name=item]", code)
        uvo.page.select_option("form[action$='/controle'] select[name=state]", "done")
        uvo.page.select_option("form[action$='/controle'] select[name=result]", "none")
        uvo.submit("form[action$='/controle'] button")
        assert not uvo.alert(), (code, uvo.alert())
    uvo.shot("checked")
    # Refused: a decision without reasons; the screening stays undecided.
    uvo.page.select_option("form[action$='/besluit'] select[name=outcome]", "issued")
    uvo.unguard("form[action$='/besluit'] textarea[name=reasons]")
    assert uvo.refused("form[action$='/besluit'] button")
    assert not re.search(r"VGB-\d{4}-\d+", uvo.main())
    uvo.shot("decision-refused")
    uvo.page.select_option("form[action$='/besluit'] select[name=outcome]", "issued")
    uvo.page.fill("form[action$='/besluit'] textarea[name=reasons]", "Geen bezwaren (fictief).")
    uvo.submit("form[action$='/besluit'] button")
    vgb = re.search(r"VGB-\d{4}-\d+", uvo.main())
    assert vgb, uvo.main()[:500]
    uvo.shot("decided")
    CASE["vgb"] = vgb.group(0)


def test_screening_officer_decides_a_screening(journey: Callable[[str], Journey]) -> None:
    emp = journey("employer_security_officer")
    _request(emp)
    _decide(emp.section("screening_officer"))


def test_employer_registers_staff(journey: Callable[[str], Journey]) -> None:
    emp = journey("employer_security_officer")
    if "vgb" not in CASE:  # run alone
        _request(emp)
        _decide(emp.section("screening_officer"))
    emp.login("werkgever")
    emp.goto(CASE["status"])
    outcome = emp.main()
    assert CASE["vgb"] in outcome
    # The employer learns the outcome, never the file.
    assert PARTNER not in outcome
    emp.shot("outcome")

    emp.goto("/register/inschrijven")
    position = emp.page.locator(f"select[name=position_id] option:has-text('{POSITION}')")
    emp.page.fill("input[name=bsn]", BSN)
    emp.page.select_option("select[name=position_id]", position.get_attribute("value"))
    emp.page.fill("input[name=on]", date.today().isoformat())
    emp.shot("register-form")
    emp.submit("form[action='/register/inschrijven'] button.primary")
    assert not emp.alert(), emp.alert()
    assert PERSON in emp.main()
    emp.shot("registered")
    emp.goto("/register")
    assert PERSON in emp.main()
    emp.shot("register")
