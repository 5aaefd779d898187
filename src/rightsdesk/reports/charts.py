"""Every chart spec of the workbench (Vega-Lite, mostly through Altair), with one colour scheme.

Routes and commands pass data in and get a spec dict back; they never build charts themselves,
so the same vote is the same colour on every page. Axes and legends carry words, not field
names or codes: titles from ``core.labels.axis_title``, states and groups by name.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from rightsdesk.core.labels import axis_title, group_label, state_label, vote_value_label

#: Fields whose values are ISO3 codes: shown as state names in legends and tooltips.
STATE_FIELDS = frozenset({"partner", "iso3", "state_iso3"})

# One colour per vote everywhere (pages, maps, legends); "absent" is a neutral grey.
VOTE_COLOURS: dict[str, str] = {
    "yes": "#2e7d32",
    "no": "#c62828",
    "abstain": "#f9a825",
    "absent": "#90a4ae",
}
VOTE_ORDER: list[str] = list(VOTE_COLOURS)


# --- monitoring ------------------------------------------------------------------------------


def recommendations_by_session(rows: list[dict[str, object]]) -> dict[str, object]:
    """Bars of the recommendations a state received per UPR session, coloured by response.

    ``rows``: one per (session, response) with ``cycle``, ``session``, ``response``, ``count``.
    """
    import altair as alt

    chart = (
        alt.Chart(alt.Data(values=rows))  # type: ignore[no-untyped-call]
        .mark_bar()
        .encode(
            x=alt.X("session:O", title="UPR session"),
            y=alt.Y("count:Q", title="Recommendations"),
            color=alt.Color("response:N", title="Response"),
            tooltip=["session:O", "response:N", "count:Q"],
        )
        .properties(height=220, width="container")
    )
    spec: dict[str, object] = chart.to_dict()
    return spec


# --- negotiation -----------------------------------------------------------------------------


def script_json(spec: object) -> str | None:
    """A spec as JSON safe to embed in a ``<script type="application/json">`` (None stays None).

    ``<``, ``>`` and ``&`` are written as JSON escapes (as Jinja's ``tojson`` does): escaping
    ``</`` alone is not enough, since ``<!--<script>`` in a stored title would switch the HTML
    parser into a state where the block's own ``</script>`` no longer ends it."""
    import json

    if spec is None:
        return None
    text = json.dumps(spec, default=str)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def parties_chart_spec(over_time: list[dict[str, int]], short: str) -> dict[str, Any] | None:
    """Cumulative number of states parties to an instrument per year (rows ``year, new,
    cumulative``); None without rows."""
    import altair as alt
    import pandas as pd

    if not over_time:
        return None
    chart = (
        alt.Chart(pd.DataFrame(over_time), title=f"States parties to the {short} over time")
        .mark_line(point=True, interpolate="step-after")
        .encode(
            x=alt.X("year:Q", title=axis_title("year"), axis=alt.Axis(format="d")),
            y=alt.Y("cumulative:Q", title="States parties (cumulative)"),
            tooltip=[
                alt.Tooltip("year:Q", title="Year"),
                alt.Tooltip("new:Q", title="New parties"),
                alt.Tooltip("cumulative:Q", title="States parties"),
            ],
        )
        .properties(width="container", height=260)
    )
    spec: dict[str, Any] = chart.to_dict()
    return spec


def group_chart_spec(by_group: list[dict[str, Any]]) -> dict[str, Any] | None:
    """Stacked bars: how each UN regional group voted on a roll call (one row per group);
    None without votes."""
    import altair as alt
    import pandas as pd

    if not by_group:
        return None
    long = pd.DataFrame(
        [
            {"group": group_label(g["group"]), "vote": vote_value_label(k), "states": g[k]}
            for g in by_group
            for k in VOTE_ORDER
            if g[k]
        ]
    )
    chart = (
        alt.Chart(long, title="Votes by UN regional group")
        .mark_bar()
        .encode(
            y=alt.Y("group:N", title=None),
            x=alt.X("states:Q", title="States"),
            color=alt.Color(
                "vote:N",
                title="Vote",
                scale=alt.Scale(
                    domain=[vote_value_label(v) for v in VOTE_ORDER],
                    range=[VOTE_COLOURS[v] for v in VOTE_ORDER],
                ),
            ),
            tooltip=[
                alt.Tooltip("group:N", title="Group"),
                alt.Tooltip("vote:N", title="Vote"),
                alt.Tooltip("states:Q", title="States"),
            ],
        )
        .properties(width="container", height=180)
    )
    spec: dict[str, Any] = chart.to_dict()
    return spec


def line_chart_spec(
    rows: Any, x: str, y: str, color: str | None, title: str
) -> dict[str, Any] | None:
    """A share (0-1) over years: ``y`` over ``x``, one line per ``color`` value if given.

    ``rows``: records or a DataFrame; None when there are none.
    """
    import altair as alt
    import pandas as pd

    frame = pd.DataFrame(rows)
    if frame.empty:
        return None
    if color in STATE_FIELDS:  # a legend of "FRA, BRA" tells a reader less than names
        frame = frame.assign(**{color: frame[color].map(lambda c: state_label(str(c)))})
    enc: dict[str, Any] = {
        "x": alt.X(f"{x}:Q", title=axis_title(x), axis=alt.Axis(format="d")),
        "y": alt.Y(f"{y}:Q", title=axis_title(y), scale=alt.Scale(domain=[0, 1])),
        "tooltip": [
            alt.Tooltip(f"{x}:Q", title=axis_title(x)),
            alt.Tooltip(f"{y}:Q", title=axis_title(y), format=".3f"),
        ]
        + ([alt.Tooltip(f"{color}:N", title=axis_title(color))] if color else []),
    }
    if color:
        enc["color"] = alt.Color(f"{color}:N", title=axis_title(color))
    chart = (
        alt.Chart(frame[[c for c in (x, y, color) if c]], title=title)
        .mark_line(point=True)
        .encode(**enc)
        .properties(width="container", height=280)
    )
    spec: dict[str, Any] = chart.to_dict()
    return spec


def cohesion_chart_spec(rows: Any, title: str) -> dict[str, Any] | None:
    """A group's cohesion per year (records or a frame of ``year, members, cohesion, ...``),
    with plain-words axis titles and the members of each year in the tooltip; None when empty."""
    import altair as alt
    import pandas as pd

    frame = pd.DataFrame(rows)
    if frame.empty:
        return None
    columns = [c for c in ("year", "cohesion", "members", "roll_calls") if c in frame.columns]
    chart = (
        alt.Chart(frame[columns], title=title)
        .mark_line(point=True)
        .encode(
            x=alt.X("year:Q", title=axis_title("year"), axis=alt.Axis(format="d")),
            y=alt.Y("cohesion:Q", title=axis_title("cohesion"), scale=alt.Scale(domain=[0, 1])),
            tooltip=[alt.Tooltip(f"{c}:Q", title=axis_title(c)) for c in columns],
        )
        .properties(width="container", height=280)
    )
    spec: dict[str, Any] = chart.to_dict()
    return spec


def positions_chart_spec(
    rows: Iterable[Mapping[Any, Any]], names: Mapping[str, str]
) -> dict[str, Any] | None:
    """Ideal points over the years (``/positions``): one coloured line per state and run of
    consecutive years, points on every position (a year alone still shows) and a ±1.96 SE
    band; None without rows.

    ``rows``: ``iso3, segment, session, year, ideal_point, se``, where ``segment`` names a run
    of years without a gap (``positions.page.mark_segments``): the chart's ``detail``
    channel draws each segment as a line of its own, so no line crosses years without votes.
    ``names`` gives each code its label (a state's name, "Average: ..." for a group).

    Written as a Vega-Lite dict, not through Altair: the page is the first visit of many
    users, and Altair's import and schema check cost more than the rest of the page."""
    records = []
    for r in rows:
        point, se = float(r["ideal_point"]), float(r["se"])
        records.append(
            {
                "state": names.get(str(r["iso3"]), str(r["iso3"])),
                "iso3": str(r["iso3"]),
                "segment": str(r["segment"]),
                "session": int(r["session"]),
                "year": int(r["year"]),
                "ideal_point": round(point, 4),
                "low": round(point - 1.96 * se, 4),
                "high": round(point + 1.96 * se, 4),
            }
        )
    if not records:
        return None
    states = len({r["iso3"] for r in records})
    x = {"field": "year", "type": "quantitative", "title": "Year", "axis": {"format": "d"}}
    y_title = "Ideal point (United States positive)"
    colour = {
        "field": "state",
        "type": "nominal",
        "title": "State",
        "legend": {"columns": 2 if states > 12 else 1, "symbolLimit": states + 1},
    }
    tooltip = [
        {"field": "state", "type": "nominal", "title": "State"},
        {"field": "year", "type": "quantitative", "title": "Year", "format": "d"},
        {"field": "session", "type": "quantitative", "title": "Session"},
        {"field": "ideal_point", "type": "quantitative", "title": "Ideal point", "format": ".2f"},
    ]
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "data": {"values": records},
        "width": "container",
        "height": 380,
        "encoding": {"x": x, "color": colour, "detail": {"field": "segment", "type": "nominal"}},
        "layer": [
            {
                "mark": {"type": "area", "opacity": 0.15},
                "encoding": {
                    "y": {"field": "low", "type": "quantitative", "title": y_title},
                    "y2": {"field": "high"},
                },
            },
            {
                "mark": {"type": "line", "strokeWidth": 2},
                "encoding": {"y": {"field": "ideal_point", "type": "quantitative"}},
            },
            {
                "mark": {"type": "point", "filled": True, "size": 18},
                "encoding": {
                    "y": {"field": "ideal_point", "type": "quantitative"},
                    "tooltip": tooltip,
                },
            },
        ],
    }
