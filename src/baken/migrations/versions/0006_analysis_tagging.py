"""analysis: tagging

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "analysis_tags",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=True),
        sa.Column("entity_id", sa.String(length=128), nullable=True),
        sa.Column("collection_id", sa.Integer(), nullable=False),
        sa.Column("theme", sa.String(length=8), nullable=False),
        sa.Column("requirement_ref", sa.String(length=32), nullable=True),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("explanation", sa.JSON(), nullable=False),
        sa.Column("marking_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=False),
        sa.Column("decided_by", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["collection_id"],
            ["collections.id"],
            name=op.f("fk_analysis_tags_collection_id_collections"),
        ),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name=op.f("fk_analysis_tags_created_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["decided_by"], ["users.id"], name=op.f("fk_analysis_tags_decided_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["document_id"], ["documents.id"], name=op.f("fk_analysis_tags_document_id_documents")
        ),
        sa.ForeignKeyConstraint(
            ["marking_id"], ["markings.id"], name=op.f("fk_analysis_tags_marking_id_markings")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_analysis_tags")),
    )
    with op.batch_alter_table("analysis_tags", schema=None) as batch_op:
        for column in ("collection_id", "document_id", "entity_id", "marking_id"):
            batch_op.create_index(batch_op.f(f"ix_analysis_tags_{column}"), [column], unique=False)
        batch_op.create_index("ix_analysis_tags_theme_status", ["theme", "status"], unique=False)
        batch_op.create_index(
            "ix_analysis_tags_requirement", ["requirement_ref", "status"], unique=False
        )


def downgrade() -> None:
    op.drop_table("analysis_tags")
