"""What the risk pages show, as plain data: the ranking with its map, the evaluation beside
the Early Warning Project's own figures, and the charts (Vega-Lite specs) of both.

The model itself (``risk.public``: ranking, backtest_result, risk_trend) is built by the model
room; this module only arranges its answers for a reader, so the pages and the JSON API say
the same thing. Every page names its sources and how far each runs (``core.coverage``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from rightsdesk.core.coverage import Coverage, coverage
from rightsdesk.core.states import State
from rightsdesk.interventions.risk.models import RiskRecord
from rightsdesk.interventions.risk.sources.formats import KINDS, SPEC_BY_KIND
from rightsdesk.reports.charts import script_json
from rightsdesk.reports.maps import world_map_spec

#: What the model predicts, in the words the pages use.
MASS_KILLING = (
    "at least 1,000 civilians deliberately killed by the armed forces of a state or by "
    "another armed group within a year or less, targeted as members of a group, as the Early "
    "Warning Project defines it"
)

#: The evaluation's figures, with the words a reader sees and whether higher is better.
METRIC_LABELS: tuple[tuple[str, str, bool], ...] = (
    ("auc", "AUC: how often an onset country-year ranks above a calm one (0.5 = chance)", True),
    ("average_precision", "Average precision: precision over all cut-offs (onsets are rare)", True),
    ("top10_recall", "Share of onsets in that year's top 10", True),
    ("top20_recall", "Share of onsets in that year's top 20", True),
    ("top30_recall", "Share of onsets in that year's top 30", True),
    ("brier", "Brier score: mean squared error of the risk (lower is better)", False),
)

LEVEL_WORDS = {
    "highest": "highest (top 10)",
    "high": "high (top 30)",
    "elevated": "elevated (4% or more)",
    "lower": "lower",
}


@dataclass(frozen=True)
class SourceReach:
    """How far one risk source runs: kind, label, first and last year, rows."""

    kind: str
    label: str
    first: int
    last: int
    rows: int


def source_reach(session: Session) -> list[SourceReach]:
    """The years each imported risk source covers, in the order of ``formats.SPECS``."""
    stmt = select(
        RiskRecord.source, func.min(RiskRecord.year), func.max(RiskRecord.year), func.count()
    ).group_by(RiskRecord.source)
    found = {kind: (lo, hi, n) for kind, lo, hi, n in session.execute(stmt)}
    return [
        SourceReach(kind, SPEC_BY_KIND[kind].label, *found[kind]) for kind in KINDS if kind in found
    ]


def risk_coverage(session: Session) -> Coverage:
    """The risk sources' coverage block (period, rows, import date of each file)."""
    return coverage(session, KINDS, "Risk data")


def state_names(session: Session) -> dict[str, str]:
    return {iso3: name for iso3, name in session.execute(select(State.iso3, State.name))}


def percent(value: float | None, digits: int = 1) -> str:
    """A share as a percentage for tables ("3.2%"); a dash when missing."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{value * 100:.{digits}f}%"


def ranking_rows(ranked: list[Any], names: dict[str, str]) -> list[dict[str, Any]]:
    """Table rows of a ranking (``public.RiskSummary`` objects)."""
    rows = []
    for r in ranked:
        rows.append(
            {
                "rank": r.rank,
                "iso3": r.iso3,
                "state": names.get(r.iso3 or "", r.country),
                "risk": r.risk,
                "risk_text": percent(r.risk),
                "level": r.level,
                "level_text": LEVEL_WORDS.get(r.level, r.level),
                "drivers": [(label, weight) for label, weight in r.drivers[:3]],
            }
        )
    return rows


def ranking_map(rows: list[dict[str, Any]], year: int) -> str | None:
    """The world map of the ranking's risks (percent), as embeddable JSON."""
    values = {r["iso3"]: round(r["risk"] * 100, 2) for r in rows if r["iso3"]}
    if not values:
        return None
    names = {r["iso3"]: r["state"] for r in rows if r["iso3"]}
    title = f"Risk of a mass-killing onset in {year + 1}–{year + 2}, %"
    return script_json(world_map_spec(values, title, names=names, legend="Risk, %"))


