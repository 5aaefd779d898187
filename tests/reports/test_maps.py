"""World map specs: states keyed by ISO3 land on the right shapes; historical ones are left out."""

from __future__ import annotations

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
