"""Chart specs of the capacity form (Vega-Lite through Altair), in the style of ``charts.py``:
routes pass rows in and get a spec dict back; axes and legends carry words, not codes."""

from __future__ import annotations

from typing import Any


def hr_aid_chart(
    sectors: list[dict[str, Any]], medians: list[dict[str, Any]], state: str, group: str
) -> dict[str, Any] | None:
    """A state's human-rights-related aid per year, stacked by DAC sector, with its regional
    group's median per recipient member as a line.

    ``sectors``: rows of ``year, sector (words), amount`` (USD million); ``medians``: rows of
    ``year, median``. None when the state received none of it in any year.
    """
    import altair as alt

    if not sectors:
        return None
    bars = (
        alt.Chart(alt.Data(values=sectors))  # type: ignore[no-untyped-call]
        .mark_bar()
        .encode(
            x=alt.X("year:O", title="Year"),
            y=alt.Y("amount:Q", title="USD million", stack="zero"),
            color=alt.Color(
                "sector:N", title="DAC sector", legend=alt.Legend(orient="bottom", columns=1)
            ),
            tooltip=[
                alt.Tooltip("year:O", title="Year"),
                alt.Tooltip("sector:N", title="DAC sector"),
                alt.Tooltip("amount:Q", title="USD million", format=",.2f"),
            ],
        )
    )
    layers: list[Any] = [bars]
    if medians:
        line = (
            alt.Chart(alt.Data(values=medians))  # type: ignore[no-untyped-call]
            .mark_line(point=True, color="#37474f", strokeDash=[4, 3])
            .encode(
                x=alt.X("year:O", title="Year"),
                y=alt.Y("median:Q", title="USD million"),
                tooltip=[
                    alt.Tooltip("year:O", title="Year"),
                    alt.Tooltip("median:Q", title=f"Median of {group}", format=",.2f"),
                ],
            )
        )
        layers.append(line)
    chart = alt.layer(*layers).properties(
        width="container",
        height=240,
        title=f"Human rights related aid to {state} (bars) and the {group} median (dashed line)",
    )
    spec: dict[str, Any] = chart.to_dict()
    return spec


def state_aid_chart(aid: Any) -> dict[str, Any] | None:
    """``hr_aid_chart`` of a ``capacity.aid.StateAid``."""
    sectors = [
        {"year": y.year, "sector": s.name, "amount": s.amount} for y in aid.years for s in y.sectors
    ]
    medians = [
        {"year": y.year, "median": y.group_median} for y in aid.years if y.group_median is not None
    ]
    groups = {y.group_name for y in aid.years if y.group_name}
    group = " / ".join(sorted(groups)) if groups else "regional group"
    return hr_aid_chart(sectors, medians, aid.name, group)
