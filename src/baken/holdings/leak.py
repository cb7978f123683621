"""Leak-matrix fixtures and cases for holdings. Each fixture makes its own collection at
one marking, so hidden fixtures add nothing a principal may see: no collection, no
document count, no statement, no search hit or facet."""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from baken.core.markings import Marking
from baken.core.principals import Principal
from baken.core.schemas import MarkingIn
from baken.core.timeutil import utcnow
from baken.holdings.models import Collection, Document, IndexOutbox
from baken.holdings.pipeline import write_statements
from baken.holdings.schemas import CollectionCreate
from baken.holdings.service import collections
from baken.holdings.types import Mention
from baken.holdings.vocab import COLLECTION, DOCUMENT, ENTITY
from baken.testing.leakmatrix import LeakCase, LeakFixture

# Every fixture's text carries this word, so one search finds them all (and, for a seat
# that may not read them, must find none of them and count none of them).
TERM = "lekwoord"


def _collection(session: Session, author: Principal, marking: Marking, secret: str) -> int:
    return collections.create(
        session,
        principal=author,
        data=CollectionCreate(
            name=f"lek-{secret.lower()}",
            title=f"Collectie {secret}",
            legal_basis="open_source",
            acquired_on=date(2026, 1, 5),
            marking=MarkingIn.of(marking),
        ),
    )


def make_collection(
    session: Session, author: Principal, marking: Marking, secret: str
) -> dict[str, Any]:
    return {"collection_id": _collection(session, author, marking, secret)}


def make_document(
    session: Session, author: Principal, marking: Marking, secret: str
) -> dict[str, Any]:
    """A processed document naming a person, as the pipeline stores one."""
    collection_id = _collection(session, author, marking, secret)
    collection = session.get(Collection, collection_id)
    assert collection is not None
    text = f"Verslag {TERM}: {secret} ontmoette een contactpersoon in Rotterdam."
    doc = Document(
        collection_id=collection_id,
        source_key=hashlib.sha256(text.encode()).hexdigest(),
        name=f"verslag-{secret}.txt",
        size=len(text),
        mime="text/plain",
        title=f"Verslag {secret}",
        text=text,
        language="nl",
        state="done",
        extracted_at=utcnow(),
        marking_id=collection.marking_id,
        created_by=author.id,
    )
    session.add(doc)
    session.flush()
    session.add(IndexOutbox(object_id=f"doc:{doc.id}"))
    start = text.index(secret)
    write_statements(
        session,
        doc,
        collection,
        [Mention("person", secret, start, start + len(secret), None, "leak")],
        utcnow(),
    )
    from baken.holdings.pipeline import mention_entity_id

    return {
        "collection_id": collection_id,
        "document_id": doc.id,
        "entity_id": mention_entity_id(collection.name, "person", secret),
    }


FIXTURES = [
    LeakFixture("collection", COLLECTION, make_collection),
    LeakFixture("document", DOCUMENT, make_document),
    LeakFixture("entity", ENTITY, make_document),
]

_MARKING = {"level": "ONGERUBRICEERD", "owner": "JOINT"}

CASES = [
    LeakCase("GET", "/collecties"),
    LeakCase("POST", "/collecties", form=lambda p: {"name": "X!", "title": "", **_MARKING}),
    LeakCase("GET", "/collecties/{collection_id}", fixture="collection"),
    LeakCase("GET", "/collecties/{collection_id}", fixture="document"),
    LeakCase("GET", "/collecties/{collection_id}/voortgang", fixture="document"),
    LeakCase("GET", "/collecties/{collection_id}/ftm", fixture="entity"),
    LeakCase("POST", "/collecties/{collection_id}/upload", fixture="document", form=lambda p: {}),
    LeakCase(
        "POST",
        "/collecties/{collection_id}/herverwerken",
        fixture="document",
        form=lambda p: {"stage": "onbekend"},
    ),
    LeakCase("POST", "/collecties/{collection_id}/ftm", fixture="entity", form=lambda p: {}),
    LeakCase("GET", "/documenten/{document_id}", fixture="document"),
    LeakCase("GET", "/documenten/{document_id}/bestand", fixture="document"),
    LeakCase("GET", "/entiteiten/{entity_id}", fixture="entity"),
    LeakCase("GET", "/zoeken", query={"q": TERM}),
    LeakCase("GET", "/api/v1/holdings/collections"),
    LeakCase(
        "POST",
        "/api/v1/holdings/collections",
        json=lambda p: {"name": "x", "title": "", "legal_basis": "?", "acquired_on": "x"},
    ),
    LeakCase("GET", "/api/v1/holdings/collections/{collection_id}", fixture="collection"),
    LeakCase("GET", "/api/v1/holdings/collections/{collection_id}/documents", fixture="document"),
    LeakCase("GET", "/api/v1/holdings/collections/{collection_id}/entities", fixture="entity"),
    LeakCase(
        "POST",
        "/api/v1/holdings/collections/{collection_id}/documents",
        fixture="document",
        json=lambda p: {},
    ),
    LeakCase("GET", "/api/v1/holdings/jobs/{job_id}", params={"job_id": 999999}),
    LeakCase("GET", "/api/v1/holdings/documents/{document_id}", fixture="document"),
    LeakCase("GET", "/api/v1/holdings/entities/{entity_id}", fixture="entity"),
    LeakCase("GET", "/api/v1/holdings/search", query={"q": TERM}),
]
