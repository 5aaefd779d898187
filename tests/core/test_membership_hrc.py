"""Human Rights Council terms from recorded votes (negotiation.votes.hrc_terms.derive_terms), on
small synthetic vote lists and on the real file: June terms to 2011, calendar years from 2013,
mid-term changes, and single-day recording errors left out."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from rightsdesk.negotiation.votes.hrc_terms import derive_terms, term_starts


def _votes(rows: list[tuple[str, str]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["iso3", "date"])


def test_term_starts() -> None:
    starts = term_starts(dt.date(2015, 3, 1))
    assert starts[:2] == [dt.date(2006, 6, 19), dt.date(2007, 6, 19)]
    assert dt.date(2011, 6, 19) in starts and dt.date(2012, 6, 19) not in starts
    assert starts[-1] == dt.date(2016, 1, 1)  # the end of the last term


def test_terms_merge_and_mid_term_changes() -> None:
    votes = _votes(
        [
            *(("AAA", d) for d in ("2014-03-27", "2014-06-26", "2014-09-26", "2015-03-26")),
            ("AAA", "2015-10-01"),
            *(("BBB", d) for d in ("2014-03-27", "2014-06-26")),  # left after June
            *(("CCC", d) for d in ("2014-09-25", "2014-09-26")),  # took its seat
            ("DDD", "2014-06-26"),  # one day only: a recording error
            *(("EEE", d) for d in ("2015-03-26", "2015-10-01")),
        ]
    )
    assert derive_terms(votes) == [
        ("AAA", dt.date(2014, 1, 1), dt.date(2016, 1, 1)),
        ("BBB", dt.date(2014, 1, 1), dt.date(2014, 6, 27)),
        ("CCC", dt.date(2014, 9, 25), dt.date(2015, 1, 1)),
        ("EEE", dt.date(2015, 1, 1), dt.date(2016, 1, 1)),
    ]
    assert derive_terms(_votes([])) == []


def test_real_votes_give_47_members_a_day(shared_data: Path) -> None:
    raw = pd.read_csv(
        shared_data / "negotiation" / "hrc" / "votes_long.csv", dtype=str, keep_default_na=False
    )
    council = raw[raw["body"] == "HRC"]
    periods = derive_terms(council[["iso3", "date"]])

    def members(day: dt.date) -> set[str]:
        return {i for i, start, end in periods if start <= day and (end is None or day < end)}

    for day in sorted(set(council["date"])):
        when = dt.date.fromisoformat(day)
        if not dt.date(2018, 7, 7) <= when < dt.date(2018, 9, 27):  # the US seat vacant
            assert len(members(when)) == 47, day
    assert "GBR" in members(dt.date(2021, 3, 23)) and "CHN" in members(dt.date(2021, 3, 23))
    assert "CHN" not in members(dt.date(2020, 6, 1))
    assert "SVN" not in members(dt.date(2011, 3, 25))  # Slovakia's vote recorded as Slovenia's
