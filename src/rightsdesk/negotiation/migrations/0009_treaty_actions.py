"""negotiation: treaty actions (denunciations...), competence declarations, reservation items

Revision ID: 0009_treaty_actions
Revises: 0003_votes
Create Date: 2026-12-02 03:00:00

Written by hand to match ``rightsdesk.negotiation.treaties.models``: three new tables filled by
the UN Treaty Collection status-page importer, and three columns of ``ratification`` (the last
denunciation and, for former states, the end of their participation).
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0009_treaty_actions"
down_revision: str | Sequence[str] | None = "0003_votes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _common(table: str) -> list[Any]:
    return [
        sa.Column("dataset_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["dataset_id"], ["dataset.id"], name=op.f(f"fk_{table}_dataset_id_dataset")
        ),
        sa.ForeignKeyConstraint(
            ["instrument_short"],
            ["instrument.short"],
            name=op.f(f"fk_{table}_instrument_short_instrument"),
        ),
        sa.ForeignKeyConstraint(["iso3"], ["state.iso3"], name=op.f(f"fk_{table}_iso3_state")),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
    ]


def _indexes(table: str) -> None:
    op.create_index(op.f(f"ix_{table}_dataset_id"), table, ["dataset_id"], unique=False)
    op.create_index(op.f(f"ix_{table}_instrument_short"), table, ["instrument_short"], unique=False)


def upgrade() -> None:
    op.add_column("ratification", sa.Column("denounced_on", sa.Date(), nullable=True))
    op.add_column("ratification", sa.Column("denunciation_effective", sa.Date(), nullable=True))
    op.add_column("ratification", sa.Column("party_until", sa.Date(), nullable=True))
    op.create_table(
        "treaty_action",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("iso3", sa.String(length=3), nullable=False),
        sa.Column("instrument_short", sa.String(length=20), nullable=False),
        sa.Column("action", sa.String(length=30), nullable=False),
        sa.Column("action_date", sa.Date(), nullable=False),
        sa.Column("effective_date", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("source_kind", sa.String(length=60), nullable=False),
        *_common("treaty_action"),
        sa.UniqueConstraint(
            "iso3",
            "instrument_short",
            "action",
            "action_date",
            name=op.f("uq_treaty_action_iso3"),
        ),
    )
    _indexes("treaty_action")
    op.create_table(
        "treaty_competence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("iso3", sa.String(length=3), nullable=False),
        sa.Column("instrument_short", sa.String(length=20), nullable=False),
        sa.Column("article", sa.String(length=10), nullable=False),
        sa.Column("procedure", sa.String(length=20), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("declared_on", sa.Date(), nullable=True),
        sa.Column("withdrawn", sa.Date(), nullable=True),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("source_kind", sa.String(length=60), nullable=False),
        *_common("treaty_competence"),
        sa.UniqueConstraint(
            "iso3", "instrument_short", "article", "kind", name=op.f("uq_treaty_competence_iso3")
        ),
    )
    _indexes("treaty_competence")
    op.create_table(
        "reservation_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("iso3", sa.String(length=3), nullable=False),
        sa.Column("instrument_short", sa.String(length=20), nullable=False),
        sa.Column("ordinal", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("articles", sa.String(length=200), nullable=False),
        sa.Column("made_on", sa.Date(), nullable=True),
        sa.Column("withdrawn", sa.String(length=10), nullable=True),
        sa.Column("withdrawn_on", sa.Date(), nullable=True),
        sa.Column("objected_iso3", sa.String(length=3), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        *_common("reservation_item"),
        sa.UniqueConstraint(
            "iso3", "instrument_short", "ordinal", name=op.f("uq_reservation_item_iso3")
        ),
    )
    _indexes("reservation_item")


def downgrade() -> None:
    for table in ("reservation_item", "treaty_competence", "treaty_action"):
        op.drop_index(op.f(f"ix_{table}_instrument_short"), table_name=table)
        op.drop_index(op.f(f"ix_{table}_dataset_id"), table_name=table)
        op.drop_table(table)
    with op.batch_alter_table("ratification") as batch:
        batch.drop_column("party_until")
        batch.drop_column("denunciation_effective")
        batch.drop_column("denounced_on")
