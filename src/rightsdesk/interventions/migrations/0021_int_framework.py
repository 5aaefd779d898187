"""interventions: framework room tables (assessments against the UN Framework of Analysis,
ratings per indicator, evidence links)

Revision ID: 0021_int_framework
Revises: 0020_int_risk
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0021_int_framework"
down_revision: str | Sequence[str] | None = "0020_int_risk"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "int_fw_assessment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("state_iso3", sa.String(length=3), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("assessed_on", sa.Date(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=True),
        sa.Column("period_end", sa.Date(), nullable=True),
        sa.Column("author", sa.String(length=100), nullable=False),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finalised_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finalised_by", sa.String(length=100), nullable=True),
        sa.CheckConstraint(
            "status IN ('draft', 'final')", name=op.f("ck_int_fw_assessment_status")
        ),
        sa.ForeignKeyConstraint(
            ["state_iso3"], ["state.iso3"], name=op.f("fk_int_fw_assessment_state_iso3_state")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_int_fw_assessment")),
        sa.UniqueConstraint("state_iso3", "version", name=op.f("uq_int_fw_assessment_state_iso3")),
    )
    with op.batch_alter_table("int_fw_assessment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_int_fw_assessment_state_iso3"), ["state_iso3"], unique=False
        )

    op.create_table(
        "int_fw_rating",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("indicator", sa.String(length=8), nullable=False),
        sa.Column("rating", sa.String(length=20), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("updated_by", sa.String(length=100), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "rating IN ('not-present', 'low', 'moderate', 'high', 'not-assessed')",
            name=op.f("ck_int_fw_rating_rating"),
        ),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["int_fw_assessment.id"],
            name=op.f("fk_int_fw_rating_assessment_id_int_fw_assessment"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_int_fw_rating")),
        sa.UniqueConstraint(
            "assessment_id", "indicator", name=op.f("uq_int_fw_rating_assessment_id")
        ),
    )
    with op.batch_alter_table("int_fw_rating", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_int_fw_rating_assessment_id"), ["assessment_id"], unique=False
        )

    op.create_table(
        "int_fw_evidence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("rating_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("ref", sa.String(length=300), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["rating_id"],
            ["int_fw_rating.id"],
            name=op.f("fk_int_fw_evidence_rating_id_int_fw_rating"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_int_fw_evidence")),
        sa.UniqueConstraint("rating_id", "kind", "ref", name=op.f("uq_int_fw_evidence_rating_id")),
    )
    with op.batch_alter_table("int_fw_evidence", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_int_fw_evidence_rating_id"), ["rating_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("int_fw_evidence", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_int_fw_evidence_rating_id"))
    op.drop_table("int_fw_evidence")
    with op.batch_alter_table("int_fw_rating", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_int_fw_rating_assessment_id"))
    op.drop_table("int_fw_rating")
    with op.batch_alter_table("int_fw_assessment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_int_fw_assessment_state_iso3"))
    op.drop_table("int_fw_assessment")
