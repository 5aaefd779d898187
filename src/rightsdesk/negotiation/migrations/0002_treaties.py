"""negotiation: the 18 core human rights instruments, ratifications and reservations

The instrument rows are seeded here (a frozen copy of ``rightsdesk.negotiation.instruments``,
which a test compares with the catalogue) so that a fresh store lists all 18 instruments before
any import; importers keep them in step with the catalogue afterwards.

Revision ID: 0002_treaties
Revises:
Depends on: 0001_core (branch negotiation starts here)
Create Date: 2026-11-24 10:30:00
"""

from collections.abc import Sequence
from datetime import date
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0002_treaties"
down_revision: str | Sequence[str] | None = None  # the base of the negotiation branch
branch_labels: str | Sequence[str] | None = ("negotiation",)
depends_on: str | Sequence[str] | None = "0001_core"

# short, name, kind, parent_short, mtdsg_no, untc_id, body, adopted, entry_into_force, position
INSTRUMENTS: list[tuple[Any, ...]] = [
    (
        "ICERD",
        "International Convention on the Elimination of All Forms of Racial Discrimination",
        "treaty",
        None,
        "IV-2",
        "cerd",
        "CERD",
        "1965-12-21",
        "1969-01-04",
        1,
    ),
    (
        "ICCPR",
        "International Covenant on Civil and Political Rights",
        "treaty",
        None,
        "IV-4",
        "iccpr",
        "CCPR",
        "1966-12-16",
        "1976-03-23",
        2,
    ),
    (
        "ICCPR-OP1",
        "Optional Protocol to the International Covenant on Civil and Political Rights",
        "protocol",
        "ICCPR",
        "IV-5",
        "iccpr_op1",
        "CCPR",
        "1966-12-16",
        "1976-03-23",
        3,
    ),
    (
        "ICCPR-OP2",
        "Second Optional Protocol to the International Covenant on Civil and Political Rights, aiming at the abolition of the death penalty",
        "protocol",
        "ICCPR",
        "IV-12",
        "iccpr_op2",
        "CCPR",
        "1989-12-15",
        "1991-07-11",
        4,
    ),
    (
        "ICESCR",
        "International Covenant on Economic, Social and Cultural Rights",
        "treaty",
        None,
        "IV-3",
        "icescr",
        "CESCR",
        "1966-12-16",
        "1976-01-03",
        5,
    ),
    (
        "OP-ICESCR",
        "Optional Protocol to the International Covenant on Economic, Social and Cultural Rights",
        "protocol",
        "ICESCR",
        "IV-3-a",
        "icescr_op",
        "CESCR",
        "2008-12-10",
        "2013-05-05",
        6,
    ),
    (
        "CEDAW",
        "Convention on the Elimination of All Forms of Discrimination against Women",
        "treaty",
        None,
        "IV-8",
        "cedaw",
        "CEDAW",
        "1979-12-18",
        "1981-09-03",
        7,
    ),
    (
        "OP-CEDAW",
        "Optional Protocol to the Convention on the Elimination of All Forms of Discrimination against Women",
        "protocol",
        "CEDAW",
        "IV-8-b",
        "cedaw_op",
        "CEDAW",
        "1999-10-06",
        "2000-12-22",
        8,
    ),
    (
        "CAT",
        "Convention against Torture and Other Cruel, Inhuman or Degrading Treatment or Punishment",
        "treaty",
        None,
        "IV-9",
        "cat",
        "CAT",
        "1984-12-10",
        "1987-06-26",
        9,
    ),
    (
        "OP-CAT",
        "Optional Protocol to the Convention against Torture and Other Cruel, Inhuman or Degrading Treatment or Punishment",
        "protocol",
        "CAT",
        "IV-9-b",
        "cat_op",
        "SPT",
        "2002-12-18",
        "2006-06-22",
        10,
    ),
    (
        "CRC",
        "Convention on the Rights of the Child",
        "treaty",
        None,
        "IV-11",
        "crc",
        "CRC",
        "1989-11-20",
        "1990-09-02",
        11,
    ),
    (
        "OP-CRC-AC",
        "Optional Protocol to the Convention on the Rights of the Child on the involvement of children in armed conflict",
        "protocol",
        "CRC",
        "IV-11-b",
        "crc_op_ac",
        "CRC",
        "2000-05-25",
        "2002-02-12",
        12,
    ),
    (
        "OP-CRC-SC",
        "Optional Protocol to the Convention on the Rights of the Child on the sale of children, child prostitution and child pornography",
        "protocol",
        "CRC",
        "IV-11-c",
        "crc_op_sc",
        "CRC",
        "2000-05-25",
        "2002-01-18",
        13,
    ),
    (
        "OP-CRC-IC",
        "Optional Protocol to the Convention on the Rights of the Child on a communications procedure",
        "protocol",
        "CRC",
        "IV-11-d",
        "crc_op_ic",
        "CRC",
        "2011-12-19",
        "2014-04-14",
        14,
    ),
    (
        "ICMW",
        "International Convention on the Protection of the Rights of All Migrant Workers and Members of Their Families",
        "treaty",
        None,
        "IV-13",
        "cmw",
        "CMW",
        "1990-12-18",
        "2003-07-01",
        15,
    ),
    (
        "CRPD",
        "Convention on the Rights of Persons with Disabilities",
        "treaty",
        None,
        "IV-15",
        "crpd",
        "CRPD",
        "2006-12-13",
        "2008-05-03",
        16,
    ),
    (
        "OP-CRPD",
        "Optional Protocol to the Convention on the Rights of Persons with Disabilities",
        "protocol",
        "CRPD",
        "IV-15-a",
        "crpd_op",
        "CRPD",
        "2006-12-13",
        "2008-05-03",
        17,
    ),
    (
        "CPED",
        "International Convention for the Protection of All Persons from Enforced Disappearance",
        "treaty",
        None,
        "IV-16",
        "ced",
        "CED",
        "2006-12-20",
        "2010-12-23",
        18,
    ),
]


