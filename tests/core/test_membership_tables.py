"""The hand-written tables (``core/data/un_names.csv``, ``groupings.csv``) checked against what the
shared data says: the UN Treaty Collection's participant names resolve to the state whose UN
name they are; no state votes in the General Assembly (unvotes, UN_DATA) or in the Commission
and the Council (hrc votes) outside its UN membership periods, except the documented cases;
the UN regional groups hold every UN member exactly once; the OAU/AU holds no state before
it existed. No store: the tables and the files are read directly."""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from rightsdesk.core.groups import UN_REGIONAL_GROUPS, in_membership, read_data_csv
from rightsdesk.core.states import get_resolver, lookup_state, reference_states

#: UNTC writes these participants otherwise than the UN short or formal name (UNTERM): the
#: article kept, "St." abbreviated, the pre-2016 name of Czechia. Each is checked to resolve.
UNTC_STYLE = {
    "Bahamas (The)": "BHS",
    "Czech Republic": "CZE",
    "St. Kitts and Nevis": "KNA",
    "St. Lucia": "LCA",
    "St. Vincent and the Grenadines": "VCT",
}

#: Votes outside the table's UN membership that are the data's, not the table's, error (or
#: history the table rightly leaves out): (iso3, first day, last day, why).
VOTE_EXCEPTIONS: list[tuple[str, dt.date, dt.date, str]] = [
    (
        "YUG",
        dt.date(1992, 4, 27),
        dt.date(1992, 12, 31),
        "the FRY sat in the SFRY's seat until A/RES/47/1 (1992-09-22) and ECOSOC's bodies",
    ),
    (
        "FJI",
        dt.date(1970, 9, 1),
        dt.date(1970, 9, 30),
        "unvotes dates two session-25 votes "
        "1970-09-01, before the session opened (Fiji admitted 1970-10-13)",
    ),  # fmt: skip
    ("ATG", dt.date(1980, 12, 3), dt.date(1980, 12, 3), "UN_DATA dates A/RES/37/46 (1982) 1980"),
    ("BLZ", dt.date(1980, 12, 3), dt.date(1980, 12, 3), "the same record"),
    ("VUT", dt.date(1980, 12, 3), dt.date(1980, 12, 3), "the same record"),
    (
        "KIR",
        dt.date(1999, 2, 9),
        dt.date(1999, 2, 9),
        "UN_DATA's A/RES/ES-10/6 lists states admitted in September 1999",
    ),  # fmt: skip
    ("NRU", dt.date(1999, 2, 9), dt.date(1999, 2, 9), "the same record"),
    ("TON", dt.date(1999, 2, 9), dt.date(1999, 2, 9), "the same record"),
]


@cache
def _periods(code: str) -> pd.DataFrame:
    rows = [r for r in read_data_csv("groupings.csv") if r["grouping"] == code]
    return pd.DataFrame(
        {
            "iso3": [r["iso3"] for r in rows],
            "start": pd.to_datetime(pd.Series([r["start_date"] or None for r in rows])),
            "end": pd.to_datetime(pd.Series([r["end_date"] or None for r in rows])),
        }
    )


def _members_at(code: str, day: dt.date) -> set[str]:
    p = _periods(code)
    when = pd.Timestamp(day)
    return set(p.loc[(p["start"] <= when) & (p["end"].isna() | (p["end"] > when)), "iso3"])


