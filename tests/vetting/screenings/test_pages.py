"""Screenings in the browser: the worklist, registering a request (a bad one re-renders
with the message and what was typed), intake, suspension, a decision, the VGB; who sees
the file."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from baken.core.config import Settings
from baken.web.app import create_app
from tests.conftest import login
from tests.vetting.screenings.conftest import BSN, SWorld


@pytest.fixture
def web(settings: Settings, sw: SWorld) -> Iterator[TestClient]:
    application = create_app(settings)
    with TestClient(application, raise_server_exceptions=False) as client:
        yield client
    rt = getattr(application.state, "holdings", None)
    if rt is not None:
        rt.close()
    application.state.engine.dispose()


def _post(web: TestClient, url: str, csrf: str, **data: str) -> object:
    return web.post(url, data={"csrf_token": csrf, **data}, follow_redirects=False)


def test_an_officer_runs_a_case_in_the_browser(sw: SWorld, web: TestClient) -> None:
    csrf = login(web, "uvo")
    assert web.get("/veiligheidsonderzoeken").status_code == 200
    form = web.get("/veiligheidsonderzoeken/nieuw")
    assert form.status_code == 200
    assert "VF-0002" in form.text
    bad = _post(
        web, "/veiligheidsonderzoeken/nieuw", csrf, position_id=str(sw.pos_b),
        person_name="Piet Proef", person_birth_date="1990-05-17", person_bsn="123456789",
    )  # fmt: skip
    assert bad.status_code == 422  # type: ignore[attr-defined]
    assert "123456789" in bad.text  # type: ignore[attr-defined]
    assert 'value="Piet Proef"' in bad.text  # type: ignore[attr-defined]
    assert sw.count() == 0
    made = _post(
        web, "/veiligheidsonderzoeken/nieuw", csrf, position_id=str(sw.pos_b),
        person_name="Piet Proef", person_birth_date="1990-05-17", person_bsn=BSN,
    )  # fmt: skip
    assert made.status_code == 303  # type: ignore[attr-defined]
    url = made.headers["location"]  # type: ignore[attr-defined]
    sid = int(url.rsplit("/", 1)[1])
    intake = web.get("/veiligheidsonderzoeken?wachtrij=intake")
    assert "Piet Proef" in intake.text
    assert _post(web, f"{url}/intake", csrf).status_code == 303  # type: ignore[attr-defined]
    page = web.get(url)
    assert "/bestanden" in page.text  # the file's forms: this officer is on the case
    r = _post(web, f"{url}/opschorten", csrf, reason="Navraag buitenland")
    assert r.status_code == 303  # type: ignore[attr-defined]
    assert sw.screening(sid).status == "suspended"
    assert _post(web, f"{url}/hervatten", csrf).status_code == 303  # type: ignore[attr-defined]
    # A decision without reasons: the message, and nothing changes.
    r = _post(web, f"{url}/besluit", csrf, outcome="issued", reasons=" ")
    assert r.status_code == 422  # type: ignore[attr-defined]
    assert 'role="alert"' in r.text  # type: ignore[attr-defined]
    assert sw.screening(sid).status == "investigation"
    r = _post(web, f"{url}/besluit", csrf, outcome="issued", reasons="Geen bezwaar.")
    assert r.status_code == 303  # type: ignore[attr-defined]
    page = web.get(url)
    vgb = re.search(r'href="/vgb/(\d+)"', page.text)
    assert vgb is not None
    assert web.get(f"/vgb/{vgb.group(1)}").status_code == 200
    assert "Navraag buitenland" in page.text


def test_the_employer_and_another_officer_see_no_file(sw: SWorld, web: TestClient) -> None:
    sid = sw.taken_in()
    from baken.vetting.screenings import decisions

    sw.run(
        lambda s: decisions.suspend(
            s, sw.uvo, screening_id=sid, reason="GEHEIME-NAVRAAG", on=sw.screening(sid).received_on
        )
    )
    login(web, "werkgever")
    page = web.get(f"/veiligheidsonderzoeken/{sid}")
    assert page.status_code == 200
    assert "Piet Proef" in page.text
    assert "GEHEIME-NAVRAAG" not in page.text
    web.cookies.clear()
    login(web, "uvo2")
    page = web.get(f"/veiligheidsonderzoeken/{sid}")
    assert page.status_code == 200
    assert "GEHEIME-NAVRAAG" not in page.text
    web.cookies.clear()
    login(web, "kmar")
    assert web.get(f"/veiligheidsonderzoeken/{sid}").status_code == 404
    assert web.get("/veiligheidsonderzoeken/999999").status_code == 404


def test_an_employer_gets_the_queues_it_has(sw: SWorld, web: TestClient) -> None:
    """An employer has no cases of its own and takes nothing in: no "mine" or "intake"
    tab, and asking for one shows all it may read."""
    sw.taken_in()
    login(web, "werkgever")
    page = web.get("/veiligheidsonderzoeken?wachtrij=intake")
    assert page.status_code == 200
    assert "wachtrij=intake" not in page.text
    assert "wachtrij=mijn" not in page.text
    assert 'href="/veiligheidsonderzoeken?wachtrij=alle" aria-current="page"' in page.text
    assert "Piet Proef" in page.text
    web.cookies.clear()
    login(web, "uvo")
    assert "wachtrij=intake" in web.get("/veiligheidsonderzoeken").text


def _token(sw: SWorld, who: str) -> dict[str, str]:
    from baken.core import sessions
    from baken.core.db import transaction

    principal = {"uvo": sw.uvo, "werkgever": sw.werkgever, "werkgever.b": sw.werkgever_b}[who]
    with transaction(sw.factory) as session:
        token, _ = sessions.create_token(session, principal=principal, name="test")
    return {"Authorization": f"Bearer {token}"}


def test_the_status_api(sw: SWorld, web: TestClient) -> None:
    sid = sw.request()
    mine = web.get(f"/api/v1/vetting/screenings/{sid}", headers=_token(sw, "werkgever"))
    assert mine.status_code == 200
    assert mine.json()["status"] == "requested"
    assert "findings" not in mine.text
    other = web.get(f"/api/v1/vetting/screenings/{sid}", headers=_token(sw, "werkgever.b"))
    assert other.status_code == 404
    listed = web.get(
        "/api/v1/vetting/screenings", params={"wachtrij": "intake"}, headers=_token(sw, "uvo")
    )
    assert listed.status_code == 200
    assert listed.json()["counts"]["intake"] == 1
    assert [r["id"] for r in listed.json()["rows"]] == [sid]


def test_the_holdings_check_from_the_case_page(sw: SWorld, web: TestClient) -> None:
    sid = sw.taken_in()
    csrf = login(web, "uvo")
    r = _post(web, f"/veiligheidsonderzoeken/{sid}/bestanden", csrf)
    assert r.status_code == 303  # type: ignore[attr-defined]
    case = sw.case(sw.uvo, sid)
    assert case.file is not None
    holdings = next(c for c in case.file.checks if c.item == "holdings")
    assert (holdings.state, holdings.result) == ("done", "none")
    assert holdings.note == "0 treffers"
    # Another officer of the unit, not on the case, is refused before anything is screened.
    web.cookies.clear()
    csrf = login(web, "uvo2")
    r = _post(web, f"/veiligheidsonderzoeken/{sid}/bestanden", csrf)
    assert r.status_code == 403  # type: ignore[attr-defined]
