"""analysis: graph — saved network views, and the partial index on relationship ends

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

# The entity-typed ends of FtM's relationship schemata (baken.analysis.graph.vocab).
EDGE_PROPS = (
    "agent",
    "asset",
    "associate",
    "beneficiary",
    "case",
    "client",
    "contract",
    "controlled",
    "controller",
    "creditor",
    "debtor",
    "director",
    "document",
    "employee",
    "employer",
    "entity",
    "holder",
    "member",
    "object",
    "organization",
    "owner",
    "participant",
    "party",
    "payer",
    "person",
    "post",
    "predecessor",
    "project",
    "relative",
    "subject",
    "successor",
    "supplier",
)


def upgrade() -> None:
    op.create_table(
        "analysis_graph_views",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("center_id", sa.String(length=128), nullable=False),
        sa.Column("nodes", sa.JSON(), nullable=False),
        sa.Column("layout", sa.JSON(), nullable=False),
        sa.Column("marking_id", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name=op.f("fk_analysis_graph_views_created_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["marking_id"],
            ["markings.id"],
            name=op.f("fk_analysis_graph_views_marking_id_markings"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_analysis_graph_views")),
    )
    with op.batch_alter_table("analysis_graph_views", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_analysis_graph_views_marking_id"), ["marking_id"], unique=False
        )
    edge = sa.column("prop").in_(EDGE_PROPS)
    op.create_index(
        "ix_statements_graph_edges",
        "statements",
        ["value", "prop"],
        unique=False,
        sqlite_where=edge,
        postgresql_where=edge,
    )


def downgrade() -> None:
    op.drop_index("ix_statements_graph_edges", table_name="statements")
    with op.batch_alter_table("analysis_graph_views", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_analysis_graph_views_marking_id"))
    op.drop_table("analysis_graph_views")
