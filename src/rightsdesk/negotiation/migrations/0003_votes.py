"""negotiation: UN bodies, sessions, resolutions, roll calls and state votes

Revision ID: 0003_votes
Revises: 0002_treaties (until the form registry: 0001_core)
Create Date: 2026-11-24 10:40:00

Written by hand to match ``rightsdesk.negotiation.models.votes``; the bodies are reference data
and are seeded here so that every store knows them before any import.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_votes"
down_revision: str | Sequence[str] | None = "0002_treaties"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BODIES = [
    {"code": "unga", "name": "General Assembly (plenary)"},
    {"code": "unga-c3", "name": "General Assembly, Third Committee"},
    {"code": "hrc", "name": "Human Rights Council"},
    {"code": "chr", "name": "Commission on Human Rights"},
]


def _dataset_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["dataset_id"], ["dataset.id"], name=op.f(f"fk_{table}_dataset_id_dataset")
    )


def upgrade() -> None:
    body = op.create_table(
        "vote_body",
        sa.Column("code", sa.String(length=10), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_vote_body")),
    )
    op.bulk_insert(body, BODIES)

    op.create_table(
        "vote_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("body", sa.String(length=10), nullable=False),
        sa.Column("label", sa.String(length=20), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("special", sa.Boolean(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("dataset_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["body"], ["vote_body.code"], name=op.f("fk_vote_session_body_vote_body")
        ),
        _dataset_fk("vote_session"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vote_session")),
        sa.UniqueConstraint("body", "label", name=op.f("uq_vote_session_body")),
    )
    op.create_index(
        op.f("ix_vote_session_dataset_id"), "vote_session", ["dataset_id"], unique=False
    )

    op.create_table(
        "resolution",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("body", sa.String(length=10), nullable=False),
        sa.Column("source_key", sa.String(length=60), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=True),
        sa.Column("symbol", sa.String(length=80), nullable=True),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("date", sa.Date(), nullable=True),
        sa.Column("agenda_item", sa.String(length=40), nullable=True),
        sa.Column("agenda_title", sa.Text(), nullable=True),
        sa.Column("subject", sa.String(length=300), nullable=True),
        sa.Column("main_sponsors", sa.Text(), nullable=True),
        sa.Column("adoption", sa.String(length=20), nullable=False),
        sa.Column("url", sa.String(length=300), nullable=True),
        sa.Column("yes_official", sa.Integer(), nullable=True),
        sa.Column("no_official", sa.Integer(), nullable=True),
        sa.Column("abstain_official", sa.Integer(), nullable=True),
        sa.Column("nonvoting_official", sa.Integer(), nullable=True),
        sa.Column("dataset_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["body"], ["vote_body.code"], name=op.f("fk_resolution_body_vote_body")
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["vote_session.id"],
            name=op.f("fk_resolution_session_id_vote_session"),
        ),
        _dataset_fk("resolution"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_resolution")),
        sa.UniqueConstraint("body", "source_key", name=op.f("uq_resolution_body")),
    )
    op.create_index(op.f("ix_resolution_session_id"), "resolution", ["session_id"], unique=False)
    op.create_index(op.f("ix_resolution_symbol"), "resolution", ["symbol"], unique=False)
    op.create_index(op.f("ix_resolution_dataset_id"), "resolution", ["dataset_id"], unique=False)

    op.create_table(
        "roll_call",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("resolution_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("source_id", sa.String(length=40), nullable=False),
        sa.Column("body", sa.String(length=10), nullable=False),
        sa.Column("session", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("is_amendment", sa.Boolean(), nullable=False),
        sa.Column("is_paragraph", sa.Boolean(), nullable=False),
        sa.Column("important", sa.Boolean(), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("yes_official", sa.Integer(), nullable=True),
        sa.Column("no_official", sa.Integer(), nullable=True),
        sa.Column("abstain_official", sa.Integer(), nullable=True),
        sa.Column("nonvoting_official", sa.Integer(), nullable=True),
        sa.Column("dataset_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["resolution_id"],
            ["resolution.id"],
            name=op.f("fk_roll_call_resolution_id_resolution"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["body"], ["vote_body.code"], name=op.f("fk_roll_call_body_vote_body")
        ),
        _dataset_fk("roll_call"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_roll_call")),
        sa.UniqueConstraint("source", "source_id", name=op.f("uq_roll_call_source")),
    )
    op.create_index(
        op.f("ix_roll_call_resolution_id"), "roll_call", ["resolution_id"], unique=False
    )
    op.create_index(op.f("ix_roll_call_body"), "roll_call", ["body"], unique=False)
    op.create_index(op.f("ix_roll_call_session"), "roll_call", ["session"], unique=False)
    op.create_index(op.f("ix_roll_call_date"), "roll_call", ["date"], unique=False)
    op.create_index(op.f("ix_roll_call_dataset_id"), "roll_call", ["dataset_id"], unique=False)

    op.create_table(
        "roll_call_issue",
        sa.Column("roll_call_id", sa.Integer(), nullable=False),
        sa.Column("issue", sa.String(length=10), nullable=False),
        sa.ForeignKeyConstraint(
            ["roll_call_id"],
            ["roll_call.id"],
            name=op.f("fk_roll_call_issue_roll_call_id_roll_call"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("roll_call_id", "issue", name=op.f("pk_roll_call_issue")),
    )
    op.create_index(op.f("ix_roll_call_issue_issue"), "roll_call_issue", ["issue"], unique=False)

    op.create_table(
        "state_vote",
        sa.Column("roll_call_id", sa.Integer(), nullable=False),
        sa.Column("iso3", sa.String(length=3), nullable=False),
        sa.Column("vote", sa.String(length=10), nullable=False),
        sa.Column("dataset_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["roll_call_id"],
            ["roll_call.id"],
            name=op.f("fk_state_vote_roll_call_id_roll_call"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["iso3"], ["state.iso3"], name=op.f("fk_state_vote_iso3_state")),
        _dataset_fk("state_vote"),
        sa.PrimaryKeyConstraint("roll_call_id", "iso3", name=op.f("pk_state_vote")),
    )
    op.create_index(op.f("ix_state_vote_iso3"), "state_vote", ["iso3"], unique=False)
    op.create_index(op.f("ix_state_vote_dataset_id"), "state_vote", ["dataset_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_state_vote_dataset_id"), table_name="state_vote")
    op.drop_index(op.f("ix_state_vote_iso3"), table_name="state_vote")
    op.drop_table("state_vote")
    op.drop_index(op.f("ix_roll_call_issue_issue"), table_name="roll_call_issue")
    op.drop_table("roll_call_issue")
    for name in ("dataset_id", "date", "session", "body", "resolution_id"):
        op.drop_index(op.f(f"ix_roll_call_{name}"), table_name="roll_call")
    op.drop_table("roll_call")
    for name in ("dataset_id", "symbol", "session_id"):
        op.drop_index(op.f(f"ix_resolution_{name}"), table_name="resolution")
    op.drop_table("resolution")
    op.drop_index(op.f("ix_vote_session_dataset_id"), table_name="vote_session")
    op.drop_table("vote_session")
    op.drop_table("vote_body")
