"""interventions: whether the monthly event figures count an export

An export ingested with ``--no-aggregate`` (converted and recorded, figures left for a later
``rightsdesk interventions events aggregate``, on Spark for a large archive) is marked, so
pages can say that the figures do not count it yet. Exports stored before were aggregated.

Revision ID: 0024_int_events_aggregated
Revises: 0023_int_risk_codes
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0024_int_events_aggregated"
down_revision: str | Sequence[str] | None = "0023_int_risk_codes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("int_events_export", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("aggregated", sa.Boolean(), server_default=sa.true(), nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("int_events_export", schema=None) as batch_op:
        batch_op.drop_column("aggregated")
