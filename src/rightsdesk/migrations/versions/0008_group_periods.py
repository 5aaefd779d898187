"""core: membership periods with exact dates (group_membership.start_date / end_date)

Bloc figures must use the members of a group on the day of each vote, so a membership is a
period with exact dates: ``start_date`` (first day) and ``end_date`` (exclusive: the first day
the state was no longer a member; NULL = still a member). The year columns stay (readers that
only ask "current or not" use ``end_year IS NULL``). Existing rows get dates from their years
(1 January); ``rightsdesk init`` then reseeds the reference periods with their exact dates.

Revision ID: 0008_group_periods
Revises: 0007_sessions_keyed_audit
Create Date: 2026-12-02 03:00:00
"""

from collections.abc import Sequence
from datetime import date

import sqlalchemy as sa
from alembic import op

revision: str = "0008_group_periods"
down_revision: str | Sequence[str] | None = "0007_sessions_keyed_audit"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # plain ALTER TABLE ADD COLUMN on both stores (no batch rebuild)
    op.add_column("group_membership", sa.Column("start_date", sa.Date(), nullable=True))
    op.add_column("group_membership", sa.Column("end_date", sa.Date(), nullable=True))
    bind = op.get_bind()
    table = sa.table(
        "group_membership",
        sa.column("id", sa.Integer()),
        sa.column("start_year", sa.Integer()),
        sa.column("end_year", sa.Integer()),
        sa.column("start_date", sa.Date()),
        sa.column("end_date", sa.Date()),
    )
    rows = bind.execute(sa.select(table.c.id, table.c.start_year, table.c.end_year)).all()
    for row_id, start, end in rows:
        if start is None and end is None:
            continue
        bind.execute(
            table.update()
            .where(table.c.id == row_id)
            .values(
                start_date=date(start, 1, 1) if start else None,
                end_date=date(end, 1, 1) if end else None,
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("group_membership", schema=None) as batch_op:
        batch_op.drop_column("end_date")
        batch_op.drop_column("start_date")
