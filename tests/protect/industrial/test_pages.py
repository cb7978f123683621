"""The NBIV journey in the browser's way (signed in, with the CSRF token): a supplier
taken from investigation to the ABRO declaration, with the foreign owners found through
the ownership graph; refusals re-render the form with the values typed and store
nothing; readers who may not read an assignment get 404."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from baken.core.db import transaction
from baken.holdings.models import IndexOutbox, Statement
from baken.protect.industrial.demo import SUPPLIER_ENTITY
from baken.protect.industrial.models import Assignment, Declaration, Supplier
from baken.web.app import create_app
from tests.conftest import csrf_headers, login
from tests.protect.industrial.conftest import IWorld


@pytest.fixture(scope="module")
def web(iw: IWorld) -> Iterator[TestClient]:
    # The world's own index took the holdings' outbox: queue every entity again for the
    # app's index, which the ownership check syncs before it screens.
    with transaction(iw.factory) as s:
        pairs = s.execute(select(Statement.entity_id, Statement.collection_id).distinct())
        s.add_all(IndexOutbox(object_id=f"ent:{e}|{c}") for e, c in pairs)
    app = create_app(iw.settings)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client
    app.state.engine.dispose()


def _post(web: TestClient, token: str, path: str, data: dict[str, str]) -> object:
    return web.post(path, data=data, headers=csrf_headers(token), follow_redirects=False)


def test_an_nbiv_officer_takes_a_supplier_to_the_abro_declaration(
    iw: IWorld, web: TestClient
) -> None:
    web.cookies.clear()
    token = login(web, "nbiv")
    assert web.get("/industriele-veiligheid").status_code == 200
    made = _post(
        web,
        token,
        "/leveranciers",
        {
            "name": "Dijkzicht Data B.V. (fictief)",
            "kvk": "1234 5678",
            "country": "nl",
            "entity_id": SUPPLIER_ENTITY,
        },
    )
    assert made.status_code == 303  # type: ignore[attr-defined]
    supplier_url = made.headers["location"]  # type: ignore[attr-defined]
    supplier_id = supplier_url.rsplit("/", 1)[1]
    assert "Dijkzicht Data" in web.get(supplier_url).text
    made = _post(
        web,
        token,
        "/bijzondere-opdrachten",
        {
            "supplier_id": supplier_id,
            "client": "BZK",
            "title": "Beveiligd berichtenplatform (fictief)",
            "tbb": "TBB2",
            "classification": "STG_GEHEIM",
            "abro_applies": "yes",
            "assessed_on": "2026-01-05",
        },
    )
    assert made.status_code == 303  # type: ignore[attr-defined]
    url = made.headers["location"]  # type: ignore[attr-defined]
    # No declaration before the investigation is complete: the form says why, nothing stored.
    before = iw.count(Declaration)
    refused = _post(web, token, url + "/verklaring", {"valid_until": "2031-01-01"})
    assert refused.status_code == 422  # type: ignore[attr-defined]
    assert 'role="alert"' in refused.text  # type: ignore[attr-defined]
    assert iw.count(Declaration) == before
    for path, data in (
        ("/onderzoek", {}),
        ("/structuur", {}),
        ("/personeel", {"name": "Mila Monteur (fictief)", "not_needed": "geen toegang"}),
        ("/cloud", {"provider": "Eigen servers", "cloud": "no", "country": "nl"}),
    ):
        answer = _post(web, token, url + path, data)
        assert answer.status_code == 303, (path, answer.text)  # type: ignore[attr-defined]
    page = web.get(url)
    assert "Limassol Meridian Holdings Ltd (fictief)" in page.text
    assert "Dmitri Volkov" in page.text
    assert page.text.count("data-foreign") == 2  # the holding in Cyprus and its owner
    assert "demo-nbiv-sanction-volkov" in page.text  # the screening hit
    for item in ("structure", "personnel", "digital"):
        answer = _post(
            web, token, url + "/checklist", {"item": item, "state": "no_objections", "note": ""}
        )
        assert answer.status_code == 303  # type: ignore[attr-defined]
    answer = _post(web, token, url + "/verklaring", {"valid_until": "2031-01-01"})
    assert answer.status_code == 303  # type: ignore[attr-defined]
    assert iw.count(Declaration) == before + 1
    detail = web.get("/api/v1/protect/assignments/" + url.rsplit("/", 1)[1]).json()
    assert detail["status"] == "declared"
    assert detail["declaration"]["regime"] == "ABRO_2026"
    assert detail["findings"][0]["foreign"] == 2


def test_a_bad_kvk_number_re_renders_the_form_and_stores_nothing(
    iw: IWorld, web: TestClient
) -> None:
    web.cookies.clear()
    token = login(web, "nbiv")
    before = iw.count(Supplier)
    answer = _post(
        web, token, "/leveranciers", {"name": "Letters B.V. (fictief)", "kvk": "12AB5678"}
    )
    assert answer.status_code == 422  # type: ignore[attr-defined]
    assert 'role="alert"' in answer.text  # type: ignore[attr-defined]
    assert 'value="Letters B.V. (fictief)"' in answer.text  # type: ignore[attr-defined]
    assert 'value="12AB5678"' in answer.text  # type: ignore[attr-defined]
    assert iw.count(Supplier) == before
    before = iw.count(Assignment)
    answer = _post(
        web,
        token,
        "/bijzondere-opdrachten",
        {
            "supplier_id": str(iw.supplier),
            "client": "BZK",
            "title": "Onbekend niveau (fictief)",
            "tbb": "TBB9",
            "classification": "STG_GEHEIM",
            "abro_applies": "yes",
            "assessed_on": "2026-01-05",
        },
    )
    assert answer.status_code == 422  # type: ignore[attr-defined]
    assert 'value="Onbekend niveau (fictief)"' in answer.text  # type: ignore[attr-defined]
    assert iw.count(Assignment) == before


def test_readers_who_may_not_read_an_assignment_get_404(iw: IWorld, web: TestClient) -> None:
    url = f"/bijzondere-opdrachten/{iw.assignment}"
    web.cookies.clear()
    login(web, "evo")  # the MIVD officer reads the joint NBIV record
    assert web.get(url).status_code == 200
    for who in ("nbiv.dv", "nctv"):
        web.cookies.clear()
        login(web, who)
        assert web.get(url).status_code == 404
        assert web.get(f"/leveranciers/{iw.supplier}").status_code == 404
        assert web.get(f"/api/v1/protect/assignments/{iw.assignment}").status_code == 404


def test_a_supplier_is_corrected_from_its_page(iw: IWorld, web: TestClient) -> None:
    supplier_id = iw.new_supplier("Te Corrigeren B.V. (fictief)", "90000088")
    token = login(web, "nbiv")
    url = f"/leveranciers/{supplier_id}"
    assert f'action="{url}"' in web.get(url).text
    bad = web.post(
        url,
        data={"name": " ", "country": "nl", "address": "Dijkweg 9 (fictief)"},
        headers=csrf_headers(token),
    )
    assert bad.status_code == 422
    assert 'role="alert"' in bad.text
    assert "Dijkweg 9 (fictief)" in bad.text
    good = web.post(
        url,
        data={"name": "Gecorrigeerd B.V. (fictief)", "country": "nl", "entity_id": SUPPLIER_ENTITY},
        headers=csrf_headers(token),
        follow_redirects=False,
    )
    assert good.status_code == 303
    with transaction(iw.factory) as s:
        row = s.get(Supplier, supplier_id)
        assert row is not None
        assert (row.name, row.kvk, row.entity_id) == (
            "Gecorrigeerd B.V. (fictief)",
            "90000088",
            SUPPLIER_ENTITY,
        )
    assert web.post("/leveranciers/999999", data={"name": "X", "country": "nl"},
                    headers=csrf_headers(token)).status_code == 404  # fmt: skip
