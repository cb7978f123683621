"""The parts of a backup that do not depend on what is backed up: hashing and copying
files, walking the stores, the row checksum of a database, and running PostgreSQL's
client tools without showing the password (see :mod:`baken.core.backup`)."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, column, select, table, text
from sqlalchemy.engine import make_url
from sqlalchemy.sql.expression import ColumnClause

from baken.core.config import Settings
from baken.core.errors import DomainError
from baken.core.i18n import N_

CHUNK = 1024 * 1024

Progress = Callable[[str, int, int], None]
"""Called with (stage, done, total); stages: ``database``, ``checksum``, ``blobs``,
``bulk``, ``verify``, ``restore``."""


class BackupError(DomainError):
    """A backup that cannot be made or restored (the message says why)."""


def sha_file(path: Path) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def copy_hashed(src: Path, dst: Path) -> tuple[str, int]:
    """Copy ``src`` to ``dst`` reading it once; return (sha256, size) of what was copied."""
    dst.parent.mkdir(parents=True, exist_ok=True)
    digest, size = hashlib.sha256(), 0
    with src.open("rb") as fin, dst.open("wb") as fout:
        while chunk := fin.read(CHUNK):
            digest.update(chunk)
            fout.write(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def walk(root: Path) -> Iterator[Path]:
    """Regular files under ``root`` in a stable order, without the stores' temporary
    files (a blob's ``.tmp``, a bulk load's ``.staging-``/``.old-`` directories)."""
    if not root.is_dir():
        return
    for here, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith((".staging-", ".old-")))
        for name in sorted(names):
            path = Path(here) / name
            if not name.endswith(".tmp") and path.is_file() and not path.is_symlink():
                yield path


def signature(root: Path) -> dict[str, tuple[int, int]]:
    found = {}
    for path in walk(root):
        try:
            st = path.stat()
        except FileNotFoundError:
            continue
        found[path.relative_to(root).as_posix()] = (st.st_size, st.st_mtime_ns)
    return found


def _canonical(value: Any) -> Any:
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True, default=str)
    if isinstance(value, bytes | memoryview):
        return bytes(value).hex()
    return value if isinstance(value, int | float | str | bool) or value is None else str(value)


_SQLITE_CATALOG = text(
    "SELECT m.name, p.name, p.pk FROM sqlite_master AS m"
    " JOIN pragma_table_info(m.name) AS p"
    " WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' ORDER BY m.name, p.cid"
)
_PG_CATALOG = text(
    "SELECT c.relname, a.attname,"
    # indkey is an int2vector, 0-based: its position, counted from 1 (0: no key column).
    " coalesce(array_position(i.indkey::int2[], a.attnum)"
    " - array_lower(i.indkey::int2[], 1) + 1, 0)"
    " FROM pg_catalog.pg_class AS c"
    " JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace"
    " JOIN pg_catalog.pg_attribute AS a"
    "  ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped"
    " LEFT JOIN pg_catalog.pg_index AS i ON i.indrelid = c.oid AND i.indisprimary"
    " WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p')"
    " ORDER BY c.relname, a.attnum"
)


def _catalog(conn: Connection) -> dict[str, tuple[list[str], list[str]]]:
    """Each table's columns (in order) and primary-key columns, in one catalog query
    (the inspector takes seconds for ~80 tables on PostgreSQL)."""
    query = _SQLITE_CATALOG if conn.dialect.name == "sqlite" else _PG_CATALOG
    found: dict[str, tuple[list[str], list[tuple[int, str]]]] = {}
    for name, col, pk in conn.execute(query):
        cols, keys = found.setdefault(str(name), ([], []))
        cols.append(str(col))
        if pk:
            keys.append((int(pk), str(col)))
    return {name: (cols, [c for _, c in sorted(keys)]) for name, (cols, keys) in found.items()}


def database_checksum(conn: Connection, progress: Progress | None = None) -> str:
    """SHA-256 over every row of every table, tables by name, rows in key order: the
    same data gives the same sum whatever the file or dump that carried it. Values are
    taken as the driver gives them (no type processing), so nothing is reinterpreted."""
    catalog = _catalog(conn)
    digest = hashlib.sha256()
    names = sorted(catalog)
    for done, name in enumerate(names, 1):
        names_of_cols, pk = catalog[name]
        cols: list[ColumnClause[Any]] = [column(c) for c in names_of_cols]
        tbl = table(name, *cols)
        digest.update(f"\x00table:{name}:{','.join(names_of_cols)}\n".encode())
        query = select(*tbl.c).execution_options(yield_per=5000)
        if pk:
            query = query.order_by(*(tbl.c[c] for c in pk))
        # Without a key there is no order to rely on (and JSON has none on PostgreSQL):
        # such a table's rows count as a multiset, the sum of their hashes.
        unordered = 0
        for row in conn.execute(query):
            line = json.dumps([_canonical(v) for v in row], default=str, ensure_ascii=False)
            if pk:
                digest.update(line.encode())
                digest.update(b"\n")
            else:
                unordered += int.from_bytes(hashlib.sha256(line.encode()).digest(), "big")
        if not pk:
            digest.update(f"{unordered % (1 << 256):064x}\n".encode())
        if progress:
            progress("checksum", done, len(names))
    return digest.hexdigest()


def data_checksum(database: str, files: dict[str, str]) -> str:
    """The one checksum over the data: the database's rows and every blob and Parquet
    file (the dump file is left out: its bytes differ between dumps of the same data)."""
    body = json.dumps({"database": database, "files": files}, sort_keys=True)
    return hashlib.sha256(body.encode()).hexdigest()


def pg_tool(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(
        Path("/usr/lib/postgresql").glob(f"*/bin/{name}"),
        key=lambda p: int(p.parts[-3]) if p.parts[-3].isdigit() else 0,
    )
    if not candidates:
        raise BackupError(N_("{tool} was not found; install the PostgreSQL client"), tool=name)
    return str(candidates[-1])


def pg_env(settings: Settings) -> tuple[list[str], dict[str, str], str]:
    """Connection arguments for pg_dump/pg_restore: the password goes in the environment,
    never on the command line or in a message."""
    url = make_url(settings.database_url)
    args = ["--host", url.host or "127.0.0.1", "--dbname", url.database or ""]
    if url.port:
        args += ["--port", str(url.port)]
    if url.username:
        args += ["--username", url.username]
    env = {**os.environ, "PGCONNECT_TIMEOUT": "10"}
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    if "sslmode" in url.query:
        env["PGSSLMODE"] = str(url.query["sslmode"])
    return args, env, str(url.password or "")


def run_tool(cmd: list[str], env: dict[str, str], secret: str) -> None:
    done = subprocess.run(  # noqa: S603 - arguments are ours, no shell
        cmd, env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip().splitlines()
        message = detail[-1] if detail else f"exit {done.returncode}"
        if secret:
            message = message.replace(secret, "***")
        raise BackupError(N_("{tool} failed: {detail}"), tool=Path(cmd[0]).name, detail=message)
