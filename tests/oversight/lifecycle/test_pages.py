"""The lifecycle in the browser: the datasets page, assessing items, a legal hold that
blocks destruction, destruction with confirmation, the record and its check; the
minister's and the CTIVD's decisions on an extension; and the legal-basis fragment."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from baken.core.db import transaction
from baken.holdings.models import Statement
from baken.oversight.lifecycle import service
from baken.oversight.lifecycle.models import Extension
from baken.web.app import create_app
from tests.conftest import login
from tests.oversight.lifecycle.conftest import LWorld, in_use


@pytest.fixture
def web(lw: LWorld) -> Iterator[TestClient]:
    application = create_app(lw.pw.settings)
    with TestClient(application, raise_server_exceptions=False) as client:
        yield client
    rt = getattr(application.state, "holdings", None)
    if rt is not None:
        rt.close()
    application.state.engine.dispose()


def _fresh(lw: LWorld) -> int:
    """A dataset acquired a month ago: its term runs whatever day the test runs."""
    cid = lw.collection("vers", acquired_on=date.today() - timedelta(days=30))
    lw.load(cid)
    return cid


def _post(web: TestClient, url: str, csrf: str, **data: str) -> object:
    return web.post(url, data={"csrf_token": csrf, **data}, follow_redirects=False)


def test_assess_hold_destroy_and_verify_in_the_browser(lw: LWorld, web: TestClient) -> None:
    cid = _fresh(lw)
    csrf = login(web, "teamleider")
    page = web.get("/bulkdatasets")
    assert page.status_code == 200
    assert "Bulkdataset vers" in page.text
    page = web.get(f"/bulkdatasets/{cid}")
    assert page.status_code == 200
    items = re.findall(r'name="item" value="(entity:[^"]+)"', page.text)
    assert len(items) > 2
    r = web.post(
        f"/bulkdatasets/{cid}/beoordeling",
        data={"csrf_token": csrf, "item": items[:2], "verdict": "not_relevant"},
        follow_redirects=False,
    )
    assert r.status_code == 303
    assert "Niet relevant" in web.get(f"/bulkdatasets/{cid}").text
    r = _post(web, f"/bulkdatasets/{cid}/bewaring", csrf, hold="1", reason="Rechtszaak 17")
    assert r.status_code == 303  # type: ignore[attr-defined]
    r = _post(
        web,
        f"/bulkdatasets/{cid}/vernietigen",
        csrf,
        scope="not_relevant",
        reason="x",
        confirm="vernietigen",
    )
    assert r.status_code == 422
    assert "Rechtszaak 17" in r.text
    _post(web, f"/bulkdatasets/{cid}/bewaring", csrf, hold="0")
    r = _post(
        web,
        f"/bulkdatasets/{cid}/vernietigen",
        csrf,
        scope="not_relevant",
        reason="x",
        confirm="nee",
    )
    assert r.status_code == 422  # type: ignore[attr-defined]
    r = _post(
        web,
        f"/bulkdatasets/{cid}/vernietigen",
        csrf,
        scope="not_relevant",
        reason="Beoordeeld: niet relevant",
        confirm="vernietigen",
    )
    assert r.status_code == 303  # type: ignore[attr-defined]
    with transaction(lw.pw.factory) as session:
        left = set(
            session.scalars(select(Statement.entity_id).where(Statement.collection_id == cid))
        )
    assert not {i.split(":", 1)[1] for i in items[:2]} & left
    page = web.get("/vernietigingen")
    assert page.status_code == 200
    assert "Beoordeeld: niet relevant" in page.text
    record = re.search(r"/vernietigingen/(\d+)/controle", page.text)
    assert record
    check = web.post(
        f"/vernietigingen/{record.group(1)}/controle",
        headers={"HX-Request": "true", "X-CSRF-Token": csrf},
    )
    assert check.status_code == 200
    assert 'class="ok"' in check.text
    api = web.post(
        f"/api/v1/oversight/destructions/{record.group(1)}/verify",
        headers={"X-CSRF-Token": csrf},
    )
    assert api.json()["ok"] is True


def test_the_minister_and_the_ctivd_decide_an_extension_in_the_browser(
    lw: LWorld, web: TestClient
) -> None:
    cid = _fresh(lw)
    csrf = login(web, "teamleider")
    with transaction(lw.pw.factory) as session:
        until = service.get_dataset(
            session, principal=lw.lead, collection_id=cid, today=date.today()
        ).term_until
    r = _post(
        web,
        f"/bulkdatasets/{cid}/verlenging",
        csrf,
        new_until=(until + timedelta(days=400)).isoformat(),
        motivation="Nog niet klaar",
    )
    assert r.status_code == 422
    assert "ten hoogste één jaar" in r.text
    r = _post(
        web,
        f"/bulkdatasets/{cid}/verlenging",
        csrf,
        new_until=(until + timedelta(days=200)).isoformat(),
        motivation="Nog niet klaar",
    )
    assert r.status_code == 303  # type: ignore[attr-defined]
    with transaction(lw.pw.factory) as session:
        ext = session.scalars(select(Extension.id)).one()
    web.cookies.clear()
    csrf = login(web, "minister")
    page = web.get("/bulkdatasets")
    assert "Nog niet klaar" in page.text
    assert f"/verlengingen/{ext}/minister" in page.text
    r = _post(web, f"/verlengingen/{ext}/ctivd", csrf, review="lawful")
    assert r.status_code in (403, 404, 422)  # type: ignore[attr-defined]
    r = _post(
        web, f"/verlengingen/{ext}/minister", csrf, decision="permitted", inform_parliament="1"
    )
    assert r.status_code == 303, r.text  # type: ignore[attr-defined]
    web.cookies.clear()
    csrf = login(web, "ctivd")
    page = web.get("/bulkdatasets")
    assert f"/verlengingen/{ext}/ctivd" in page.text
    r = _post(web, f"/verlengingen/{ext}/ctivd", csrf, review="lawful", note="akkoord")
    assert r.status_code == 303  # type: ignore[attr-defined]
    with transaction(lw.pw.factory) as session:
        row = session.get(Extension, ext)
        assert row is not None
        assert (row.state, row.ctivd_review) == ("in_effect", "lawful")


def test_the_legal_basis_shows_where_the_data_is(lw: LWorld, web: TestClient) -> None:
    pid = in_use(lw.pw, date.today())
    csrf = login(web, "analist")
    assert web.get(f"/collecties/{lw.dataset}/rechtsgrond").text == ""
    r = _post(web, f"/collecties/{lw.dataset}/rechtsgrond", csrf, permission_id="99999")
    assert r.status_code == 422  # type: ignore[attr-defined]
    r = _post(web, f"/collecties/{lw.dataset}/rechtsgrond", csrf, permission_id=str(pid))
    assert r.status_code == 303  # type: ignore[attr-defined]
    fragment = web.get(f"/collecties/{lw.dataset}/rechtsgrond")
    assert fragment.status_code == 200
    assert f"/toestemmingen/{pid}" in fragment.text
    collection = web.get(f"/collecties/{lw.dataset}").text
    assert f'hx-get="/collecties/{lw.dataset}/rechtsgrond"' in collection
    assert web.get("/collecties/99999/rechtsgrond").status_code == 404
