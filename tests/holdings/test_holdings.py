"""Holdings end to end through the services and the CLI: collections and their bad
input, ingest with dedup and quarantine, entities per clearance, FtM in and out, stage
re-runs, search."""

from __future__ import annotations

import json
import zipfile
from datetime import date, timedelta
from io import BytesIO
from pathlib import Path

import pytest
from pydantic import ValidationError
from sqlalchemy import func, select
from typer.testing import CliRunner

from baken.cli import application
from baken.core.db import transaction
from baken.core.markings import Level, Marking, Service
from baken.core.models import AuditEntry
from baken.core.policy import PolicyDenied
from baken.core.schemas import MarkingIn
from baken.holdings.feed import BATCH, Feeder
from baken.holdings.models import Collection, Document, IndexOutbox, Statement
from baken.holdings.schemas import CollectionCreate
from baken.holdings.search import SearchIndex
from baken.holdings.service import HoldingsError, collections, documents, entities
from baken.holdings.service import search as search_service
from tests.conftest import People
from tests.holdings.conftest import World, write

runner = CliRunner()
cli = application()

NL = "De AIVD onderzocht contacten tussen Noordzee Logistiek en Rusland in Rotterdam."
EN = "The report says that Iran targeted dissidents in Amsterdam and Germany last year."


def env(world: World) -> dict[str, str]:
    return {
        "BAKEN_DATA_DIR": str(world.settings.data_dir),
        "BAKEN_DATABASE_URL": world.settings.database_url,
        "BAKEN_FROG": "false",
    }


def ingest(world: World, path: Path, collection: str = "osint", user: str = "analist") -> str:
    result = runner.invoke(cli, ["ingest", str(path), "-c", collection, "-u", user], env=env(world))
    assert result.exit_code == 0, result.output
    return result.output


def docs(world: World, collection_id: int) -> list[Document]:
    with transaction(world.factory) as session:
        return list(
            session.scalars(
                select(Document)
                .where(Document.collection_id == collection_id)
                .order_by(Document.name)
            )
        )


# --- collections -------------------------------------------------------------------------


def _create(world: World, **changes: object) -> int:
    data: dict[str, object] = {
        "name": "nieuw",
        "title": "Nieuwe collectie",
        "legal_basis": "open_source",
        "acquired_on": date(2026, 1, 1),
        "marking": MarkingIn.of(Marking.of("STG_CONFIDENTIEEL", Service.AIVD)),
    }
    data.update(changes)
    with transaction(world.factory) as session:
        return collections.create(
            session, principal=world.analyst, data=CollectionCreate.model_validate(data)
        )


def _count_collections(world: World) -> int:
    with transaction(world.factory) as session:
        return session.scalar(select(func.count()).select_from(Collection)) or 0


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"name": "Met Spaties!"}, ValidationError),
        ({"legal_basis": "gestolen"}, ValidationError),
        ({"legal_basis": "partner"}, ValidationError),  # no originator: third-party rule
        ({"legal_basis": "partner", "originator": "NIEMAND"}, ValidationError),
        ({"legal_basis": "special_power"}, ValidationError),  # no permission
        ({"legal_basis": "open_source", "permission_ref": "TIB-2026-1"}, ValidationError),
        ({"acquired_on": date.today() + timedelta(days=2)}, ValidationError),
        ({"retention_until": date(2025, 1, 1)}, ValidationError),
        ({"name": "osint"}, HoldingsError),  # exists
        ({"marking": MarkingIn.of(Marking.of("STG_GEHEIM", Service.MIVD))}, HoldingsError),
        ({"marking": MarkingIn.of(Marking.of("STG_ZEER_GEHEIM", Service.AIVD))}, PolicyDenied),
    ],
)
def test_bad_collection_is_refused_and_changes_nothing(
    world: World, changes: dict[str, object], error: type[Exception]
) -> None:
    before = _count_collections(world)
    with pytest.raises(error):
        _create(world, **changes)
    assert _count_collections(world) == before


def test_partner_collection_carries_its_originator(world: World) -> None:
    collection_id = _create(world, legal_basis="partner", originator="PARTNER-A")
    with transaction(world.factory) as session:
        item = collections.get(session, principal=world.analyst, collection_id=collection_id)
    assert item.originator == "PARTNER-A"
    assert "PARTNER-A" in item.marking.originators


def test_collection_hidden_from_lower_clearance(world: World) -> None:
    with transaction(world.factory) as session:
        names = [c.name for c in collections.list_collections(session, principal=world.low)]
        assert names == ["osint"]
        with pytest.raises(LookupError):
            collections.get(session, principal=world.low, collection_id=world.secret)


# --- ingest --------------------------------------------------------------------------------


def _docx(text: str) -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph(text)
    out = BytesIO()
    document.save(out)
    return out.getvalue()


