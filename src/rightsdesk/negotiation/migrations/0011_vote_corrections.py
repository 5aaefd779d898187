"""negotiation: corrections of recorded votes (a state's later stated intention)

Revision ID: 0011_vote_corrections
Revises: 0010_un_symbols
Create Date: 2026-12-02 03:00:00

Written by hand to match ``rightsdesk.negotiation.votes.models.VoteCorrection``.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011_vote_corrections"
down_revision: str | Sequence[str] | None = "0010_un_symbols"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "vote_correction",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("roll_call_id", sa.Integer(), nullable=False),
        sa.Column("iso3", sa.String(length=3), nullable=False),
        sa.Column("recorded_vote", sa.String(length=10), nullable=False),
        sa.Column("intended_vote", sa.String(length=10), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("stated_on", sa.Date(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["iso3"], ["state.iso3"], name=op.f("fk_vote_correction_iso3_state")
        ),
        sa.ForeignKeyConstraint(
            ["roll_call_id"],
            ["roll_call.id"],
            name=op.f("fk_vote_correction_roll_call_id_roll_call"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vote_correction")),
        sa.UniqueConstraint("roll_call_id", "iso3", name=op.f("uq_vote_correction_roll_call_id")),
    )
    op.create_index(
        op.f("ix_vote_correction_roll_call_id"), "vote_correction", ["roll_call_id"], unique=False
    )
    op.create_index(op.f("ix_vote_correction_iso3"), "vote_correction", ["iso3"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_vote_correction_iso3"), table_name="vote_correction")
    op.drop_index(op.f("ix_vote_correction_roll_call_id"), table_name="vote_correction")
    op.drop_table("vote_correction")
