"""resolve: cross-referencing runs, candidate pairs and judgements

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "resolve_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("left_collection_id", sa.Integer(), nullable=False),
        sa.Column("right_collection_id", sa.Integer(), nullable=False),
        sa.Column("engine", sa.String(length=16), nullable=False),
        sa.Column("threshold", sa.Float(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("step", sa.String(length=32), nullable=True),
        sa.Column("done", sa.Integer(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("left_records", sa.Integer(), nullable=False),
        sa.Column("right_records", sa.Integer(), nullable=False),
        sa.Column("compared", sa.Integer(), nullable=False),
        sa.Column("candidates", sa.Integer(), nullable=False),
        sa.Column("model", sa.JSON(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("marking_id", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name=op.f("fk_resolve_runs_created_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["left_collection_id"],
            ["collections.id"],
            name=op.f("fk_resolve_runs_left_collection_id_collections"),
        ),
        sa.ForeignKeyConstraint(
            ["marking_id"], ["markings.id"], name=op.f("fk_resolve_runs_marking_id_markings")
        ),
        sa.ForeignKeyConstraint(
            ["right_collection_id"],
            ["collections.id"],
            name=op.f("fk_resolve_runs_right_collection_id_collections"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_resolve_runs")),
    )
    with op.batch_alter_table("resolve_runs", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_resolve_runs_left_collection_id"), ["left_collection_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_resolve_runs_marking_id"), ["marking_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_resolve_runs_right_collection_id"), ["right_collection_id"], unique=False
        )

    op.create_table(
        "resolve_pairs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("left_id", sa.String(length=128), nullable=False),
        sa.Column("right_id", sa.String(length=128), nullable=False),
        sa.Column("left_caption", sa.String(length=300), nullable=False),
        sa.Column("right_caption", sa.String(length=300), nullable=False),
        sa.Column("schema", sa.String(length=32), nullable=False),
        sa.Column("probability", sa.Float(), nullable=False),
        sa.Column("match_weight", sa.Float(), nullable=False),
        sa.Column("explanation", sa.JSON(), nullable=False),
        sa.Column("marking_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["marking_id"], ["markings.id"], name=op.f("fk_resolve_pairs_marking_id_markings")
        ),
        sa.ForeignKeyConstraint(
            ["run_id"], ["resolve_runs.id"], name=op.f("fk_resolve_pairs_run_id_resolve_runs")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_resolve_pairs")),
        sa.UniqueConstraint("run_id", "left_id", "right_id", name=op.f("uq_resolve_pairs_run_id")),
    )
    with op.batch_alter_table("resolve_pairs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_resolve_pairs_left_id"), ["left_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_resolve_pairs_marking_id"), ["marking_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_resolve_pairs_right_id"), ["right_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_resolve_pairs_run_id"), ["run_id"], unique=False)

    op.create_table(
        "resolve_judgements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("left_id", sa.String(length=128), nullable=False),
        sa.Column("right_id", sa.String(length=128), nullable=False),
        sa.Column("verdict", sa.String(length=16), nullable=False),
        sa.Column("pair_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("marking_id", sa.Integer(), nullable=False),
        sa.Column("judged_by", sa.Integer(), nullable=False),
        sa.Column("judged_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("undone_by", sa.Integer(), nullable=True),
        sa.Column("undone_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["judged_by"], ["users.id"], name=op.f("fk_resolve_judgements_judged_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["marking_id"], ["markings.id"], name=op.f("fk_resolve_judgements_marking_id_markings")
        ),
        sa.ForeignKeyConstraint(
            ["pair_id"],
            ["resolve_pairs.id"],
            name=op.f("fk_resolve_judgements_pair_id_resolve_pairs"),
        ),
        sa.ForeignKeyConstraint(
            ["undone_by"], ["users.id"], name=op.f("fk_resolve_judgements_undone_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_resolve_judgements")),
    )
    with op.batch_alter_table("resolve_judgements", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_resolve_judgements_left_id"), ["left_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_resolve_judgements_marking_id"), ["marking_id"], unique=False
        )
        batch_op.create_index("ix_resolve_judgements_pair", ["left_id", "right_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_resolve_judgements_right_id"), ["right_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("resolve_judgements", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_resolve_judgements_right_id"))
        batch_op.drop_index("ix_resolve_judgements_pair")
        batch_op.drop_index(batch_op.f("ix_resolve_judgements_marking_id"))
        batch_op.drop_index(batch_op.f("ix_resolve_judgements_left_id"))

    op.drop_table("resolve_judgements")
    with op.batch_alter_table("resolve_pairs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_resolve_pairs_run_id"))
        batch_op.drop_index(batch_op.f("ix_resolve_pairs_right_id"))
        batch_op.drop_index(batch_op.f("ix_resolve_pairs_marking_id"))
        batch_op.drop_index(batch_op.f("ix_resolve_pairs_left_id"))

    op.drop_table("resolve_pairs")
    with op.batch_alter_table("resolve_runs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_resolve_runs_right_collection_id"))
        batch_op.drop_index(batch_op.f("ix_resolve_runs_marking_id"))
        batch_op.drop_index(batch_op.f("ix_resolve_runs_left_collection_id"))

    op.drop_table("resolve_runs")
