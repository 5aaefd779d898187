"""World maps (Vega-Lite via Altair) shared by every form: a value per state, by ISO3.

A map of a group (``zoom_to``) is fitted to its members' shapes, so the EU's treaty map shows
Europe, not a world with a small coloured patch. Each member counts with its largest polygon
only (France's French Guiana, the Netherlands' Caribbean islands or Alaska would otherwise
stretch the frame over an ocean); shapes outside the frame are clipped.

The country shapes are Natural Earth 1:110m from the world-atlas package, vendored under
/static/vendor (no CDN). Shapes carry ISO 3166-1 numeric ids; pycountry maps our ISO3 keys to
them. Historical states (SUN, YUG, ...) have no shape on a present-day map and are left out;
pages keep a table beside every map for them and for readers without JavaScript.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import Any

from rightsdesk.reports.charts import VOTE_COLOURS

TOPOJSON_URL = "/static/vendor/world-atlas-2.0.2-countries-110m.json"
TOPOJSON_FILE = Path(__file__).resolve().parents[1] / "web" / TOPOJSON_URL.lstrip("/")
#: Points per side of the grid that stands for a group's bounding box when fitting the map.
_GRID = 7
#: Margin around a group's bounding box, in degrees.
_MARGIN = 2.0


@cache
def _numeric(iso3: str) -> str | None:
    import pycountry

    country = pycountry.countries.get(alpha_3=iso3)
    return None if country is None else str(country.numeric)


@cache
def _main_bounds() -> dict[str, tuple[float, float, float, float]]:
    """ISO numeric id -> (west, south, east, north) of the country's largest polygon, read
    once from the vendored TopoJSON (arcs are delta-encoded and quantised)."""
    topo = json.loads(TOPOJSON_FILE.read_text(encoding="utf-8"))
    (kx, ky), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs: list[list[tuple[float, float]]] = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * kx + tx, y * ky + ty))
        arcs.append(points)

    def ring(indexes: list[int]) -> list[tuple[float, float]]:
        out: list[tuple[float, float]] = []
        for i in indexes:
            out += arcs[i] if i >= 0 else arcs[~i][::-1]
        return out

    def area(points: list[tuple[float, float]]) -> float:
        pairs = zip(points, points[1:] + points[:1], strict=True)
        return abs(sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in pairs)) / 2

    bounds = {}
    for geometry in topo["objects"]["countries"]["geometries"]:
        kind, gid = geometry.get("type"), geometry.get("id")
        polygons = {"Polygon": [geometry.get("arcs")], "MultiPolygon": geometry.get("arcs")}
        shells = [ring(p[0]) for p in polygons.get(kind) or [] if p]
        if gid is None or not shells:
            continue
        main = max(shells, key=area)
        xs, ys = [p[0] for p in main], [p[1] for p in main]
        if max(xs) - min(xs) > 180:  # across the antimeridian (Russia): count east of it
            xs = [x + 360 if x < 0 else x for x in xs]
        bounds[str(gid)] = (min(xs), min(ys), max(xs), max(ys))
    return bounds


def fit_feature(iso3s: Iterable[str]) -> dict[str, Any] | None:
    """A GeoJSON MultiPoint spanning the main shapes of ``iso3s`` (a grid over their bounding
    box plus a margin, so any projection's frame holds the whole box), for a map's
    ``projection.fit``; None when none of them has a shape. Longitudes may run past 180
    (a box across the antimeridian); the map is rotated to the box's centre."""
    boxes = [b for b in (_main_bounds().get(_numeric(c) or "") for c in iso3s) if b]
    if not boxes:
        return None
    west = min(b[0] for b in boxes) - _MARGIN
    south = max(-89.0, min(b[1] for b in boxes) - _MARGIN)
    east = max(b[2] for b in boxes) + _MARGIN
    north = min(89.0, max(b[3] for b in boxes) + _MARGIN)
    if east - west > 360:
        west, east = -180.0, 180.0
    steps = range(_GRID)
    points = [
        [west + (east - west) * i / (_GRID - 1), south + (north - south) * j / (_GRID - 1)]
        for i in steps
        for j in steps
    ]
    return {"type": "Feature", "geometry": {"type": "MultiPoint", "coordinates": points}}


def map_rows(
    values: Mapping[str, Any], names: Mapping[str, str] | None = None
) -> list[dict[str, Any]]:
    """Rows ``{id, iso3, state, value}`` for states that have a shape on the map."""
    rows = []
    for iso3, value in values.items():
        num = _numeric(iso3)
        if num is not None:
            rows.append(
                {"id": num, "iso3": iso3, "state": (names or {}).get(iso3, iso3), "value": value}
            )
    return rows


def world_map_spec(
    values: Mapping[str, Any],
    title: str,
    *,
    names: Mapping[str, str] | None = None,
    legend: str = "value",
    categories: Iterable[str] | None = None,
    colours: Iterable[str] | None = None,
    width: int = 720,
    zoom_to: Iterable[str] | None = None,
) -> dict[str, Any]:
    """A choropleth: grey land for every country, coloured where ``values`` has the state.

    Numbers get a sequential scale; with ``categories`` the values are nominal with the given
    colours (e.g. yes/no/abstain). With ``zoom_to`` (a group's members) the map is fitted to
    those states' shapes instead of the whole world.
    """
    import altair as alt

    rows = map_rows(values, names)
    shapes = alt.topo_feature(TOPOJSON_URL, "countries")
    fit = fit_feature(zoom_to) if zoom_to is not None else None
    clip = fit is not None  # shapes beyond a zoomed frame are cut at its edge
    base = alt.Chart(shapes).mark_geoshape(
        fill="#eceff1", stroke="white", strokeWidth=0.4, clip=clip
    )
    if categories is not None:
        cats = list(categories)
        color = alt.Color(
            "value:N", title=legend, scale=alt.Scale(domain=cats, range=list(colours or []))
        )
    else:
        color = alt.Color("value:Q", title=legend, scale=alt.Scale(scheme="blues"))
    layer = (
        alt.Chart(shapes)
        .mark_geoshape(stroke="white", strokeWidth=0.4, clip=clip)
        .transform_lookup(
            lookup="id",
            from_=alt.LookupData(
                alt.Data(values=rows),  # type: ignore[no-untyped-call]
                "id",
                ["iso3", "state", "value"],
            ),
        )
        .transform_filter("isValid(datum.value)")
        .encode(color=color, tooltip=[alt.Tooltip("state:N"), alt.Tooltip("value:N", title=legend)])
    )
    chart = (
        alt.layer(base, layer)
        .project(type="equalEarth")
        .properties(width=width, height=int(width * 0.48), title=title)
    )
    spec: dict[str, Any] = chart.to_dict()
    if fit is not None:
        xs = [p[0] for p in fit["geometry"]["coordinates"]]
        spec["projection"]["fit"] = fit
        spec["projection"]["rotate"] = [-round((min(xs) + max(xs)) / 2, 2), 0, 0]
    return spec


def vote_map_spec(
    votes: Mapping[str, str], title: str, names: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """Who voted how, on a world map."""
    return world_map_spec(
        votes,
        title,
        names=names,
        legend="vote",
        categories=list(VOTE_COLOURS),
        colours=list(VOTE_COLOURS.values()),
    )
