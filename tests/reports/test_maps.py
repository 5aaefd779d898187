"""World map specs: states keyed by ISO3 land on the right shapes; historical ones are left out."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from rightsdesk.core.config import Settings
from rightsdesk.core.db import session_scope
from rightsdesk.core.importing import run_import
from rightsdesk.forms import get_importer
from rightsdesk.reports.maps import TOPOJSON_URL, map_rows, vote_map_spec, world_map_spec


def test_rows_use_iso_numeric_ids() -> None:
    rows = {r["iso3"]: r for r in map_rows({"NOR": 18, "AFG": 9, "SUN": 4}, {"NOR": "Norway"})}
    assert rows["NOR"]["id"] == "578" and rows["NOR"]["state"] == "Norway"
    assert rows["AFG"]["id"] == "004"  # zero-padded as in the world-atlas shapes
    assert "SUN" not in rows  # no shape on a present-day map


def test_specs_point_at_the_local_shapes() -> None:
    spec = world_map_spec({"NOR": 18}, "t")
    assert spec["data"]["url"] == TOPOJSON_URL and spec["projection"]["type"] == "equalEarth"
    votes = vote_map_spec({"USA": "no", "FRA": "yes"}, "v")
    color = votes["layer"][1]["encoding"]["color"]
    assert color["type"] == "nominal" and color["scale"]["domain"][:3] == ["yes", "no", "abstain"]


EU = ["AUT", "BEL", "BGR", "HRV", "CYP", "CZE", "DNK", "EST", "FIN", "FRA", "DEU", "GRC", "HUN"]
EU += ["IRL", "ITA", "LVA", "LTU", "LUX", "MLT", "NLD", "POL", "PRT", "ROU", "SVK", "SVN", "ESP"]
EU += ["SWE"]


def _box(spec: dict[str, object]) -> tuple[float, float, float, float]:
    projection = spec["projection"]
    assert isinstance(projection, dict)
    points = projection["fit"]["geometry"]["coordinates"]
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return min(xs), min(ys), max(xs), max(ys)


def test_a_group_map_is_fitted_to_its_members() -> None:
    spec = world_map_spec({c: 5 for c in EU}, "EU", zoom_to=EU)
    west, south, east, north = _box(spec)
    # Europe: from Portugal and Ireland to Cyprus and Finland, not French Guiana or the world
    assert -15 < west < -9 and 30 < south < 36 and 34 < east < 40 and 68 < north < 75
    assert spec["projection"]["type"] == "equalEarth"
    assert spec["projection"]["rotate"][0] == -round((west + east) / 2, 2)
    layers = spec["layer"]
    assert all(layer["mark"]["clip"] is True for layer in layers)  # shapes cut at the frame
    assert "fit" not in world_map_spec({"NOR": 1}, "world")["projection"]  # no group: world


def test_a_group_across_the_antimeridian_is_fitted_eastwards() -> None:
    west, _south, east, _north = _box(world_map_spec({"RUS": 1}, "r", zoom_to=["RUS", "POL"]))
    assert 10 < west < 25 and 180 < east < 195  # Poland to Chukotka, not -180..180
    assert world_map_spec({"SUN": 1}, "s", zoom_to=["SUN"])["projection"].get("fit") is None


def test_the_eu_treaty_map_is_zoomed_to_europe(
    client_for: Callable[[str], TestClient], sqlite_settings: Settings, shared_data: Path
) -> None:
    ratifications = shared_data / "negotiation" / "treaties" / "un_hr_ratifications.csv"
    with session_scope(sqlite_settings.database_url) as s:
        run_import(s, get_importer("untc-ratifications"), ratifications, actor="test")
    viewer = client_for("viewer")

    def projection(params: dict[str, str]) -> dict[str, Any]:
        page = viewer.get("/treaties", params=params).text
        found = re.search(
            r'<script type="application/json" id="treaty-map-spec">(.*?)</script>', page
        )
        assert found is not None
        spec: dict[str, Any] = json.loads(found.group(1))
        return dict(spec["projection"])

    assert "fit" not in projection({})  # all states: the world
    west, south, east, north = _box({"projection": projection({"group": "EU"})})
    assert -15 < west < -9 and 30 < south < 36 and 34 < east < 40 and 68 < north < 75