def upgrade() -> None:
    instrument = op.create_table(
        "instrument",
        sa.Column("short", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("parent_short", sa.String(length=20), nullable=True),
        sa.Column("mtdsg_no", sa.String(length=20), nullable=False),
        sa.Column("untc_id", sa.String(length=30), nullable=False),
        sa.Column("body", sa.String(length=20), nullable=False),
        sa.Column("adopted", sa.Date(), nullable=False),
        sa.Column("entry_into_force", sa.Date(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["parent_short"],
            ["instrument.short"],
            name=op.f("fk_instrument_parent_short_instrument"),
        ),
        sa.PrimaryKeyConstraint("short", name=op.f("pk_instrument")),
        sa.UniqueConstraint("mtdsg_no", name=op.f("uq_instrument_mtdsg_no")),
        sa.UniqueConstraint("untc_id", name=op.f("uq_instrument_untc_id")),
    )
    op.create_table(
        "ratification",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("iso3", sa.String(length=3), nullable=False),
        sa.Column("instrument_short", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("signature_date", sa.Date(), nullable=True),
        sa.Column("consent_date", sa.Date(), nullable=True),
        sa.Column("consent_type", sa.String(length=30), nullable=True),
        sa.Column("source_kind", sa.String(length=60), nullable=False),
        sa.Column("dataset_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["dataset_id"], ["dataset.id"], name=op.f("fk_ratification_dataset_id_dataset")
        ),
        sa.ForeignKeyConstraint(
            ["instrument_short"],
            ["instrument.short"],
            name=op.f("fk_ratification_instrument_short_instrument"),
        ),
        sa.ForeignKeyConstraint(["iso3"], ["state.iso3"], name=op.f("fk_ratification_iso3_state")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ratification")),
        sa.UniqueConstraint("iso3", "instrument_short", name=op.f("uq_ratification_iso3")),
    )
    op.create_index(
        op.f("ix_ratification_dataset_id"), "ratification", ["dataset_id"], unique=False
    )
    op.create_index(
        op.f("ix_ratification_instrument_short"),
        "ratification",
        ["instrument_short"],
        unique=False,
    )
    op.create_table(
        "reservation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("iso3", sa.String(length=3), nullable=False),
        sa.Column("instrument_short", sa.String(length=20), nullable=False),
        sa.Column("ordinal", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("text_sha256", sa.String(length=64), nullable=False),
        sa.Column("refers_to", sa.String(length=20), nullable=True),
        sa.Column("dataset_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["dataset_id"], ["dataset.id"], name=op.f("fk_reservation_dataset_id_dataset")
        ),
        sa.ForeignKeyConstraint(
            ["instrument_short"],
            ["instrument.short"],
            name=op.f("fk_reservation_instrument_short_instrument"),
        ),
        sa.ForeignKeyConstraint(["iso3"], ["state.iso3"], name=op.f("fk_reservation_iso3_state")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reservation")),
        sa.UniqueConstraint(
            "iso3", "instrument_short", "ordinal", name=op.f("uq_reservation_iso3")
        ),
    )
    op.create_index(op.f("ix_reservation_dataset_id"), "reservation", ["dataset_id"], unique=False)
    op.create_index(
        op.f("ix_reservation_instrument_short"), "reservation", ["instrument_short"], unique=False
    )
    columns = ("short", "name", "kind", "parent_short", "mtdsg_no", "untc_id", "body")
    rows: list[dict[str, object]] = []
    for values in INSTRUMENTS:
        row: dict[str, object] = dict(zip(columns, values[:7], strict=True))
        row["adopted"] = date.fromisoformat(str(values[7]))
        row["entry_into_force"] = date.fromisoformat(str(values[8])) if values[8] else None
        row["position"] = values[9]
        rows.append(row)
    op.bulk_insert(instrument, rows)


def downgrade() -> None:
    op.drop_index(op.f("ix_reservation_instrument_short"), table_name="reservation")
    op.drop_index(op.f("ix_reservation_dataset_id"), table_name="reservation")
    op.drop_table("reservation")
    op.drop_index(op.f("ix_ratification_instrument_short"), table_name="ratification")
    op.drop_index(op.f("ix_ratification_dataset_id"), table_name="ratification")
    op.drop_table("ratification")
    op.drop_table("instrument")
