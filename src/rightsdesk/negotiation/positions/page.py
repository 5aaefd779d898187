"""What ``/positions`` shows: a chart of ideal points over the years for the states and groups
picked, with the table behind a toggle (issue 10).

Why a page module of its own: the page used to be a 14,500-pixel table with a chart whose lines
ran straight across years without votes (South Africa, kept out of the General Assembly from
1974 to 1994, got a line through twenty empty years). Here every state's positions are cut
into *segments* of consecutive years, and each segment is drawn as a line of its own (the
chart's ``detail`` channel), so a gap stays a gap; a lone year is still shown as a point.
The fitted positions come from ``service.positions`` (fitted once per data version); this
module only chooses, labels and shapes them.

A fresh worker's first visit must not wait either: ``service.positions`` has to count the
body's votes (its data signature) and read the whole saved fit, seconds on a loaded store.
The table of positions the page needs (a few thousand rows) is kept per data version in
``core.cache``, on disk, and the warm-up writes it after each import (``position_frame``).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
from sqlalchemy.orm import Session

from rightsdesk.core.cache import NOT_VOTES, cached
from rightsdesk.core.config import Settings
from rightsdesk.core.groups import list_groupings, members_at, resolve_group
from rightsdesk.core.labels import body_label
from rightsdesk.core.provenance import VOTE_KINDS, provenance_for
from rightsdesk.core.states import reference_states
from rightsdesk.negotiation.positions import service as svc
from rightsdesk.reports.charts import positions_chart_spec

__all__ = [
    "MAX_STATES",
    "group_average",
    "mark_segments",
    "position_frame",
    "positions_chart",
    "positions_view",
]

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
    """The chart's Vega-Lite spec (``reports.charts.positions_chart_spec``) of ``rows`` cut
    into segments of consecutive years; None without rows."""
    if rows.empty:
        return None
    return positions_chart_spec(mark_segments(rows).to_dict(orient="records"), names)


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


def position_frame(
    session: Session, settings: Settings, body: str, issue: str | None
) -> pd.DataFrame:
    """``service.positions`` of a body and issue, kept per data version of the votes (in
    memory and on disk, ``core.cache``): the page reads the saved table instead of counting
    the votes and loading the whole fit in every new worker. The frame is shared: callers
    must not change it."""
    body = svc.check_body(body)
    issue = issue.strip().lower() if issue else None
    return cached(
        session,
        "positions-frame",
        (body, issue or ""),
        lambda: svc.positions(session, settings, body, issue),
        edits=False,  # like the fit's own key: imported votes only
        ignore=NOT_VOTES,
    )


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
    frame = position_frame(session, settings, body, issue or None)
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
