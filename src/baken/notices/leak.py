"""Leak-matrix fixtures and cases for notices and their sanitisation."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from sqlalchemy.orm import Session

from baken.core import sanitise
from baken.core.markings import Level, Marking
from baken.core.principals import Principal
from baken.core.schemas import MarkingIn
from baken.notices import service
from baken.notices.schemas import NoticeCreate
from baken.testing.leakmatrix import LeakCase, LeakFixture


def _notice(session: Session, author: Principal, marking: Marking, secret: str) -> int:
    data = NoticeCreate(
        title=f"Titel {secret}",
        body=f"Tekst met {secret}.",
        marking=MarkingIn.of(marking),
    )
    return service.create(session, principal=author, data=data).id


def make_notice(
    session: Session, author: Principal, marking: Marking, secret: str
) -> dict[str, Any]:
    return {"notice_id": _notice(session, author, marking, secret)}


def lower(marking: Marking) -> Marking:
    """Some marking below ``marking`` (or wider released, at the bottom level)."""
    if marking.level > Level.ONGERUBRICEERD:
        return replace(marking, level=Level(marking.level - 1))
    return replace(marking, releasable_to=marking.releasable_to | {"NCTV"})


def make_sanitisation(
    session: Session, author: Principal, marking: Marking, secret: str
) -> dict[str, Any]:
    notice_id = _notice(session, author, marking, secret)
    request_id = sanitise.request(
        session,
        principal=author,
        kind=service.KIND,
        source_id=notice_id,
        marking=lower(marking),
        fields={"title": f"Voorstel {secret}", "body": secret},
        reason=f"Reden {secret}",
    )
    return {"notice_id": notice_id, "sanitisation_id": request_id}


FIXTURES = [
    LeakFixture("notice", service.KIND, make_notice),
    LeakFixture("sanitisation", service.KIND, make_sanitisation),
]

_NEW = {
    "title": "Leak matrix",
    "body": "Ongerubriceerd bericht",
    "level": "ONGERUBRICEERD",
    "owner": "JOINT",
}

CASES = [
    LeakCase("GET", "/mededelingen"),
    LeakCase("GET", "/mededelingen/nieuw"),
    LeakCase("POST", "/mededelingen", form=lambda p: _NEW),
    LeakCase("GET", "/mededelingen/{notice_id}", fixture="notice"),
    LeakCase("GET", "/mededelingen/{notice_id}/saneren", fixture="notice"),
    # An incomplete request: the form comes back with the source, only to its readers.
    LeakCase(
        "POST",
        "/mededelingen/{notice_id}/saneren",
        fixture="notice",
        form=lambda p: {"title": "", "body": "", "reason": "", "level": "ONGERUBRICEERD"},
    ),
    LeakCase("GET", "/api/v1/notices"),
    LeakCase("GET", "/api/v1/notices/{notice_id}", fixture="notice"),
    LeakCase(
        "POST",
        "/api/v1/notices",
        json=lambda p: {
            "title": "Leak matrix",
            "body": "Ongerubriceerd",
            "marking": {"level": 0, "owner": "JOINT"},
        },
    ),
]
