"""Backup and restore on the real database (SQLite, or PostgreSQL with pg_dump/pg_restore):
a restore passes the audit check and the data checksum; a backup taken while writes go
on is consistent; each bad input is refused with nothing changed."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.parquet as pq  # type: ignore[import-untyped]
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from baken.cli import app
from baken.core import audit, backup, backup_cli, runlock
from baken.core.backup import (
    MANIFEST,
    BackupError,
    create_backup,
    database_checksum,
    read_manifest,
    restore_backup,
)
from baken.core.config import Settings
from baken.core.db import make_engine, make_sessionmaker, transaction
from baken.core.markings import Level, Marking, Service
from baken.core.models import AuditEntry
from baken.core.principals import Principal
from baken.core.schemas import MarkingIn
from baken.holdings.blobs import BlobStore
from baken.holdings.models import Document
from baken.holdings.schemas import CollectionCreate
from baken.holdings.service import collections, documents, ingest
from tests.conftest import PG_URL, People, _fast, _pg_admin, _pg_url

runner = CliRunner()
CONTENT = b"Fictief rapport over de demohaven (demo data)."


@dataclass
class World:
    settings: Settings
    factory: sessionmaker[Session]
    analyst: Principal
    collection: int
    document: int
    sha: str


def _collection(factory: sessionmaker[Session], analyst: Principal, name: str) -> int:
    with transaction(factory) as session:
        return collections.create(
            session,
            principal=analyst,
            data=CollectionCreate(
                name=name,
                title=f"Collectie {name} (fictief)",
                legal_basis="open_source",
                acquired_on=date(2026, 1, 5),
                marking=MarkingIn.of(Marking.of("DEP_VERTROUWELIJK", Service.AIVD)),
            ),
        )


def _document(world: World, data: bytes, name: str) -> int:
    with transaction(world.factory) as session:
        return ingest.register_bytes(
            session,
            principal=world.analyst,
            collection_id=world.collection,
            data=data,
            name=name,
            blobs=BlobStore(world.settings.blob_dir),
            max_bytes=1 << 20,
        ).document_id


def _make_world(settings: Settings, factory: sessionmaker[Session]) -> World:
    analyst = People(settings, factory).add("analist", Level.STG_GEHEIM)
    cid = _collection(factory, analyst, "haven")
    world = World(settings, factory, analyst, cid, 0, "")
    world.document = _document(world, CONTENT, "rapport.txt")
    with transaction(factory) as session:
        sha = documents.get(session, principal=analyst, document_id=world.document).sha256
    assert sha is not None
    world.sha = sha
    # A bulk dataset's Parquet file, and a load's staging directory that must not travel.
    home = settings.bulk_dir / str(cid)
    (home / "source").mkdir(parents=True)
    pq.write_table(pa.table({"naam": ["Fictief BV"]}), home / "source" / "part-0.parquet")
    (home / ".staging-abc").mkdir()
    (home / ".staging-abc" / "half.parquet").write_bytes(b"half")
    return world


@pytest.fixture(scope="module")
def world(msettings: Settings, mfactory: sessionmaker[Session]) -> World:
    return _make_world(msettings, mfactory)


@pytest.fixture(scope="module")
def made(world: World, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One backup of the module's world; tests that tamper with it take a copy."""
    dest = tmp_path_factory.mktemp("backups") / "backup"
    create_backup(world.settings, dest)
    return dest