def _outside_un(iso3: pd.Series, dates: pd.Series) -> pd.DataFrame:
    """The (iso3, date) pairs whose state was no UN member that day, less the exceptions.

    unvotes gives most roll calls before 1991 a day of 1 to 7 that is not the real one (every
    roll call of the 1970s is dated in the first week of its month): those count when the
    state was a member at some time in that month."""
    periods = _periods("UN")
    days = pd.to_datetime(dates).reset_index(drop=True)
    codes = iso3.reset_index(drop=True)
    ok = in_membership(codes, days, periods)
    rough = np.flatnonzero(~ok & (days.dt.day <= 7).to_numpy())
    if len(rough):
        month_start = days.iloc[rough].dt.to_period("M").dt.start_time
        pairs = pd.DataFrame(
            {
                "iso3": codes.iloc[rough].to_numpy(),
                "first": month_start.to_numpy(),
                "next": (month_start + pd.offsets.MonthBegin(1)).to_numpy(),
                "row": rough,
            }
        ).merge(periods, on="iso3")
        inside = (pairs["start"] < pairs["next"]) & (
            pairs["end"].isna() | (pairs["end"] > pairs["first"])
        )
        ok[pairs.loc[inside, "row"].to_numpy()] = True
    out = pd.DataFrame({"iso3": codes[~ok], "date": days[~ok]})
    for state, first, last, _why in VOTE_EXCEPTIONS:
        excused = (
            (out["iso3"] == state)
            & (out["date"] >= pd.Timestamp(first))
            & (out["date"] <= pd.Timestamp(last))
        )
        out = out[~excused]
    return out


def _summary(frame: pd.DataFrame) -> dict[str, str]:
    return {
        str(iso3): f"{g['date'].min():%Y-%m-%d}..{g['date'].max():%Y-%m-%d} ({len(g)})"
        for iso3, g in frame.groupby("iso3")
    }


def test_untc_participants_are_the_un_names(shared_data: Path) -> None:
    from rightsdesk.negotiation.treaties.sources.untc_page import parse_status_page

    folder = shared_data / "negotiation" / "treaties" / "untc-status-html"
    pages = [parse_status_page(page) for page in sorted(folder.glob("*.html"))]
    names = {p.name for page in pages for p in page.participants}
    assert len(names) > 190
    resolver, refs = get_resolver(), reference_states()
    wrong: dict[str, str] = {}
    for name in sorted(names):
        found = resolver.find(name)
        if not isinstance(found, str):
            wrong[name] = f"does not resolve ({found})"
        elif name in UNTC_STYLE:
            if found != UNTC_STYLE[name]:
                wrong[name] = f"resolves to {found}, not {UNTC_STYLE[name]}"
        elif name not in (refs[found].name, refs[found].official_name):
            wrong[name] = f"resolves to {found}, shown as {refs[found].name!r}"
    assert wrong == {}
    assert set(UNTC_STYLE) <= names  # the style list holds no name the pages lack


@cache
def _unvotes(shared_data: Path) -> tuple[pd.Series, pd.Series]:
    from rightsdesk.negotiation.votes.frames import read_unvotes
    from rightsdesk.negotiation.votes.sources.unvotes import resolve_countries

    votes, calls, _issues = read_unvotes(shared_data / "negotiation" / "unvotes")
    rcid = votes["rcid"].astype("int64")
    dates = rcid.map(dict(zip(calls["rcid"].astype("int64"), calls["date"], strict=True)))
    return resolve_countries(votes, dates, Path("un_votes.rda")), dates


def test_no_ga_vote_outside_un_membership_unvotes(shared_data: Path) -> None:
    iso3, dates = _unvotes(shared_data)
    assert (
        _summary(_outside_un(iso3, dates))
        == {
            # the Republic of China's votes (TWN) until A/RES/2758 (XXVI) are in the data; the
            # table gave its seat to the People's Republic from 1945 (fixed: TWN to 1971-10-25)
        }
    )
    # the founding: the 51 original members vote from the first session (January 1946)
    first = iso3[dates == dates.min()]
    assert {"USA", "SUN", "GBR", "FRA", "TWN", "BLR", "UKR"} <= set(first)
    # South Africa, a member throughout, did not take part from 1974-11-12 to 1994-06-23
    zaf = dates[(iso3 == "ZAF").to_numpy()]
    assert not ((zaf > "1974-12-31") & (zaf < "1994-06-23")).any()
    assert "ZAF" in _members_at("UN", dt.date(1985, 1, 1))


