"""One migration chain for both backends: upgrading builds exactly the models' schema."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from baken.core.config import Settings
from baken.core.db import make_engine
from baken.migrations import include_name
from baken.models import metadata


def test_migrations_match_the_models(settings: Settings) -> None:
    engine = make_engine(settings)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"include_name": include_name})
            diff = compare_metadata(context, metadata)
            assert diff == [], diff
            assert "alembic_version" in inspect(conn).get_table_names()
    finally:
        engine.dispose()


def test_sqlite_runs_in_wal_mode(settings: Settings) -> None:
    if not settings.is_sqlite:
        return
    engine = make_engine(settings)
    try:
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    finally:
        engine.dispose()
