"""The monthly aggregation: a hand-computed case, and the real export against an independent
pandas reading of the same rule."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from rightsdesk.interventions.events.aggregate import (
    DEDUP_KEY,
    aggregate_duckdb,
    aggregate_sql,
    figures,
)
from rightsdesk.interventions.events.geography import fips_to_iso3
from rightsdesk.interventions.events.ingest import ingest_export, parquet_paths
from rightsdesk.interventions.events.schema import NAMES
from tests.interventions.events.conftest import write_rows

UK_EVENT = {
    "SQLDATE": "20150210",
    "ActionGeo_CountryCode": "UK",
    "ActionGeo_ADM1Code": "UKH9",
    "ActionGeo_FeatureID": "-2601889",
    "IsRootEvent": "1",
    "Actor1Code": "GBRGOV",
    "Actor1CountryCode": "GBR",
    "Actor2Code": "RUS",
    "Actor2CountryCode": "RUS",
}


def ev(n: int, code: str, goldstein: str, **over: str) -> dict[str, str]:
    return {
        **UK_EVENT,
        "GLOBALEVENTID": str(500000000 + n),
        "EventCode": code,
        "EventBaseCode": code[:3],
        "EventRootCode": code[:2],
        "GoldsteinScale": goldstein,
        "SOURCEURL": f"https://example.org/{n}",
        **over,
    }


HAND = [
    ev(1, "173", "-5.0"),
    ev(2, "173", "-5.0", NumSources="3"),  # the same event from another source: one
    ev(3, "180", "-9.0", Actor1Code="GBRPOL"),
    ev(4, "163", "-8.0"),  # sanctions: in 16 and in 163
    ev(5, "160", "-4.0", ActionGeo_FeatureID="-2593075"),
    ev(6, "042", "1.9"),  # counted in the total only
    ev(7, "190", "-10.0", IsRootEvent="0"),  # not a root event: nowhere
    ev(8, "175", "-9.0", SQLDATE="20150211"),  # coerce again, another day
    ev(9, "190", "-10.0", SQLDATE="20150301"),
    ev(10, "010", "0.0", ActionGeo_CountryCode="GM", ActionGeo_ADM1Code="GM16"),
]


@pytest.fixture(scope="module")
def hand(tmp_path_factory: pytest.TempPathFactory, base_row: dict[str, str]) -> pd.DataFrame:
    folder = tmp_path_factory.mktemp("hand")
    result = ingest_export(write_rows(folder / "hand.export.CSV", base_row, HAND), folder)
    assert result.rows == len(HAND)
    return aggregate_duckdb([parquet_paths(folder, result.name)[0]])


def test_hand_computed_figures(hand: pd.DataFrame) -> None:
    monthly, volume = figures(hand)
    got = {(r["perspective"], r["iso3"], r["month"], r["root"]): r for r in monthly}
    totals = {(v["perspective"], v["iso3"], v["month"]): v["total"] for v in volume}
    # dedup: 1 and 2 are one; 7 is no root event -> rows 1, 3, 4, 5, 6, 8 in February
    assert totals[("action", "GBR", "2015-02")] == 6
    assert totals[("action", "GBR", "2015-03")] == 1
    assert totals[("action", "DEU", "2015-02")] == 1
    assert totals[("actor1", "GBR", "2015-02")] == 7  # the German event has British actors
    assert totals[("actor2", "RUS", "2015-02")] == 7

    def fig(root: str, month: str = "2015-02") -> tuple[int, float, float]:
        r = got[("action", "GBR", month, root)]
        return r["events"], r["share"], r["goldstein"]

    assert fig("17") == (2, 0.333333, -7.0)  # (-5.0 + -9.0) / 2
    assert fig("18") == (1, 0.166667, -9.0)
    assert fig("16") == (2, 0.333333, -6.0)  # (-8.0 + -4.0) / 2
    assert fig("163") == (1, 0.166667, -8.0)
    assert fig("19", "2015-03") == (1, 1.0, -10.0)
    assert ("action", "GBR", "2015-02", "19") not in got
    assert not [k for k in got if k[1] == "DEU" and k[0] == "action"]


def test_month_filter(hand: pd.DataFrame, tmp_path: Path) -> None:
    sql = aggregate_sql("t", "m", ["2015-02"])
    assert "IN ('2015-02')" in sql
    from rightsdesk.core.errors import InputError

    with pytest.raises(InputError):
        aggregate_sql("t", "m", ["2015-02'; DROP TABLE x; --"])


def pandas_rule(export: Path) -> pd.DataFrame:
    """The rule of aggregate.py written again with pandas alone (action perspective)."""
    frame = pd.read_csv(
        export, sep="\t", header=None, names=list(NAMES), dtype=str, keep_default_na=False
    )
    frame = frame[frame["IsRootEvent"] == "1"].drop_duplicates(list(DEDUP_KEY))
    frame = frame.assign(
        iso3=frame["ActionGeo_CountryCode"].map(fips_to_iso3),
        month=frame["SQLDATE"].str[:4] + "-" + frame["SQLDATE"].str[4:6],
    ).dropna(subset=["iso3"])
    totals = frame.groupby(["iso3", "month"]).size().rename("all")
    roots = frame[frame["EventRootCode"].isin(["17", "18", "19", "02"])]
    counts = roots.groupby(["iso3", "month", "EventRootCode"]).size().unstack(fill_value=0)
    return pd.concat([totals, counts], axis=1).fillna(0).astype(int)


def test_real_export_against_pandas(export_path: Path, tmp_path: Path) -> None:
    result = ingest_export(export_path, tmp_path, full=False)
    got = aggregate_duckdb([parquet_paths(tmp_path, result.name)[0]])
    action = got[got["perspective"] == "action"]
    table = action.pivot_table(
        index=["iso3", "month"], columns="root", values="events", fill_value=0
    ).astype(int)
    expected = pandas_rule(export_path)
    assert len(table) == len(expected) > 50
    for column in ("all", "17", "18", "19", "02"):
        assert table[column].sort_index().tolist() == expected[column].sort_index().tolist()
    # dedup matters on the real export: fewer events than root rows
    assert int(table["all"].sum()) < 1414
