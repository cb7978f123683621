"""protect: industrial (suppliers, special assignments, the NBIV checklist, declarations)

Revision ID: 0018
Revises: 0017
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

P = "protect_industrial_"
ASSIGNMENTS = P + "assignments"


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    ref_table = target.split(".")[0]
    return sa.ForeignKeyConstraint(
        [column], [target], name=op.f(f"fk_{table}_{column}_{ref_table}")
    )


def _index(table: str, column: str) -> None:
    op.create_index(op.f(f"ix_{table}_{column}"), table, [column], unique=False)


def _pk(table: str) -> sa.PrimaryKeyConstraint:
    return sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}"))


def _child(
    table: str, *columns: sa.Column[Any], by: str, extra: tuple[sa.Constraint, ...] = ()
) -> None:
    """A table of rows about one assignment, marked and written by a user."""
    op.create_table(
        table,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assignment_id", sa.Integer(), nullable=False),
        *columns,
        sa.Column("marking_id", sa.Integer(), nullable=False),
        _fk(table, "assignment_id", f"{ASSIGNMENTS}.id"),
        _fk(table, "marking_id", "markings.id"),
        _fk(table, by, "users.id"),
        *extra,
        _pk(table),
    )
    _index(table, "marking_id")


def upgrade() -> None:
    t = P + "suppliers"
    op.create_table(
        t,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kvk", sa.String(length=8), nullable=False),
        sa.Column("branch", sa.String(length=12), nullable=True),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("address", sa.Text(), nullable=False),
        sa.Column("entity_id", sa.String(length=120), nullable=True),
        sa.Column("marking_id", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _fk(t, "created_by", "users.id"),
        _fk(t, "marking_id", "markings.id"),
        _pk(t),
    )
    _index(t, "kvk")
    _index(t, "marking_id")

    t = ASSIGNMENTS
    op.create_table(
        t,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ref", sa.String(length=32), nullable=False),
        sa.Column("supplier_id", sa.Integer(), nullable=False),
        sa.Column("client", sa.String(length=32), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("tbb", sa.String(length=4), nullable=False),
        sa.Column("classification", sa.Integer(), nullable=False),
        sa.Column("regime", sa.String(length=16), nullable=False),
        sa.Column("moved_on", sa.Date(), nullable=True),
        sa.Column("moved_by", sa.Integer(), nullable=True),
        sa.Column("abro_applies", sa.Boolean(), nullable=False),
        sa.Column("assessed_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("status_on", sa.Date(), nullable=False),
        sa.Column("status_note", sa.Text(), nullable=False),
        sa.Column("marking_id", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _fk(t, "created_by", "users.id"),
        _fk(t, "marking_id", "markings.id"),
        _fk(t, "moved_by", "users.id"),
        _fk(t, "supplier_id", f"{P}suppliers.id"),
        _pk(t),
        sa.UniqueConstraint("ref", name=op.f(f"uq_{t}_ref")),
    )
    _index(t, "client")
    _index(t, "marking_id")
    _index(t, "status")
    _index(t, "supplier_id")

    t = P + "checks"
    _child(
        t,
        sa.Column("item", sa.String(length=16), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("updated_by", sa.Integer(), nullable=True),
        sa.Column("updated_on", sa.Date(), nullable=True),
        by="updated_by",
        extra=(sa.UniqueConstraint("assignment_id", "item", name=op.f(f"uq_{t}_assignment_id")),),
    )
    _index(t, "assignment_id")

    t = P + "findings"
    _child(
        t,
        sa.Column("taken_on", sa.Date(), nullable=False),
        sa.Column("entity_id", sa.String(length=120), nullable=True),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("foreign_count", sa.Integer(), nullable=False),
        sa.Column("hit_count", sa.Integer(), nullable=False),
        sa.Column("taken_by", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        by="taken_by",
    )
    _index(t, "assignment_id")

    t = P + "staff"
    _child(
        t,
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("function", sa.String(length=200), nullable=False),
        sa.Column("vgb_ref", sa.String(length=32), nullable=True),
        sa.Column("not_needed", sa.Text(), nullable=False),
        sa.Column("added_by", sa.Integer(), nullable=False),
        sa.Column("added_on", sa.Date(), nullable=False),
        by="added_by",
    )
    _index(t, "assignment_id")

    t = P + "hosting"
    _child(
        t,
        sa.Column("provider", sa.String(length=200), nullable=False),
        sa.Column("cloud", sa.Boolean(), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("certifications", sa.String(length=200), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("added_by", sa.Integer(), nullable=False),
        sa.Column("added_on", sa.Date(), nullable=False),
        by="added_by",
    )
    _index(t, "assignment_id")

    t = P + "declarations"
    _child(
        t,
        sa.Column("regime", sa.String(length=16), nullable=False),
        sa.Column("declared_on", sa.Date(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=False),
        sa.Column("conditions", sa.Text(), nullable=False),
        sa.Column("declared_by", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        by="declared_by",
        extra=(sa.UniqueConstraint("assignment_id", name=op.f(f"uq_{t}_assignment_id")),),
    )

    t = P + "events"
    _child(
        t,
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("on", sa.Date(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("recorded_by", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        by="recorded_by",
    )
    _index(t, "assignment_id")


def downgrade() -> None:
    for name in ("events", "declarations", "hosting", "staff", "findings", "checks"):
        op.drop_table(P + name)
    op.drop_table(ASSIGNMENTS)
    op.drop_table(P + "suppliers")
