"""Products in the browser: draft, cite, submit, approve by a team lead, release to the
NCTV; the NCTV user's portal shows that release and nothing else; refusals show on the
page and store nothing."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from baken.analysis.products.models import Release
from baken.core.db import transaction
from baken.core.markings import Marking
from baken.web.app import create_app
from tests.analysis.products.conftest import CONF_JOINT, SECRET_AIVD, Desk
from tests.conftest import login


@pytest.fixture
def app_for(desk: Desk) -> Iterator[FastAPI]:
    application = create_app(desk.settings)
    yield application
    rt = getattr(application.state, "holdings", None)
    if rt is not None:
        rt.close()
    application.state.engine.dispose()


def _client(app: FastAPI, username: str) -> tuple[TestClient, str]:
    client = TestClient(app, raise_server_exceptions=False)
    return client, login(client, username)


def _post(client: TestClient, csrf: str, url: str, data: dict[str, object]) -> str:
    response = client.post(url, data={"csrf_token": csrf, **data}, follow_redirects=False)
    assert response.status_code == 303, response.text[:2000]
    return str(response.headers["location"])


def test_draft_to_release_to_the_nctv_in_the_browser(app_for: FastAPI, desk: Desk) -> None:
    source = desk.source(CONF_JOINT, "Havenmeester")
    desk.source(Marking.of("STG_ZEER_GEHEIM", "AIVD"), "Verborgen")
    author, csrf = _client(app_for, "auteur")
    assert "/producten" in author.get("/").text  # reachable from the navigation
    location = _post(
        author,
        csrf,
        "/producten/nieuw",
        {
            "type": "dreigingsinschatting",
            "title": "Dreiging in de haven",
            "level": "1",
            "summary": "Kort.",
            "body": "Eerste alinea.\n\nTweede alinea.",
        },
    )
    product_id = int(location.rsplit("/", 1)[1])
    page = author.get(location)
    assert "Dreiging in de haven" in page.text
    assert "Concept" in page.text
    # submitting without sources is refused on the page
    refused = author.post(f"{location}/indienen", data={"csrf_token": csrf})
    assert refused.status_code == 422
    assert "ten minste één bron" in refused.text
    # the picker finds the source through the holdings search, policy in the index query
    picker = author.get(f"{location}?zoek=Havenmeester")
    assert picker.status_code == 200
    assert f'name="target_id" value="{source["document_id"]}"' in picker.text
    hidden = author.get(f"{location}?zoek=Verborgen")
    assert "Verslag Verborgen" not in hidden.text
    assert "Nothing found." in hidden.text or "Niets gevonden." in hidden.text
    _post(
        author,
        csrf,
        f"{location}/bronnen",
        {"kind": "document", "target_id": str(source["document_id"])},
    )
    page = author.get(location)
    assert "Verslag Havenmeester" in page.text
    assert f"/producten/{product_id}/stix" not in page.text  # not a cyber product
    _post(author, csrf, f"{location}/indienen", {})
    # the author sees no approval form, and a forged approval is refused
    assert "/goedkeuren" not in author.get(location).text
    assert (
        author.post(
            f"{location}/goedkeuren", data={"csrf_token": csrf, "recipients": "NCTV"}
        ).status_code
        == 422
    )
    lead, lead_csrf = _client(app_for, "teamleider")
    assert "/goedkeuren" in lead.get(location).text
    _post(lead, lead_csrf, f"{location}/goedkeuren", {"recipients": ["NCTV"]})
    _post(lead, lead_csrf, f"{location}/verstrekken", {"recipient": "NCTV", "note": "per koerier"})
    page = lead.get(location)
    assert "Verstrekt" in page.text
    assert "per koerier" in page.text

    # a second, unreleased product the NCTV must not see
    _post(
        author,
        csrf,
        "/producten/nieuw",
        {"type": "inlichtingenrapport", "title": "Niet voor de NCTV", "level": "3"},
    )

    nctv, _ = _client(app_for, "nctv")
    portal = nctv.get("/portaal")
    assert portal.status_code == 200
    assert "Dreiging in de haven" in portal.text
    assert "Niet voor de NCTV" not in portal.text
    release_id = int(re.search(r'href="/portaal/(\d+)"', portal.text).group(1))  # type: ignore[union-attr]
    shown = nctv.get(f"/portaal/{release_id}")
    assert "Tweede alinea." in shown.text
    assert "Verslag Havenmeester" in shown.text
    pdf = nctv.get(f"/portaal/{release_id}/pdf")
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")
    # the product itself, the product list and the API stay closed to the recipient
    assert nctv.get(location).status_code in (403, 404)
    assert nctv.get("/producten").status_code in (200, 403)
    assert "Dreiging in de haven" not in nctv.get("/producten").text
    assert "Niet voor de NCTV" not in nctv.get("/producten").text
    assert nctv.get(f"{location}/pdf").status_code in (403, 404)
    partner, _ = _client(app_for, "partner.a")
    assert "Dreiging in de haven" not in partner.get("/portaal").text
    assert partner.get(f"/portaal/{release_id}").status_code == 404


def test_a_refused_release_stores_nothing(app_for: FastAPI, desk: Desk) -> None:
    source = desk.source(CONF_JOINT, "Smit")
    author, csrf = _client(app_for, "auteur")
    location = _post(
        author,
        csrf,
        "/producten/nieuw",
        {"type": "ambtsbericht", "title": "Ambtsbericht Smit", "level": "1"},
    )
    _post(
        author,
        csrf,
        f"{location}/bronnen",
        {"kind": "document", "target_id": str(source["document_id"])},
    )
    _post(author, csrf, f"{location}/indienen", {})
    lead, lead_csrf = _client(app_for, "teamleider")
    _post(lead, lead_csrf, f"{location}/goedkeuren", {"recipients": ["OM"]})
    refused = lead.post(
        f"{location}/verstrekken", data={"csrf_token": lead_csrf, "recipient": "NCTV"}
    )
    assert refused.status_code == 422
    assert "NCTV" in refused.text
    with transaction(desk.factory) as session:
        assert session.scalar(select(func.count()).select_from(Release)) == 0


def test_unreadable_citation_is_refused_on_the_page_like_a_missing_one(
    app_for: FastAPI, desk: Desk
) -> None:
    hidden = desk.source(SECRET_AIVD, "Geheimhouder")
    low, csrf = _client(app_for, "laag")
    location = _post(
        low,
        csrf,
        "/producten/nieuw",
        {"type": "inlichtingenrapport", "title": "Laag", "level": "1"},
    )
    answers = [
        low.post(
            f"{location}/bronnen",
            data={"csrf_token": csrf, "kind": "document", "target_id": target},
        )
        for target in (str(hidden["document_id"]), "987654")
    ]
    assert [a.status_code for a in answers] == [422, 422]
    assert "Geheimhouder" not in answers[0].text
    messages = [re.search(r'role="alert">([^<]*)<', a.text).group(1) for a in answers]  # type: ignore[union-attr]
    assert messages[0].replace(str(hidden["document_id"]), "#") == messages[1].replace(
        "987654", "#"
    )
