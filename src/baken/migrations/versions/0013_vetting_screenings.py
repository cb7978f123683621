"""vetting: screenings (the case, its officers, the file's checklist, partner,
suspensions and decision steps; the VGB)

Revision ID: 0013
Revises: 0012
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "vetting_screenings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ref", sa.String(length=32), nullable=False),
        sa.Column("position_id", sa.Integer(), nullable=False),
        sa.Column("employer", sa.String(length=32), nullable=False),
        sa.Column("level", sa.String(length=1), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("person_name", sa.String(length=200), nullable=False),
        sa.Column("person_birth_date", sa.Date(), nullable=False),
        sa.Column("person_bsn", sa.String(length=9), nullable=False),
        sa.Column("status", sa.String(length=24), nullable=False),
        sa.Column("handled_by", sa.String(length=32), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("suspended_days", sa.Integer(), nullable=False),
        sa.Column("suspended_since", sa.Date(), nullable=True),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("outcome", sa.String(length=16), nullable=True),
        sa.Column("marking_id", sa.Integer(), nullable=False),
        sa.Column("requested_by", sa.Integer(), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["marking_id"], ["markings.id"], name=op.f("fk_vetting_screenings_marking_id_markings")
        ),
        sa.ForeignKeyConstraint(
            ["position_id"],
            ["vetting_positions.id"],
            name=op.f("fk_vetting_screenings_position_id_vetting_positions"),
        ),
        sa.ForeignKeyConstraint(
            ["requested_by"], ["users.id"], name=op.f("fk_vetting_screenings_requested_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vetting_screenings")),
        sa.UniqueConstraint("ref", name=op.f("uq_vetting_screenings_ref")),
    )
    op.create_index(
        op.f("ix_vetting_screenings_due_on"), "vetting_screenings", ["due_on"], unique=False
    )
    op.create_index(
        op.f("ix_vetting_screenings_employer"), "vetting_screenings", ["employer"], unique=False
    )
    op.create_index(
        op.f("ix_vetting_screenings_marking_id"), "vetting_screenings", ["marking_id"], unique=False
    )
    op.create_index(
        op.f("ix_vetting_screenings_person_bsn"), "vetting_screenings", ["person_bsn"], unique=False
    )
    op.create_index(
        op.f("ix_vetting_screenings_position_id"),
        "vetting_screenings",
        ["position_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_vetting_screenings_status"), "vetting_screenings", ["status"], unique=False
    )
    op.create_index(
        "ix_vetting_screenings_status_due", "vetting_screenings", ["status", "due_on"], unique=False
    )
    op.create_index(
        "ix_vetting_screenings_employer_due",
        "vetting_screenings",
        ["employer", "due_on"],
        unique=False,
    )
    op.create_index(
        "ix_vetting_screenings_handled_due",
        "vetting_screenings",
        ["handled_by", "due_on"],
        unique=False,
    )
    op.create_table(
        "vetting_case_officers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("screening_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("assigned_by", sa.Integer(), nullable=False),
        sa.Column("assigned_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["assigned_by"], ["users.id"], name=op.f("fk_vetting_case_officers_assigned_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["screening_id"],
            ["vetting_screenings.id"],
            name=op.f("fk_vetting_case_officers_screening_id_vetting_screenings"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_vetting_case_officers_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vetting_case_officers")),
        sa.UniqueConstraint(
            "screening_id", "user_id", name=op.f("uq_vetting_case_officers_screening_id")
        ),
    )
    op.create_index(
        op.f("ix_vetting_case_officers_screening_id"),
        "vetting_case_officers",
        ["screening_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_vetting_case_officers_user_id"), "vetting_case_officers", ["user_id"], unique=False
    )
    op.create_table(
        "vetting_checks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("screening_id", sa.Integer(), nullable=False),
        sa.Column("item", sa.String(length=32), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("result", sa.String(length=16), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("marking_id", sa.Integer(), nullable=False),
        sa.Column("updated_by", sa.Integer(), nullable=True),
        sa.Column("updated_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["marking_id"], ["markings.id"], name=op.f("fk_vetting_checks_marking_id_markings")
        ),
        sa.ForeignKeyConstraint(
            ["screening_id"],
            ["vetting_screenings.id"],
            name=op.f("fk_vetting_checks_screening_id_vetting_screenings"),
        ),
        sa.ForeignKeyConstraint(
            ["updated_by"], ["users.id"], name=op.f("fk_vetting_checks_updated_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vetting_checks")),
        sa.UniqueConstraint("screening_id", "item", name=op.f("uq_vetting_checks_screening_id")),
    )
    op.create_index(
        op.f("ix_vetting_checks_marking_id"), "vetting_checks", ["marking_id"], unique=False
    )
    op.create_index(
        op.f("ix_vetting_checks_screening_id"), "vetting_checks", ["screening_id"], unique=False
    )
    op.create_table(
        "vetting_partners",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("screening_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=True),
        sa.Column("marking_id", sa.Integer(), nullable=False),
        sa.Column("recorded_by", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["marking_id"], ["markings.id"], name=op.f("fk_vetting_partners_marking_id_markings")
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by"], ["users.id"], name=op.f("fk_vetting_partners_recorded_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["screening_id"],
            ["vetting_screenings.id"],
            name=op.f("fk_vetting_partners_screening_id_vetting_screenings"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vetting_partners")),
        sa.UniqueConstraint("screening_id", name=op.f("uq_vetting_partners_screening_id")),
    )
    op.create_index(
        op.f("ix_vetting_partners_marking_id"), "vetting_partners", ["marking_id"], unique=False
    )
    op.create_table(
        "vetting_steps",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("screening_id", sa.Integer(), nullable=False),
        sa.Column("step", sa.String(length=32), nullable=False),
        sa.Column("on", sa.Date(), nullable=False),
        sa.Column("outcome", sa.String(length=24), nullable=True),
        sa.Column("reasons", sa.Text(), nullable=False),
        sa.Column("marking_id", sa.Integer(), nullable=False),
        sa.Column("by", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["by"], ["users.id"], name=op.f("fk_vetting_steps_by_users")),
        sa.ForeignKeyConstraint(
            ["marking_id"], ["markings.id"], name=op.f("fk_vetting_steps_marking_id_markings")
        ),
        sa.ForeignKeyConstraint(
            ["screening_id"],
            ["vetting_screenings.id"],
            name=op.f("fk_vetting_steps_screening_id_vetting_screenings"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vetting_steps")),
    )
    op.create_index(
        op.f("ix_vetting_steps_marking_id"), "vetting_steps", ["marking_id"], unique=False
    )
    op.create_index(
        op.f("ix_vetting_steps_screening_id"), "vetting_steps", ["screening_id"], unique=False
    )
    op.create_table(
        "vetting_suspensions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("screening_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("since", sa.Date(), nullable=False),
        sa.Column("until", sa.Date(), nullable=True),
        sa.Column("marking_id", sa.Integer(), nullable=False),
        sa.Column("by", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["by"], ["users.id"], name=op.f("fk_vetting_suspensions_by_users")),
        sa.ForeignKeyConstraint(
            ["marking_id"], ["markings.id"], name=op.f("fk_vetting_suspensions_marking_id_markings")
        ),
        sa.ForeignKeyConstraint(
            ["screening_id"],
            ["vetting_screenings.id"],
            name=op.f("fk_vetting_suspensions_screening_id_vetting_screenings"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vetting_suspensions")),
    )
    op.create_index(
        op.f("ix_vetting_suspensions_marking_id"),
        "vetting_suspensions",
        ["marking_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_vetting_suspensions_screening_id"),
        "vetting_suspensions",
        ["screening_id"],
        unique=False,
    )
    op.create_table(
        "vetting_vgbs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ref", sa.String(length=32), nullable=False),
        sa.Column("screening_id", sa.Integer(), nullable=False),
        sa.Column("person_name", sa.String(length=200), nullable=False),
        sa.Column("person_bsn", sa.String(length=9), nullable=False),
        sa.Column("level", sa.String(length=1), nullable=False),
        sa.Column("scope", sa.String(length=16), nullable=False),
        sa.Column("position_id", sa.Integer(), nullable=False),
        sa.Column("location_id", sa.Integer(), nullable=True),
        sa.Column("employer", sa.String(length=32), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("end_reason", sa.Text(), nullable=False),
        sa.Column("marking_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["location_id"],
            ["vetting_locations.id"],
            name=op.f("fk_vetting_vgbs_location_id_vetting_locations"),
        ),
        sa.ForeignKeyConstraint(
            ["marking_id"], ["markings.id"], name=op.f("fk_vetting_vgbs_marking_id_markings")
        ),
        sa.ForeignKeyConstraint(
            ["position_id"],
            ["vetting_positions.id"],
            name=op.f("fk_vetting_vgbs_position_id_vetting_positions"),
        ),
        sa.ForeignKeyConstraint(
            ["screening_id"],
            ["vetting_screenings.id"],
            name=op.f("fk_vetting_vgbs_screening_id_vetting_screenings"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vetting_vgbs")),
        sa.UniqueConstraint("ref", name=op.f("uq_vetting_vgbs_ref")),
        sa.UniqueConstraint("screening_id", name=op.f("uq_vetting_vgbs_screening_id")),
    )
    op.create_index(op.f("ix_vetting_vgbs_employer"), "vetting_vgbs", ["employer"], unique=False)
    op.create_index(
        op.f("ix_vetting_vgbs_location_id"), "vetting_vgbs", ["location_id"], unique=False
    )
    op.create_index(
        op.f("ix_vetting_vgbs_marking_id"), "vetting_vgbs", ["marking_id"], unique=False
    )
    op.create_index(
        op.f("ix_vetting_vgbs_person_bsn"), "vetting_vgbs", ["person_bsn"], unique=False
    )
    op.create_index(
        op.f("ix_vetting_vgbs_position_id"), "vetting_vgbs", ["position_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_vetting_vgbs_position_id"), table_name="vetting_vgbs")
    op.drop_index(op.f("ix_vetting_vgbs_person_bsn"), table_name="vetting_vgbs")
    op.drop_index(op.f("ix_vetting_vgbs_marking_id"), table_name="vetting_vgbs")
    op.drop_index(op.f("ix_vetting_vgbs_location_id"), table_name="vetting_vgbs")
    op.drop_index(op.f("ix_vetting_vgbs_employer"), table_name="vetting_vgbs")
    op.drop_table("vetting_vgbs")
    op.drop_index(op.f("ix_vetting_suspensions_screening_id"), table_name="vetting_suspensions")
    op.drop_index(op.f("ix_vetting_suspensions_marking_id"), table_name="vetting_suspensions")
    op.drop_table("vetting_suspensions")
    op.drop_index(op.f("ix_vetting_steps_screening_id"), table_name="vetting_steps")
    op.drop_index(op.f("ix_vetting_steps_marking_id"), table_name="vetting_steps")
    op.drop_table("vetting_steps")
    op.drop_index(op.f("ix_vetting_partners_marking_id"), table_name="vetting_partners")
    op.drop_table("vetting_partners")
    op.drop_index(op.f("ix_vetting_checks_screening_id"), table_name="vetting_checks")
    op.drop_index(op.f("ix_vetting_checks_marking_id"), table_name="vetting_checks")
    op.drop_table("vetting_checks")
    op.drop_index(op.f("ix_vetting_case_officers_user_id"), table_name="vetting_case_officers")
    op.drop_index(op.f("ix_vetting_case_officers_screening_id"), table_name="vetting_case_officers")
    op.drop_table("vetting_case_officers")
    op.drop_index("ix_vetting_screenings_handled_due", table_name="vetting_screenings")
    op.drop_index("ix_vetting_screenings_employer_due", table_name="vetting_screenings")
    op.drop_index("ix_vetting_screenings_status_due", table_name="vetting_screenings")
    op.drop_index(op.f("ix_vetting_screenings_status"), table_name="vetting_screenings")
    op.drop_index(op.f("ix_vetting_screenings_position_id"), table_name="vetting_screenings")
    op.drop_index(op.f("ix_vetting_screenings_person_bsn"), table_name="vetting_screenings")
    op.drop_index(op.f("ix_vetting_screenings_marking_id"), table_name="vetting_screenings")
    op.drop_index(op.f("ix_vetting_screenings_employer"), table_name="vetting_screenings")
    op.drop_index(op.f("ix_vetting_screenings_due_on"), table_name="vetting_screenings")
    op.drop_table("vetting_screenings")