def _zip(members: dict[str, bytes]) -> bytes:
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def test_cli_ingest_extracts_identifies_recognises_and_dedups(world: World, tmp_path: Path) -> None:
    corpus = write(
        tmp_path / "corpus",
        {
            "nl.txt": NL,
            "en.html": f"<html><title>Rapport</title><body><p>{EN}</p><script>x()</script>",
            "memo.docx": _docx(NL),
            "same-as-nl.txt": NL,  # same content: stored once
            "bundle.zip": _zip(
                {"inner/en.txt": EN.encode(), "inner/other.txt": b"Hallo wereld, " * 20}
            ),
            "bad.pdf": b"%PDF-1.4 broken",
            "evil.zip": _zip({"../../escape.txt": b"x"}),
        },
    )
    output = ingest(world, corpus)
    assert "done" in output
    rows = {d.name.rsplit("/", 1)[-1]: d for d in docs(world, world.osint)}
    assert "same-as-nl.txt" not in rows
    assert "nl.txt" in rows
    assert rows["nl.txt"].state == "done"
    assert rows["nl.txt"].language == "nl"
    assert rows["en.html"].language == "en"
    assert "x()" not in (rows["en.html"].text or "")
    assert rows["memo.docx"].state == "done"
    assert "Noordzee" in (rows["memo.docx"].text or "")
    assert rows["bad.pdf"].state == "quarantined"
    assert rows["bad.pdf"].quarantine_reason == "corrupt"
    assert rows["evil.zip"].quarantine_reason == "unsafe_name"
    # Archive members are documents of their own, under their container.
    assert rows["en.txt"].parent_id == rows["bundle.zip"].id
    assert rows["en.txt"].state == "done"
    assert "RU" in rows["nl.txt"].countries
    assert "unsafe path" in output  # the reason is shown in the CLI
    # A second run adds nothing and stores nothing twice.
    before = len(docs(world, world.osint))
    ingest(world, corpus)
    assert len(docs(world, world.osint)) == before
    blobs = [p for p in (world.settings.blob_dir).rglob("*") if p.is_file()]
    assert len(blobs) == len({d.sha256 for d in docs(world, world.osint) if d.sha256})


def test_ingest_needs_write_permission_and_a_readable_collection(
    world: World, people: People, tmp_path: Path
) -> None:
    people.add("lezer", Level.STG_GEHEIM, roles={"overseer"}, service=None, organisation="CTIVD")
    corpus = write(tmp_path / "c", {"a.txt": NL})
    result = runner.invoke(
        cli, ["ingest", str(corpus), "-c", "osint", "-u", "lezer"], env=env(world)
    )
    assert result.exit_code == 2
    assert "Refused" in result.output
    result = runner.invoke(cli, ["ingest", str(corpus), "-c", "tap", "-u", "laag"], env=env(world))
    assert result.exit_code == 2
    assert "No collection" in result.output
    result = runner.invoke(
        cli, ["ingest", str(tmp_path / "nope"), "-c", "osint", "-u", "analist"], env=env(world)
    )
    assert result.exit_code == 2
    assert docs(world, world.osint) == []


def test_entities_show_only_readable_statements(world: World) -> None:
    person = {"id": "p-1", "schema": "Person", "properties": {"name": ["Jan Fictief"]}}
    secret = {
        "id": "p-1",
        "schema": "Person",
        "properties": {"birthDate": ["1970-01-01"], "phone": ["+31612345678"]},
    }
    with transaction(world.factory) as session:
        entities.import_ftm(
            session, principal=world.analyst, collection_id=world.osint, lines=[json.dumps(person)]
        )
        entities.import_ftm(
            session, principal=world.analyst, collection_id=world.secret, lines=[json.dumps(secret)]
        )
    with transaction(world.factory) as session:
        high = entities.get(session, principal=world.analyst, entity_id="p-1")
        low = entities.get(session, principal=world.low, entity_id="p-1")
        low_export, low_marking = entities.export(
            session, principal=world.low, collection_id=world.osint
        )
    assert set(high.properties) == {"name", "birthDate", "phone"}
    assert set(low.properties) == {"name"}
    assert high.marking.level == Level.STG_GEHEIM
    assert low.marking.level == Level.DEP_VERTROUWELIJK
    assert low_export[0]["properties"] == {"name": ["Jan Fictief"]}
    assert low_marking.level == Level.DEP_VERTROUWELIJK


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        (["{not json"], "not valid JSON"),
        (['{"id": "x"}'], "needs an id and a schema"),
        (['{"id": "x", "schema": "Spaceship"}'], "unknown schema"),
        (['{"id": "x", "schema": "Person", "properties": {"name": ["A"]}}', "[1, 2]"], "line 2"),
    ],
)
def test_bad_ftm_import_writes_nothing(world: World, lines: list[str], message: str) -> None:
    with pytest.raises(HoldingsError) as caught, transaction(world.factory) as session:
        entities.import_ftm(
            session, principal=world.analyst, collection_id=world.osint, lines=lines
        )
    assert message in str(caught.value)
    with transaction(world.factory) as session:
        assert session.scalar(select(func.count()).select_from(Statement)) == 0


