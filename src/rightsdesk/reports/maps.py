"""World maps (Vega-Lite via Altair) shared by every form: a value per state, by ISO3.

The country shapes are Natural Earth 1:110m from the world-atlas package, vendored under
/static/vendor (no CDN). Shapes carry ISO 3166-1 numeric ids; pycountry maps our ISO3 keys to
them. Historical states (SUN, YUG, ...) have no shape on a present-day map and are left out;
pages keep a table beside every map for them and for readers without JavaScript.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any

from rightsdesk.reports.charts import VOTE_COLOURS

TOPOJSON_URL = "/static/vendor/world-atlas-2.0.2-countries-110m.json"



@cache
def _numeric(iso3: str) -> str | None:
    import pycountry

    country = pycountry.countries.get(alpha_3=iso3)
    return None if country is None else str(country.numeric)


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
) -> dict[str, Any]:
    """A choropleth: grey land for every country, coloured where ``values`` has the state.

    Numbers get a sequential scale; with ``categories`` the values are nominal with the given
    colours (e.g. yes/no/abstain).
    """
    import altair as alt

    rows = map_rows(values, names)
    shapes = alt.topo_feature(TOPOJSON_URL, "countries")
    base = alt.Chart(shapes).mark_geoshape(fill="#eceff1", stroke="white", strokeWidth=0.4)
    if categories is not None:
        cats = list(categories)
        color = alt.Color(
            "value:N", title=legend, scale=alt.Scale(domain=cats, range=list(colours or []))
        )
    else:
        color = alt.Color("value:Q", title=legend, scale=alt.Scale(scheme="blues"))
    layer = (
        alt.Chart(shapes)
        .mark_geoshape(stroke="white", strokeWidth=0.4)
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
