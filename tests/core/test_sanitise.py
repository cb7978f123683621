"""Sanitisation: the only way down, with four eyes, audited, making a new object."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from baken.core import policy, sanitise
from baken.core.db import transaction
from baken.core.markings import Level, Marking
from baken.core.models import AuditEntry, Sanitisation
from baken.core.schemas import MarkingIn
from baken.notices import service
from baken.notices.models import Notice
from baken.notices.schemas import NoticeCreate
from tests.conftest import People, login

SECRET = Marking.of("STG_GEHEIM", "AIVD", compartments={"KOBALT"})
LOWER = Marking.of("DEP_VERTROUWELIJK", "AIVD")


@pytest.fixture
def cast(people: People):  # type: ignore[no-untyped-def]
    return {
        "analyst": people.add("ana", Level.STG_ZEER_GEHEIM, {"analyst"}, compartments={"KOBALT"}),
        "officer": people.add(
            "rub", Level.STG_ZEER_GEHEIM, {"classification_officer"}, compartments={"KOBALT"}
        ),
        "officer2": people.add(
            "rub2",
            Level.STG_ZEER_GEHEIM,
            {"classification_officer", "analyst"},
            compartments={"KOBALT"},
        ),
        "reader": people.add("dep", Level.DEP_VERTROUWELIJK, {"analyst"}),
    }


def _source(factory: sessionmaker[Session], author) -> int:  # type: ignore[no-untyped-def]
    with transaction(factory) as session:
        return service.create(
            session,
            principal=author,
            data=NoticeCreate(
                title="Bron", body="Geheime bron KOBALT", marking=MarkingIn.of(SECRET)
            ),
        ).id


def test_full_flow_makes_a_new_lower_object(factory: sessionmaker[Session], cast) -> None:  # type: ignore[no-untyped-def]
    source_id = _source(factory, cast["analyst"])
    with transaction(factory) as session:
        request_id = sanitise.request(
            session,
            principal=cast["analyst"],
            kind="mededeling",
            source_id=source_id,
            marking=LOWER,
            fields={"title": "Openbaar", "body": "Algemene strekking"},
            reason="Delen met de afdeling",
        )
    # Until approved, the proposal is held at the source's marking.
    with transaction(factory) as session, pytest.raises(LookupError):
        sanitise.get(session, principal=cast["reader"], sanitisation_id=request_id)
    with transaction(factory) as session:
        target = sanitise.decide(
            session,
            principal=cast["officer"],
            sanitisation_id=request_id,
            approve=True,
            note="Akkoord",
        )
    assert target is not None
    assert target != source_id
    with transaction(factory) as session:
        copy = service.get(session, principal=cast["reader"], notice_id=target)
        assert copy.marking == LOWER
        assert copy.body == "Algemene strekking"
        # The reader may not follow the link to the source it was made from.
        assert copy.sanitised_from_id is None
        # The source is unchanged.
        src = session.get(Notice, source_id)
        assert src is not None
        assert src.body == "Geheime bron KOBALT"
        actions = [a for (a,) in session.execute(select(AuditEntry.action))]
        assert "sanitisation.request" in actions
        assert "sanitisation.approve" in actions
    with transaction(factory) as session:
        full = service.get(session, principal=cast["analyst"], notice_id=target)
        assert full.sanitised_from_id == source_id


def test_requester_cannot_approve(factory: sessionmaker[Session], cast) -> None:  # type: ignore[no-untyped-def]
    source_id = _source(factory, cast["officer2"])
    with transaction(factory) as session:
        request_id = sanitise.request(
            session,
            principal=cast["officer2"],
            kind="mededeling",
            source_id=source_id,
            marking=LOWER,
            fields={"title": "t", "body": "b"},
            reason="r",
        )
    with (
        transaction(factory) as session,
        pytest.raises(sanitise.SanitisationError, match="another person"),
    ):
        sanitise.decide(
            session,
            principal=cast["officer2"],
            sanitisation_id=request_id,
            approve=True,
            note="zelf",
        )


@pytest.mark.parametrize(
    ("marking", "fields", "reason", "message"),
    [
        (SECRET, {"title": "t", "body": "b"}, "r", "not lower"),
        (
            Marking.of("STG_ZEER_GEHEIM", "AIVD", compartments={"KOBALT"}),
            {"title": "t", "body": "b"},
            "r",
            "not lower",
        ),
        (LOWER, {"title": "t"}, "r", "every field"),
        (LOWER, {"title": "t", "body": " "}, "r", "every field"),
        (LOWER, {"title": "t", "body": "b"}, "  ", "reason"),
    ],
)
def test_bad_requests_are_refused_and_store_nothing(
    factory: sessionmaker[Session],
    cast,
    marking: Marking,
    fields: dict[str, str],  # type: ignore[no-untyped-def]
    reason: str,
    message: str,
) -> None:
    source_id = _source(factory, cast["analyst"])
    with transaction(factory) as session, pytest.raises(sanitise.SanitisationError, match=message):
        sanitise.request(
            session,
            principal=cast["analyst"],
            kind="mededeling",
            source_id=source_id,
            marking=marking,
            fields=fields,
            reason=reason,
        )
    with transaction(factory) as session:
        assert session.scalar(select(Sanitisation)) is None


def test_third_party_originators_stay(factory: sessionmaker[Session], cast) -> None:  # type: ignore[no-untyped-def]
    with transaction(factory) as session:
        source_id = service.create(
            session,
            principal=cast["analyst"],
            data=NoticeCreate(
                title="Partner",
                body="x",
                marking=MarkingIn.of(Marking.of("STG_GEHEIM", "AIVD", originators={"PARTNER-A"})),
            ),
        ).id
    with (
        transaction(factory) as session,
        pytest.raises(sanitise.SanitisationError, match="originators"),
    ):
        sanitise.request(
            session,
            principal=cast["analyst"],
            kind="mededeling",
            source_id=source_id,
            marking=LOWER,
            fields={"title": "t", "body": "b"},
            reason="r",
        )


def test_unreadable_source_and_missing_permission(factory: sessionmaker[Session], cast) -> None:  # type: ignore[no-untyped-def]
    source_id = _source(factory, cast["analyst"])
    with transaction(factory) as session, pytest.raises(policy.PolicyDenied):
        sanitise.request(
            session,
            principal=cast["reader"],
            kind="mededeling",
            source_id=source_id,
            marking=LOWER,
            fields={"title": "t", "body": "b"},
            reason="r",
        )
    with transaction(factory) as session, pytest.raises(policy.PolicyDenied):
        sanitise.request(
            session,
            principal=cast["officer"],
            kind="mededeling",
            source_id=source_id,
            marking=LOWER,
            fields={"title": "t", "body": "b"},
            reason="r",
        )
    with transaction(factory) as session, pytest.raises(sanitise.SanitisationError):
        sanitise.request(
            session,
            principal=cast["analyst"],
            kind="onbekend",
            source_id=source_id,
            marking=LOWER,
            fields={"title": "t", "body": "b"},
            reason="r",
        )


def test_browser_flow(client: TestClient, factory: sessionmaker[Session], cast) -> None:  # type: ignore[no-untyped-def]
    source_id = _source(factory, cast["analyst"])
    csrf = login(client, "ana")
    form = client.get(f"/mededelingen/{source_id}/saneren")
    assert form.status_code == 200
    assert "STG. GEHEIM" in form.text
    sent = client.post(
        f"/mededelingen/{source_id}/saneren",
        data={
            "csrf_token": csrf,
            "title": "Openbaar",
            "body": "Strekking",
            "reason": "Delen",
            "level": "DEP_VERTROUWELIJK",
            "owner": "AIVD",
        },
        follow_redirects=False,
    )
    assert sent.status_code == 303
    request_path = sent.headers["location"]
    client.post("/logout", data={"csrf_token": csrf})
    csrf = login(client, "rub")
    page = client.get(request_path)
    assert "Strekking" in page.text
    assert 'value="approve"' in page.text
    decided = client.post(
        f"{request_path}/besluit",
        data={"csrf_token": csrf, "decision": "approve", "note": "Akkoord"},
        follow_redirects=False,
    )
    assert decided.status_code == 303
    new = client.get(decided.headers["location"])
    assert "Strekking" in new.text
    assert "DEPARTEMENTAAL VERTROUWELIJK" in new.text
