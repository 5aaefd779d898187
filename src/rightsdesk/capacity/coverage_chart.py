"""The coverage chart: a state's supported recommendations per theme, split by what stands
behind them (a programme, an implementation action only, nothing), as a Vega-Lite spec.

Kept beside the coverage service rather than in ``reports/capacity_charts.py`` (the CRS and
programme charts' module), so each room owns its charts; the colours and wording follow
``reports/charts.py``: words on the axes, no codes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rightsdesk.capacity.coverage import StateCoverage

__all__ = ["COVERAGE_COLOURS", "coverage_chart_spec", "coverage_chart_rows"]

# one colour per kind of coverage, the same on every page: green for a programme, amber for
# an action without a programme, red for nothing behind the recommendation
COVERAGE_COLOURS: dict[str, str] = {
    "programme": "#2e7d32",
    "action only": "#f9a825",
    "nothing": "#c62828",
}
MAX_THEMES = 25


def coverage_chart_rows(coverage: StateCoverage) -> list[dict[str, Any]]:
    """One row per (theme, kind of coverage) with its count, themes with most recommendations
    first (at most ``MAX_THEMES``)."""
    counts: dict[tuple[str, str], int] = {}
    for row in coverage.recommendations:
        kind = "programme" if row.has_programme else "action only" if row.has_action else "nothing"
        for theme in row.themes:
            counts[(theme, kind)] = counts.get((theme, kind), 0) + 1
    keep = [t.theme for t in coverage.themes[:MAX_THEMES]]
    return [
        {"theme": theme, "coverage": kind, "recommendations": counts.get((theme, kind), 0)}
        for theme in keep
        for kind in COVERAGE_COLOURS
        if counts.get((theme, kind))
    ]


def coverage_chart_spec(coverage: StateCoverage) -> dict[str, Any] | None:
    """Horizontal stacked bars per theme; None when the state has no supported
    recommendation to draw."""
    import altair as alt

    rows = coverage_chart_rows(coverage)
    if not rows:
        return None
    order = [t.theme for t in coverage.themes[:MAX_THEMES]]
    chart = (
        alt.Chart(alt.Data(values=rows))  # type: ignore[no-untyped-call]
        .mark_bar()
        .encode(
            y=alt.Y("theme:N", title="Theme", sort=order),
            x=alt.X("recommendations:Q", title="Supported recommendations", stack="zero"),
            color=alt.Color(
                "coverage:N",
                title="Behind it",
                scale=alt.Scale(
                    domain=list(COVERAGE_COLOURS), range=list(COVERAGE_COLOURS.values())
                ),
            ),
            order=alt.Order("coverage:N"),
            tooltip=[
                alt.Tooltip("theme:N", title="Theme"),
                alt.Tooltip("coverage:N", title="Behind it"),
                alt.Tooltip("recommendations:Q", title="Recommendations"),
            ],
        )
        .properties(width="container", height=max(120, 18 * len(order)))
    )
    spec: dict[str, Any] = chart.to_dict()
    return spec
