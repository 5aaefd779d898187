"""The event chart of a state: the share of each CAMEO root in its monthly events, as a
Vega-Lite spec (Altair), rendered offline by the page's local vega-embed bundle.

Kept in the room, as the capacity coverage chart is; wording follows ``reports/charts.py``:
plain words on the axes and in the legend, no codes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

#: Roots drawn, in legend order (163 sanctions sits inside 16 and is drawn on its own too).
CHART_ROOTS = ("02", "10", "11", "13", "16", "163", "17", "18", "19", "20")


def pressure_chart_spec(rows: Sequence[dict[str, Any]], title: str) -> dict[str, Any] | None:
    """Lines of ``share`` per root label over months (rows of ``monthly_pressure``); None
    without rows."""
    import altair as alt

    if not rows:
        return None
    values = [
        {
            "month": f"{r['month']}-01",
            "kind": f"{r['label']} ({r['root']})",
            "share": r["share"],
            "events": r["events"],
        }
        for r in rows
        if r["root"] in CHART_ROOTS
    ]
    chart = (
        alt.Chart(alt.Data(values=values), title=title)  # type: ignore[no-untyped-call]
        .mark_line(point=True)
        .encode(
            x=alt.X("month:T", title="Month", timeUnit="yearmonth"),
            y=alt.Y("share:Q", title="Share of the state's events", axis=alt.Axis(format="%")),
            color=alt.Color("kind:N", title="Kind of event"),
            tooltip=[
                alt.Tooltip("month:T", title="Month", timeUnit="yearmonth"),
                alt.Tooltip("kind:N", title="Kind of event"),
                alt.Tooltip("events:Q", title="Events"),
                alt.Tooltip("share:Q", title="Share", format=".1%"),
            ],
        )
        .properties(width="container", height=280)
    )
    spec: dict[str, Any] = chart.to_dict()
    return spec