@pytest.fixture
def backup_copy(made: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "copy"
    shutil.copytree(made, copy)
    return copy


def _target(tmp: Path) -> Iterator[Settings]:
    data = tmp / "restored"
    if not PG_URL:
        yield _fast({"data_dir": data, "database_url": f"sqlite:///{data / 'baken.sqlite'}"})
        return
    name = f"baken_r_{uuid.uuid4().hex[:10]}"
    _pg_admin("CREATE DATABASE {}", name)  # empty: no migrations
    try:
        yield _fast({"data_dir": data, "database_url": _pg_url(name)})
    finally:
        _pg_admin("DROP DATABASE IF EXISTS {} WITH (FORCE)", name)


@pytest.fixture
def target(tmp_path: Path) -> Iterator[Settings]:
    """An empty database and data folder to restore into."""
    yield from _target(tmp_path)


def _actions(settings: Settings) -> list[tuple[str, str]]:
    engine = make_engine(settings)
    try:
        with transaction(make_sessionmaker(engine)) as session:
            rows = session.execute(
                select(AuditEntry.action, AuditEntry.outcome).order_by(AuditEntry.seq)
            )
            return [(a, o) for a, o in rows]
    finally:
        engine.dispose()


def _untouched(target: Settings) -> None:
    """Nothing was restored: no database content, no blobs, no bulk files."""
    if target.is_sqlite:
        assert not (target.data_dir / "baken.sqlite").exists()
    else:
        engine = make_engine(target)
        try:
            with engine.connect() as conn:
                assert not conn.dialect.has_table(conn, "audit_entries")
        finally:
            engine.dispose()
    assert not target.blob_dir.exists()
    assert not target.bulk_dir.exists()


# -- the round trip ------------------------------------------------------------------


def test_restore_passes_the_audit_check_and_the_checksum(
    world: World, made: Path, target: Settings
) -> None:
    manifest = read_manifest(made)
    assert manifest.dialect == ("sqlite" if target.is_sqlite else "postgresql")
    assert f"blobs/{world.sha[:2]}/{world.sha[2:4]}/{world.sha}" in manifest.files
    assert f"bulk/{world.collection}/source/part-0.parquet" in manifest.files
    assert not any(".staging-" in f for f in manifest.files)
    text = (made / MANIFEST).read_text()
    assert world.settings.database_url not in text

    result = restore_backup(target, made)

    assert result.ok, result
    assert result.audit.checked == manifest.audit_head[0]
    assert result.data_checksum == manifest.data_checksum
    # The document and its blob, through the services, in the restored store.
    factory = make_sessionmaker(make_engine(target))
    with transaction(factory) as session:
        doc = documents.get(session, principal=world.analyst, document_id=world.document)
        _item, sha = documents.blob_of(session, principal=world.analyst, document_id=doc.id)
    assert BlobStore(target.blob_dir).read(sha) == CONTENT
    table = pq.read_table(target.bulk_dir / str(world.collection) / "source" / "part-0.parquet")
    assert table.column("naam").to_pylist() == ["Fictief BV"]
    # The backup audited itself inside the snapshot; the restore after the anchor.
    actions = _actions(target)
    assert actions[manifest.audit_head[0] - 1] == ("backup.create", "ok")
    assert ("backup.restore", "ok") in actions[manifest.audit_head[0] :]
    with transaction(factory) as session:
        assert audit.verify(session, anchor=manifest.audit_head).ok
        # The row checksum sees one more row (the restore's audit entry).
        assert database_checksum(session.connection()) != manifest.database_checksum


# -- consistency while the server writes ----------------------------------------------


def test_backup_while_writes_go_on_is_consistent(
    settings: Settings, factory: sessionmaker[Session], tmp_path: Path, target: Settings
) -> None:
    world = _make_world(settings, factory)
    go, written = threading.Semaphore(0), threading.Semaphore(0)
    stop = threading.Event()
    failures: list[BaseException] = []

    def writer() -> None:
        n = 0
        while not stop.is_set():
            if not go.acquire(timeout=0.05):
                continue
            n += 1
            try:
                _document(world, f"Fictief bericht {n} (demo)".encode(), f"bericht-{n}.txt")
            except BaseException as exc:  # reported to the test below
                failures.append(exc)
            written.release()

    seen: set[str] = set()

    def progress(stage: str, done: int, total: int) -> None:
        # The writer commits two documents just before the snapshot and two between the
        # snapshot and the file copy (blobs the snapshot does not know), while the
        # backup is under way.
        if stage in {"database", "checksum"} and stage not in seen:
            seen.add(stage)
            go.release(2)
            for _ in range(2):
                assert written.acquire(timeout=60)

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        manifest = create_backup(settings, tmp_path / "live", progress=progress)
    finally:
        stop.set()
        thread.join()
    assert not failures, failures

    result = restore_backup(target, tmp_path / "live")
    assert result.ok, result
    # The restored database is the snapshot: the world's document and the two before it;
    # each has its blob. The two after it travelled as blobs only (harmless).
    restored = make_sessionmaker(make_engine(target))
    with transaction(restored) as session:
        ids = session.scalars(select(Document.id)).all()
        shas = {documents.get(session, principal=world.analyst, document_id=i).sha256 for i in ids}
    assert len(ids) == 3
    store = BlobStore(target.blob_dir)
    assert all(sha is not None and store.exists(sha) for sha in shas)
    assert sum(1 for p in target.blob_dir.rglob("*") if p.is_file()) == 5
    live = _actions(settings)
    assert len(live) > manifest.audit_head[0]  # the writer went on after the snapshot


def test_a_blob_gone_before_the_copy_fails_the_backup_clearly(
    settings: Settings, factory: sessionmaker[Session], tmp_path: Path
) -> None:
    world = _make_world(settings, factory)
    BlobStore(settings.blob_dir).path(world.sha).unlink()  # as a destruction would
    with pytest.raises(BackupError, match=f"missing from the copy.*{world.sha}"):
        create_backup(settings, tmp_path / "b")
    assert not (tmp_path / "b").exists()
    assert not [p for p in tmp_path.iterdir() if ".partial-" in p.name]
    assert _actions(settings)[-2:] == [("backup.create", "ok"), ("backup.create", "failed")]


# -- bad input: a clear error, nothing changed ----------------------------------------


def _blob_file(backup: Path, world: World) -> Path:
    return backup / "blobs" / world.sha[:2] / world.sha[2:4] / world.sha


def test_a_tampered_file_is_named_and_nothing_restored(
    world: World, backup_copy: Path, target: Settings
) -> None:
    _blob_file(backup_copy, world).write_bytes(b"changed")
    with pytest.raises(BackupError, match=f"{world.sha} does not match its checksum"):
        restore_backup(target, backup_copy)
    _untouched(target)


def test_a_missing_file_is_named_and_nothing_restored(
    world: World, backup_copy: Path, target: Settings
) -> None:
    _blob_file(backup_copy, world).unlink()
    with pytest.raises(BackupError, match=f"{world.sha} is missing from the backup"):
        restore_backup(target, backup_copy)
    _untouched(target)


def test_an_added_file_is_named_and_nothing_restored(backup_copy: Path, target: Settings) -> None:
    (backup_copy / "blobs" / "extra").write_bytes(b"x")
    with pytest.raises(BackupError, match="blobs/extra is not in the backup's manifest"):
        restore_backup(target, backup_copy)
    _untouched(target)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("dialect", "oracle", "is of a oracle database; this Baken is configured for"),
        ("migration", "9999", "migration 9999, which this Baken"),
        ("format", 99, "format 99"),
        ("files", "nonsense", "manifest is not readable"),
    ],
)
def test_a_foreign_backup_is_refused(
    backup_copy: Path, target: Settings, field: str, value: object, message: str
) -> None:
    data = json.loads((backup_copy / MANIFEST).read_text())
    data[field] = value
    (backup_copy / MANIFEST).write_text(json.dumps(data))
    with pytest.raises(BackupError, match=message):
        restore_backup(target, backup_copy)
    _untouched(target)


