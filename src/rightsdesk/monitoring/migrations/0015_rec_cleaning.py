"""rec cleaning: one response vocabulary (the source's word kept) and the original text

Responses stored before this revision hold the source's word ("accepted" from UPR Info,
"supported" from OHCHR); the upgrade keeps that word in ``source_word`` and maps the response
to the common vocabulary (supported / noted / pending / other), so the rows already stored are
cleaned without a re-import. Texts are repaired by the next import of their file (the repair
is code, ``sources.cleaning``, that a migration should not freeze); ``original_text`` stays
empty until then.

Revision ID: 0015_rec_cleaning
Revises: 0005_suggestions
Create Date: 2026-12-02 06:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015_rec_cleaning"
down_revision: str | Sequence[str] | None = "0005_suggestions"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# the source words of stored responses and what they mean in the common vocabulary
# (the same as ``sources.cleaning.RESPONSE_WORDS``, frozen here as of this revision)
_MEANING = {
    "supported": "supported",
    "accepted": "supported",
    "noted": "noted",
    "rejected": "noted",
    "pending": "pending",
}


def upgrade() -> None:
    # plain ADD COLUMN (no batch copy): the recommendation table carries the FTS triggers
    op.add_column("recommendation", sa.Column("original_text", sa.Text(), nullable=True))
    op.add_column(
        "recommendation_response",
        sa.Column("source_word", sa.String(length=40), nullable=True),
    )
    responses = sa.table(
        "recommendation_response",
        sa.column("response", sa.String()),
        sa.column("source_word", sa.String()),
    )
    op.execute(
        responses.update()
        .where(responses.c.source_word.is_(None))
        .values(source_word=responses.c.response)
    )
    for word, meaning in _MEANING.items():
        if word != meaning:
            op.execute(
                responses.update().where(responses.c.response == word).values(response=meaning)
            )
    op.execute(
        responses.update()
        .where(responses.c.response.not_in(["supported", "noted", "pending"]))
        .values(response="other")
    )


def downgrade() -> None:
    responses = sa.table(
        "recommendation_response",
        sa.column("response", sa.String()),
        sa.column("source_word", sa.String()),
    )
    # back to the source's word where it was one of the old vocabulary
    op.execute(
        responses.update()
        .where(responses.c.source_word.in_(["supported", "accepted", "noted", "pending"]))
        .values(response=responses.c.source_word)
    )
    recommendation = sa.table(
        "recommendation",
        sa.column("text", sa.Text()),
        sa.column("original_text", sa.Text()),
    )
    op.execute(
        recommendation.update()
        .where(recommendation.c.original_text.is_not(None))
        .values(text=recommendation.c.original_text)
    )
    with op.batch_alter_table("recommendation_response", schema=None) as batch_op:
        batch_op.drop_column("source_word")
    # DROP COLUMN keeps the table (and its FTS triggers) on SQLite 3.35+ and PostgreSQL
    op.drop_column("recommendation", "original_text")
