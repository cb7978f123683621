"""vetting: portal (delay notices to employers)

Revision ID: 0015
Revises: 0014
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

T = "vetting_delay_notices"


def _fk(column: str, target: str) -> sa.ForeignKeyConstraint:
    ref_table = target.split(".")[0]
    return sa.ForeignKeyConstraint([column], [target], name=op.f(f"fk_{T}_{column}_{ref_table}"))


def upgrade() -> None:
    op.create_table(
        T,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("screening_id", sa.Integer(), nullable=False),
        sa.Column("employer", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("sent_on", sa.Date(), nullable=False),
        sa.Column("read_on", sa.Date(), nullable=True),
        sa.Column("read_by", sa.Integer(), nullable=True),
        sa.Column("marking_id", sa.Integer(), nullable=False),
        sa.Column("sent_by", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _fk("marking_id", "markings.id"),
        _fk("read_by", "users.id"),
        _fk("screening_id", "vetting_screenings.id"),
        _fk("sent_by", "users.id"),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{T}")),
        sa.UniqueConstraint("screening_id", "due_on", "kind", name=op.f(f"uq_{T}_screening_id")),
    )
    for column in ("employer", "marking_id", "screening_id"):
        op.create_index(op.f(f"ix_{T}_{column}"), T, [column], unique=False)


def downgrade() -> None:
    for column in ("employer", "marking_id", "screening_id"):
        op.drop_index(op.f(f"ix_{T}_{column}"), table_name=T)
    op.drop_table(T)