def test_the_wrong_dialect_is_refused(backup_copy: Path, tmp_path: Path) -> None:
    other = (
        _fast(
            {
                "data_dir": tmp_path / "d",
                "database_url": "postgresql+psycopg://nobody@127.0.0.1:1/none",
            }
        )
        if not PG_URL
        else _fast({"data_dir": tmp_path / "d", "database_url": f"sqlite:///{tmp_path}/x.db"})
    )
    with pytest.raises(BackupError, match="this Baken is configured for"):
        restore_backup(other, backup_copy)
    assert not (tmp_path / "x.db").exists()
    assert not (tmp_path / "d").exists()  # not even the data folder (or its lock file)


def test_missing_and_unusable_paths_are_refused(
    world: World, tmp_path: Path, target: Settings
) -> None:
    with pytest.raises(BackupError, match="there is no backup at"):
        restore_backup(target, tmp_path / "nowhere")
    (tmp_path / "empty").mkdir()
    with pytest.raises(BackupError, match=r"holds no manifest\.json"):
        restore_backup(target, tmp_path / "empty")
    (tmp_path / "junk.tar").write_bytes(b"no tar at all")
    with pytest.raises(BackupError, match="neither a backup folder nor a tar file"):
        restore_backup(target, tmp_path / "junk.tar")
    _untouched(target)

    before = _actions(world.settings)
    with pytest.raises(BackupError, match="does not exist"):
        create_backup(world.settings, tmp_path / "no" / "such" / "dir")
    full = tmp_path / "full"
    full.mkdir()
    (full / "keep.txt").write_text("mine")
    with pytest.raises(BackupError, match="already exists and is not empty"):
        create_backup(world.settings, full)
    assert [p.name for p in full.iterdir()] == ["keep.txt"]
    with pytest.raises(BackupError, match="cannot go inside"):
        create_backup(world.settings, world.settings.blob_dir / "b")
    assert not (world.settings.blob_dir / "b").exists()
    unreachable = _fast(
        {"data_dir": tmp_path / "u", "database_url": "postgresql+psycopg://u:s3cret@127.0.0.1:1/x"}
    )
    with pytest.raises(BackupError, match="cannot be reached") as caught:
        create_backup(unreachable, tmp_path / "u-backup")
    assert "s3cret" not in str(caught.value)
    assert not (tmp_path / "u-backup").exists()
    assert _actions(world.settings) == before  # refused before anything, audit included


