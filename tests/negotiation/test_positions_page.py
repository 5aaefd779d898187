"""/positions as a chart (issue 10): lines broken where a state has no votes, a state picker
and groups, the table behind a toggle."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
import pytest
from fastapi.testclient import TestClient

from rightsdesk.core.config import Settings
from rightsdesk.core.db import session_scope
from rightsdesk.core.importing import run_import
from rightsdesk.forms import get_importer
from rightsdesk.negotiation.positions.page import mark_segments, positions_chart

if TYPE_CHECKING:
    from tests.negotiation.conftest import UnvotesSessions

Client = Callable[[str], TestClient]


def _rows(iso3: str, years: list[int]) -> list[dict[str, Any]]:
    return [
        {"iso3": iso3, "session": y - 1945, "year": y, "ideal_point": 0.1 * (y % 7), "se": 0.2}
        for y in years
    ]


def _south_africa_and_sweden() -> pd.DataFrame:
    """South Africa voted 1970-1974 and again from 1994; Sweden every year."""
    zaf = _rows("ZAF", [*range(1970, 1975), *range(1994, 1998)])
    swe = _rows("SWE", list(range(1970, 1998)))
    return pd.DataFrame(zaf + swe)


def test_a_gap_in_votes_starts_a_new_segment() -> None:
    marked = mark_segments(_south_africa_and_sweden())
    zaf = marked[marked["iso3"] == "ZAF"]
    before = set(zaf.loc[zaf["year"] <= 1974, "segment"])
    after = set(zaf.loc[zaf["year"] >= 1994, "segment"])
    assert len(before) == 1 and len(after) == 1 and before != after
    assert marked.loc[marked["iso3"] == "SWE", "segment"].nunique() == 1


def test_the_chart_draws_one_line_per_segment_and_no_line_across_the_gap() -> None:
    spec = positions_chart(_south_africa_and_sweden(), {"ZAF": "South Africa", "SWE": "Sweden"})
    assert spec is not None
    assert spec["encoding"]["detail"]["field"] == "segment"
    assert spec["encoding"]["color"]["field"] == "state"
    marks = [layer["mark"]["type"] for layer in spec["layer"]]
    assert marks == ["area", "line", "point"]
    values = spec["data"]["values"]
    zaf = [v for v in values if v["iso3"] == "ZAF"]
    assert {v["state"] for v in zaf} == {"South Africa"}
    by_segment: dict[str, list[int]] = {}
    for v in zaf:
        by_segment.setdefault(v["segment"], []).append(v["year"])
    # no segment (line) holds both 1974 and 1994: the line is not drawn across the gap
    assert sorted(sorted(years) for years in by_segment.values()) == [
        list(range(1970, 1975)),
        list(range(1994, 1998)),
    ]
    for segment in by_segment.values():
        assert all(b - a == 1 for a, b in zip(sorted(segment), sorted(segment)[1:], strict=False))
    assert spec["layer"][0]["encoding"]["y"]["title"].startswith("Ideal point")
    assert positions_chart(pd.DataFrame(columns=["iso3", "year"]), {}) is None


@pytest.fixture
def early_votes(
    sqlite_settings: Settings,
    shared_data: Path,
    tmp_path: Path,
    unvotes_sessions: UnvotesSessions,
) -> Settings:
    """General Assembly sessions 28-30 (1973-75): South Africa votes in 28 and (twice) 29,
    then not at all."""
    path = unvotes_sessions(shared_data, tmp_path / "unvotes", (28, 29, 30))
    with session_scope(sqlite_settings.database_url) as s:
        run_import(s, get_importer("unvotes"), path, actor="test")
    return sqlite_settings


def _spec(page: str) -> dict[str, Any]:
    match = re.search(r'<script type="application/json" id="positions-spec">(.*?)</script>', page)
    assert match is not None, "no chart spec on the page"
    spec: dict[str, Any] = json.loads(match.group(1))
    return spec


def test_the_page_is_a_chart_with_pickers_and_the_table_behind_a_toggle(
    client_for: Client, early_votes: Settings
) -> None:
    viewer = client_for("viewer")
    page = viewer.get("/positions")  # a first visit: a few default states
    assert page.status_code == 200, page.text
    assert 'id="positions-chart"' in page.text
    assert '<details class="table-toggle" id="positions-table">' in page.text
    assert page.text.index('id="positions-chart"') < page.text.index('id="positions"')
    picker = page.text.split('id="positions-states"')[1].split("</select>")[0]
    assert '<option value="SWE">Sweden</option>' in picker  # every state with positions
    assert '<option value="USA" selected>' in picker  # the defaults, picked
    groups = page.text.split('id="positions-groups"')[1].split("</select>")[0]
    assert 'value="EU"' in groups and 'value="UN-AFRICA"' in groups

    page = viewer.get("/positions", params=[("iso3", "ZAF"), ("iso3", "SWE")])
    assert page.status_code == 200, page.text
    spec = _spec(page.text)
    states = {v["state"] for v in spec["data"]["values"]}
    assert states == {"South Africa", "Sweden"}
    zaf_years = sorted(v["year"] for v in spec["data"]["values"] if v["iso3"] == "ZAF")
    assert zaf_years and max(zaf_years) <= 1974  # no position invented for 1975
    table = page.text.split('id="positions"')[1]
    assert "(ZAF)" in table and "(SWE)" in table

    page = viewer.get("/positions", params={"group": "EU"})
    assert page.status_code == 200, page.text
    values = _spec(page.text)["data"]["values"]
    shown = {v["iso3"] for v in values}
    assert {"FRA", "DEU", "SWE", "POL"} <= shown and "USA" not in shown
    # the group's average member, one more line: the mean of the members' positions
    average = [v for v in values if v["iso3"] == "EU" and v["session"] == 29]
    assert len(average) == 1 and average[0]["state"].startswith("Average: European Union")
    members = [v["ideal_point"] for v in values if v["session"] == 29 and v["iso3"] != "EU"]
    assert abs(average[0]["ideal_point"] - sum(members) / len(members)) < 1e-3
    assert "European Union" in page.text.split('id="positions-shown-groups"')[1][:200]

    assert viewer.get("/positions", params={"group": "NOPE"}).status_code == 404
    assert viewer.get("/positions", params={"states": "Atlantis"}).status_code == 404
