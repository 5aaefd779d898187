"""Membership of the Non-Aligned Movement over time (groupings.csv, both stores): plausible counts
at its summits, and no state a member before it was admitted or after it left."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.orm import Session

from rightsdesk.core.groups import members_at, resolve_group


def test_counts_at_the_summits(session: Session) -> None:
    assert resolve_group(session, "nam").name == "Non-Aligned Movement"
    assert len(members_at(session, "NAM", date(1961, 8, 31))) == 0
    assert len(members_at(session, "NAM", date(1961, 9, 1))) == 25  # Belgrade: the founders
    assert len(members_at(session, "NAM", date(1964, 10, 5))) == 47  # Cairo
    assert len(members_at(session, "NAM", date(1973, 9, 5))) == 75  # Algiers
    assert len(members_at(session, "NAM", date(1992, 9, 1))) == 108  # Jakarta
    assert len(members_at(session, "NAM", date(2003, 2, 24))) == 116  # Kuala Lumpur
    assert len(members_at(session, "NAM", date(2011, 6, 1))) == 120
    assert len(members_at(session, "NAM", date(2026, 1, 1))) == 120
    counts = [len(members_at(session, "NAM", date(y, 12, 31))) for y in range(1961, 2026)]
    assert all(25 <= n <= 120 for n in counts)


@pytest.mark.parametrize(
    ("iso3", "out", "member"),
    [
        ("AZE", date(2011, 5, 22), date(2011, 5, 23)),  # admitted at Bali, 2011
        ("ZAF", date(1994, 5, 30), date(1994, 6, 1)),  # after apartheid
        ("BLR", date(1998, 9, 1), date(1998, 9, 2)),  # Durban
        ("PAK", date(1979, 9, 2), date(1979, 9, 3)),  # Havana
        ("VEN", date(1989, 9, 3), date(1989, 9, 4)),
        ("CYP", date(2004, 5, 1), date(2004, 4, 30)),  # left on joining the EU
        ("MLT", date(2004, 5, 1), date(1980, 1, 1)),
        ("YUG", date(1992, 4, 27), date(1961, 9, 1)),  # a founder, until the SFRY's end
        ("ARG", date(1995, 1, 1), date(1980, 1, 1)),  # left in 1991
        ("MMR", date(1985, 1, 1), date(1995, 1, 1)),  # out 1979-1992
        ("MMR", date(1979, 9, 28), date(1961, 9, 1)),
        ("YEM", date(1990, 5, 21), date(1990, 5, 22)),  # the two Yemens merged
        ("YMD", date(1990, 5, 22), date(1985, 1, 1)),
    ],
)
def test_not_a_member_before_joining_or_after_leaving(
    session: Session, iso3: str, out: date, member: date
) -> None:
    assert iso3 not in members_at(session, "NAM", out)
    assert iso3 in members_at(session, "NAM", member)
