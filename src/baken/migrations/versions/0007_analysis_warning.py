"""analysis: warning — events, follows and signals

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "analysis_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("place", sa.String(length=200), nullable=False),
        sa.Column("event_type", sa.String(length=32), nullable=False),
        sa.Column("theme", sa.String(length=8), nullable=False),
        sa.Column("actor", sa.String(length=300), nullable=False),
        sa.Column("actor_entity_id", sa.String(length=128), nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("marking_id", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name=op.f("fk_analysis_events_created_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["marking_id"], ["markings.id"], name=op.f("fk_analysis_events_marking_id_markings")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_analysis_events")),
    )
    with op.batch_alter_table("analysis_events", schema=None) as batch_op:
        for column in ("occurred_on", "country", "theme", "actor_entity_id", "marking_id"):
            batch_op.create_index(
                batch_op.f(f"ix_analysis_events_{column}"), [column], unique=False
            )
    op.create_table(
        "analysis_follows",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("target_kind", sa.String(length=16), nullable=False),
        sa.Column("target", sa.String(length=128), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_analysis_follows_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_analysis_follows")),
        sa.UniqueConstraint(
            "user_id",
            "target_kind",
            "target",
            name=op.f("uq_analysis_follows_user_id"),
        ),
    )
    with op.batch_alter_table("analysis_follows", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_analysis_follows_user_id"), ["user_id"], unique=False)
    op.create_table(
        "analysis_alerts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("follow_id", sa.Integer(), nullable=True),
        sa.Column("series", sa.String(length=300), nullable=False),
        sa.Column("week", sa.Date(), nullable=False),
        sa.Column("observed", sa.Float(), nullable=False),
        sa.Column("expected", sa.Float(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("params", sa.String(length=100), nullable=False),
        sa.Column("marking_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["follow_id"],
            ["analysis_follows.id"],
            name=op.f("fk_analysis_alerts_follow_id_analysis_follows"),
        ),
        sa.ForeignKeyConstraint(
            ["marking_id"], ["markings.id"], name=op.f("fk_analysis_alerts_marking_id_markings")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_analysis_alerts_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_analysis_alerts")),
        sa.UniqueConstraint("user_id", "series", "week", name=op.f("uq_analysis_alerts_user_id")),
    )
    with op.batch_alter_table("analysis_alerts", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_analysis_alerts_marking_id"), ["marking_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_analysis_alerts_user_id"), ["user_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("analysis_alerts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_analysis_alerts_user_id"))
        batch_op.drop_index(batch_op.f("ix_analysis_alerts_marking_id"))
    op.drop_table("analysis_alerts")
    with op.batch_alter_table("analysis_follows", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_analysis_follows_user_id"))
    op.drop_table("analysis_follows")
    with op.batch_alter_table("analysis_events", schema=None) as batch_op:
        for column in ("marking_id", "actor_entity_id", "theme", "country", "occurred_on"):
            batch_op.drop_index(batch_op.f(f"ix_analysis_events_{column}"))
    op.drop_table("analysis_events")
