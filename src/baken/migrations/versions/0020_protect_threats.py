"""protect: threats (threat records of the Stelsel Bewaken en Beveiligen and the decisions
on measures recorded back)

Revision ID: 0020
Revises: 0019
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
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
    t = "protect_threats_products"
    op.create_table(
        t,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("subject_kind", sa.String(length=16), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("domain", sa.String(length=32), nullable=False),
        sa.Column("authority", sa.String(length=32), nullable=False),
        sa.Column("addressee", sa.String(length=32), nullable=False),
        sa.Column("event_on", sa.Date(), nullable=True),
        sa.Column("marking_id", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _fk(t, "created_by", "users.id"),
        _fk(t, "marking_id", "markings.id"),
        _fk(t, "product_id", "analysis_products.id"),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{t}")),
        sa.UniqueConstraint("product_id", name=op.f(f"uq_{t}_product_id")),
    )
    _index(t, "addressee")
    _index(t, "marking_id")

    d = "protect_threats_decisions"
    op.create_table(
        d,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("release_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("amends_id", sa.Integer(), nullable=True),
        sa.Column("measures", sa.JSON(), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("recorded_for", sa.String(length=16), nullable=False),
        sa.Column("marking_id", sa.Integer(), nullable=False),
        sa.Column("recorded_by", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        _fk(d, "amends_id", "protect_threats_decisions.id"),
        _fk(d, "marking_id", "markings.id"),
        _fk(d, "record_id", "protect_threats_products.id"),
        _fk(d, "recorded_by", "users.id"),
        _fk(d, "release_id", "analysis_releases.id"),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{d}")),
        sa.UniqueConstraint("release_id", "version", name=op.f(f"uq_{d}_release_id")),
    )
    _index(d, "marking_id")
    _index(d, "record_id")


def downgrade() -> None:
    op.drop_table("protect_threats_decisions")
    op.drop_table("protect_threats_products")
