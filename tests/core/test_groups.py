"""Membership of groupings over time (core.groups), on both stores: the EC of 1985, Brexit, the
states that ended (USSR, GDR), Morocco's years outside the OAU/AU, and the fast checks bloc
figures use over hundreds of thousands of votes."""

from __future__ import annotations

import time
from datetime import date

import numpy as np
import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from rightsdesk.core.config import Settings
from rightsdesk.core.db import session_scope
from rightsdesk.core.groups import (
    GroupMembership,
    in_membership,
    member_counts,
    members_at,
    membership_frame,
    read_data_csv,
    seed_groupings,
)
from rightsdesk.core.states import UN_REGIONAL_GROUPS, group_members, state_groupings
from rightsdesk.store import init_store

THE_TEN = {"BEL", "FRA", "DEU", "ITA", "LUX", "NLD", "DNK", "IRL", "GBR", "GRC"}


def test_the_ec_had_ten_members_in_1985(session: Session) -> None:
    assert set(members_at(session, "EU", date(1985, 11, 1))) == THE_TEN
    assert len(members_at(session, "EU", date(1986, 1, 1))) == 12  # Spain and Portugal
    assert len(members_at(session, "EU", date(1957, 12, 31))) == 0
    assert len(members_at(session, "EU", date(1958, 1, 1))) == 6
    assert "POL" not in members_at(session, "EU", date(2004, 4, 30))
    assert "POL" in members_at(session, "EU", date(2004, 5, 1))
    assert "HRV" in members_at(session, "EU", date(2013, 7, 1))


def test_the_uk_left_the_eu_on_31_january_2020(session: Session) -> None:
    assert "GBR" in members_at(session, "EU", date(2019, 12, 1))
    assert "GBR" in members_at(session, "EU", date(2020, 1, 31))
    assert "GBR" not in members_at(session, "EU", date(2020, 2, 1))
    assert "GBR" not in members_at(session, "EU", date(2021, 6, 1))
    assert len(members_at(session, "EU", date(2019, 12, 1))) == 28
    assert len(group_members(session, "EU")) == 27
    assert "EU" not in {g.code for g in state_groupings(session, "GBR")}


def test_un_membership_and_historical_states(session: Session) -> None:
    assert len(members_at(session, "UN", date(2021, 1, 1))) == 193
    # the Charter entered into force on 1945-10-24 with 29 ratifications; 51 original members
    assert len(members_at(session, "UN", date(1945, 10, 24))) == 29
    assert len(members_at(session, "UN", date(1945, 12, 31))) == 51
    assert "SUN" in members_at(session, "UN", date(1991, 12, 23))
    assert "SUN" not in members_at(session, "UN", date(1991, 12, 24))
    assert "RUS" in members_at(session, "UN", date(1991, 12, 24))
    assert "DDR" in members_at(session, "UN", date(1989, 1, 1))
    assert "DDR" not in members_at(session, "UN", date(1990, 10, 3))
    assert "IDN" not in members_at(session, "UN", date(1965, 6, 1))  # withdrew 1965-66
    assert "IDN" in members_at(session, "UN", date(1967, 1, 1))
    assert "CHE" not in members_at(session, "UN", date(2002, 9, 9))
    assert "SSD" in members_at(session, "UN", date(2011, 7, 14))


def test_regional_groups_over_time(session: Session) -> None:
    eeg_1985 = set(members_at(session, "UN-EEG", date(1985, 6, 1)))
    assert {"SUN", "DDR", "CSK", "YUG", "POL", "BLR", "UKR"} <= eeg_1985
    assert not {"RUS", "CZE", "EST"} & eeg_1985
    assert "YMD" in members_at(session, "UN-APG", date(1985, 6, 1))
    for code in UN_REGIONAL_GROUPS:  # today: no historical state
        assert not {"SUN", "DDR", "CSK", "YUG", "SCG"} & set(group_members(session, code))
    # each UN member of a date sits in at most one regional group
    when = date(1985, 6, 1)
    seen = [iso3 for code in UN_REGIONAL_GROUPS for iso3 in members_at(session, code, when)]
    assert len(seen) == len(set(seen))
    assert set(seen) <= set(members_at(session, "UN", when)) | {"ISR"}


def test_morocco_outside_the_oau_from_1984_to_2017(session: Session) -> None:
    assert "MAR" in members_at(session, "AU", date(1980, 1, 1))
    assert "MAR" not in members_at(session, "AU", date(1990, 1, 1))
    assert "MAR" in members_at(session, "AU", date(2018, 1, 1))
    assert len(group_members(session, "AU")) == 55
    assert len(members_at(session, "AU", date(1963, 5, 25))) == 32


def test_membership_frame_and_vectorised_checks(session: Session) -> None:
    periods = membership_frame(session, "EU")
    assert list(periods.columns) == ["iso3", "start", "end"]
    gbr = periods[periods["iso3"] == "GBR"].iloc[0]
    assert (gbr["start"], gbr["end"]) == (pd.Timestamp("1973-01-01"), pd.Timestamp("2020-02-01"))
    iso3 = pd.Series(["GBR", "GBR", "POL", "POL", "USA"])
    days = pd.to_datetime(
        pd.Series(["2019-12-01", "2020-02-01", "1985-06-01", "2010-01-01", "2010-01-01"])
    )
    assert in_membership(iso3, days, periods).tolist() == [True, False, False, True, False]
    counts = member_counts(pd.to_datetime(pd.Series(["1985-06-01", "2019-06-01"])), periods)
    assert counts.tolist() == [10, 28]


def test_vectorised_check_is_fast_on_a_million_votes(session: Session) -> None:
    periods = membership_frame(session, "UN-WEOG")
    rng = np.random.default_rng(0)
    n = 1_000_000
    states = np.array(sorted(set(periods["iso3"])) + ["RUS", "CHN"])
    iso3 = pd.Series(states[rng.integers(0, len(states), n)])
    days = pd.Series(pd.to_datetime("1946-01-01") + pd.to_timedelta(rng.integers(0, 27000, n), "D"))
    started = time.perf_counter()
    mask = in_membership(iso3, days, periods)
    assert time.perf_counter() - started < 5.0
    assert mask.sum() > 0 and not mask[iso3.isin(["RUS", "CHN"]).to_numpy()].any()


def test_reseeding_replaces_periods_and_is_idempotent(settings: Settings) -> None:
    with session_scope(settings.database_url) as session:
        # a row as stores seeded before the periods held it: open, without dates
        stale = session.scalars(
            select(GroupMembership).where(
                GroupMembership.grouping_code == "EU", GroupMembership.iso3 == "GBR"
            )
        ).one()
        stale.start_date = stale.end_date = None
        stale.end_year = None
        session.add(GroupMembership(grouping_code="UN-AFRICA", iso3="DZA", start_year=None))
    init_store(settings)
    with session_scope(settings.database_url) as session:
        assert "GBR" not in group_members(session, "EU")
        rows = session.scalars(
            select(GroupMembership).where(
                GroupMembership.grouping_code == "UN-AFRICA", GroupMembership.iso3 == "DZA"
            )
        ).all()
        assert [(r.start_date, r.end_date) for r in rows] == [(date(1962, 10, 8), None)]
        assert seed_groupings(session) == 0
        stored = session.scalars(select(GroupMembership)).all()
        assert len(stored) == len(read_data_csv("groupings.csv"))
