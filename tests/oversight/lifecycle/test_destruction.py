"""Destroying a bulk dataset removes its values from every place Baken keeps them —
statements, documents, blobs, the search index, the Parquet files, cross-referencing
results — and leaves a record that verifies; a changed record does not."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest
from sqlalchemy import func, or_, select, update

from baken.core.db import transaction
from baken.core.markings import Marking, Service
from baken.core.models import AuditEntry
from baken.holdings import runtime
from baken.holdings.blobs import BlobStore
from baken.holdings.models import Blob, Document, Statement
from baken.holdings.pipeline import Task
from baken.holdings.service import entities, ingest
from baken.holdings.service import search as search_service
from baken.oversight.lifecycle import destruction
from baken.oversight.lifecycle.models import DestructionRecord
from baken.resolve import service as xref
from baken.resolve.models import CandidatePair, Judgement
from tests.oversight.lifecycle.conftest import LWorld

VALUES = ("Zandvoort", "Polderlicht", "Koolhoven", "90000001", "Veldkamp")
REPORT = (
    b"Verslag: Jan de Wit van Zandvoort Handel B.V. sprak Pieter Koolhoven in Rotterdam "
    b"over Polderlicht Holding."
)


def _ingest(lw: LWorld, rt: runtime.Runtime, collection_id: int, data: bytes, name: str) -> int:
    with transaction(lw.pw.factory) as session:
        reg = ingest.register_bytes(
            session,
            principal=lw.analyst,
            collection_id=collection_id,
            data=data,
            name=name,
            blobs=BlobStore(lw.pw.settings.blob_dir),
            max_bytes=10_000_000,
        )
    rt.submit(Task(reg.document_id))
    rt.drain()
    return reg.document_id


def _xref(lw: LWorld, left: int, right: int, left_id: str, right_id: str) -> None:
    """A finished run with one candidate pair and a "same" verdict, as resolve stores them."""
    marking = Marking.of("STG_GEHEIM", Service.AIVD)
    with transaction(lw.pw.factory) as session:
        run_id = xref.start(
            session, principal=lw.analyst, left_collection_id=left, right_collection_id=right
        )
        loaded = [
            SimpleNamespace(
                markings={e: marking}, captions={e: f"{e} caption"}, schemata={e: "Company"}
            )
            for e in (left_id, right_id)
        ]
        pair = SimpleNamespace(
            left_id=left_id,
            right_id=right_id,
            probability=0.99,
            match_weight=8.0,
            contributions=[SimpleNamespace(comparison="name", level="exact", weight=8.0)],
        )
        xref._store(session, run_id, [pair], loaded[0], loaded[1])
        pair_id = xref.pairs(session, principal=lw.analyst, run_id=run_id).items[0].id
        xref.judge(session, principal=lw.analyst, pair_id=pair_id, verdict="same", note="x")


def _search_total(lw: LWorld, rt: runtime.Runtime, word: str) -> int:
    rt.feeder.sync()
    with transaction(lw.pw.factory) as session:
        found = search_service.search(session, principal=lw.lead, index=rt.feeder.index, query=word)
    return found.result.total


def _files_holding(root: Path, value: bytes) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file() and value in p.read_bytes()]


def test_destroying_a_bulk_dataset_leaves_none_of_its_values_anywhere(lw: LWorld) -> None:
    settings = lw.pw.settings
    other = lw.collection("register", kind="structured", basis="open_source")
    rt = runtime.start(settings, lw.pw.factory, local=True)
    try:
        doc_id = _ingest(lw, rt, lw.dataset, REPORT, "verslag.txt")
        with transaction(lw.pw.factory) as session:
            ours = sorted(
                session.scalars(
                    select(Statement.entity_id)
                    .where(Statement.collection_id == lw.dataset, Statement.schema == "Company")
                    .distinct()
                )
            )
            blob = session.get(Document, doc_id)
            assert blob is not None
            assert blob.sha256
            sha = blob.sha256
        with transaction(lw.pw.factory) as session:
            entities.import_ftm(
                session,
                principal=lw.analyst,
                collection_id=other,
                lines=[
                    json.dumps(
                        {
                            "id": "kvk-elders",
                            "schema": "Company",
                            "properties": {"name": ["Elders B.V."]},
                        }
                    )
                ],
            )
        _xref(lw, lw.dataset, other, ours[0], "kvk-elders")
        # Before: every store holds the values (so the checks below can fail).
        for word in VALUES:
            assert _search_total(lw, rt, word) > 0, word
        assert (settings.bulk_dir / str(lw.dataset)).is_dir()
        assert _files_holding(settings.bulk_dir, b"Zandvoort")
        assert BlobStore(settings.blob_dir).exists(sha)
        with transaction(lw.pw.factory) as session:
            assert entities.get(session, principal=lw.lead, entity_id=ours[0])

        record_id = lw.run(
            lw.lead,
            "destruction.execute",
            lambda s: destruction.destroy(
                s,
                principal=lw.lead,
                collection_id=lw.dataset,
                scope="all",
                reason="Niet relevant bevonden; termijn verstreken.",
                today=date(2027, 8, 1),
                stores=lw.stores,
            ),
        )
        # After: no search, entity view, export, xref result, Parquet file or blob.
        for word in VALUES:
            assert _search_total(lw, rt, word) == 0, word
        with transaction(lw.pw.factory) as session:
            for entity_id in ours:
                with pytest.raises(LookupError):
                    entities.get(session, principal=lw.lead, entity_id=entity_id)
            exported, _ = entities.export(session, principal=lw.lead, collection_id=lw.dataset)
            assert exported == []
            assert (
                session.scalar(
                    select(func.count())
                    .select_from(Statement)
                    .where(
                        or_(*(Statement.value.contains(v) for v in VALUES)),
                    )
                )
                == 0
            )
            assert session.get(Document, doc_id) is None
            assert session.get(Blob, sha) is None
            assert not session.scalar(
                select(func.count())
                .select_from(CandidatePair)
                .where(or_(CandidatePair.left_id.in_(ours), CandidatePair.right_id.in_(ours)))
            )
            assert not session.scalar(
                select(func.count())
                .select_from(Judgement)
                .where(or_(Judgement.left_id.in_(ours), Judgement.right_id.in_(ours)))
            )
            # The other collection's entity is untouched.
            assert entities.get(session, principal=lw.lead, entity_id="kvk-elders")
        assert not (settings.bulk_dir / str(lw.dataset)).exists()
        assert _files_holding(settings.bulk_dir, b"Zandvoort") == []
        assert _files_holding(settings.blob_dir, b"Zandvoort") == []
        assert not BlobStore(settings.blob_dir).exists(sha)

        # The record: counts per store, hashes, and it verifies.
        with transaction(lw.pw.factory) as session:
            record = session.get(DestructionRecord, record_id)
            assert record is not None
            assert record.counts["statements"] > 0
            assert record.counts["documents"] == 1
            assert record.counts["xref_pairs"] == 1
            assert record.counts["xref_judgements"] == 1
            assert record.hashes["blobs"] == [sha]
            assert "Zandvoort" not in json.dumps([record.counts, record.hashes, record.reason])
            check = destruction.verify(
                session,
                principal=lw.pw.ctivd,
                record_id=record_id,
                stores=lw.stores,
                index=rt.feeder.index,
            )
            assert check.ok, check.problems
        # Nothing can be added to a destroyed dataset.
        with pytest.raises(Exception, match="destroyed"):
            lw.load(lw.dataset)

        # Tampering with the record is detected.
        with transaction(lw.pw.factory) as session:
            session.execute(
                update(DestructionRecord)
                .where(DestructionRecord.id == record_id)
                .values(counts={"statements": 0})
            )
        with transaction(lw.pw.factory) as session:
            check = destruction.verify(
                session, principal=lw.pw.ctivd, record_id=record_id, stores=lw.stores
            )
            assert not check.ok
            assert "the record was changed after it was written" in check.problems
    finally:
        rt.close()


def test_verify_finds_data_that_came_back(lw: LWorld) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    with transaction(lw.pw.factory) as session:
        ours = sorted(
            session.scalars(
                select(Statement.entity_id).where(Statement.collection_id == lw.dataset).distinct()
            )
        )
    record_id = lw.run(
        lw.lead,
        "destruction.execute",
        lambda s: destruction.destroy(
            s,
            principal=lw.lead,
            collection_id=lw.dataset,
            scope="all",
            reason="Opdracht CTIVD",
            today=date(2026, 3, 1),
            stores=lw.stores,
        ),
    )
    home = lw.pw.settings.bulk_dir / str(lw.dataset) / "statements"
    home.mkdir(parents=True)
    # A Parquet file of another entity does not make the check cry wolf ...
    pq.write_table(pa.table({"entity_id": ["iets-anders"]}), home / "part-0.parquet")
    with transaction(lw.pw.factory) as session:
        check = destruction.verify(
            session, principal=lw.lead, record_id=record_id, stores=lw.stores
        )
    assert check.ok, check.problems
    # ... but a copy restored from a backup is found.
    pq.write_table(pa.table({"entity_id": [ours[0]]}), home / "part-1.parquet")
    with transaction(lw.pw.factory) as session:
        check = destruction.verify(
            session, principal=lw.lead, record_id=record_id, stores=lw.stores
        )
    assert check.problems == ["the Parquet files hold destroyed entities"]
    with transaction(lw.pw.factory) as session:
        verified = session.scalars(
            select(AuditEntry.outcome).where(AuditEntry.action == "destruction.verify")
        ).all()
    assert verified == ["ok", "failed"]


def test_the_ctivd_verifies_a_record_from_the_shell(lw: LWorld) -> None:
    from typer.testing import CliRunner

    from baken.cli import application

    record_id = lw.run(
        lw.lead,
        "destruction.execute",
        lambda s: destruction.destroy(
            s,
            principal=lw.lead,
            collection_id=lw.dataset,
            scope="all",
            reason="Stopbevel CTIVD",
            today=date(2026, 3, 1),
            stores=lw.stores,
        ),
    )
    env = {
        "BAKEN_DATA_DIR": str(lw.pw.settings.data_dir),
        "BAKEN_DATABASE_URL": lw.pw.settings.database_url,
    }
    runner, cli = CliRunner(), application()
    args = ["oversight", "verify-destruction", str(record_id), "-u", "ctivd"]
    result = runner.invoke(cli, args, env=env)
    assert result.exit_code == 0, result.output
    assert "verified" in result.output
    listed = runner.invoke(cli, ["oversight", "destructions", "-u", "ctivd"], env=env)
    assert "tapbulk" in listed.output
    with transaction(lw.pw.factory) as session:
        session.execute(
            update(DestructionRecord)
            .where(DestructionRecord.id == record_id)
            .values(reason="Iets anders")
        )
    result = runner.invoke(cli, args, env=env)
    assert result.exit_code == 1
    assert "changed after it was written" in result.output
    assert (
        runner.invoke(
            cli, ["oversight", "verify-destruction", "999", "-u", "ctivd"], env=env
        ).exit_code
        == 2
    )
