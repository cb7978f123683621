"""vetting: register (the register of active vertrouwensfunctionarissen)

Revision ID: 0014
Revises: 0013
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
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
    t = "vetting_register"
    op.create_table(
        t,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("vgb_id", sa.Integer(), nullable=False),
        sa.Column("person_name", sa.String(length=200), nullable=False),
        sa.Column("person_bsn", sa.String(length=9), nullable=False),
        sa.Column("employer", sa.String(length=32), nullable=False),
        sa.Column("position_id", sa.Integer(), nullable=False),
        sa.Column("location_id", sa.Integer(), nullable=True),
        sa.Column("registered_on", sa.Date(), nullable=False),
        sa.Column("deregistered_on", sa.Date(), nullable=True),
        sa.Column("deregister_reason", sa.Text(), nullable=False),
        sa.Column("marking_id", sa.Integer(), nullable=False),
        sa.Column("registered_by", sa.Integer(), nullable=False),
        sa.Column("deregistered_by", sa.Integer(), nullable=True),
        sa.Column("vgb_ref", sa.String(length=32), nullable=False),
        sa.Column("vgb_scope", sa.String(length=16), nullable=False),
        sa.Column("vgb_level", sa.String(length=1), nullable=False),
        sa.Column("previous_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _fk(t, "deregistered_by", "users.id"),
        _fk(t, "location_id", "vetting_locations.id"),
        _fk(t, "marking_id", "markings.id"),
        _fk(t, "position_id", "vetting_positions.id"),
        _fk(t, "previous_id", "vetting_register.id"),
        _fk(t, "registered_by", "users.id"),
        _fk(t, "vgb_id", "vetting_vgbs.id"),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{t}")),
    )
    op.create_index(
        "ix_vetting_register_employer_active",
        t,
        ["employer", "deregistered_on", "id"],
        unique=False,
    )
    op.create_index(
        "ix_vetting_register_location_active",
        t,
        ["location_id", "deregistered_on", "id"],
        unique=False,
    )
    _index(t, "marking_id")
    _index(t, "person_bsn")
    _index(t, "position_id")
    _index(t, "vgb_id")


def downgrade() -> None:
    op.drop_table("vetting_register")
