"""Loading the demo world's mass data through the services: the generated documents
(registered with the holdings ingest service and processed by the ordinary pipeline), the
multi-script bulk dataset (the holdings structured-data service) and the extra screenings.

Every step is idempotent: documents are found again by their content hash, the bulk
dataset and the extra screenings are made once. The caller shows progress through
``progress(step, done, total)``.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from baken.core.config import Settings
from baken.core.db import transaction
from baken.core.markings import Level, Marking, Service
from baken.core.models import User
from baken.core.principals import Principal
from baken.core.schemas import MarkingIn
from baken.core.users import to_principal
from baken.demo_world.corpus import SEED, documents
from baken.demo_world.recogniser import CastRecogniser
from baken.demo_world.sizes import Size
from baken.holdings import runtime
from baken.holdings.blobs import BlobStore
from baken.holdings.demo import NOTICE
from baken.holdings.feed import Feeder
from baken.holdings.models import Document
from baken.holdings.pipeline import STAGES, Pipeline, Task, pending
from baken.holdings.schemas import CollectionCreate
from baken.holdings.search import SearchIndex
from baken.holdings.service import collections, ingest, structured

Progress = Callable[[str, int, int], None]

AUTHOR = "analist.zg"
OPEN = "open-bronnen-2026-demo"
PARTNER = "partner-c-2026-demo"
BULK = "reizigers-bulk-demo"
PARTNER_SHARE = 4  # every fourth document comes from the partner service
BATCH = 100  # documents registered per transaction (short: a server may be writing too)
INDEX_EVERY = 250  # processed documents between index updates
BULK_MAPPING = """
reizigers:
  queries:
    - entities:
        person:
          schema: Person
          keys: [id]
          properties:
            name: {column: name}
            firstName: {column: first_name}
            lastName: {column: last_name}
            birthDate: {column: birth_date}
            nationality: {column: nationality}
            passportNumber: {column: identifier}
            address: {column: address}