def test_no_ga_vote_outside_un_membership_undata(shared_data: Path) -> None:
    from rightsdesk.negotiation.votes.sources.undata import DATED, FIXED, read_wide, state_columns

    path = shared_data / "negotiation" / "undata" / "UN_DATA.csv.zip"
    wide = read_wide(path)
    wide = wide[wide["Council"].str.strip().str.lower() == "general assembly"]
    wide = wide[wide["Date"].str.len() == 10]  # two rows give a year only
    columns = state_columns([c for c in wide.columns if c not in FIXED], path)
    long = wide.melt(id_vars=["Date"], value_vars=list(columns), var_name="col", value_name="v")
    long = long[long["v"].isin(["Y", "N", "A"])]
    days = pd.to_datetime(long["Date"])
    iso3 = long["col"].map(columns)
    for code, switch, before, after in DATED:  # as the importer reads a column's date
        early = days < pd.Timestamp(switch)
        iso3 = iso3.mask((iso3 == code) & early, before).mask((iso3 == code) & ~early, after)
    assert _summary(_outside_un(iso3, days)) == {}


def test_no_commission_or_council_vote_outside_un_membership(shared_data: Path) -> None:
    from rightsdesk.negotiation.votes.sources.hrc import dated_state

    votes = pd.read_csv(
        shared_data / "negotiation" / "hrc" / "votes_long.csv", dtype=str, keep_default_na=False
    )
    days = pd.to_datetime(votes["date"])
    codes = {code: lookup_state(code) or code for code in votes["iso3"].unique()}
    iso3 = pd.Series(
        [dated_state(codes[c], d.date()) for c, d in zip(votes["iso3"], days, strict=True)]
    )
    assert _summary(_outside_un(iso3, days)) == {}


def test_regional_groups_hold_each_un_member_once() -> None:
    problems: dict[str, str] = {}
    for year in range(1946, 2027):
        for day in (dt.date(year, 1, 1), dt.date(year, 7, 1)):
            un = _members_at("UN", day)
            seen: dict[str, list[str]] = {}
            for code in UN_REGIONAL_GROUPS:
                for iso3 in _members_at(code, day):
                    seen.setdefault(iso3, []).append(code)
            for iso3 in un - set(seen):
                if iso3 != "ISR" or year >= 2000:  # Israel: in no group until WEOG in 2000
                    problems.setdefault(f"{iso3} in no group", str(day))
            for iso3 in set(seen) - un:
                problems.setdefault(f"{iso3} in a group, not in the UN", str(day))
            for iso3, codes in seen.items():
                if len(codes) > 1:
                    problems.setdefault(f"{iso3} in {codes}", str(day))
    assert problems == {}


@pytest.mark.parametrize(
    ("iso3", "before", "on"),
    [
        ("MWI", dt.date(1964, 7, 5), dt.date(1964, 7, 6)),  # independent 1964-07-06
        ("ZMB", dt.date(1964, 10, 23), dt.date(1964, 10, 24)),
        ("NAM", dt.date(1990, 3, 20), dt.date(1990, 3, 21)),
        ("ERI", dt.date(1993, 5, 23), dt.date(1993, 5, 24)),
        ("ZAF", dt.date(1994, 5, 22), dt.date(1994, 5, 23)),  # admitted 1994-05-23
        ("SSD", dt.date(2011, 7, 8), dt.date(2011, 7, 9)),
    ],
)
def test_no_state_in_the_oau_before_it_existed(iso3: str, before: dt.date, on: dt.date) -> None:
    assert iso3 not in _members_at("AU", before)
    assert iso3 in _members_at("AU", on)


def test_groupings_members_are_un_members_within_two_years() -> None:
    """A member of the EU, the AU or the OIC who is no UN member joined the UN within two
    years (states that joined at independence), except the EU founder West Germany (UN
    member from 1973) and the two non-members, the Sahrawi Republic and Palestine."""
    un = _periods("UN")
    first_un = un.groupby("iso3")["start"].min()
    late: dict[str, str] = {}
    for code in ("EU", "AU", "OIC"):
        for row in _periods(code).itertuples():
            if row.iso3 in ("ESH", "PSE") or (code, row.iso3) == ("EU", "DEU"):
                continue
            joined_un = first_un.get(row.iso3)
            if joined_un is None or (joined_un - row.start).days > 731:
                late[f"{code} {row.iso3}"] = f"{row.start:%Y-%m-%d}, UN {joined_un}"
    assert late == {}
