"""procrastinate queue schema (PostgreSQL only)

The background-job queue on PostgreSQL is Procrastinate; its tables and functions live
in Baken's database, created here from the installed Procrastinate's own schema file so
that every worker finds them (no race between workers applying it).

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return  # the embedded store uses the in-process worker pool
    from procrastinate.schema import SchemaManager

    found = op.get_bind().exec_driver_sql("SELECT to_regclass('procrastinate_jobs')::text").scalar()
    if found is None:
        op.execute(SchemaManager.get_schema())


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        "DROP TABLE IF EXISTS procrastinate_jobs, procrastinate_events,"
        " procrastinate_periodic_defers, procrastinate_workers CASCADE"
    )
