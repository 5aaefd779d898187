"""core: the period each dataset covers (``dataset.period_start``, ``dataset.period_end``)

The earliest and latest dated fact among the rows an import wrote (roll call dates,
ratification dates, session dates...), filled when an import ends and by ``rightsdesk init``
(``core.provenance.refresh_periods``), so every analytic figure can say "votes to 2021-12-30".

Revision ID: 0012_dataset_periods
Revises: 0008_group_periods
Create Date: 2026-12-02 03:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012_dataset_periods"
down_revision: str | Sequence[str] | None = "0008_group_periods"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("dataset", sa.Column("period_start", sa.Date(), nullable=True))
    op.add_column("dataset", sa.Column("period_end", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("dataset") as batch:
        batch.drop_column("period_end")
        batch.drop_column("period_start")
