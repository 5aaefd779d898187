"""interventions: correct the state codes of stored risk records

Stores filled before this revision keyed four Pacific states by their Gleditsch-Ward codes
read as COW codes (COW 970 is Nauru, which they filed under Kiribati; COW 946 Kiribati, 947
Tuvalu and 955 Tonga had no state at all) and left PTS's uncoded "Soviet Union" rows without
a state. The importer now codes them correctly; this revision mends rows already stored, so an
unchanged file (skipped by its checksum) does not keep the old keys. The values are frozen
here rather than imported from the application, as a migration must be.

Revision ID: 0023_int_risk_codes
Revises: 0022_int_events
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0023_int_risk_codes"
down_revision: str | Sequence[str] | None = "0022_int_events"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_COW_SOURCES = ("ewp-basedata", "ewp-predictors", "ewp-forecasts", "pts", "cirights")
_GW_SOURCES = ("ucdp-battledeaths", "ucdp-acd", "ucdp-onesided")
#: COW code -> ISO3, for the codes the earlier table got wrong
_COW_ISO3 = {946: "KIR", 947: "TUV", 955: "TON", 970: "NRU"}
#: the COW code earlier stored for a UCDP (Gleditsch-Ward) row -> the right COW code
_GW_COW = {970: 946, 971: 970, 972: 955, 973: 947}

_record = sa.table(
    "int_risk_record",
    sa.column("source", sa.String),
    sa.column("name", sa.String),
    sa.column("cow", sa.Integer),
    sa.column("iso3", sa.String),
)


def upgrade() -> None:
    t = _record
    for cow, iso3 in _COW_ISO3.items():
        op.execute(t.update().where(t.c.source.in_(_COW_SOURCES), t.c.cow == cow).values(iso3=iso3))
    # one statement, so every row is read with its old code (971 -> 970 and 970 -> 946)
    op.execute(
        t.update()
        .where(t.c.source.in_(_GW_SOURCES), t.c.cow.in_(tuple(_GW_COW)))
        .values(
            cow=sa.case(*((t.c.cow == gw, cow) for gw, cow in _GW_COW.items())),
            iso3=sa.case(*((t.c.cow == gw, _COW_ISO3[cow]) for gw, cow in _GW_COW.items())),
        )
    )
    op.execute(
        t.update()
        .where(t.c.source == "pts", t.c.cow.is_(None), sa.func.lower(t.c.name) == "soviet union")
        .values(cow=365, iso3="SUN")
    )


def downgrade() -> None:
    """Nothing to undo: the earlier codes were wrong, and the tables are unchanged."""