def metric_rows(report: dict[str, Any]) -> list[dict[str, Any]]:
    """The evaluation table: each figure for the model and for EWP with 95% intervals, and
    the difference (model - EWP) with its interval; ``better`` when that interval excludes 0
    on the good side."""
    rows = []
    model, ewp, diff = report.get("model", {}), report.get("ewp", {}), report.get("difference", {})
    for key, label, higher in METRIC_LABELS:
        if key not in model:
            continue
        ci = diff.get(f"{key}_ci") or [math.nan, math.nan]
        better = (ci[0] > 0) if higher else (ci[1] < 0)
        worse = (ci[1] < 0) if higher else (ci[0] > 0)
        rows.append(
            {
                "key": key,
                "label": label,
                "model": model.get(key),
                "model_ci": model.get(f"{key}_ci"),
                "ewp": ewp.get(key),
                "ewp_ci": ewp.get(f"{key}_ci"),
                "difference": diff.get(key),
                "difference_ci": ci,
                "verdict": "better" if better else "worse" if worse else "not distinguishable",
                "digits": 4 if key == "brier" else 3,  # Brier scores are around 0.01
            }
        )
    return rows


def calibration_chart(report: dict[str, Any]) -> str | None:
    """Observed onset rate against mean forecast risk per risk band, model and EWP, with the
    diagonal a perfectly calibrated forecast would follow."""
    import altair as alt

    points = []
    for who, label in (("model", "This model"), ("ewp", "Early Warning Project")):
        for band in report.get("calibration", {}).get(who, []):
            if band.get("rows") and band.get("mean_risk") is not None:
                points.append(
                    {
                        "forecast": label,
                        "mean_risk": band["mean_risk"],
                        "onset_rate": band["onset_rate"],
                        "rows": band["rows"],
                        "band": f"{band['low'] * 100:g}–{band['high'] * 100:g}%",
                    }
                )
    if not points:
        return None
    top = max(max(p["mean_risk"], p["onset_rate"]) for p in points)
    diagonal = alt.Chart(alt.Data(values=[{"x": 0, "y": 0}, {"x": top, "y": top}]))  # type: ignore[no-untyped-call]
    line = diagonal.mark_line(color="#999", strokeDash=[4, 4]).encode(x="x:Q", y="y:Q")
    dots = (
        alt.Chart(alt.Data(values=points))  # type: ignore[no-untyped-call]
        .mark_line(point=True)
        .encode(
            x=alt.X(
                "mean_risk:Q", title="Mean forecast risk in the band", axis=alt.Axis(format="%")
            ),
            y=alt.Y("onset_rate:Q", title="Share with an onset", axis=alt.Axis(format="%")),
            color=alt.Color("forecast:N", title=None),
            tooltip=[
                alt.Tooltip("forecast:N"),
                alt.Tooltip("band:N", title="Risk band"),
                alt.Tooltip("rows:Q", title="Country-years"),
                alt.Tooltip("mean_risk:Q", title="Mean risk", format=".2%"),
                alt.Tooltip("onset_rate:Q", title="Onset rate", format=".2%"),
            ],
        )
    )
    chart = alt.layer(line, dots).properties(
        width="container", height=300, title="Calibration: forecast risk against what happened"
    )
    spec: dict[str, Any] = chart.to_dict()
    return script_json(spec)


def trend_chart(trend: list[dict[str, Any]], state: str) -> str | None:
    """A state's forecast risk by data year (this model and EWP's published forecast)."""
    import altair as alt

    points = []
    for row in trend:
        year = int(row["year"])
        for key, label in (("risk", "This model"), ("ewp_risk", "Early Warning Project")):
            value = row.get(key)
            if value is not None and not (isinstance(value, float) and math.isnan(value)):
                points.append({"year": year, "risk": float(value), "forecast": label})
    if not points:
        return None
    chart = (
        alt.Chart(alt.Data(values=points))  # type: ignore[no-untyped-call]
        .mark_line(point=True)
        .encode(
            x=alt.X("year:Q", title="Forecast from the data of", axis=alt.Axis(format="d")),
            y=alt.Y(
                "risk:Q", title="Risk of an onset in the next two years", axis=alt.Axis(format="%")
            ),
            color=alt.Color("forecast:N", title=None),
            tooltip=[
                alt.Tooltip("year:Q", title="Data year", format="d"),
                alt.Tooltip("forecast:N"),
                alt.Tooltip("risk:Q", title="Risk", format=".2%"),
            ],
        )
        .properties(width="container", height=260, title=f"{state}: forecast risk over time")
    )
    spec: dict[str, Any] = chart.to_dict()
    return script_json(spec)
