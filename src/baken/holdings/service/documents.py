"""Reading documents and their processing state, through the policy filter."""

from __future__ import annotations

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from baken.core import audit, policy
from baken.core.marking_store import load
from baken.core.markings import summary
from baken.core.principals import Principal
from baken.holdings.models import Document, Statement
from baken.holdings.schemas import DocumentPublic, DocumentSummary, MentionLink
from baken.holdings.service import collections
from baken.holdings.vocab import DOCUMENT, ENTITY

PAGE = 50


def visible(principal: Principal) -> ColumnElement[bool]:
    return policy.read_filter(principal, DOCUMENT, Document.marking_id)


def _summaries(session: Session, rows: list[Document]) -> list[DocumentSummary]:
    marks = load(session, {r.marking_id for r in rows})
    return [
        DocumentSummary(
            id=r.id,
            collection_id=r.collection_id,
            parent_id=r.parent_id,
            name=r.name,
            mime=r.mime,
            size=r.size,
            title=r.title,
            language=r.language,
            state=r.state,
            quarantine_reason=r.quarantine_reason,
            quarantine_detail=r.quarantine_detail,
            error=r.error,
            marking=marks[r.marking_id],
            created_at=r.created_at,
        )
        for r in rows
    ]


def list_documents(
    session: Session,
    *,
    principal: Principal,
    collection_id: int,
    state: str | None = None,
    page: int = 1,
) -> tuple[list[DocumentSummary], int]:
    """One page of a collection's documents (newest first) and how many there are."""
    collections.row(session, principal, collection_id)
    conds = [Document.collection_id == collection_id, visible(principal)]
    if state:
        conds.append(Document.state == state)
    total = session.scalar(select(func.count()).select_from(Document).where(*conds)) or 0
    rows = list(
        session.scalars(
            select(Document)
            .where(*conds)
            .order_by(Document.id.desc())
            .limit(PAGE)
            .offset((max(page, 1) - 1) * PAGE)
        )
    )
    items = _summaries(session, rows)
    audit.record(
        session,
        principal=principal,
        action="document.list",
        kind=DOCUMENT,
        marking=summary(i.marking for i in items) if items else None,
        details={"collection": collection_id, "ids": [i.id for i in items], "state": state},
    )
    return items, total


def get(session: Session, *, principal: Principal, document_id: int) -> DocumentPublic:
    row = session.scalar(select(Document).where(Document.id == document_id, visible(principal)))
    if row is None:
        raise LookupError(document_id)
    children = _summaries(
        session,
        list(
            session.scalars(
                select(Document)
                .where(Document.parent_id == row.id, visible(principal))
                .order_by(Document.name)
            )
        ),
    )
    names = session.execute(
        select(Statement.entity_id, Statement.schema, Statement.value, Statement.marking_id)
        .where(
            Statement.document_id == row.id,
            Statement.origin == "ner",
            Statement.prop == "name",
            Statement.schema.in_(("Person", "Organization")),
            policy.read_filter(principal, ENTITY, Statement.marking_id),
        )
        .order_by(Statement.schema, Statement.value)
    ).all()
    marks = load(session, {row.marking_id} | {n.marking_id for n in names})
    mentions = [
        MentionLink(entity_id=e, schema_name=s, name=v, marking=marks[m]) for e, s, v, m in names
    ]
    base = _summaries(session, [row])[0]
    doc = DocumentPublic(
        **base.model_dump(),
        sha256=row.sha256,
        pages=row.pages,
        ocr=row.ocr,
        countries=list(row.countries or []),
        text=row.text,
        extracted_at=row.extracted_at,
        language_at=row.language_at,
        ner_at=row.ner_at,
        ner_engine=row.ner_engine,
        children=children,
        mentions=mentions,
    )
    audit.record(
        session,
        principal=principal,
        action="document.read",
        kind=DOCUMENT,
        object_id=row.id,
        marking=summary(
            [doc.marking, *(m.marking for m in mentions), *(c.marking for c in children)]
        ),
        details={
            "children": [c.id for c in children],
            "entities": sorted({m.entity_id for m in mentions}),
        },
    )
    return doc


def blob_of(
    session: Session, *, principal: Principal, document_id: int
) -> tuple[DocumentSummary, str]:
    """The document and its blob hash, for a download (audited as a read)."""
    row = session.scalar(select(Document).where(Document.id == document_id, visible(principal)))
    if row is None or row.sha256 is None:
        raise LookupError(document_id)
    item = _summaries(session, [row])[0]
    audit.record(
        session,
        principal=principal,
        action="document.download",
        kind=DOCUMENT,
        object_id=row.id,
        marking=item.marking,
        details={"sha256": row.sha256},
    )
    return item, row.sha256
