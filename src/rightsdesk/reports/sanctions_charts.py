"""Chart specs of the sanctions form (Vega-Lite through Altair), in the style of ``charts.py``:
routes pass rows in and get a spec dict back; axes and legends carry words, not codes.

Why by year and authority: the question a practitioner brings is "who started listing this
state's people, and when" (the US under Global Magnitsky from 2017, the EU under its human
rights regime from 2020); stacked bars per authority answer it at a glance.
"""

from __future__ import annotations

from typing import Any


def designations_per_year_chart(rows: list[dict[str, Any]], title: str) -> dict[str, Any] | None:
    """Designations listed per year, stacked by authority.

    ``rows``: ``year`` (int), ``authority`` (words), ``count``; None without rows. Years
    without any listing are left out rather than drawn as gaps (the axis is ordinal).
    """
    import altair as alt

    if not rows:
        return None
    chart = (
        alt.Chart(alt.Data(values=rows))  # type: ignore[no-untyped-call]
        .mark_bar()
        .encode(
            x=alt.X("year:O", title="Year listed"),
            y=alt.Y("count:Q", title="Designations", stack="zero"),
            color=alt.Color(
                "authority:N", title="Authority", legend=alt.Legend(orient="bottom", columns=2)
            ),
            tooltip=[
                alt.Tooltip("year:O", title="Year listed"),
                alt.Tooltip("authority:N", title="Authority"),
                alt.Tooltip("count:Q", title="Designations"),
            ],
        )
        .properties(width="container", height=220, title=title)
    )
    spec: dict[str, Any] = chart.to_dict()
    return spec
