"""protect: sweeps

Revision ID: 0017
Revises: 0016
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
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
    t = "protect_sweeps_rooms"
    op.create_table(
        t,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ref", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("location", sa.Text(), nullable=False),
        sa.Column("level", sa.String(length=24), nullable=False),
        sa.Column("owner", sa.String(length=64), nullable=False),
        sa.Column("service", sa.String(length=8), nullable=False),
        sa.Column("risk", sa.String(length=16), nullable=False),
        sa.Column("interval_days", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("last_swept_on", sa.Date(), nullable=True),
        sa.Column("next_due_on", sa.Date(), nullable=True),
        sa.Column("marking_id", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _fk(t, "created_by", "users.id"),
        _fk(t, "marking_id", "markings.id"),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{t}")),
        sa.UniqueConstraint("ref", name=op.f(f"uq_{t}_ref")),
    )
    _index(t, "marking_id")
    _index(t, "next_due_on")

    t = "protect_sweeps_sweeps"
    op.create_table(
        t,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ref", sa.String(length=32), nullable=False),
        sa.Column("room_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=16), nullable=False),
        sa.Column("planned_on", sa.Date(), nullable=False),
        sa.Column("performed_on", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("team", sa.String(length=200), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("marking_id", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=False),
        sa.Column("performed_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _fk(t, "created_by", "users.id"),
        _fk(t, "marking_id", "markings.id"),
        _fk(t, "performed_by", "users.id"),
        _fk(t, "room_id", "protect_sweeps_rooms.id"),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{t}")),
        sa.UniqueConstraint("ref", name=op.f(f"uq_{t}_ref")),
    )
    _index(t, "marking_id")
    _index(t, "room_id")
    _index(t, "status")

    t = "protect_sweeps_findings"
    op.create_table(
        t,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sweep_id", sa.Integer(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("severity", sa.String(length=16), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("remediation", sa.Text(), nullable=False),
        sa.Column("remediated_on", sa.Date(), nullable=True),
        sa.Column("marking_id", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=False),
        sa.Column("closed_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _fk(t, "closed_by", "users.id"),
        _fk(t, "created_by", "users.id"),
        _fk(t, "marking_id", "markings.id"),
        _fk(t, "sweep_id", "protect_sweeps_sweeps.id"),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{t}")),
    )
    _index(t, "marking_id")
    _index(t, "status")
    _index(t, "sweep_id")

    t = "protect_sweeps_meetings"
    op.create_table(
        t,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("room_id", sa.Integer(), nullable=False),
        sa.Column("level", sa.String(length=24), nullable=False),
        sa.Column("planned_on", sa.Date(), nullable=False),
        sa.Column("starts_at", sa.String(length=5), nullable=False),
        sa.Column("organiser", sa.String(length=64), nullable=False),
        sa.Column("marking_id", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _fk(t, "created_by", "users.id"),
        _fk(t, "marking_id", "markings.id"),
        _fk(t, "room_id", "protect_sweeps_rooms.id"),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{t}")),
    )
    _index(t, "marking_id")
    _index(t, "planned_on")
    _index(t, "room_id")


def downgrade() -> None:
    op.drop_table("protect_sweeps_meetings")
    op.drop_table("protect_sweeps_findings")
    op.drop_table("protect_sweeps_sweeps")
    op.drop_table("protect_sweeps_rooms")
