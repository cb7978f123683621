"""Alembic environment: the engine comes from ``baken.migrations.config``."""

from __future__ import annotations

from alembic import context

from baken.migrations import include_name
from baken.models import metadata

engine = context.config.attributes["engine"]

with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_name=include_name,
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
