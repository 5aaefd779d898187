"""What ``/positions`` shows: a chart of ideal points over the years for the states and groups
picked, with the table behind a toggle (issue 10).

Why a page module of its own: the page used to be a 14,500-pixel table with a chart whose lines
ran straight across years without votes (South Africa, kept out of the General Assembly from
1974 to 1994, got a line through twenty empty years). Here every state's positions are cut
into *segments* of consecutive years, and each segment is drawn as a line of its own (the
chart's ``detail`` channel), so a gap stays a gap; a lone year is still shown as a point.
The fitted positions come from ``service.positions`` (fitted once per data version); this
module only chooses, labels and shapes them.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
from sqlalchemy.orm import Session

from rightsdesk.core.config import Settings
from rightsdesk.core.groups import list_groupings, members_at, resolve_group
from rightsdesk.core.labels import body_label
from rightsdesk.core.provenance import VOTE_KINDS, provenance_for
from rightsdesk.core.states import reference_states
from rightsdesk.negotiation.positions import service as svc

__all__ = ["MAX_STATES", "group_average", "mark_segments", "positions_chart", "positions_view"]

#: More lines than this are unreadable (and the legend would fill the page).
MAX_STATES = 60


def mark_segments(rows: pd.DataFrame, max_gap_years: int = 1) -> pd.DataFrame:
    """``rows`` (iso3, year, ...) with a ``segment`` column: a new segment starts wherever a
    state's next position is more than ``max_gap_years`` later than the previous one, so
    the chart draws no line across years without votes."""
    if rows.empty:
        return rows.assign(segment=pd.Series(dtype=str))
    ordered = rows.sort_values(["iso3", "year", "session"]).reset_index(drop=True)
    jump = ordered.groupby("iso3")["year"].diff().fillna(0) > max_gap_years
    number = jump.astype(int).groupby(ordered["iso3"]).cumsum()
    return ordered.assign(segment=ordered["iso3"] + "-" + number.astype(str))


def positions_chart(rows: pd.DataFrame, names: dict[str, str]) -> dict[str, Any] | None:
    """A Vega-Lite spec: one coloured line per state and run of consecutive years, points on
    every position (a year alone still shows) and a ±1.96 SE band; None without rows."""
    if rows.empty:
        return None
    data = mark_segments(rows)
    states = int(data["iso3"].nunique())
    records = []
    for r in data.to_dict(orient="records"):
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


def group_average(frame: pd.DataFrame, code: str, members: list[str]) -> pd.DataFrame:
    """The mean position of a group's members per session, as one more line of the chart
    (``iso3`` is the group's code; ``se`` 0: no band). A session with no member voting has
    no row, so the average line is broken there too."""
    rows = frame[frame["iso3"].isin(members)]
    if rows.empty:
        return rows
    mean = rows.groupby(["session", "year"], as_index=False)["ideal_point"].mean()
    out: pd.DataFrame = mean.assign(iso3=code, se=0.0)[list(rows.columns)]
    return out


def _chosen(
    session: Session, states: str, picked: list[str], groups: list[str]
) -> tuple[list[str], list[str], list[dict[str, Any]]]:
    """The states asked for one by one (typed or picked), all states to show (those and
    today's members of each group) in order without repeats, and the groups with members."""
    individual = svc.state_list(",".join([states, *picked]))
    chosen = list(individual)
    shown_groups = []
    for code in groups:
        if not code.strip():
            continue
        grouping = resolve_group(session, code)
        members = members_at(session, grouping.code, date.today())
        shown_groups.append({"code": grouping.code, "name": grouping.name, "members": members})
        chosen += members
    return list(dict.fromkeys(individual)), list(dict.fromkeys(chosen)), shown_groups


def positions_view(
    session: Session,
    settings: Settings,
    body: str,
    issue: str,
    states: str,
    picked: list[str],
    groups: list[str],
) -> dict[str, Any]:
    """The page's context: the chart spec, the rows of the table, the choices of the pickers
    and who has no positions. States beyond ``MAX_STATES`` are left out and said so."""
    individual, chosen, shown_groups = _chosen(session, states, picked, groups)
    frame = svc.positions(session, settings, svc.check_body(body), issue or None)
    names = {k: v.name for k, v in reference_states().items()}
    available = sorted(set(frame["iso3"]), key=lambda c: names.get(c, c))
    dropped = chosen[MAX_STATES:]
    chosen = chosen[:MAX_STATES]
    shown = frame[frame["iso3"].isin(chosen)].sort_values(["iso3", "session"])
    averages = {g["code"]: group_average(frame, g["code"], g["members"]) for g in shown_groups}
    labels = {g["code"]: f"Average: {g['name']}" for g in shown_groups}
    return {
        "spec": positions_chart(pd.concat([shown, *averages.values()]), {**names, **labels}),
        "rows": shown.to_dict(orient="records"),
        "filters": {
            "body": body,
            "issue": issue,
            "states": "",
            "picked": individual,
            "groups": [g["code"] for g in shown_groups],
        },
        "bodies": svc.BODIES,
        "body_label": body_label,
        "names": names,
        "available": [(c, names.get(c, c)) for c in available],
        "groupings": [(g.code, g.name) for g in list_groupings(session)],
        "shown_groups": shown_groups,
        "missing": [s for s in chosen if s not in set(shown["iso3"])],
        "dropped": dropped,
        "max_states": MAX_STATES,
        "provenance": provenance_for(session, VOTE_KINDS, "UN votes"),
    }
