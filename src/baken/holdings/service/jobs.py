"""Background jobs of holdings (uploads, CLI ingests, re-runs): list, read, re-run."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from baken.core import audit, policy
from baken.core.i18n import N_
from baken.core.marking_store import load
from baken.core.markings import summary
from baken.core.principals import Principal
from baken.holdings.models import Document, Job
from baken.holdings.pipeline import STAGES
from baken.holdings.schemas import JobPublic
from baken.holdings.service import HoldingsError, collections
from baken.holdings.service.ingest import add_to_job, new_job
from baken.holdings.vocab import COLLECTION, DOCUMENT


def _public(session: Session, rows: list[Job]) -> list[JobPublic]:
    marks = load(session, {r.marking_id for r in rows})
    return [
        JobPublic(
            id=r.id,
            kind=r.kind,
            collection_id=r.collection_id,
            state=r.state,
            done=r.done,
            total=r.total,
            error=r.error,
            marking=marks[r.marking_id],
            created_at=r.created_at,
            finished_at=r.finished_at,
        )
        for r in rows
    ]


def list_jobs(
    session: Session, *, principal: Principal, collection_id: int, limit: int = 10
) -> list[JobPublic]:
    collections.row(session, principal, collection_id)
    rows = list(
        session.scalars(
            select(Job)
            .where(
                Job.collection_id == collection_id,
                policy.read_filter(principal, COLLECTION, Job.marking_id),
            )
            .order_by(Job.id.desc())
            .limit(limit)
        )
    )
    items = _public(session, rows)
    audit.record(
        session,
        principal=principal,
        action="job.list",
        kind=COLLECTION,
        object_id=collection_id,
        marking=summary(j.marking for j in items) if items else None,
        details={"ids": [j.id for j in items]},
    )
    return items


def get(session: Session, *, principal: Principal, job_id: int) -> JobPublic:
    row = session.scalar(
        select(Job).where(
            Job.id == job_id, policy.read_filter(principal, COLLECTION, Job.marking_id)
        )
    )
    if row is None:
        raise LookupError(job_id)
    item = _public(session, [row])[0]
    audit.record(
        session,
        principal=principal,
        action="job.read",
        kind=COLLECTION,
        object_id=job_id,
        marking=item.marking,
    )
    return item


def rerun(
    session: Session, *, principal: Principal, collection_id: int, stage: str
) -> tuple[int, list[int]]:
    """A job re-running ``stage`` (and the stages after it) over the collection's
    finished documents; returns the job and the documents to submit."""
    if stage not in STAGES:
        raise HoldingsError(N_("unknown stage"))
    job_id = new_job(
        session,
        principal=principal,
        collection_id=collection_id,
        kind="rerun",
        args={"stage": stage},
    )
    docs = list(
        session.scalars(
            select(Document.id)
            .where(
                Document.collection_id == collection_id,
                Document.state == "done",
                policy.read_filter(principal, DOCUMENT, Document.marking_id),
            )
            .order_by(Document.id)
        )
    )
    add_to_job(session, job_id, len(docs))
    if not docs:
        job = session.get(Job, job_id)
        assert job is not None
        job.state = "done"
    return job_id, docs
