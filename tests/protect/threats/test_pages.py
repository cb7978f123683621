"""The browser journey of Bewaken en Beveiligen through the pages (TestClient): a threat
assessment is written, approved, released to the NCTV, reaches the NCTV's portal, and the
NCTV records its decision back; refused forms come back with the values typed."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from baken.core.principals import Principal
from baken.plugins import BUILTIN, Registry, hookimpl
from baken.protect.threats import hooks
from baken.web.app import create_app
from tests.conftest import csrf_headers, login
from tests.protect.threats.conftest import BB


class ReleaseLinks:
    """The hook implementation protect's plugin registers (until it does, the test does)."""

    @hookimpl
    def baken_release_links(
        self, session: Session, principal: Principal, release_id: int
    ) -> list[tuple[str, str, str]]:
        return hooks.release_links(session, principal, release_id)


@pytest.fixture(scope="module")
def app(bb: BB) -> Iterator[FastAPI]:
    application = create_app(bb.settings, Registry(BUILTIN, extra=(ReleaseLinks(),)))
    yield application
    application.state.engine.dispose()


class Browser:
    def __init__(self, app: FastAPI, username: str) -> None:
        self.client = TestClient(app, raise_server_exceptions=False)
        self.csrf = login(self.client, username)

    def get(self, path: str) -> Any:
        return self.client.get(path)

    def post(self, path: str, **data: Any) -> Any:
        return self.client.post(
            path, data=data, headers=csrf_headers(self.csrf), follow_redirects=False
        )


NEW = {
    "type": "dreigingsinschatting",
    "subject_kind": "evenement",
    "subject": "Havenfestival Zuidpolder (fictief)",
    "domain": "rijksdomein",
    "event_on": "2026-12-12",
    "title": "Dreigingsinschatting havenfestival (fictief)",
    "summary": "Verhoogde dreiging (fictief).",
}


def test_a_threat_assessment_reaches_the_nctv_portal_and_its_decision_is_recorded_back(
    app: FastAPI, bb: BB
) -> None:
    officer = Browser(app, "bewaking")
    before = bb.counts()
    refused = officer.post("/bewaken-beveiligen/nieuw", **NEW, addressing="")
    assert refused.status_code == 422
    assert 'role="alert"' in refused.text
    assert "Havenfestival Zuidpolder (fictief)" in refused.text  # the values typed
    assert bb.counts() == before

    made = officer.post("/bewaken-beveiligen/nieuw", **NEW, addressing="nctv_coordinator:NCTV")
    assert made.status_code == 303
    record = made.headers["location"]
    record_id = int(record.rsplit("/", 1)[1])
    page = officer.get(record)
    assert page.status_code == 200
    product = re.search(r'href="/producten/(\d+)"', page.text)
    assert product is not None
    product_page = f"/producten/{product.group(1)}"
    cited = officer.post(product_page + "/bronnen", kind="document", target_id=str(bb.document_id))
    assert cited.status_code == 303
    assert officer.post(product_page + "/indienen").status_code == 303
    # Released before approval: refused at the form, nothing stored.
    before = bb.counts()
    early = officer.post(record + "/verstrekken")
    assert early.status_code == 422
    assert bb.counts() == before

    lead = Browser(app, "teamleider")
    assert lead.post(product_page + "/goedkeuren", recipients="NCTV").status_code == 303
    assert f'action="{record}/verstrekken"' in officer.get(record).text
    assert officer.post(record + "/verstrekken").status_code == 303

    nctv = Browser(app, "nctv")
    portal = nctv.get("/portaal")
    found = re.search(r'href="/portaal/(\d+)">Dreigingsinschatting havenfestival', portal.text)
    assert found is not None
    release_page = nctv.get(f"/portaal/{found.group(1)}")
    assert f'href="{record}"' in release_page.text  # the hook's link to record the decision
    assert f'href="{record}"' in nctv.get("/bewaken-beveiligen").text
    mine = nctv.get(record)
    assert mine.status_code == 200
    assert f'action="{record}/besluit"' in mine.text

    before = bb.counts()
    future = nctv.post(
        record + "/besluit",
        measures=["objectbeveiliging"],
        decided_on="2999-01-01",
        text="Te vroeg (fictief).",
    )
    assert future.status_code == 422
    assert "Te vroeg (fictief)." in future.text
    assert bb.counts() == before
    today = re.search(r'name="decided_on" type="date" value="([0-9-]+)"', mine.text)
    assert today is not None
    decided = nctv.post(
        record + "/besluit",
        measures=["bewaking_en_beveiliging_evenement", "cameratoezicht"],
        decided_on=today.group(1),
        text="Cameratoezicht en bewaking tijdens het festival (fictief).",
    )
    assert decided.status_code == 303
    assert "Cameratoezicht en bewaking tijdens het festival (fictief)." in officer.get(record).text

    # The addressee's systems amend it through the API; the history stays.
    amended = nctv.client.post(
        f"/api/v1/protect/threats/{record_id}/decision",
        json={
            "measures": ["verhoogde_alertheid"],
            "decided_on": today.group(1),
            "text": "Bijgesteld.",
        },
        headers=csrf_headers(nctv.csrf),
    )
    assert amended.status_code == 201, amended.text
    assert amended.json()["version"] == 2
    shown = nctv.client.get(f"/api/v1/protect/threats/{record_id}").json()
    assert [d["recorded_for"] for d in shown["decisions"]] == ["authority", "authority"]
    assert shown["status"] is None  # a partner does not read the product's state

    # Another organisation's recipient reads none of it.
    mayor = Browser(app, "burgemeester")
    assert mayor.get(record).status_code == 404
    assert "havenfestival" not in mayor.get("/bewaken-beveiligen").text
    assert mayor.client.get(f"/api/v1/protect/threats/{record_id}").status_code == 404


def test_api_refusals(app: FastAPI, bb: BB) -> None:
    record_id, _ = bb.released()
    nctv = Browser(app, "nctv")
    before = bb.counts()
    bad = nctv.client.post(
        f"/api/v1/protect/threats/{record_id}/decision",
        json={"measures": ["objectbeveiliging"], "decided_on": "1-1-2026", "text": "x"},
        headers=csrf_headers(nctv.csrf),
    )
    assert bad.status_code == 422
    missing = nctv.client.post(
        "/api/v1/protect/threats/999999/decision",
        json={"measures": ["objectbeveiliging"], "decided_on": "2026-01-01", "text": "x"},
        headers=csrf_headers(nctv.csrf),
    )
    assert missing.status_code == 404
    assert bb.counts() == before
    listed = nctv.client.get("/api/v1/protect/threats").json()
    assert record_id in [t["id"] for t in listed["threats"]]
