"""The analyst ingests a document, finds it, screens a person against the holdings,
writes a product citing the document and submits it; the team lead approves it and the
analyst releases it to the NCTV. Then the NCTV reads what was released to it, and only
that.

The partner's journey runs after the analyst's (file order) and also checks the
analyst's product when that journey ran in the same session (``RELEASED``).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable

import pytest
from playwright.sync_api import FilePayload

from tests.e2e.conftest import Journey

pytestmark = [pytest.mark.browser, pytest.mark.timeout(600)]

WORD = "Zwaluwstaart"
DOCUMENT = f"""Fictional demo report - Operation {WORD}

This document is invented for the Baken demo; every name in it is fictional.
A shipping company in Zuidpolder, Kelderberg Logistics, moved dual-use parts for
a buyer in Rotterdam. Pavel Orlov met the company's director in Antwerp.
""".encode()
TITLE = f"Dreiging rond operatie {WORD} (fictief)"
# The analyst's product, once released, for the partner's journey.
RELEASED: dict[str, str] = {}


def _wait_for_hit(j: Journey, query: str, seconds: float = 240) -> None:
    """Ingest runs in the server's background workers: search until the document is in."""
    deadline = time.monotonic() + seconds
    while True:
        j.goto(f"/zoeken?q={query}")
        if j.page.locator("section.hits h3 a").count():
            return
        assert time.monotonic() < deadline, f"{query!r} not found after ingest"
        j.page.wait_for_timeout(1000)


def test_analyst_ingests_searches_resolves_writes_and_releases(
    journey: Callable[[str], Journey],
) -> None:
    j = journey("analyst")
    j.login("analist.zg")
    j.goto("/collecties")
    j.shot("collections")

    j.submit("main a:has-text('Open bronnen 2026 (fictief)')")
    j.page.set_input_files(
        "form[action$='/upload'] input[name=files]",
        files=FilePayload(name="operatie-zwaluwstaart.txt", mimeType="text/plain", buffer=DOCUMENT),
    )
    j.submit("form[action$='/upload'] button")
    j.shot("uploaded")

    _wait_for_hit(j, WORD)
    assert "Operation Zwaluwstaart" in j.main()
    j.shot("search")
    j.submit("section.hits h3 a")
    assert "Kelderberg Logistics" in j.main()
    j.shot("document")

    # Resolve: screen a person from the document against everything the analyst may read.
    j.goto("/screening")
    # Refused: a screening without a name.
    j.unguard("textarea[name=names]")
    assert j.refused("form[action='/screening'] button")
    j.shot("screening-refused")
    j.page.fill("textarea[name=names]", "Pavel Orlov\nПавел Орлов")
    j.submit("form[action='/screening'] button")
    assert "Pavel Orlov" in j.main()
    j.shot("screening")

    # The product, citing the document.
    j.goto("/producten/nieuw")
    j.page.select_option("select[name=type]", "dreigingsinschatting")
    j.page.fill("input[name=title]", TITLE)
    j.page.select_option("select[name=level]", "1")
    j.page.fill("textarea[name=summary]", "Samenvatting voor de NCTV (fictief).")
    j.page.fill(
        "textarea[name=body]", "Kelderberg Logistics vervoert dual-use onderdelen (fictief)."
    )
    j.submit("form[action='/producten/nieuw'] button.primary")
    product = j.page.url.removeprefix(j.server.url)
    assert re.fullmatch(r"/producten/\d+", product), product
    j.goto(f"{product}?zoek={WORD}")
    j.shot("product-draft")
    j.submit("ul.hits form[action$='/bronnen'] button")
    assert "operatie-zwaluwstaart.txt" in j.main() or "Operation Zwaluwstaart" in j.main()
    j.submit("form[action$='/indienen'] button")
    assert "Ter goedkeuring" in j.main()
    j.shot("submitted")

    lead = j.section("team_lead")
    lead.login("teamleider")
    lead.goto("/producten?status=submitted")
    assert TITLE in lead.main()
    lead.shot("to-approve")
    lead.goto(product)
    lead.page.check("form[action$='/goedkeuren'] input[value=NCTV]")
    lead.submit("form[action$='/goedkeuren'] button.primary")
    assert "Goedgekeurd" in lead.main()
    lead.shot("approved")

    j.login("analist.zg")
    j.goto(product)
    j.page.select_option("form[action$='/verstrekken'] select[name=recipient]", "NCTV")
    j.submit("form[action$='/verstrekken'] button.primary")
    assert "Verstrekt" in j.main()
    j.shot("released")
    RELEASED["title"] = TITLE
    RELEASED["product"] = product


def test_partner_sees_only_what_was_released_to_it(journey: Callable[[str], Journey]) -> None:
    j = journey("partner_recipient")
    j.login("nctv")
    j.goto("/portaal")
    portal = j.main()
    # Released to the NCTV in the demo world, and (if it ran) by the analyst's journey.
    assert "Dreigingsinschatting Internationale Vredestop Den Haag (fictief)" in portal
    if RELEASED:
        assert RELEASED["title"] in portal
    # A draft and a product released to someone else are not there.
    assert "Risicoanalyse Haventerminal Zuidpolder" not in portal
    assert "Ambtsbericht over Irina Ivanova" not in portal
    j.shot("portal")

    j.submit("main a:has-text('Internationale Vredestop')")
    assert "Vredestop" in j.main()
    j.shot("release")

    # The product pages themselves are not the partner's: not found, not forbidden.
    draft = RELEASED.get("product", "/producten/1")
    j.goto(draft, status=404)
    assert "Vredestop" not in j.main()
    assert TITLE not in j.main()
    j.shot("not-found")
