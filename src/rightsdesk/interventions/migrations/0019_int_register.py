"""interventions: register room tables (register of responses: entries, states, ICC accused
and charges, sources, edit history)

Revision ID: 0019_int_register
Revises:
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019_int_register"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = ("interventions",)
depends_on: str | Sequence[str] | None = "0001_core"


def upgrade() -> None:
    op.create_table(
        "int_register_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("key", sa.String(length=300), nullable=False),
        sa.Column("identifier", sa.String(length=200), nullable=True),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("mandate_body", sa.String(length=100), nullable=True),
        sa.Column("mandate_ref", sa.String(length=200), nullable=True),
        sa.Column("start_date", sa.Date(), nullable=True),
        sa.Column("start_precision", sa.String(length=5), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("end_precision", sa.String(length=5), nullable=False),
        sa.Column("status", sa.String(length=120), nullable=False),
        sa.Column("url", sa.String(length=500), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("edited_fields", sa.String(length=300), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("dataset_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["dataset_id"], ["dataset.id"], name=op.f("fk_int_register_entry_dataset_id_dataset")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_int_register_entry")),
        sa.UniqueConstraint("kind", "key", name=op.f("uq_int_register_entry_kind")),
    )
    with op.batch_alter_table("int_register_entry", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_int_register_entry_dataset_id"), ["dataset_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_int_register_entry_identifier"), ["identifier"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_int_register_entry_kind"), ["kind"], unique=False)

    op.create_table(
        "int_register_accused",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("person", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("source_status", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["entry_id"],
            ["int_register_entry.id"],
            name=op.f("fk_int_register_accused_entry_id_int_register_entry"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_int_register_accused")),
        sa.UniqueConstraint("entry_id", "key", name=op.f("uq_int_register_accused_entry_id")),
    )
    with op.batch_alter_table("int_register_accused", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_int_register_accused_entry_id"), ["entry_id"], unique=False
        )

    op.create_table(
        "int_register_edit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("changes", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["entry_id"],
            ["int_register_entry.id"],
            name=op.f("fk_int_register_edit_entry_id_int_register_entry"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_int_register_edit")),
    )
    with op.batch_alter_table("int_register_edit", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_int_register_edit_entry_id"), ["entry_id"], unique=False
        )

    op.create_table(
        "int_register_source",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("origin", sa.String(length=60), nullable=False),
        sa.Column("citation", sa.Text(), nullable=False),
        sa.Column("url", sa.String(length=500), nullable=True),
        sa.Column("as_of", sa.Date(), nullable=True),
        sa.Column("added_by", sa.String(length=100), nullable=True),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("dataset_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["dataset_id"], ["dataset.id"], name=op.f("fk_int_register_source_dataset_id_dataset")
        ),
        sa.ForeignKeyConstraint(
            ["entry_id"],
            ["int_register_entry.id"],
            name=op.f("fk_int_register_source_entry_id_int_register_entry"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_int_register_source")),
    )
    with op.batch_alter_table("int_register_source", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_int_register_source_dataset_id"), ["dataset_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_int_register_source_entry_id"), ["entry_id"], unique=False
        )

    op.create_table(
        "int_register_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("iso3", sa.String(length=3), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["entry_id"],
            ["int_register_entry.id"],
            name=op.f("fk_int_register_state_entry_id_int_register_entry"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_int_register_state")),
        sa.UniqueConstraint(
            "entry_id", "role", "name", name=op.f("uq_int_register_state_entry_id")
        ),
    )
    with op.batch_alter_table("int_register_state", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_int_register_state_entry_id"), ["entry_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_int_register_state_iso3"), ["iso3"], unique=False)

    op.create_table(
        "int_register_charge",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("accused_id", sa.Integer(), nullable=False),
        sa.Column("crime_type", sa.String(length=40), nullable=False),
        sa.Column("crime", sa.String(length=300), nullable=False),
        sa.Column("article", sa.String(length=100), nullable=True),
        sa.ForeignKeyConstraint(
            ["accused_id"],
            ["int_register_accused.id"],
            name=op.f("fk_int_register_charge_accused_id_int_register_accused"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_int_register_charge")),
    )
    with op.batch_alter_table("int_register_charge", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_int_register_charge_accused_id"), ["accused_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("int_register_charge", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_int_register_charge_accused_id"))

    op.drop_table("int_register_charge")
    with op.batch_alter_table("int_register_state", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_int_register_state_iso3"))
        batch_op.drop_index(batch_op.f("ix_int_register_state_entry_id"))

    op.drop_table("int_register_state")
    with op.batch_alter_table("int_register_source", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_int_register_source_entry_id"))
        batch_op.drop_index(batch_op.f("ix_int_register_source_dataset_id"))

    op.drop_table("int_register_source")
    with op.batch_alter_table("int_register_edit", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_int_register_edit_entry_id"))

    op.drop_table("int_register_edit")
    with op.batch_alter_table("int_register_accused", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_int_register_accused_entry_id"))

    op.drop_table("int_register_accused")
    with op.batch_alter_table("int_register_entry", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_int_register_entry_kind"))
        batch_op.drop_index(batch_op.f("ix_int_register_entry_identifier"))
        batch_op.drop_index(batch_op.f("ix_int_register_entry_dataset_id"))

    op.drop_table("int_register_entry")
