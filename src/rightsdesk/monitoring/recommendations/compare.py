"""A state's recommendations received, by theme and by response, against the average member
of its UN regional group: the comparison charts of the state page (issue 10).

Why: "Norway received 117 recommendations on 12 themes" says little on its own; beside the
average Western European and Others state it says whether Norway was asked about a theme more
or less than its peers. The average is over the group's members (today) that received at least
one recommendation in the store, so a member the data does not reach does not pull it down;
the chart's caption says how many members that is. Charts are Vega-Lite specs: a bar for the
state and a black tick for the group average on each row, rows a fixed height apart, so a
state with one category gets one short bar, never a bar filling the whole chart.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from rightsdesk.core.groups import group_members, regional_group_map
from rightsdesk.core.labels import group_label, state_label
from rightsdesk.monitoring.recommendations.models import (
    Recommendation,
    RecommendationTheme,
    Response,
    Theme,
)

__all__ = [
    "Comparison",
    "THEME_LIMIT",
    "compare_chart",
    "compare_context",
    "compare_with_group",
    "narrow_bars",
]

#: Themes shown: the state's most frequent ones.
THEME_LIMIT = 12
#: The taxonomy compared when the state has it (the one every UPR Info row carries).
PREFERRED_TAXONOMY = "upr-info"
#: Words for the taxonomy codes, for the chart's axis.
TAXONOMY_WORDS = {
    "upr-info": "UPR Info issue",
    "uhri": "UHRI theme",
    "sdg": "SDG target",
    "affected-persons": "affected persons",
}


@dataclass
class Comparison:
    """Counts of one state and its group's average member, per theme and per response."""

    iso3: str
    state: str
    group: str
    group_name: str
    members: int  # group members with at least one recommendation received
    taxonomy: str | None
    themes: list[dict[str, Any]] = field(default_factory=list)  # label, state, average
    responses: list[dict[str, Any]] = field(default_factory=list)  # label, state, average


def _counts_by_state(
    session: Session, members: Sequence[str], kind: str, taxonomy: str | None
) -> dict[str, dict[str, int]]:
    """{iso3: {label: recommendations}} for the members, per theme or per response."""
    counted = func.count(func.distinct(Recommendation.id))
    if kind == "theme":
        stmt = (
            select(Recommendation.state_iso3, Theme.label, counted)
            .join(RecommendationTheme, RecommendationTheme.recommendation_id == Recommendation.id)
            .join(Theme, Theme.id == RecommendationTheme.theme_id)
            .where(Theme.taxonomy == taxonomy)
            .group_by(Recommendation.state_iso3, Theme.label)
        )
    else:
        label = func.coalesce(Response.response, "no response")
        stmt = (
            select(Recommendation.state_iso3, label, counted)
            .outerjoin(Response, Response.recommendation_id == Recommendation.id)
            .group_by(Recommendation.state_iso3, label)
        )
    out: dict[str, dict[str, int]] = defaultdict(dict)
    for iso3, name, n in session.execute(stmt.where(Recommendation.state_iso3.in_(members))):
        out[iso3][name] = int(n)
    return out


def _taxonomy(session: Session, iso3: str) -> str | None:
    """The taxonomy to compare on: UPR Info issues when the state has them, else its most
    used one (None: no theme at all)."""
    used = session.execute(
        select(Theme.taxonomy, func.count())
        .join(RecommendationTheme, RecommendationTheme.theme_id == Theme.id)
        .join(Recommendation, Recommendation.id == RecommendationTheme.recommendation_id)
        .where(Recommendation.state_iso3 == iso3)
        .group_by(Theme.taxonomy)
        .order_by(func.count().desc(), Theme.taxonomy)
    ).all()
    names = [t for t, _n in used]
    return PREFERRED_TAXONOMY if PREFERRED_TAXONOMY in names else (names[0] if names else None)


