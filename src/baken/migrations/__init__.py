"""Alembic migrations: one chain for SQLite and PostgreSQL, run by ``baken db upgrade``."""

from __future__ import annotations

from importlib import resources

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine

from baken.core.config import Settings
from baken.core.db import make_engine


def include_name(name: str | None, type_: str, parent_names: object) -> bool:
    """Autogenerate compares Baken's own tables only: Procrastinate's (migration 0004,
    PostgreSQL) are managed from its package."""
    return not (type_ == "table" and name is not None and name.startswith("procrastinate_"))


def config(engine: Engine) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("baken.migrations")))
    cfg.attributes["engine"] = engine
    return cfg


def upgrade(settings: Settings, revision: str = "head", engine: Engine | None = None) -> None:
    engine = engine or make_engine(settings)
    command.upgrade(config(engine), revision)
