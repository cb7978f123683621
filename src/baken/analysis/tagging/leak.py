"""Leak-matrix fixtures and cases for analysis (tagging).

The ``tag`` fixture is a processed document naming the secret (the holdings document
fixture), an established GA version of its own with one requirement whose question
names the secret, and an analyst's tag of the document to that requirement, all at the
fixture's marking and made through the services. The requirement's ref is derived from
the secret without showing it.
"""

from __future__ import annotations

import hashlib
from typing import Any

from sqlalchemy.orm import Session

from baken.analysis.tagging import service
from baken.analysis.tagging.service import KIND
from baken.core.markings import Marking
from baken.core.principals import Principal
from baken.core.schemas import MarkingIn
from baken.holdings.leak import make_document
from baken.steering.schemas import Establish, GaVersionCreate, RequirementCreate
from baken.steering.service import ga
from baken.testing.leakmatrix import LeakCase, LeakFixture


def make_tag(session: Session, author: Principal, marking: Marking, secret: str) -> dict[str, Any]:
    params = make_document(session, author, marking, secret)
    ref = f"LK-{int(hashlib.sha256(secret.encode()).hexdigest(), 16) % 100_000:05d}"
    version_id = ga.create_version(
        session,
        principal=author,
        data=GaVersionCreate(
            label=f"GA {secret}", period_start=2031, period_end=2034, marking=MarkingIn.of(marking)
        ),
    )
    ga.add_requirement(
        session,
        principal=author,
        version_id=version_id,
        data=RequirementCreate(
            ref=ref,
            question=f"Welke cyberdreiging gaat uit van {secret}?",
            theme="CYB",
            ministry="BZK",
            priority=1,
            service="JOINT",
            task="a",
            marking=MarkingIn.of(marking),
        ),
    )
    ga.establish(
        session,
        principal=author,
        version_id=version_id,
        data=Establish(staatscourant_ref="Stcrt. 2031, 12345"),
    )
    tag_id = service.add(
        session,
        principal=author,
        theme="CYB",
        document_id=params["document_id"],
        requirement_ref=ref,
        note=secret,
    )
    return {**params, "tag_id": tag_id, "ref": ref}


FIXTURES = [LeakFixture("tag", KIND, make_tag)]

CASES = [
    LeakCase("GET", "/labels"),
    LeakCase(
        "POST",
        "/labels",
        fixture="tag",
        form=lambda p: {"document": str(p["document_id"]), "theme": "CYB", "note": "lek"},
    ),
    LeakCase("GET", "/labels/{tag_id}", fixture="tag"),
    LeakCase("POST", "/labels/{tag_id}/oordeel", fixture="tag", form=lambda p: {"decision": "?"}),
    LeakCase("GET", "/labels/behoeften/{ref}", fixture="tag"),
    LeakCase("GET", "/api/v1/analysis/tags"),
    LeakCase(
        "POST",
        "/api/v1/analysis/tags",
        fixture="tag",
        json=lambda p: {"document_id": p["document_id"], "theme": "CYB", "note": "lek"},
    ),
    LeakCase("GET", "/api/v1/analysis/tags/coverage"),
    LeakCase("GET", "/api/v1/analysis/tags/requirements"),
    LeakCase("GET", "/api/v1/analysis/tags/requirements/{ref}/feed", fixture="tag"),
    LeakCase("GET", "/api/v1/analysis/tags/{tag_id}", fixture="tag"),
    LeakCase(
        "POST",
        "/api/v1/analysis/tags/{tag_id}/decision",
        fixture="tag",
        json=lambda p: {"decision": "rejected"},
    ),
]
