"""interventions: events room tables

Revision ID: 0022_int_events
Revises: 0021_int_framework
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0022_int_events"
down_revision: str | Sequence[str] | None = "0021_int_framework"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "int_events_export",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("source_file", sa.String(length=300), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("rejected", sa.Integer(), nullable=False),
        sa.Column("first_date", sa.Date(), nullable=True),
        sa.Column("last_date", sa.Date(), nullable=True),
        sa.Column("added_up_to", sa.BigInteger(), nullable=True),
        sa.Column("ingested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("dataset_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["dataset_id"], ["dataset.id"], name=op.f("fk_int_events_export_dataset_id_dataset")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_int_events_export")),
        sa.UniqueConstraint("name", name=op.f("uq_int_events_export_name")),
    )
    with op.batch_alter_table("int_events_export", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_int_events_export_dataset_id"), ["dataset_id"], unique=False
        )
    op.create_table(
        "int_events_monthly",
        sa.Column("perspective", sa.String(length=8), nullable=False),
        sa.Column("iso3", sa.String(length=3), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("root", sa.String(length=3), nullable=False),
        sa.Column("events", sa.Integer(), nullable=False),
        sa.Column("share", sa.Float(), nullable=False),
        sa.Column("goldstein", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint(
            "perspective", "iso3", "month", "root", name=op.f("pk_int_events_monthly")
        ),
    )
    op.create_table(
        "int_events_volume",
        sa.Column("perspective", sa.String(length=8), nullable=False),
        sa.Column("iso3", sa.String(length=3), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("perspective", "iso3", "month", name=op.f("pk_int_events_volume")),
    )


def downgrade() -> None:
    op.drop_table("int_events_volume")
    op.drop_table("int_events_monthly")
    with op.batch_alter_table("int_events_export", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_int_events_export_dataset_id"))
    op.drop_table("int_events_export")
