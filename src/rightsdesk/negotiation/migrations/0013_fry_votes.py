"""negotiation: the Federal Republic of Yugoslavia's votes are Serbia and Montenegro's, not the SFRY's

Revision ID: 0013_fry_votes
Revises: 0011_vote_corrections
Create Date: 2026-12-02 06:00:00

The unvotes and UN_DATA importers stored the votes of "Yugoslavia" from the FRY's admission on
2000-11-01 until its renaming on 2003-02-04 as YUG, the Socialist Federal Republic, which
ended in 1992 and which the FRY did not continue (A/RES/47/1). The importers now store them as
SCG; this revision moves the rows already stored (state votes, per-source readings and vote
corrections of roll calls dated 2000-11-01 to 2006-06-02) from YUG to SCG, so a store need not
re-import the General Assembly history. Smaller fixes of the same kind ride along: unified
Yemen's votes of 1990, which unvotes lists as "Yemen Arab Republic" (YAR after the merger of
1990-05-22 is YEM), and Tanganyika's, which UN_DATA has in a column of its own (TAN: its seat is
Tanzania's, TZA, as in unvotes and the UN membership table); and in the Commission on Human
Rights' votes the United Arab Republic (Egypt to 1971), coded ARE, is EGY, and China before
A/RES/2758 (XXVI) of 1971-10-25 the Republic of China, TWN.

Where a roll call already holds a row of the right state next to the wrong one (a re-import
with the fixed importer before this revision ran), that row is the same vote as the fixed
importer read it: the duplicate is dropped (state votes, readings), or left as it is (a
correction, an editor's record, which the unique key would refuse to move). Data only: no
schema change, and the downgrade leaves the corrected rows as they are.
"""

import datetime as dt
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013_fry_votes"
down_revision: str | Sequence[str] | None = "0011_vote_corrections"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: (stored as, the state it is, first day, first day after) of the votes to move
MOVES: list[tuple[str, str, dt.date, dt.date]] = [
    ("YUG", "SCG", dt.date(2000, 11, 1), dt.date(2006, 6, 3)),
    ("YAR", "YEM", dt.date(1990, 5, 22), dt.date(9999, 12, 31)),
    ("TAN", "TZA", dt.date(1900, 1, 1), dt.date(9999, 12, 31)),
    # the Commission's votes: the United Arab Republic (Egypt) as ARE, the Republic of China
    ("ARE", "EGY", dt.date(1900, 1, 1), dt.date(1971, 12, 2)),
    ("CHN", "TWN", dt.date(1900, 1, 1), dt.date(1971, 10, 25)),
]
#: (table, the columns that with iso3 identify a row, whether a duplicate may be dropped)
TABLES: list[tuple[str, tuple[str, ...], bool]] = [
    ("state_vote", ("roll_call_id",), True),
    ("vote_reading", ("roll_call_id", "source"), True),
    ("vote_correction", ("roll_call_id",), False),
]
ROLL_CALL = sa.table("roll_call", sa.column("id"), sa.column("date"))


def _move(
    name: str, key: tuple[str, ...], drop: bool, old: str, new: str, first: dt.date, until: dt.date
) -> None:
    """Move ``name``'s rows of ``old`` on roll calls dated [first, until) to ``new``; a row
    whose key (``key`` + iso3) ``new`` already holds is dropped or, for corrections, kept."""
    table = sa.table(name, sa.column("iso3"), *(sa.column(c) for c in key))
    other = table.alias("other")
    calls = sa.select(ROLL_CALL.c.id).where(ROLL_CALL.c.date >= first, ROLL_CALL.c.date < until)
    picked = sa.and_(table.c.iso3 == old, table.c.roll_call_id.in_(calls))
    collides = sa.exists().where(other.c.iso3 == new, *(other.c[c] == table.c[c] for c in key))
    conn = op.get_bind()
    if drop:
        conn.execute(sa.delete(table).where(picked, collides))
    conn.execute(sa.update(table).where(picked, ~collides).values(iso3=new))


def upgrade() -> None:
    for old, new, first, until in MOVES:
        for name, key, drop in TABLES:
            _move(name, key, drop, old, new, first, until)


def downgrade() -> None:
    """Nothing to undo: putting the votes back on the wrong state would restore the error."""