def test_reading_is_audited(world: World, tmp_path: Path) -> None:
    ingest(world, write(tmp_path / "c", {"a.txt": NL}))
    doc = docs(world, world.osint)[0]
    with transaction(world.factory) as session:
        documents.get(session, principal=world.analyst, document_id=doc.id)
        actions = set(session.scalars(select(AuditEntry.action)))
    assert {"document.ingest", "document.read", "collection.create", "job.create"} <= actions


def test_rerun_ner_keeps_extraction(world: World, tmp_path: Path) -> None:
    ingest(world, write(tmp_path / "c", {"a.txt": NL}))
    first = docs(world, world.osint)[0]
    result = runner.invoke(
        cli, ["holdings", "rerun", "-c", "osint", "-u", "analist", "--stage", "ner"], env=env(world)
    )
    assert result.exit_code == 0, result.output
    again = docs(world, world.osint)[0]
    assert again.extracted_at == first.extracted_at
    assert again.ner_at is not None
    assert first.ner_at is not None
    assert again.ner_at > first.ner_at
    bad = runner.invoke(
        cli,
        ["holdings", "rerun", "-c", "osint", "-u", "analist", "--stage", "alles"],
        env=env(world),
    )
    assert bad.exit_code == 2
    assert "unknown stage" in bad.output


def test_search_finds_documents_and_entities_with_facets(world: World, tmp_path: Path) -> None:
    ingest(world, write(tmp_path / "c", {"nl.txt": NL, "en.txt": EN}))
    ingest(
        world,
        write(tmp_path / "s", {"geheim.txt": "Geheim verslag over Rusland en Noordzee."}),
        "tap",
    )
    index = SearchIndex(world.settings.index_dir)
    Feeder(world.factory, index).sync()
    with transaction(world.factory) as session:
        high = search_service.search(session, principal=world.analyst, index=index, query="Rusland")
        low = search_service.search(session, principal=world.low, index=index, query="Rusland")
        filtered = search_service.search(
            session,
            principal=world.analyst,
            index=index,
            query="Rusland",
            filters={"collection": [str(world.osint)]},
        )
    assert high.result.total > low.result.total >= 1
    assert all("geheim" not in h.title.lower() for h in low.result.hits)
    assert dict(low.result.facets["language"]).get("nl", 0) >= 1
    assert all(h.collection == str(world.osint) for h in filtered.result.hits)
    assert "<mark>" in str(high.result.hits[0].snippet)


DATA = Path(__file__).parent / "data"


def test_cli_bulk_load_search_and_delete_exactly(world: World, tmp_path: Path) -> None:
    args = ["-m", str(DATA / "mapping_companies.yaml"), "-c", "osint", "-u", "analist"]
    ftm = {"id": "keep", "schema": "Person", "properties": {"name": ["Blijft Staan"]}}
    with transaction(world.factory) as session:
        entities.import_ftm(
            session, principal=world.analyst, collection_id=world.osint, lines=[json.dumps(ftm)]
        )
    loaded = runner.invoke(
        cli, ["holdings", "load", str(DATA / "mapping_companies.csv"), *args], env=env(world)
    )
    assert loaded.exit_code == 0, loaded.output
    assert "entities" in loaded.output
    index = SearchIndex(world.settings.index_dir)
    with transaction(world.factory) as session:
        found = search_service.search(
            session, principal=world.low, index=index, query="Zandvoort Handel"
        )
        assert found.result.total >= 1
        assert found.result.hits[0].kind == "entiteit"
    bad = tmp_path / "bad.yaml"
    bad.write_text("x:\n  queries:\n    - entities: {a: {schema: Spaceship, keys: [kvk]}}\n")
    refused = runner.invoke(
        cli,
        ["holdings", "load", str(DATA / "mapping_companies.csv"), "-m", str(bad), *args[2:]],
        env=env(world),
    )
    assert refused.exit_code == 2
    assert "Nothing loaded" in refused.output
    deleted = runner.invoke(
        cli,
        ["holdings", "load", str(DATA / "mapping_companies.csv"), *args, "--delete"],
        env=env(world),
    )
    assert deleted.exit_code == 0, deleted.output
    with transaction(world.factory) as session:
        left = set(session.scalars(select(Statement.entity_id)))
        after = search_service.search(
            session, principal=world.low, index=index, query="Zandvoort Handel"
        )
    assert left == {"keep"}  # the imported entity stays; the bulk data is gone
    assert after.result.total == 0


def test_a_request_works_off_one_batch_of_a_backlog_and_leaves_the_rest(
    world: World, tmp_path: Path
) -> None:
    # A backlog another process left (objects since gone: each is a delete).
    with transaction(world.factory) as session:
        session.add_all(IndexOutbox(object_id=f"doc:{900000 + n}") for n in range(BATCH + 7))
    feeder = Feeder(world.factory, SearchIndex(tmp_path / "index"))
    assert feeder.try_sync(batches=1) == BATCH
    with transaction(world.factory) as session:
        assert session.scalar(select(func.count(IndexOutbox.id))) == 7
    assert feeder.sync() == 7
    with transaction(world.factory) as session:
        assert session.scalar(select(func.count(IndexOutbox.id))) == 0
