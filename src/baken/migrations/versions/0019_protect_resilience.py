"""protect: resilience

Revision ID: 0019
Revises: 0018
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    ref_table = target.split(".")[0]
    return sa.ForeignKeyConstraint(
        [column], [target], name=op.f(f"fk_{table}_{column}_{ref_table}")
    )


def _index(table: str, column: str) -> None:
    op.create_index(op.f(f"ix_{table}_{column}"), table, [column], unique=False)


def upgrade() -> None:
    t = "protect_resilience_products"
    op.create_table(
        t,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("topic", sa.String(length=200), nullable=False),
        sa.Column("victim", sa.String(length=32), nullable=True),
        sa.Column("incident", sa.Text(), nullable=False),
        sa.Column("observed_on", sa.Date(), nullable=True),
        sa.Column("channel", sa.String(length=32), nullable=False),
        sa.Column("acknowledged_release_id", sa.Integer(), nullable=True),
        sa.Column("acknowledged_by", sa.Integer(), nullable=True),
        sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("marking_id", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        _fk(t, "acknowledged_by", "users.id"),
        _fk(t, "acknowledged_release_id", "analysis_releases.id"),
        _fk(t, "created_by", "users.id"),
        _fk(t, "marking_id", "markings.id"),
        _fk(t, "product_id", "analysis_products.id"),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{t}")),
        sa.UniqueConstraint("product_id", name=op.f(f"uq_{t}_product_id")),
    )
    _index(t, "marking_id")
    _index(t, "victim")

    a = "protect_resilience_audiences"
    op.create_table(
        a,
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("sector", sa.String(length=32), nullable=False),
        _fk(a, "record_id", "protect_resilience_products.id"),
        sa.PrimaryKeyConstraint("record_id", "sector", name=op.f(f"pk_{a}")),
    )
    _index(a, "sector")


def downgrade() -> None:
    op.drop_table("protect_resilience_audiences")
    op.drop_table("protect_resilience_products")
