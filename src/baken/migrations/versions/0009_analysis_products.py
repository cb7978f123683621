"""analysis: products, their citations, observables and approved recipients; releases
(afgifte) and third-party consents (instemming)

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "analysis_products",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("type", sa.String(length=32), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("marking_id", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("approved_by", sa.Integer(), nullable=True),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("review_note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["approved_by"], ["users.id"], name=op.f("fk_analysis_products_approved_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name=op.f("fk_analysis_products_created_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["marking_id"], ["markings.id"], name=op.f("fk_analysis_products_marking_id_markings")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_analysis_products")),
    )
    with op.batch_alter_table("analysis_products", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_analysis_products_marking_id"), ["marking_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_analysis_products_status"), ["status"], unique=False)

    op.create_table(
        "analysis_consents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("partner", sa.String(length=32), nullable=False),
        sa.Column("recipient", sa.String(length=32), nullable=False),
        sa.Column("reference", sa.String(length=200), nullable=False),
        sa.Column("marking_id", sa.Integer(), nullable=False),
        sa.Column("recorded_by", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["marking_id"], ["markings.id"], name=op.f("fk_analysis_consents_marking_id_markings")
        ),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["analysis_products.id"],
            name=op.f("fk_analysis_consents_product_id_analysis_products"),
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by"], ["users.id"], name=op.f("fk_analysis_consents_recorded_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_analysis_consents")),
        sa.UniqueConstraint(
            "product_id", "partner", "recipient", name=op.f("uq_analysis_consents_product_id")
        ),
    )
    with op.batch_alter_table("analysis_consents", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_analysis_consents_marking_id"), ["marking_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_analysis_consents_product_id"), ["product_id"], unique=False
        )

    op.create_table(
        "analysis_product_citations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("target_id", sa.String(length=128), nullable=False),
        sa.Column("caption", sa.String(length=300), nullable=False),
        sa.Column("marking_id", sa.Integer(), nullable=False),
        sa.Column("cited_by", sa.Integer(), nullable=False),
        sa.Column("cited_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["cited_by"], ["users.id"], name=op.f("fk_analysis_product_citations_cited_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["marking_id"],
            ["markings.id"],
            name=op.f("fk_analysis_product_citations_marking_id_markings"),
        ),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["analysis_products.id"],
            name=op.f("fk_analysis_product_citations_product_id_analysis_products"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_analysis_product_citations")),
        sa.UniqueConstraint(
            "product_id", "kind", "target_id", name=op.f("uq_analysis_product_citations_product_id")
        ),
    )
    with op.batch_alter_table("analysis_product_citations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_analysis_product_citations_marking_id"), ["marking_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_analysis_product_citations_product_id"), ["product_id"], unique=False
        )

    op.create_table(
        "analysis_product_observables",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("type", sa.String(length=16), nullable=False),
        sa.Column("value", sa.String(length=2048), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["analysis_products.id"],
            name=op.f("fk_analysis_product_observables_product_id_analysis_products"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_analysis_product_observables")),
        sa.UniqueConstraint(
            "product_id", "type", "value", name=op.f("uq_analysis_product_observables_product_id")
        ),
    )
    with op.batch_alter_table("analysis_product_observables", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_analysis_product_observables_product_id"), ["product_id"], unique=False
        )

    op.create_table(
        "analysis_product_recipients",
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("recipient", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["analysis_products.id"],
            name=op.f("fk_analysis_product_recipients_product_id_analysis_products"),
        ),
        sa.PrimaryKeyConstraint(
            "product_id", "recipient", name=op.f("pk_analysis_product_recipients")
        ),
    )
    op.create_table(
        "analysis_releases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("recipient", sa.String(length=32), nullable=False),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("marking_id", sa.Integer(), nullable=False),
        sa.Column("released_by", sa.Integer(), nullable=False),
        sa.Column("released_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["marking_id"], ["markings.id"], name=op.f("fk_analysis_releases_marking_id_markings")
        ),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["analysis_products.id"],
            name=op.f("fk_analysis_releases_product_id_analysis_products"),
        ),
        sa.ForeignKeyConstraint(
            ["released_by"], ["users.id"], name=op.f("fk_analysis_releases_released_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_analysis_releases")),
        sa.UniqueConstraint(
            "product_id", "recipient", name=op.f("uq_analysis_releases_product_id")
        ),
    )
    with op.batch_alter_table("analysis_releases", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_analysis_releases_marking_id"), ["marking_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_analysis_releases_product_id"), ["product_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_analysis_releases_recipient"), ["recipient"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("analysis_releases", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_analysis_releases_recipient"))
        batch_op.drop_index(batch_op.f("ix_analysis_releases_product_id"))
        batch_op.drop_index(batch_op.f("ix_analysis_releases_marking_id"))

    op.drop_table("analysis_releases")
    op.drop_table("analysis_product_recipients")
    with op.batch_alter_table("analysis_product_observables", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_analysis_product_observables_product_id"))

    op.drop_table("analysis_product_observables")
    with op.batch_alter_table("analysis_product_citations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_analysis_product_citations_product_id"))
        batch_op.drop_index(batch_op.f("ix_analysis_product_citations_marking_id"))

    op.drop_table("analysis_product_citations")
    with op.batch_alter_table("analysis_consents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_analysis_consents_product_id"))
        batch_op.drop_index(batch_op.f("ix_analysis_consents_marking_id"))

    op.drop_table("analysis_consents")
    with op.batch_alter_table("analysis_products", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_analysis_products_status"))
        batch_op.drop_index(batch_op.f("ix_analysis_products_marking_id"))

    op.drop_table("analysis_products")