def test_the_database_password_stays_out_of_commands_and_messages() -> None:
    from baken.core.backup_parts import pg_env, run_tool

    settings = _fast({"database_url": "postgresql+psycopg://baken:s3cret@127.0.0.1:1/x"})
    args, env, secret = pg_env(settings)
    assert "s3cret" not in " ".join(args)
    assert env["PGPASSWORD"] == secret == "s3cret"
    with pytest.raises(BackupError) as caught:
        run_tool(["sh", "-c", "echo 'failed for s3cret' >&2; exit 3"], env, secret)
    assert "s3cret" not in str(caught.value)
    assert "***" in str(caught.value)


# -- the commands --------------------------------------------------------------------


def _env(monkeypatch: pytest.MonkeyPatch, settings: Settings) -> None:
    monkeypatch.setenv("BAKEN_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("BAKEN_DATA_DIR", str(settings.data_dir))


def test_the_commands_back_up_restore_and_report(
    world: World,
    backup_copy: Path,
    tmp_path: Path,
    target: Settings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(backup_cli.console, "_width", 200)
    monkeypatch.setattr(backup_cli.err, "_width", 200)
    _env(monkeypatch, world.settings)
    tar = tmp_path / "b.tar"
    made = runner.invoke(app, ["backup", str(tar)])
    assert made.exit_code == 0, made.output
    assert tar.is_file()
    assert not [p for p in tmp_path.iterdir() if ".partial-" in p.name]
    with backup.opened(tar) as root:
        head = read_manifest(root).audit_head
    pin = f"{head[0]}:{head[1]}"
    assert pin in made.output

    _env(monkeypatch, target)
    bad = runner.invoke(app, ["restore", "--anchor", "12:abc", str(tar)])
    assert bad.exit_code == 2
    assert "SEQ:HASH" in bad.output
    done = runner.invoke(app, ["restore", "--anchor", pin, str(tar)])
    assert done.exit_code == 0, done.output
    assert "Audit chain intact" in done.output
    assert "and the given anchor" in done.output
    assert "Data checksum matches" in done.output

    stray = target.blob_dir / "ab" / "cd" / ("ab" + "cd" * 31)
    stray.parent.mkdir(parents=True)
    stray.write_bytes(b"not from the backup")
    again = runner.invoke(app, ["restore", str(tar)])
    assert again.exit_code == 2
    assert "not empty" in again.output
    assert stray.exists()  # refused: nothing changed
    assert [a for a, _ in _actions(target)].count("backup.restore") == 1

    # A manifest whose anchor is not in the chain and whose checksum is not the data's:
    # restored over the used target, but both checks fail (exit 1).
    data = json.loads((backup_copy / MANIFEST).read_text())
    data["audit_head"] = f"{data['audit_head'].split(':')[0]}:{'0' * 64}"
    data["data_checksum"] = "f" * 64
    (backup_copy / MANIFEST).write_text(json.dumps(data))
    broken = runner.invoke(app, ["restore", "--force", str(backup_copy)])
    assert broken.exit_code == 1, broken.output
    assert "does not match the anchor" in broken.output
    assert "Data checksum differs" in broken.output
    assert not stray.exists()
    assert _actions(target)[-1] == ("backup.restore", "failed")


def test_a_restore_is_refused_while_a_server_runs_and_a_server_while_a_restore_runs(
    backup_copy: Path, target: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A process holding the data folder as `baken serve` does, then killed with -9: the
    # kernel lets go of its lock, so no stale lock outlives it.
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_AS_SERVER, str(target.data_dir)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "holding"
        with pytest.raises(BackupError, match="is running on") as refused:
            restore_backup(target, backup_copy)
        assert "stop it before restoring" in str(refused.value)
        _untouched(target)
    finally:
        holder.kill()
        holder.wait(timeout=30)
    # While a restore holds the folder, the server does not start.
    _env(monkeypatch, target)
    with runlock.exclusive(target):
        served = runner.invoke(app, ["serve", "--port", "1"])
    assert served.exit_code == 2
    assert "a restore is under way" in served.output
    result = restore_backup(target, backup_copy)
    assert result.ok


HOLD_AS_SERVER = """
import sys, time
from pathlib import Path
from baken.core import runlock
from baken.core.config import Settings
lock = runlock.hold_shared(Settings(data_dir=Path(sys.argv[1])))
print("holding", flush=True)
time.sleep(120)
"""
