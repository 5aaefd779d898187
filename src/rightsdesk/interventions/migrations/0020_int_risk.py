"""interventions: risk room tables (the rows of the risk sources: EWP, PTS, CIRIGHTS, UCDP)

Revision ID: 0020_int_risk
Revises: 0019_int_register
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020_int_risk"
down_revision: str | Sequence[str] | None = "0019_int_register"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "int_risk_record",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=40), nullable=False),
        sa.Column("key", sa.String(length=60), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("cow", sa.Integer(), nullable=True),
        sa.Column("iso3", sa.String(length=3), nullable=True),
        sa.Column("values", sa.JSON(), nullable=False),
        sa.Column("dataset_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["dataset_id"], ["dataset.id"], name=op.f("fk_int_risk_record_dataset_id_dataset")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_int_risk_record")),
        sa.UniqueConstraint("source", "key", "year", name=op.f("uq_int_risk_record_source")),
    )
    with op.batch_alter_table("int_risk_record", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_int_risk_record_dataset_id"), ["dataset_id"], unique=False
        )
        batch_op.create_index("ix_int_risk_record_source_iso3", ["source", "iso3"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("int_risk_record", schema=None) as batch_op:
        batch_op.drop_index("ix_int_risk_record_source_iso3")
        batch_op.drop_index(batch_op.f("ix_int_risk_record_dataset_id"))
    op.drop_table("int_risk_record")
