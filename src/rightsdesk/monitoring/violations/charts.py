"""Vega-Lite specs of the violations views: the timeline of events by month and violation type,
and the map of events per state with points where a location may be shown.

Only spec building lives here: the routes (``routes_views.py``) gather the rows under the
user's access and filters and pass them in, so no chart can show what the list would not.
What goes into a spec ends up in the page's source, readable by anyone who has the page; the
map's points are therefore built only from the clear coordinates of events whose location is
*not* flagged sensitive, and a flagged event counts for its state and nothing finer.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, TypedDict

from rightsdesk.reports.maps import world_map_spec

__all__ = ["MapPoint", "TimelineRow", "events_map_spec", "timeline_spec"]

#: States with events at most this many: the map is fitted to them instead of the world.
ZOOM_STATES = 12
#: The most points one map draws (beyond, the page says how many were left out).
MAX_POINTS = 2_000
POINT_COLOUR = "#b71c1c"
#: The shortest time axis the timeline draws, in months.
MIN_MONTHS = 12


class TimelineRow(TypedDict):
    """Events of one month with one violation type (an event with two types counts twice)."""

    month: str  # "2019-03"
    act_type: str  # label, in words
    events: int


class MapPoint(TypedDict):
    """An event drawn at its (non-sensitive) coordinates."""

    id: int
    title: str
    place: str
    when: str
    latitude: float
    longitude: float


def timeline_spec(rows: Sequence[TimelineRow], title: str) -> dict[str, Any] | None:
    """Stacked bars: events per month, coloured by violation type; None without rows."""
    import altair as alt

    if not rows:
        return None
    data = alt.Data(values=[dict(r) for r in rows])  # type: ignore[no-untyped-call]
    chart = (
        alt.Chart(data, title=title)
        .mark_bar()
        .encode(
            x=alt.X(
                "yearmonth(month):T",
                title="Month",
                axis=alt.Axis(format="%b %Y"),
                scale=alt.Scale(domain=month_domain([r["month"] for r in rows])),
            ),
            y=alt.Y("sum(events):Q", title="Events"),
            color=alt.Color("act_type:N", title="Violation type"),
            tooltip=[
                alt.Tooltip("yearmonth(month):T", title="Month", format="%B %Y"),
                alt.Tooltip("act_type:N", title="Violation type"),
                alt.Tooltip("sum(events):Q", title="Events"),
            ],
        )
        .properties(width="container", height=280)
    )
    spec: dict[str, Any] = chart.to_dict()
    return spec


def _month_index(month: str) -> int:
    year, number = month.split("-")[:2]
    return int(year) * 12 + int(number) - 1


def month_domain(months: Sequence[str], least: int = MIN_MONTHS) -> list[str]:
    """The time axis for ``months`` ("2019-03"): from the first to the end of the last, widened
    to at least ``least`` months around them, so that one month of events is a bar and not
    the whole chart."""
    first = min(_month_index(m) for m in months)
    last = max(_month_index(m) for m in months) + 1  # the end of the last month
    if last - first < least:
        first -= (least - (last - first)) // 2
        last = first + least
    return [f"{i // 12:04d}-{i % 12 + 1:02d}-01" for i in (first, last)]


def events_map_spec(
    per_state: Mapping[str, int],
    points: Sequence[MapPoint],
    title: str,
    names: Mapping[str, str] | None = None,
) -> dict[str, Any] | None:
    """Events per state on the vendored world map, plus a dot per event with a location that
    may be shown; None when there is nothing to draw. A handful of states: the map is fitted
    to them (the world view would make Syria a few pixels)."""
    if not per_state and not points:
        return None
    zoom = list(per_state) if 0 < len(per_state) <= ZOOM_STATES else None
    spec = world_map_spec(per_state, title, names=names, legend="Events", zoom_to=zoom)
    if points:
        spec["layer"].append(
            {
                "data": {"values": [dict(p) for p in points[:MAX_POINTS]]},
                "mark": {
                    "type": "circle",
                    "size": 40,
                    "color": POINT_COLOUR,
                    "opacity": 0.75,
                    "stroke": "white",
                    "strokeWidth": 0.5,
                },
                "encoding": {
                    "longitude": {"field": "longitude", "type": "quantitative"},
                    "latitude": {"field": "latitude", "type": "quantitative"},
                    "tooltip": [
                        {"field": "title", "type": "nominal", "title": "Event"},
                        {"field": "place", "type": "nominal", "title": "Place"},
                        {"field": "when", "type": "nominal", "title": "When"},
                    ],
                    "href": {"field": "url", "type": "nominal"},
                },
                "transform": [{"calculate": "'/violations/events/' + datum.id", "as": "url"}],
            }
        )
    return spec
