"""Backup and restore of everything Baken keeps: the database (audit chain included), the
blob store and the bulk Parquet files, consistent while the server runs.

A backup is one directory (or a ``.tar`` of it)::

    manifest.json            version, migration, dialect, audit head, a SHA-256 per file
    database/baken.sqlite    SQLite: the online backup API's copy
    database/baken.pgdump    PostgreSQL: ``pg_dump -Fc`` of one snapshot
    blobs/aa/bb/<sha256>     the content-addressed blobs
    bulk/<collection>/...    the bulk datasets' Parquet files

Consistency (see docs/adr/0016): the database snapshot is taken first; the files are
copied after it. Blobs are written (fsync, rename) before the row that names them
commits, so every blob the snapshot references exists when the copy starts; only a
destruction can remove one in between, and the check after the copy then fails the
backup clearly. Blobs newer than the snapshot may be copied too: harmless. The bulk
directory is copied until a listing before and after the copy agree.

The backup audits itself with one ``backup.create`` entry, committed *before* the
snapshot: the backup holds the entry that made it, and the manifest's audit head (read
from the snapshot itself) anchors the restored chain. A failed backup adds a second
entry with outcome ``failed``. A restore appends ``backup.restore`` to the restored
chain after verifying it against that anchor. The search index is derived data and is
not backed up: rebuild it after a restore (``baken holdings reindex``).
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import tarfile
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata, resources
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, column, create_engine, select, table, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from baken.core import audit, runlock
from baken.core.backup_parts import (
    BackupError,
    Progress,
    copy_hashed,
    data_checksum,
    database_checksum,
    pg_env,
    pg_tool,
    run_tool,
    sha_file,
    signature,
    walk,
)
from baken.core.config import Settings
from baken.core.db import make_engine, make_sessionmaker, transaction
from baken.core.i18n import N_

__all__ = [
    "MANIFEST",
    "BackupError",
    "Manifest",
    "Progress",
    "RestoreResult",
    "create_backup",
    "database_checksum",
    "opened",
    "read_manifest",
    "restore_backup",
]

FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_FILE = "database/baken.sqlite"
PG_FILE = "database/baken.pgdump"
ACTOR = "console"


@dataclass(frozen=True)
class Manifest:
    backup_id: str
    baken_version: str
    migration: str
    dialect: str
    created_at: str
    audit_head: tuple[int, str]
    database_file: str
    database_checksum: str
    files: dict[str, dict[str, Any]]  # relative path -> {"sha256", "size"}
    data_checksum: str

    def to_json(self) -> str:
        return json.dumps(
            {
                "format": FORMAT,
                "backup_id": self.backup_id,
                "baken_version": self.baken_version,
                "migration": self.migration,
                "dialect": self.dialect,
                "created_at": self.created_at,
                "audit_head": f"{self.audit_head[0]}:{self.audit_head[1]}",
                "database": {"file": self.database_file, "checksum": self.database_checksum},
                "files": self.files,
                "data_checksum": self.data_checksum,
            },
            indent=1,
            sort_keys=True,
        )

    @classmethod
    def from_json(cls, raw: str) -> Manifest:
        try:
            data = json.loads(raw)
            if data["format"] != FORMAT:
                raise BackupError(
                    N_("the backup has format {found}; this Baken reads format {expected}"),
                    found=data["format"],
                    expected=FORMAT,
                )
            seq, _, digest = str(data["audit_head"]).partition(":")
            return cls(
                backup_id=str(data["backup_id"]),
                baken_version=str(data["baken_version"]),
                migration=str(data["migration"]),
                dialect=str(data["dialect"]),
                created_at=str(data["created_at"]),
                audit_head=(int(seq), digest),
                database_file=str(data["database"]["file"]),
                database_checksum=str(data["database"]["checksum"]),
                files={str(k): dict(v) for k, v in data["files"].items()},
                data_checksum=str(data["data_checksum"]),
            )
        except BackupError:
            raise
        except (ValueError, KeyError, TypeError, AttributeError):
            raise BackupError(N_("the backup's manifest is not readable")) from None


@dataclass(frozen=True)
class RestoreResult:
    manifest: Manifest
    audit: audit.VerifyResult
    checksum_ok: bool
    data_checksum: str  # as recomputed from the restored data
    behind_head: bool  # the backup's migration is older than this Baken's

    @property
    def ok(self) -> bool:
        return self.audit.ok and self.checksum_ok


# -- helpers -------------------------------------------------------------------------


def _dialect(settings: Settings) -> str:
    return "sqlite" if settings.is_sqlite else "postgresql"


def _version() -> str:
    try:
        return metadata.version("baken")
    except metadata.PackageNotFoundError:  # pragma: no cover - a source checkout
        return "unknown"


def _scripts() -> Any:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("baken.migrations")))
    return ScriptDirectory.from_config(cfg)


_BLOBS = table("blobs", column("sha256"))
_DOCUMENTS = table("documents", column("sha256"))
_ALEMBIC = table("alembic_version", column("version_num"))
_HEAD = table("audit_head", column("id"), column("seq"), column("hash"))


def _snapshot_facts(conn: Connection) -> tuple[str, tuple[int, str], set[str]]:
    """Migration, audit head and referenced blobs, read from the snapshot itself."""
    migration = conn.scalar(select(_ALEMBIC.c.version_num)) or ""
    row = conn.execute(select(_HEAD.c.seq, _HEAD.c.hash).where(_HEAD.c.id == 1)).first()
    head = (int(row[0]), str(row[1])) if row else (0, audit.GENESIS)
    shas = {r[0] for r in conn.execute(select(_BLOBS.c.sha256))}
    named = select(_DOCUMENTS.c.sha256).where(_DOCUMENTS.c.sha256.is_not(None))
    shas |= {r[0] for r in conn.execute(named)}
    return migration, head, shas


def _sqlite_path(settings: Settings) -> Path:
    database = make_url(settings.database_url).database
    if not database or database == ":memory:":
        raise BackupError(N_("an in-memory database cannot be backed up or restored"))
    return Path(database)


def _sqlite_engine(path: Path) -> Any:
    return create_engine(f"sqlite:///{path}")


# -- backup --------------------------------------------------------------------------


def _check_dest(settings: Settings, dest: Path) -> bool:
    """Whether ``dest`` is a tar file; refuse a destination that holds anything, or one
    inside the stores it copies."""
    as_tar = dest.suffix == ".tar"
    if not dest.parent.is_dir():
        raise BackupError(N_("the folder {path} does not exist"), path=str(dest.parent))
    where = dest.resolve()
    for store in (settings.blob_dir, settings.bulk_dir, settings.index_dir):
        if where.is_relative_to(store.resolve()):
            raise BackupError(
                N_("a backup cannot go inside {path}, which it copies"), path=str(store)
            )
    if dest.exists() and (as_tar or not dest.is_dir() or any(dest.iterdir())):
        raise BackupError(N_("{path} already exists and is not empty"), path=str(dest))
    return as_tar


@contextmanager
def _reachable(settings: Settings) -> Iterator[None]:
    """A database that cannot be reached is a clear error (the password never shows:
    the driver's first line names host and port only)."""
    try:
        yield
    except OperationalError as exc:
        first = str(exc.orig).strip().splitlines()[0] if exc.orig else type(exc).__name__
        password = make_url(settings.database_url).password
        if password:
            first = first.replace(str(password), "***")
        raise BackupError(N_("the database cannot be reached: {detail}"), detail=first) from None


def _audit_backup(settings: Settings, action: str, outcome: str, details: dict[str, Any]) -> None:
    engine = make_engine(settings)
    try:
        with _reachable(settings), transaction(make_sessionmaker(engine)) as session:
            audit.record(
                session,
                principal=None,
                actor=ACTOR,
                action=action,
                outcome=outcome,
                details=details,
            )
    finally:
        engine.dispose()


def create_backup(settings: Settings, dest: Path, *, progress: Progress | None = None) -> Manifest:
    """Back up the database, blobs and bulk files to ``dest`` (a new or empty directory,
    or a new ``.tar`` file). The server may keep running."""
    as_tar = _check_dest(settings, dest)
    backup_id = uuid.uuid4().hex
    _audit_backup(settings, "backup.create", "ok", {"backup_id": backup_id, "dest": dest.name})
    work = Path(tempfile.mkdtemp(prefix=f".{dest.name}.partial-", dir=dest.parent))
    tar_made = False
    try:
        manifest = _write_backup(settings, work, backup_id, progress)
        if as_tar:
            with tarfile.open(dest, "x") as tar:
                tar_made = True
                for path in sorted(work.iterdir()):
                    tar.add(path, arcname=path.name)
            shutil.rmtree(work)
        else:
            if dest.exists():
                dest.rmdir()
            work.rename(dest)
    except BaseException as exc:
        shutil.rmtree(work, ignore_errors=True)
        if tar_made:
            dest.unlink(missing_ok=True)
        with suppress(BackupError):  # the database itself may be what failed
            _audit_backup(
                settings,
                "backup.create",
                "failed",
                {"backup_id": backup_id, "error": str(exc)[:500]},
            )
        raise
    return manifest


def _write_backup(
    settings: Settings, work: Path, backup_id: str, progress: Progress | None
) -> Manifest:
    created_at = datetime.now(UTC).isoformat(timespec="seconds")
    if progress:
        progress("database", 0, 1)
    if settings.is_sqlite:
        db_file = SQLITE_FILE
        migration, head, referenced, db_sum = _dump_sqlite(settings, work / db_file, progress)
    else:
        db_file = PG_FILE
        migration, head, referenced, db_sum = _dump_pg(settings, work / db_file, progress)
    if progress:
        progress("database", 1, 1)
    files: dict[str, dict[str, Any]] = {}
    sha, size = sha_file(work / db_file)
    files[db_file] = {"sha256": sha, "size": size}
    data_files = _copy_blobs(settings.blob_dir, work / "blobs", progress)
    data_files.update(_copy_bulk(settings.bulk_dir, work / "bulk", progress))
    missing = sorted(s for s in referenced if f"blobs/{s[:2]}/{s[2:4]}/{s}" not in data_files)
    if missing:
        raise BackupError(
            N_(
                "{count} blob(s) the database refers to are missing from the copy "
                "(first: {sha}); was something destroyed meanwhile? Run the backup again"
            ),
            count=len(missing),
            sha=missing[0],
        )
    files.update(data_files)
    manifest = Manifest(
        backup_id=backup_id,
        baken_version=_version(),
        migration=migration,
        dialect=_dialect(settings),
        created_at=created_at,
        audit_head=head,
        database_file=db_file,
        database_checksum=db_sum,
        files=files,
        data_checksum=data_checksum(db_sum, {k: v["sha256"] for k, v in data_files.items()}),
    )
    (work / MANIFEST).write_text(manifest.to_json(), encoding="utf-8")
    return manifest


def _dump_sqlite(
    settings: Settings, out: Path, progress: Progress | None
) -> tuple[str, tuple[int, str], set[str], str]:
    source = _sqlite_path(settings)
    if not source.is_file():
        raise BackupError(N_("there is no database at {path}"), path=str(source))
    out.parent.mkdir(parents=True)
    src = sqlite3.connect(source, timeout=30)
    dst = sqlite3.connect(out)
    try:
        # All pages in one step, under one read transaction: a consistent snapshot even
        # while the server writes (WAL: the writers do not wait for it).
        src.backup(dst)
        dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
    finally:
        dst.close()
        src.close()
    engine = _sqlite_engine(out)
    try:
        with engine.connect() as conn:
            migration, head, referenced = _snapshot_facts(conn)
            db_sum = database_checksum(conn, progress)
    finally:
        engine.dispose()
    return migration, head, referenced, db_sum


def _dump_pg(
    settings: Settings, out: Path, progress: Progress | None
) -> tuple[str, tuple[int, str], set[str], str]:
    out.parent.mkdir(parents=True)
    args, env, secret = pg_env(settings)
    engine = make_engine(settings)
    try:
        with engine.connect().execution_options(isolation_level="REPEATABLE READ") as conn:
            # One snapshot for the dump and for what the manifest says about it.
            conn.execute(text("SET TRANSACTION READ ONLY"))
            snapshot = conn.scalar(text("SELECT pg_export_snapshot()"))
            migration, head, referenced = _snapshot_facts(conn)
            run_tool(
                [
                    pg_tool("pg_dump"),
                    "-Fc",
                    "--snapshot",
                    str(snapshot),
                    "--file",
                    str(out),
                    *args,
                ],
                env,
                secret,
            )
            db_sum = database_checksum(conn, progress)
            conn.rollback()
    finally:
        engine.dispose()
    return migration, head, referenced, db_sum


def _copy_blobs(root: Path, out: Path, progress: Progress | None) -> dict[str, dict[str, Any]]:
    """Blobs are write-once (rename into place) and named by their hash: copy each,
    checking its content against its name. One that vanished (destroyed) is skipped; the
    reference check after the copy decides whether that matters."""
    paths = list(walk(root))
    copied: dict[str, dict[str, Any]] = {}
    for done, path in enumerate(paths, 1):
        rel = path.relative_to(root).as_posix()
        try:
            sha, size = copy_hashed(path, out / rel)
        except FileNotFoundError:
            continue
        if sha != path.name:
            raise BackupError(
                N_("blob {name} does not match its content: the blob store is damaged"),
                name=path.name,
            )
        copied[f"blobs/{rel}"] = {"sha256": sha, "size": size}
        if progress:
            progress("blobs", done, len(paths))
    if progress and not paths:
        progress("blobs", 0, 0)
    return copied


def _copy_bulk(root: Path, out: Path, progress: Progress | None) -> dict[str, dict[str, Any]]:
    """Bulk loads swap whole directories in and destruction rewrites files: copy until a
    listing (sizes, times) taken before and after the copy agree."""
    for _attempt in range(5):
        before = signature(root)
        shutil.rmtree(out, ignore_errors=True)
        copied: dict[str, dict[str, Any]] = {}
        try:
            for done, rel in enumerate(sorted(before), 1):
                sha, size = copy_hashed(root / rel, out / rel)
                copied[f"bulk/{rel}"] = {"sha256": sha, "size": size}
                if progress:
                    progress("bulk", done, len(before))
        except FileNotFoundError:
            continue
        if signature(root) == before:
            if progress and not before:
                progress("bulk", 0, 0)
            return copied
    raise BackupError(
        N_(
            "the bulk files kept changing during the copy; "
            "run the backup again when no bulk load runs"
        )
    )


# -- restore -------------------------------------------------------------------------


@contextmanager
def opened(src: Path) -> Iterator[Path]:
    """The backup as a directory (a tar file is unpacked into a temporary one)."""
    if not src.exists():
        raise BackupError(N_("there is no backup at {path}"), path=str(src))
    if src.is_dir():
        yield src
        return
    try:
        tar = tarfile.open(src)  # noqa: SIM115 - closed by the with below
    except (tarfile.TarError, OSError):
        raise BackupError(
            N_("{path} is neither a backup folder nor a tar file"), path=str(src)
        ) from None
    with tar, tempfile.TemporaryDirectory(prefix="baken-restore-") as tmp:
        try:
            tar.extractall(tmp, filter="data")
        except (tarfile.TarError, OSError):
            raise BackupError(N_("the tar file {path} is damaged"), path=str(src)) from None
        yield Path(tmp)


def read_manifest(root: Path, progress: Progress | None = None) -> Manifest:
    """The manifest, after checking every file against it: none missing, none added,
    none changed. Nothing is changed anywhere."""
    try:
        manifest = Manifest.from_json((root / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BackupError(
            N_("{path} holds no manifest.json: not a Baken backup"), path=str(root)
        ) from None
    except (OSError, UnicodeDecodeError):
        raise BackupError(N_("the backup's manifest is not readable")) from None
    present = {p.relative_to(root).as_posix() for p in walk(root)} - {MANIFEST}
    for rel in sorted(present - set(manifest.files)):
        raise BackupError(N_("the file {file} is not in the backup's manifest"), file=rel)
    if manifest.database_file not in manifest.files:
        raise BackupError(N_("the backup's manifest is not readable"))
    total = len(manifest.files)
    for done, (rel, want) in enumerate(sorted(manifest.files.items()), 1):
        path = root / rel
        if rel not in present:
            raise BackupError(N_("the file {file} is missing from the backup"), file=rel)
        sha, _size = sha_file(path)
        if sha != want.get("sha256"):
            raise BackupError(
                N_("the file {file} does not match its checksum: the backup is damaged"), file=rel
            )
        if progress:
            progress("verify", done, total)
    return manifest


def _check_compatible(settings: Settings, manifest: Manifest) -> bool:
    """Refuse another dialect or a migration this Baken does not know; return whether
    the backup's migration is older than this Baken's head."""
    if manifest.dialect != _dialect(settings):
        raise BackupError(
            N_("the backup is of a {found} database; this Baken is configured for {expected}"),
            found=manifest.dialect,
            expected=_dialect(settings),
        )
    scripts = _scripts()
    head = scripts.get_current_head()
    try:
        known = scripts.get_revision(manifest.migration) is not None
    except Exception:  # alembic raises several kinds for an unknown id
        known = False
    if not known:
        raise BackupError(
            N_(
                "the backup is at migration {found}, which this Baken ({version}) does not "
                "know; restore it with the Baken version that made it ({made_by})"
            ),
            found=manifest.migration,
            version=_version(),
            made_by=manifest.baken_version,
        )
    return bool(manifest.migration != head)


@contextmanager
def _alone(settings: Settings) -> Iterator[None]:
    try:
        with runlock.exclusive(settings):
            yield
    except runlock.InUse:
        raise BackupError(
            N_("a Baken server or worker is running on {path}; stop it before restoring"),
            path=str(settings.data_dir),
        ) from None


def _target_contents(settings: Settings) -> list[str]:
    """What the target already holds (empty: nothing)."""
    found = []
    if settings.is_sqlite:
        path = _sqlite_path(settings)
        if path.exists():
            try:
                con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
                try:
                    tables = con.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
                finally:
                    con.close()
            except sqlite3.DatabaseError:
                tables = 1
            if tables:
                found.append(str(path))
    else:
        engine = make_engine(settings)
        try:
            with engine.connect() as conn:
                count = conn.scalar(
                    text(
                        "SELECT count(*) FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n"
                        " ON n.oid = c.relnamespace WHERE n.nspname = current_schema()"
                    )
                )
        finally:
            engine.dispose()
        if count:
            found.append(f"database {make_url(settings.database_url).database}")
    for directory in (settings.blob_dir, settings.bulk_dir):
        if next(walk(directory), None) is not None:
            found.append(str(directory))
    return found


def restore_backup(
    settings: Settings,
    src: Path,
    *,
    force: bool = False,
    anchor: tuple[int, str] | None = None,
    progress: Progress | None = None,
) -> RestoreResult:
    """Restore the backup at ``src`` into the configured database and data folder, then
    verify the audit chain against the backup's head and recompute the data checksum.

    Every check (checksums, dialect, migration, an empty target unless ``force``) runs
    before anything is changed. ``anchor`` is an audit head kept apart from the backup
    (the manifest is not signed): the restored chain is checked against it as well.
    Refused while a server or worker runs on the data folder (:mod:`baken.core.runlock`),
    which cannot start until the restore is done."""
    with _alone(settings), opened(src) as root:
        manifest = read_manifest(root, progress)
        behind = _check_compatible(settings, manifest)
        with _reachable(settings):
            occupied = _target_contents(settings)
        if occupied and not force:
            raise BackupError(
                N_("the target is not empty ({what}); restore with --force to replace it"),
                what=", ".join(occupied),
            )
        if progress:
            progress("restore", 0, 3)
        if settings.is_sqlite:
            _restore_sqlite(settings, root / manifest.database_file)
        else:
            _restore_pg(settings, root / manifest.database_file, clean=bool(occupied))
        if progress:
            progress("restore", 1, 3)
        _replace_dir(root / "blobs", settings.blob_dir)
        if progress:
            progress("restore", 2, 3)
        _replace_dir(root / "bulk", settings.bulk_dir)
        # The search index is derived from the database: a stale one must not survive.
        shutil.rmtree(settings.index_dir, ignore_errors=True)
        if progress:
            progress("restore", 3, 3)
    return _verify_restored(settings, manifest, behind, anchor, progress)


def _restore_sqlite(settings: Settings, dump: Path) -> None:
    target = _sqlite_path(settings)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.restore-{uuid.uuid4().hex}")
    shutil.copyfile(dump, tmp)
    # A write-ahead log of the old database must not be replayed onto the restored one.
    for suffix in ("-wal", "-shm", "-journal"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    os.replace(tmp, target)


def _restore_pg(settings: Settings, dump: Path, *, clean: bool) -> None:
    args, env, secret = pg_env(settings)
    if clean:
        engine = make_engine(settings)
        try:
            with engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
        finally:
            engine.dispose()
    run_tool(
        [
            pg_tool("pg_restore"),
            "--no-owner",
            "--no-privileges",
            "--no-comments",
            "--single-transaction",
            "--exit-on-error",
            *args,
            str(dump),
        ],
        env,
        secret,
    )


def _replace_dir(source: Path, target: Path) -> None:
    """Put a copy of ``source`` (may be absent: nothing) in place of ``target``."""
    target.parent.mkdir(parents=True, exist_ok=True)
    staged = target.with_name(f".{target.name}.restore-{uuid.uuid4().hex}")
    if source.is_dir():
        shutil.copytree(source, staged)
    else:
        staged.mkdir()
    old = target.with_name(f".{target.name}.old-{uuid.uuid4().hex}")
    if target.exists():
        target.rename(old)
    staged.rename(target)
    shutil.rmtree(old, ignore_errors=True)


def _restored_files(settings: Settings) -> dict[str, str]:
    files = {}
    for prefix, root in (("blobs", settings.blob_dir), ("bulk", settings.bulk_dir)):
        for path in walk(root):
            files[f"{prefix}/{path.relative_to(root).as_posix()}"] = sha_file(path)[0]
    return files


def _verify_restored(
    settings: Settings,
    manifest: Manifest,
    behind: bool,
    anchor: tuple[int, str] | None,
    progress: Progress | None,
) -> RestoreResult:
    engine = make_engine(settings)
    try:
        with transaction(make_sessionmaker(engine)) as session:
            checked = audit.verify(session, anchor=manifest.audit_head)
            if checked.ok and anchor is not None:
                checked = audit.verify(session, anchor=anchor)
            db_sum = database_checksum(session.connection(), progress)
            data_sum = data_checksum(db_sum, _restored_files(settings))
            ok = data_sum == manifest.data_checksum
            # After the check, so the restored chain shows the restore beyond its anchor.
            audit.record(
                session,
                principal=None,
                actor=ACTOR,
                action="backup.restore",
                outcome="ok" if checked.ok and ok else "failed",
                details={
                    "backup_id": manifest.backup_id,
                    "audit_head": f"{manifest.audit_head[0]}:{manifest.audit_head[1]}",
                    "audit_ok": checked.ok,
                    "checksum_ok": ok,
                },
            )
    finally:
        engine.dispose()
    return RestoreResult(manifest, checked, ok, data_sum, behind)
