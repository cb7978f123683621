"""oversight: permissions (requests for special powers, their steps, complaints)

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "oversight_complaints",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=32), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("service", sa.String(length=8), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("minister_answer", sa.Text(), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ctivd_received_on", sa.Date(), nullable=True),
        sa.Column("ctivd_deadline", sa.Date(), nullable=True),
        sa.Column("ctivd_note", sa.Text(), nullable=True),
        sa.Column("ctivd_decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("marking_id", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name=op.f("fk_oversight_complaints_created_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["marking_id"],
            ["markings.id"],
            name=op.f("fk_oversight_complaints_marking_id_markings"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_oversight_complaints")),
        sa.UniqueConstraint("reference", name=op.f("uq_oversight_complaints_reference")),
    )
    with op.batch_alter_table("oversight_complaints", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_oversight_complaints_ctivd_deadline"), ["ctivd_deadline"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_oversight_complaints_marking_id"), ["marking_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_oversight_complaints_status"), ["status"], unique=False
        )

    op.create_table(
        "oversight_permissions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=32), nullable=False),
        sa.Column("power", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("regime", sa.String(length=16), nullable=False),
        sa.Column("urgent", sa.Boolean(), nullable=False),
        sa.Column("reviewed", sa.Boolean(), nullable=False),
        sa.Column("service", sa.String(length=8), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("targets", sa.JSON(), nullable=False),
        sa.Column("country", sa.String(length=8), nullable=True),
        sa.Column("assignment_id", sa.Integer(), nullable=False),
        sa.Column("assignment_code", sa.String(length=32), nullable=False),
        sa.Column("assignment_title", sa.String(length=200), nullable=False),
        sa.Column("necessity", sa.Text(), nullable=False),
        sa.Column("proportionality", sa.Text(), nullable=False),
        sa.Column("subsidiarity", sa.Text(), nullable=False),
        sa.Column("targeting", sa.Text(), nullable=False),
        sa.Column("term_months", sa.Integer(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=True),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("renews_id", sa.Integer(), nullable=True),
        sa.Column("renewal_count", sa.Integer(), nullable=False),
        sa.Column("destruction_ordered", sa.Boolean(), nullable=False),
        sa.Column("destruction_reason", sa.Text(), nullable=True),
        sa.Column("marking_id", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["assignment_id"],
            ["assignments.id"],
            name=op.f("fk_oversight_permissions_assignment_id_assignments"),
        ),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name=op.f("fk_oversight_permissions_created_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["marking_id"],
            ["markings.id"],
            name=op.f("fk_oversight_permissions_marking_id_markings"),
        ),
        sa.ForeignKeyConstraint(
            ["renews_id"],
            ["oversight_permissions.id"],
            name=op.f("fk_oversight_permissions_renews_id_oversight_permissions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_oversight_permissions")),
        sa.UniqueConstraint("reference", name=op.f("uq_oversight_permissions_reference")),
    )
    with op.batch_alter_table("oversight_permissions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_oversight_permissions_assignment_id"), ["assignment_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_oversight_permissions_created_by"), ["created_by"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_oversight_permissions_marking_id"), ["marking_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_oversight_permissions_power"), ["power"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_oversight_permissions_status"), ["status"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_oversight_permissions_valid_until"), ["valid_until"], unique=False
        )

    op.create_table(
        "oversight_permission_steps",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("permission_id", sa.Integer(), nullable=False),
        sa.Column("step", sa.String(length=16), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("marking_id", sa.Integer(), nullable=False),
        sa.Column("decided_by", sa.Integer(), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["decided_by"],
            ["users.id"],
            name=op.f("fk_oversight_permission_steps_decided_by_users"),
        ),
        sa.ForeignKeyConstraint(
            ["marking_id"],
            ["markings.id"],
            name=op.f("fk_oversight_permission_steps_marking_id_markings"),
        ),
        sa.ForeignKeyConstraint(
            ["permission_id"],
            ["oversight_permissions.id"],
            name=op.f("fk_oversight_permission_steps_permission_id_oversight_permissions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_oversight_permission_steps")),
    )
    with op.batch_alter_table("oversight_permission_steps", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_oversight_permission_steps_marking_id"), ["marking_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_oversight_permission_steps_permission_id"),
            ["permission_id"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("oversight_permission_steps", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_oversight_permission_steps_permission_id"))
        batch_op.drop_index(batch_op.f("ix_oversight_permission_steps_marking_id"))

    op.drop_table("oversight_permission_steps")
    with op.batch_alter_table("oversight_permissions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_oversight_permissions_valid_until"))
        batch_op.drop_index(batch_op.f("ix_oversight_permissions_status"))
        batch_op.drop_index(batch_op.f("ix_oversight_permissions_power"))
        batch_op.drop_index(batch_op.f("ix_oversight_permissions_marking_id"))
        batch_op.drop_index(batch_op.f("ix_oversight_permissions_created_by"))
        batch_op.drop_index(batch_op.f("ix_oversight_permissions_assignment_id"))

    op.drop_table("oversight_permissions")
    with op.batch_alter_table("oversight_complaints", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_oversight_complaints_status"))
        batch_op.drop_index(batch_op.f("ix_oversight_complaints_marking_id"))
        batch_op.drop_index(batch_op.f("ix_oversight_complaints_ctivd_deadline"))

    op.drop_table("oversight_complaints")
