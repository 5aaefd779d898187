"""negotiation: UN symbols, the Security Council, and per-source readings of votes

Revision ID: 0010_un_symbols
Revises: 0009_treaty_actions
Create Date: 2026-12-02 03:00:00

Adds ``resolution.symbol_key`` (the key any spelling of a symbol is matched on),
``roll_call.reading`` (whose reading ``state_vote`` holds), the tables ``vote_reading`` and
``roll_call_reading`` (both readings where two sources hold one roll call) and the body
``unsc``. Stored rows are brought to the UN's form in place: unvotes' ``R/68/262`` becomes
``A/RES/68/262`` and its title the library title with the descriptors as subject, so a store
need not re-import the General Assembly history to be right.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010_un_symbols"
down_revision: str | Sequence[str] | None = "0009_treaty_actions"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _dataset_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["dataset_id"], ["dataset.id"], name=op.f(f"fk_{table}_dataset_id_dataset")
    )


def _fix_rows() -> None:
    """Official symbols, keys, titles and subjects of the resolutions already stored."""
    from rightsdesk.negotiation.votes.symbols import symbol_key, unvotes_symbol, unvotes_title

    conn = op.get_bind()
    first_descr = {
        int(r[0]): r[1]
        for r in conn.execute(
            sa.text(
                "SELECT resolution_id, MIN(description) FROM roll_call "
                "WHERE source = 'unvotes' GROUP BY resolution_id"
            )
        )
    }
    rows = conn.execute(
        sa.text("SELECT id, body, source_key, symbol, title, subject FROM resolution")
    ).all()
    updates = []
    for rid, body, source_key, symbol, title, subject in rows:
        if body == "unga" and int(rid) in first_descr and not str(source_key).startswith("rcid "):
            symbol = unvotes_symbol(str(source_key)) or symbol
            if subject is None:  # the importer before this revision never set one
                title, subject = unvotes_title(title, first_descr[int(rid)])
        updates.append(
            {"id": rid, "symbol": symbol, "key": symbol_key(symbol), "title": title, "sub": subject}
        )
    if updates:
        conn.execute(
            sa.text(
                "UPDATE resolution SET symbol = :symbol, symbol_key = :key, title = :title, "
                "subject = :sub WHERE id = :id"
            ),
            updates,
        )


def upgrade() -> None:
    body = sa.table("vote_body", sa.column("code", sa.String), sa.column("name", sa.String))
    op.bulk_insert(body, [{"code": "unsc", "name": "Security Council"}])
    with op.batch_alter_table("resolution") as batch:
        batch.add_column(sa.Column("symbol_key", sa.String(length=80), nullable=True))
        batch.create_index(batch.f("ix_resolution_symbol_key"), ["symbol_key"], unique=False)
    with op.batch_alter_table("roll_call") as batch:
        batch.add_column(sa.Column("reading", sa.String(length=20), nullable=True))
    op.create_table(
        "vote_reading",
        sa.Column("roll_call_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("iso3", sa.String(length=3), nullable=False),
        sa.Column("vote", sa.String(length=10), nullable=False),
        sa.Column("dataset_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["roll_call_id"],
            ["roll_call.id"],
            name=op.f("fk_vote_reading_roll_call_id_roll_call"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["iso3"], ["state.iso3"], name=op.f("fk_vote_reading_iso3_state")),
        _dataset_fk("vote_reading"),
        sa.PrimaryKeyConstraint("roll_call_id", "source", "iso3", name=op.f("pk_vote_reading")),
    )
    op.create_index(
        op.f("ix_vote_reading_dataset_id"), "vote_reading", ["dataset_id"], unique=False
    )
    op.create_table(
        "roll_call_reading",
        sa.Column("roll_call_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("yes", sa.Integer(), nullable=True),
        sa.Column("no", sa.Integer(), nullable=True),
        sa.Column("abstain", sa.Integer(), nullable=True),
        sa.Column("nonvoting", sa.Integer(), nullable=True),
        sa.Column("dataset_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["roll_call_id"],
            ["roll_call.id"],
            name=op.f("fk_roll_call_reading_roll_call_id_roll_call"),
            ondelete="CASCADE",
        ),
        _dataset_fk("roll_call_reading"),
        sa.PrimaryKeyConstraint("roll_call_id", "source", name=op.f("pk_roll_call_reading")),
    )
    op.create_index(
        op.f("ix_roll_call_reading_dataset_id"), "roll_call_reading", ["dataset_id"], unique=False
    )
    _fix_rows()


def downgrade() -> None:
    op.drop_index(op.f("ix_roll_call_reading_dataset_id"), table_name="roll_call_reading")
    op.drop_table("roll_call_reading")
    op.drop_index(op.f("ix_vote_reading_dataset_id"), table_name="vote_reading")
    op.drop_table("vote_reading")
    with op.batch_alter_table("roll_call") as batch:
        batch.drop_column("reading")
    with op.batch_alter_table("resolution") as batch:
        batch.drop_index(batch.f("ix_resolution_symbol_key"))
        batch.drop_column("symbol_key")
    op.execute("DELETE FROM vote_body WHERE code = 'unsc'")
