"""core: one successor per audit entry (unique previous-hash link)

Two writers that read the same last entry would both link to it and fork the chain; the
appends are serialised now (``rightsdesk.core.security.audit``), and this constraint makes a
fork impossible at the database level. The genesis entry links to ``audit.GENESIS`` (64 zeros),
so the constraint allows exactly one first entry.

On SQLite the table is rebuilt (batch mode) to add the constraint, which drops its triggers;
the append-only triggers are created again afterwards.

Revision ID: 0006_audit_chain
Revises: 0001_core
Create Date: 2026-12-01 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_audit_chain"
down_revision: str | Sequence[str] | None = "0001_core"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SQLITE_TRIGGERS = ("audit_entry_no_update", "audit_entry_no_delete")


def _refuse_a_forked_chain() -> None:
    """A chain forked by an earlier release cannot take the constraint: stop and say where."""
    forked = (
        op.get_bind()
        .execute(
            sa.text(
                "SELECT id FROM audit_entry WHERE prev_hash IN (SELECT prev_hash FROM audit_entry "
                "GROUP BY prev_hash HAVING COUNT(*) > 1) ORDER BY id"
            )
        )
        .scalars()
        .all()
    )
    if forked:
        raise RuntimeError(
            "the audit log is forked: entries "
            + ", ".join(f"#{i}" for i in forked)
            + " link to the same previous entry (concurrent writes by an earlier release), so "
            "the unique link between entries cannot be added and the upgrade stopped. Keep a "
            "copy of the store and of its audit log before resolving the fork by hand."
        )


def _sqlite_triggers(create: bool) -> None:
    for name, verb in zip(SQLITE_TRIGGERS, ("UPDATE", "DELETE"), strict=True):
        if create:
            op.execute(
                f"CREATE TRIGGER {name} BEFORE {verb} ON audit_entry "
                "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END"
            )
        else:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")


def upgrade() -> None:
    _refuse_a_forked_chain()
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        _sqlite_triggers(create=False)
    with op.batch_alter_table("audit_entry", schema=None) as batch_op:
        batch_op.create_unique_constraint(batch_op.f("uq_audit_entry_prev_hash"), ["prev_hash"])
    if sqlite:
        _sqlite_triggers(create=True)


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        _sqlite_triggers(create=False)
    with op.batch_alter_table("audit_entry", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_audit_entry_prev_hash"), type_="unique")
    if sqlite:
        _sqlite_triggers(create=True)