def _rows(
    iso3: str, counts: dict[str, dict[str, int]], members: int, limit: int | None
) -> list[dict[str, Any]]:
    """Per label: the state's count and the members' average, the state's largest first."""
    mine = counts.get(iso3, {})
    totals: dict[str, int] = defaultdict(int)
    for per_state in counts.values():
        for label, n in per_state.items():
            totals[label] += n
    labels = sorted(mine, key=lambda k: (-mine[k], k))[:limit]
    return [
        {"label": k, "state": mine[k], "average": round(totals[k] / members, 1)} for k in labels
    ]


def compare_with_group(session: Session, iso3: str) -> Comparison | None:
    """The state's recommendations received by theme and by response beside its regional
    group's average member; None when the state has no regional group or no recommendation."""
    group = regional_group_map(session).get(iso3)
    if group is None:
        return None
    members = sorted(set(group_members(session, group)) | {iso3})
    by_response = _counts_by_state(session, members, "response", None)
    if iso3 not in by_response:
        return None
    reviewed = len(by_response)
    taxonomy = _taxonomy(session, iso3)
    by_theme = _counts_by_state(session, members, "theme", taxonomy) if taxonomy else {}
    return Comparison(
        iso3=iso3,
        state=state_label(iso3),
        group=group,
        group_name=group_label(group),
        members=reviewed,
        taxonomy=taxonomy,
        themes=_rows(iso3, by_theme, reviewed, THEME_LIMIT),
        responses=_rows(iso3, by_response, reviewed, None),
    )


def compare_chart(rows: list[dict[str, Any]], state: str, group_name: str, axis: str) -> Any:
    """Horizontal bars of the state's counts with a black tick at the group average, one row
    per label (``rows`` from ``Comparison``); None without rows."""
    if not rows:
        return None
    average = f"Average member of the {group_name}"
    values = [
        v
        for r in rows
        for v in (
            {"label": r["label"], "who": state, "count": r["state"]},
            {"label": r["label"], "who": average, "count": r["average"]},
        )
    ]
    order = [r["label"] for r in rows]
    y = {"field": "label", "type": "nominal", "title": axis, "sort": order}
    colour = {
        "field": "who",
        "type": "nominal",
        "title": None,
        "scale": {"domain": [state, average], "range": ["#0b5cad", "#1b1f24"]},
        "legend": {"orient": "top", "labelLimit": 400},
    }
    tooltip = [
        {"field": "label", "type": "nominal", "title": axis},
        {"field": "who", "type": "nominal", "title": "Who"},
        {"field": "count", "type": "quantitative", "title": "Recommendations"},
    ]
    x = {"field": "count", "type": "quantitative", "title": "Recommendations received"}
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "data": {"values": values},
        "width": "container",
        "height": {"step": 22},
        "encoding": {"y": y, "x": x, "color": colour, "tooltip": tooltip},
        "layer": [
            {
                "transform": [{"filter": {"field": "who", "equal": state}}],
                "mark": {"type": "bar", "height": {"band": 0.7}},
            },
            {
                "transform": [{"filter": {"field": "who", "equal": average}}],
                "mark": {"type": "tick", "thickness": 3, "bandSize": 18},
            },
        ],
    }


def narrow_bars(spec: dict[str, Any] | None, bars: int, step: int = 44) -> dict[str, Any] | None:
    """A bar chart with few bars keeps bars ``step`` pixels apart instead of stretching one
    bar over the page's width (a state reviewed once had a single full-width bar)."""
    if spec is None or bars > 20:
        return spec
    return {**spec, "width": {"step": step}}


def compare_context(session: Session, iso3: str) -> dict[str, Any] | None:
    """What the state panel's comparison shows: the comparison and its two chart specs as
    JSON for ``<script type="application/json">``; None when there is nothing to compare."""
    import json

    found = compare_with_group(session, iso3)
    if found is None:
        return None
    taxonomy = TAXONOMY_WORDS.get(found.taxonomy or "", found.taxonomy)
    theme_axis = "Theme" if taxonomy is None else f"Theme ({taxonomy})"
    specs = {
        "themes_json": compare_chart(found.themes, found.state, found.group_name, theme_axis),
        "responses_json": compare_chart(found.responses, found.state, found.group_name, "Response"),
    }
    return {
        "c": found,
        **{k: json.dumps(v).replace("</", "<\\/") if v else None for k, v in specs.items()},
    }