"""


@dataclass(frozen=True, slots=True)
class Built:
    documents: int  # generated documents in the world (new or already there)
    bulk_rows: int
    screenings: int  # extra cases made now


def _nothing(step: str, done: int, total: int) -> None:
    return None


def _author(session: Session) -> Principal:
    user = session.scalar(select(User).where(User.username == AUTHOR))
    assert user is not None, "the demo users are made first"
    return to_principal(user)


def _collection(session: Session, author: Principal, data: CollectionCreate) -> int:
    try:
        return collections.by_name(session, author, data.name).id
    except LookupError:
        return collections.create(session, principal=author, data=data)


def build(
    settings: Settings,
    factory: sessionmaker[Session],
    *,
    size: Size,
    users: dict[str, int],
    seed: int = SEED,
    progress: Progress = _nothing,
) -> Built:
    """Bring the world up to ``size``; a second call adds nothing."""
    made = 0
    if size.screenings:
        from baken.vetting.screenings.demo import load_more

        with transaction(factory) as session:
            made = load_more(session, users, settings)
    rows = load_bulk(settings, factory, rows=size.bulk_rows, seed=seed, progress=progress)
    docs = load_documents(settings, factory, count=size.documents, seed=seed, progress=progress)
    return Built(documents=docs, bulk_rows=rows, screenings=made)


# -- documents --------------------------------------------------------------------------


def load_documents(
    settings: Settings,
    factory: sessionmaker[Session],
    *,
    count: int,
    seed: int = SEED,
    progress: Progress = _nothing,
) -> int:
    """Register the first ``count`` generated documents and process what is pending."""
    if count <= 0:
        return 0
    today = date.today()
    with transaction(factory) as session:
        author = _author(session)
        targets = (
            _collection(
                session,
                author,
                CollectionCreate(
                    name=OPEN,
                    title="Open bronnen en notities 2026, gegenereerd (fictief)",
                    description=NOTICE,
                    legal_basis="open_source",
                    acquired_on=date(2026, 1, 5),
                    retention_until=date(2031, 1, 5),
                    marking=MarkingIn.of(
                        Marking(level=Level.DEP_VERTROUWELIJK, owner=Service.JOINT)
                    ),
                ),
            ),
            _collection(
                session,
                author,
                CollectionCreate(
                    name=PARTNER,
                    title="Rapportages partnerdienst A 2026, gegenereerd (fictief)",
                    description=NOTICE
                    + " Derdenregel: verstrekking alleen met toestemming van PARTNER-A.",
                    legal_basis="partner",
                    originator="PARTNER-A",
                    acquired_on=min(today, date(2026, 2, 1)),
                    marking=MarkingIn.of(
                        Marking(level=Level.STG_CONFIDENTIEEL, owner=Service.AIVD)
                    ),
                ),
            ),
        )
    blobs = BlobStore(settings.blob_dir)
    batch: list[tuple[int, str, bytes]] = []

    def register() -> None:
        with transaction(factory) as session:
            for collection_id, name, data in batch:
                ingest.register_bytes(
                    session,
                    principal=author,
                    collection_id=collection_id,
                    data=data,
                    name=name,
                    blobs=blobs,
                    max_bytes=settings.ingest_max_bytes,
                )
        batch.clear()

    with transaction(factory) as session:
        there = count_documents(session)
    # Registration finds every document again by its hash; when all are there already
    # (a second run), it is skipped outright, and only unfinished processing resumes.
    for i, doc in enumerate(documents(count if there < count else 0, seed=seed)):
        batch.append((targets[1] if i % PARTNER_SHARE == PARTNER_SHARE - 1 else targets[0],
                      f"demo-wereld/{doc.name}", doc.data))  # fmt: skip
        if len(batch) == BATCH:
            register()
        progress("register", i + 1, count)
    if batch:
        register()
    process(settings, factory, author=author, collection_ids=targets, progress=progress)
    return count


def process(
    settings: Settings,
    factory: sessionmaker[Session],
    *,
    author: Principal,
    collection_ids: tuple[int, ...],
    progress: Progress = _nothing,
) -> int:
    """Run the pipeline over the collections' pending documents (a job per collection,
    as ``baken ingest`` makes), then bring the search index up to date."""
    pipe = Pipeline(
        factory=factory,
        blobs=BlobStore(settings.blob_dir),
        limits=runtime.limits(settings),
        recogniser_factory=CastRecogniser,
        max_bytes=settings.ingest_max_bytes,
    )
    work: list[tuple[int, int]] = []
    with transaction(factory) as session:
        for collection_id in collection_ids:
            todo = pending(session, collection_id)
            if not todo:
                continue
            job = ingest.new_job(
                session,
                principal=author,
                collection_id=collection_id,
                kind="ingest",
                args={"source": "baken demo (generated)", "files": len(todo)},
            )
            ingest.add_to_job(session, job, len(todo))
            work += [(doc_id, job) for doc_id in todo]
    feeder = Feeder(factory, SearchIndex(settings.index_dir))
    for n, (doc_id, job) in enumerate(work, start=1):
        pipe.run(Task(doc_id, STAGES, job))
        progress("process", n, len(work))
        if n % INDEX_EVERY == 0:
            feeder.sync()  # searchable as they come, when the server already runs
    feeder.sync()
    return len(work)


def count_documents(session: Session) -> int:
    """Generated documents in the world (for the tests and the report)."""
    return (
        session.scalar(select(func.count(Document.id)).where(Document.name.like("demo-wereld/%")))
        or 0
    )


# -- the bulk dataset ---------------------------------------------------------------------


def bulk_csv(path: Path, *, rows: int, seed: int = SEED) -> int:
    """Write the bulk dataset: fictional people drawn by :mod:`baken.resolve.synthetic`
    (names in Latin, Cyrillic, Arabic and Chinese script). Returns the rows written."""
    from baken.resolve import synthetic

    table = synthetic.generate(rows, seed=seed, cross_script=synthetic.MAX_CROSS_SCRIPT).left
    path.parent.mkdir(parents=True, exist_ok=True)
    columns = ["id", "name", "first_name", "last_name", "birth_date", "nationality",
               "identifier", "address"]  # fmt: skip
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(columns)
        for row in table.to_pylist():
            address = (
                f"{row['street']} {row['house_number']}, {row['postcode']} {row['city']}"
                if row.get("street")
                else ""
            )
            writer.writerow(
                [
                    f"demo-bulk-{row['id']}",
                    row["name"],
                    row.get("first_name") or "",
                    row.get("last_name") or "",
                    row.get("birth_date") or "",
                    (row.get("nationality") or "").lower(),
                    row.get("identifier") or "",
                    address,
                ]
            )
    return len(table)


def load_bulk(
    settings: Settings,
    factory: sessionmaker[Session],
    *,
    rows: int,
    seed: int = SEED,
    progress: Progress = _nothing,
) -> int:
    """The bulk dataset through the structured-data service (policy, audit, statements,
    Parquet); made once."""
    if rows <= 0:
        return 0
    from baken.engines import get_engine

    today = date.today()
    with transaction(factory) as session:
        author = _author(session)
        try:
            collections.by_name(session, author, BULK)
            return rows  # made earlier
        except LookupError:
            pass
    source = settings.data_dir / "demo-world" / f"{BULK}.csv"
    written = bulk_csv(source, rows=rows, seed=seed)
    with transaction(factory) as session:
        collection_id = collections.create(
            session,
            principal=author,
            data=CollectionCreate(
                name=BULK,
                title="Bulkdataset reisgegevens, meerdere schriften (fictief)",
                description="FICTIEF — synthetisch gegenereerde personen (Latijns, "
                "Cyrillisch, Arabisch en Chinees schrift); " + NOTICE,
                kind="bulk",
                legal_basis="special_power",
                permission_ref="TIB-DEMO-0001",
                acquired_on=today - timedelta(days=30),
                marking=MarkingIn.of(Marking(level=Level.STG_GEHEIM, owner=Service.AIVD)),
            ),
        )
        structured.load(
            session,
            principal=author,
            collection_id=collection_id,
            source=source,
            mapping_yaml=BULK_MAPPING,
            store_dir=settings.bulk_dir,
            engine=get_engine("local"),
            progress=lambda stage, done, total: progress(f"bulk: {stage}", done, total),
        )
    Feeder(factory, SearchIndex(settings.index_dir)).sync()
    return written
