"""The portal in the browser: the employer's home, the request form (with its errors
shown and nothing stored), the status page another employer cannot open, the officers'
delay-notice page and its button, passing a notice on, and the employer's API."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from baken.vetting.portal.models import DelayNotice
from baken.vetting.screenings.models import Screening
from baken.web.app import create_app
from tests.conftest import login
from tests.vetting.portal.conftest import BSN_1, BSN_2, World


@pytest.fixture
def web(world: World) -> Iterator[TestClient]:
    application = create_app(world.settings)
    with TestClient(application, raise_server_exceptions=False) as client:
        yield client
    application.state.engine.dispose()


def _screenings(world: World) -> int:
    return world.run(lambda s: s.scalar(select(func.count()).select_from(Screening)) or 0)


def _form(web: TestClient, csrf: str, world: World, **kw: str) -> dict[str, str]:
    data = {
        "csrf_token": csrf,
        "position_id": str(world.pos_a),
        "person_name": "Fictieve Persoon",
        "person_birth_date": "1990-05-17",
        "person_bsn": BSN_1,
    }
    data.update(kw)
    return data


def test_the_employer_requests_and_follows_its_screening(world: World, web: TestClient) -> None:
    csrf = login(web, "werkgever.a")
    home = web.get("/werkgever")
    assert home.status_code == 200
    assert "Bagagecontroleur" in home.text
    assert 'href="/werkgever/aanvragen"' in home.text
    assert 'href="/register"' in home.text
    form = web.get("/werkgever/aanvragen")
    assert form.status_code == 200
    # Only its own designated positions are offered.
    offered = re.findall(r'<option value="(\d+)"', form.text)
    assert offered == [str(world.pos_a)]
    r = web.post("/werkgever/aanvragen", data=_form(web, csrf, world), follow_redirects=False)
    assert r.status_code == 303
    target = r.headers["location"]
    assert re.fullmatch(r"/werkgever/onderzoeken/\d+", target)
    page = web.get(target)
    assert page.status_code == 200
    assert "Fictieve Persoon" in page.text
    assert "Aangevraagd" in page.text  # the status label
    assert "Fictieve Persoon" in web.get("/werkgever").text
    api = web.get("/api/v1/vetting/employer/screenings")
    assert api.status_code == 200
    assert [x["person_name"] for x in api.json()] == ["Fictieve Persoon"]
    assert "findings" not in api.text
    # Another employer: the status page is not there, the list and API are empty.
    web.cookies.clear()
    login(web, "werkgever.b")
    assert web.get(target).status_code == 404
    assert web.get("/werkgever/onderzoeken/999999").status_code == 404
    assert "Fictieve Persoon" not in web.get("/werkgever").text
    assert web.get("/api/v1/vetting/employer/screenings").json() == []


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"person_bsn": "123456789"}, "elfproef"),
        ({"person_bsn": "12 34"}, "elfproef"),
        ({"position_id": "999999"}, "deze vertrouwensfunctie bestaat niet"),
        ({"person_birth_date": "17-05-1990"}, "JJJJ-MM-DD"),
        ({"person_birth_date": "2099-01-01"}, "toekomst"),
        ({"person_name": "  "}, "geef de naam van de te onderzoeken persoon"),
    ],
)
def test_a_bad_request_shows_the_form_again_and_stores_nothing(
    world: World, web: TestClient, fields: dict[str, str], message: str
) -> None:
    csrf = login(web, "werkgever.a")
    before = _screenings(world)
    r = web.post("/werkgever/aanvragen", data=_form(web, csrf, world, **fields))
    assert r.status_code == 422
    assert message in r.text
    assert 'role="alert"' in r.text
    typed = {k: v for k, v in _form(web, csrf, world, **fields).items() if k.startswith("person")}
    for value in typed.values():  # the values typed are back in the form
        if value.strip():
            assert f'value="{value}"' in r.text
    assert _screenings(world) == before


def test_a_duplicate_request_is_refused_in_the_form(world: World, web: TestClient) -> None:
    csrf = login(web, "werkgever.a")
    first = web.post("/werkgever/aanvragen", data=_form(web, csrf, world), follow_redirects=False)
    assert first.status_code == 303
    again = web.post("/werkgever/aanvragen", data=_form(web, csrf, world))
    assert again.status_code == 422
    assert "er loopt al een veiligheidsonderzoek" in again.text
    assert _screenings(world) == 1
    other = web.post(
        "/werkgever/aanvragen",
        data=_form(web, csrf, world, person_bsn=BSN_2),
        follow_redirects=False,
    )
    assert other.status_code == 303


def test_no_portal_for_anyone_else(world: World, web: TestClient) -> None:
    for user in ("analist", "uvo.test"):
        web.cookies.clear()
        login(web, user)
        for url in ("/werkgever", "/werkgever/aanvragen"):
            assert web.get(url).status_code == 403, (user, url)
        assert "Werkgeversportaal" not in web.get("/").text


def test_officers_send_notices_and_the_employer_passes_them_on(
    world: World, web: TestClient
) -> None:
    sid = world.request(on=date.today() - timedelta(days=70))  # past its term
    csrf = login(web, "uvo.test")
    page = web.get("/werkgever/vertragingen")
    assert page.status_code == 200
    assert "Nu verzenden" in page.text
    r = web.post("/werkgever/vertragingen", data={"csrf_token": csrf}, follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"] == "/werkgever/vertragingen?verzonden=1"
    listed = web.get(r.headers["location"])
    assert "Fictieve Persoon" in listed.text
    again = web.post("/werkgever/vertragingen", data={"csrf_token": csrf}, follow_redirects=False)
    assert again.headers["location"].endswith("verzonden=0")
    notice = world.run(lambda s: s.scalars(select(DelayNotice.id)).one())
    # The employer's officer sees it, on the home page and the screening's page.
    web.cookies.clear()
    csrf = login(web, "werkgever.a")
    assert f"/werkgever/berichten/{notice}/doorgegeven" in web.get("/werkgever").text
    assert (
        f"/werkgever/berichten/{notice}/doorgegeven"
        in web.get(f"/werkgever/onderzoeken/{sid}").text
    )
    # Another employer cannot pass it on: not found, and nothing changes.
    web.cookies.clear()
    csrf_b = login(web, "werkgever.b")
    r = web.post(f"/werkgever/berichten/{notice}/doorgegeven", data={"csrf_token": csrf_b})
    assert r.status_code == 404
    assert world.run(lambda s: s.get(DelayNotice, notice).read_on) is None  # type: ignore[union-attr]
    web.cookies.clear()
    csrf = login(web, "werkgever.a")
    r = web.post(
        f"/werkgever/berichten/{notice}/doorgegeven",
        data={"csrf_token": csrf, "terug": f"/werkgever/onderzoeken/{sid}"},
        follow_redirects=False,
    )
    assert r.status_code == 303
    assert r.headers["location"] == f"/werkgever/onderzoeken/{sid}"
    assert world.run(lambda s: s.get(DelayNotice, notice).read_on) is not None  # type: ignore[union-attr]
    # The employer cannot send notices.
    r = web.post("/werkgever/vertragingen", data={"csrf_token": csrf})
    assert r.status_code == 403
