"""The panel the model learns from: one row per EWP country-year, the target from later
onsets (NaN while unobserved), no outcome-derived column, and the extra sources lagged by
their publication delay (a PTS score of 2010 appears in the row of 2011)."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from rightsdesk.core.config import Settings
from rightsdesk.core.db import session_scope
from rightsdesk.interventions.risk.panel import (
    FEATURE_SOURCES,
    OUTCOME_COLUMNS,
    data_version,
    load_ewp_forecasts,
    load_panel,
    panel_from_files,
)
from tests.interventions.risk_data.conftest import import_risk, risk_file


@pytest.fixture(scope="module")
def frames(shared_data: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The frames parsed straight from the files, once per module (``test_store_gives_the
    same_frames`` checks that the store gives exactly these)."""
    return panel_from_files(shared_data)


def row(panel: pd.DataFrame, iso3: str, year: int) -> pd.Series:
    found = panel[(panel["iso3"] == iso3) & (panel["year"] == year)]
    assert len(found) == 1, (iso3, year)
    return found.iloc[0]


def test_shape_and_columns(frames: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    panel, ewp = frames
    assert len(panel) == 9463 and not panel.duplicated(["ccode", "year"]).any()
    assert list(panel.columns[:6]) == ["ccode", "iso3", "country", "year", "mk_onset", "target"]
    assert not set(OUTCOME_COLUMNS) & set(panel.columns)
    assert set(FEATURE_SOURCES) <= set(panel.columns)
    assert all(lag == 1 for _source, lag in FEATURE_SOURCES.values())
    assert {"battledeaths.log2", "coup.try.5yr", "mk_onset_prev_year"} <= set(panel.columns)
    assert list(ewp.columns[:5]) == ["year", "ccode", "iso3", "country", "mk_onset"]
    assert len(ewp) == 5047 and ewp["risk_prev"].notna().sum() > 4900


def test_target_is_onset_in_the_next_two_years(
    frames: tuple[pd.DataFrame, pd.DataFrame], shared_data: Path
) -> None:
    panel, _ = frames
    # EWP's own outcome column agrees wherever both years are observed
    ewp = pd.read_csv(
        risk_file(shared_data, "ewp-predictors"), usecols=["ccode", "year", "mk_onset_1or2"]
    )
    both = panel.merge(ewp, on=["ccode", "year"]).dropna(subset=["target"])
    assert (both["target"] == both["mk_onset_1or2"]).all()
    assert panel.loc[panel["year"] >= 2023, "target"].isna().all()  # 2025 not yet observed
    assert panel.loc[panel["year"] <= 2022, "target"].notna().all()
    # an onset in year y makes the targets of y-1 and y-2 positive
    onset = panel[(panel["mk_onset"] == 1) & (panel["year"] >= 1970)].iloc[0]
    for back in (1, 2):
        earlier = panel[
            (panel["ccode"] == onset["ccode"]) & (panel["year"] == onset["year"] - back)
        ]
        assert earlier["target"].eq(1).all()


def test_extra_sources_are_lagged_one_year(
    frames: tuple[pd.DataFrame, pd.DataFrame], shared_data: Path
) -> None:
    panel, _ = frames
    pts = pd.read_csv(risk_file(shared_data, "pts"), encoding="cp1252", na_values=["NA"])
    syria = pts[(pts["COW_Code_N"] == "652") | (pts["COW_Code_N"] == 652)].set_index("Year")
    for year in (2005, 2010, 2015):  # PTS of `year` is in the row of `year + 1`
        assert row(panel, "SYR", year + 1)["pts_s"] == syria.loc[year, "PTS_S"]
        assert row(panel, "SYR", year + 1)["pts_a"] == syria.loc[year, "PTS_A"]
    ciri = pd.read_csv(risk_file(shared_data, "cirights"), encoding="utf-8-sig")
    ciri = ciri[ciri["cow"] == 652].set_index("year")
    assert row(panel, "SYR", 2011)["ciri_physint"] == ciri.loc[2010, "physint_sum"]
    # UCDP: one-sided violence located in Syria (GW 652) in `year` is in the row of `year + 1`
    osv = pd.read_csv(risk_file(shared_data, "ucdp-onesided"), dtype={"gwno_location": str})
    in_syria = osv[osv["gwno_location"].str.split(", ").map(lambda codes: "652" in codes)]
    deaths = in_syria.groupby("year")["best_fatality_estimate"].sum()
    assert deaths[2013] > 1000
    for year in (2010, 2013, 2020):
        assert row(panel, "SYR", year + 1)["ucdp_osv_deaths"] == deaths.get(year, 0)
    assert row(panel, "SYR", 2013)["ucdp_osv_log2"] == pytest.approx(
        math.log2(1 + row(panel, "SYR", 2013)["ucdp_osv_deaths"])
    )
    # outside a source's years: missing, never a guessed 0 (ACD ends 2019, so from row 2021)
    assert math.isnan(row(panel, "SYR", 2021)["ucdp_conflicts"])
    assert row(panel, "SYR", 2020)["ucdp_conflicts"] >= 1
    assert math.isnan(row(panel, "USA", 1985)["ucdp_bd_best"])  # battle deaths start 1989
    assert row(panel, "USA", 1995)["ucdp_bd_best"] == 0
    # the latest row holds only what was published by its end: PTS of 2023, no CIRIGHTS
    assert not math.isnan(row(panel, "SYR", 2024)["pts_max"])
    assert math.isnan(row(panel, "SYR", 2024)["ciri_physint"])


def test_gw_coded_rows_reach_the_cow_panel(frames: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    panel, _ = frames
    # UCDP locates Yemen's wars under GW 678; EWP's Yemen is COW 679
    assert row(panel, "YEM", 2016)["ucdp_bd_best"] > 1000
    # the former Yugoslavia's wars under GW 345 reach COW 345
    assert row(panel, "SRB", 2000)["ucdp_conflicts"] >= 1


def test_the_soviet_union_continues_as_russia(
    frames: tuple[pd.DataFrame, pd.DataFrame], shared_data: Path
) -> None:
    """PTS writes the Soviet Union without any code; COW and EWP keep it as 365 (Russia), so
    its scores of 1976-1991 reach Russia's rows, a year late like every PTS score."""
    panel, _ = frames
    pts = pd.read_csv(risk_file(shared_data, "pts"), encoding="cp1252", na_values=["NA"])
    ussr = pts[pts["Country"] == "Soviet Union"].set_index("Year")
    assert ussr["COW_Code_N"].isna().all()
    for year in (1980, 1987, 1991):
        assert row(panel, "RUS", year + 1)["pts_a"] == ussr.loc[year, "PTS_A"]
        assert row(panel, "RUS", year + 1)["pts_s"] == ussr.loc[year, "PTS_S"]


def test_states_carry_the_house_names_as_of_each_year(
    frames: tuple[pd.DataFrame, pd.DataFrame],
) -> None:
    """UN short names, not EWP's ("Democratic Republic of Vietnam" for Viet Nam in 2024,
    "Kyrgystan"); a code that spans a change of state is named for the row's year."""
    panel, ewp = frames
    assert row(panel, "VNM", 2024)["country"] == "Viet Nam"
    assert row(panel, "VNM", 2024)["ewp_name"] == "Democratic Republic of Vietnam"
    assert row(panel, "VNM", 1970)["country"] == "Democratic Republic of Vietnam"
    assert row(panel, "KGZ", 2024)["country"] == "Kyrgyzstan"
    assert row(panel, "MMR", 2024)["country"] == "Myanmar"
    assert row(panel, "RUS", 1985)["country"] == "Soviet Union"
    assert row(panel, "RUS", 1992)["country"] == "Russian Federation"
    assert row(panel, "SRB", 1990)["country"] == "Yugoslavia"
    assert row(panel, "SRB", 2000)["country"] == "Serbia and Montenegro"
    assert row(panel, "SRB", 2010)["country"] == "Serbia"
    assert row(panel, "CSK", 1985)["country"] == "Czechoslovakia"
    south = panel[(panel["ccode"] == 817) & (panel["year"] == 1970)]
    assert south["country"].tolist() == ["Republic of Vietnam"]  # no current state: EWP's
    assert set(ewp.loc[ewp["iso3"] == "TUR", "country"]) == {"Türkiye"}


def test_store_gives_the_same_frames(
    risk_settings: Settings, frames: tuple[pd.DataFrame, pd.DataFrame], shared_data: Path
) -> None:
    with session_scope(risk_settings.database_url) as s:
        stored, ewp = load_panel(s), load_ewp_forecasts(s)
        before = data_version(s)
    pd.testing.assert_frame_equal(stored, frames[0], check_dtype=False)
    pd.testing.assert_frame_equal(ewp, frames[1], check_dtype=False)
    import_risk(risk_settings, "pts", risk_file(shared_data, "pts"), force=True)
    with session_scope(risk_settings.database_url) as s:
        assert data_version(s) != before  # a new import of a risk source: a new version
