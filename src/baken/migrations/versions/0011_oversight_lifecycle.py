"""oversight: lifecycle (legal basis of collections, bulk-dataset term and legal hold,
relevance assessments, extensions, destruction records)

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
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
    t = "oversight_assessments"
    op.create_table(
        t,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("collection_id", sa.Integer(), nullable=False),
        sa.Column("item_kind", sa.String(length=16), nullable=False),
        sa.Column("item_id", sa.String(length=128), nullable=False),
        sa.Column("verdict", sa.String(length=16), nullable=False),
        sa.Column("marking_id", sa.Integer(), nullable=False),
        sa.Column("assessed_by", sa.Integer(), nullable=False),
        sa.Column("assessed_at", sa.DateTime(timezone=True), nullable=False),
        _fk(t, "assessed_by", "users.id"),
        _fk(t, "collection_id", "collections.id"),
        _fk(t, "marking_id", "markings.id"),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{t}")),
        sa.UniqueConstraint(
            "collection_id", "item_kind", "item_id", name=op.f(f"uq_{t}_collection_id")
        ),
    )
    _index(t, "collection_id")
    _index(t, "marking_id")

    t = "oversight_bulk_datasets"
    op.create_table(
        t,
        sa.Column("collection_id", sa.Integer(), nullable=False),
        sa.Column("term_until", sa.Date(), nullable=False),
        sa.Column("legal_hold", sa.Boolean(), nullable=False),
        sa.Column("hold_reason", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("marking_id", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _fk(t, "collection_id", "collections.id"),
        _fk(t, "created_by", "users.id"),
        _fk(t, "marking_id", "markings.id"),
        sa.PrimaryKeyConstraint("collection_id", name=op.f(f"pk_{t}")),
    )
    _index(t, "marking_id")

    t = "oversight_destructions"
    op.create_table(
        t,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("collection_id", sa.Integer(), nullable=False),
        sa.Column("scope", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("permission_id", sa.Integer(), nullable=True),
        sa.Column("counts", sa.JSON(), nullable=False),
        sa.Column("hashes", sa.JSON(), nullable=False),
        sa.Column("record_hash", sa.String(length=64), nullable=False),
        sa.Column("marking_id", sa.Integer(), nullable=False),
        sa.Column("destroyed_by", sa.Integer(), nullable=False),
        sa.Column("destroyed_at", sa.DateTime(timezone=True), nullable=False),
        _fk(t, "collection_id", "collections.id"),
        _fk(t, "destroyed_by", "users.id"),
        _fk(t, "marking_id", "markings.id"),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{t}")),
    )
    _index(t, "collection_id")
    _index(t, "marking_id")

    t = "oversight_extensions"
    op.create_table(
        t,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("collection_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("previous_until", sa.Date(), nullable=False),
        sa.Column("new_until", sa.Date(), nullable=False),
        sa.Column("motivation", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("minister_decision", sa.String(length=16), nullable=True),
        sa.Column("minister_by", sa.Integer(), nullable=True),
        sa.Column("minister_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("inform_parliament", sa.Boolean(), nullable=False),
        sa.Column("ctivd_review", sa.String(length=16), nullable=True),
        sa.Column("ctivd_note", sa.Text(), nullable=False),
        sa.Column("ctivd_by", sa.Integer(), nullable=True),
        sa.Column("ctivd_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("marking_id", sa.Integer(), nullable=False),
        sa.Column("requested_by", sa.Integer(), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        _fk(t, "collection_id", "collections.id"),
        _fk(t, "ctivd_by", "users.id"),
        _fk(t, "marking_id", "markings.id"),
        _fk(t, "minister_by", "users.id"),
        _fk(t, "requested_by", "users.id"),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{t}")),
    )
    _index(t, "collection_id")
    _index(t, "marking_id")

    t = "oversight_legal_bases"
    op.create_table(
        t,
        sa.Column("collection_id", sa.Integer(), nullable=False),
        sa.Column("permission_id", sa.Integer(), nullable=False),
        sa.Column("marking_id", sa.Integer(), nullable=False),
        sa.Column("linked_by", sa.Integer(), nullable=False),
        sa.Column("linked_at", sa.DateTime(timezone=True), nullable=False),
        _fk(t, "collection_id", "collections.id"),
        _fk(t, "linked_by", "users.id"),
        _fk(t, "marking_id", "markings.id"),
        sa.PrimaryKeyConstraint("collection_id", name=op.f(f"pk_{t}")),
    )
    _index(t, "marking_id")
    _index(t, "permission_id")


def downgrade() -> None:
    for table, indexes in (
        ("oversight_legal_bases", ("marking_id", "permission_id")),
        ("oversight_extensions", ("collection_id", "marking_id")),
        ("oversight_destructions", ("collection_id", "marking_id")),
        ("oversight_bulk_datasets", ("marking_id",)),
        ("oversight_assessments", ("collection_id", "marking_id")),
    ):
        for column in indexes:
            op.drop_index(op.f(f"ix_{table}_{column}"), table_name=table)
        op.drop_table(table)
