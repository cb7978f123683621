"""vetting: one active register entry per person and position (a partial unique index)

Revision ID: 0021
Revises: 0020
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None

ACTIVE = sa.text("deregistered_on IS NULL")


def upgrade() -> None:
    op.create_index(
        "uq_vetting_register_active",
        "vetting_register",
        ["person_bsn", "position_id"],
        unique=True,
        sqlite_where=ACTIVE,
        postgresql_where=ACTIVE,
    )


def downgrade() -> None:
    op.drop_index("uq_vetting_register_active", table_name="vetting_register")
