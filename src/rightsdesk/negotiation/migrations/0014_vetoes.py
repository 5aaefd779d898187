"""negotiation: Security Council vetoes from the vetoes dataset

Revision ID: 0014_vetoes
Revises: 0013_fry_votes
Create Date: 2026-12-02 06:20:00

Written by hand to match ``rightsdesk.negotiation.votes.models.CouncilVeto``.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014_vetoes"
down_revision: str | Sequence[str] | None = "0013_fry_votes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "council_veto",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("draft", sa.String(length=40), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("meeting", sa.String(length=40), nullable=True),
        sa.Column("agenda_item", sa.Text(), nullable=True),
        sa.Column("topic", sa.String(length=200), nullable=True),
        sa.Column("region", sa.String(length=100), nullable=True),
        sa.Column("vetoed_by", sa.String(length=40), nullable=False),
        sa.Column("dataset_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["dataset_id"], ["dataset.id"], name=op.f("fk_council_veto_dataset_id_dataset")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_council_veto")),
        sa.UniqueConstraint("draft", "date", "seq", name=op.f("uq_council_veto_draft")),
    )
    op.create_index(op.f("ix_council_veto_draft"), "council_veto", ["draft"], unique=False)
    op.create_index(
        op.f("ix_council_veto_dataset_id"), "council_veto", ["dataset_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_council_veto_dataset_id"), table_name="council_veto")
    op.drop_index(op.f("ix_council_veto_draft"), table_name="council_veto")
    op.drop_table("council_veto")
