"""The risk model as other rooms and pages use it: the latest risk of a state, the ranking,
the backtest and a state's risk over time, kept per data version.

Forecasts and the backtest take seconds (a model fitted per year), so their results go
through ``core.cache`` (in memory and on disk, per data version): the warm-up
(``risk/warm.py``) computes them after an import and pages answer at once. All functions
return None or empty results while the Early Warning Project data are not imported; the CLI
uses ``require_panel`` to say which imports are missing.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import pandas as pd
from sqlalchemy.orm import Session

from rightsdesk.core import cache
from rightsdesk.core.errors import NotFoundError
from rightsdesk.core.security.models import User
from rightsdesk.interventions.risk import panel as risk_panel
from rightsdesk.interventions.risk.evaluation import BacktestRun, run_backtest
from rightsdesk.interventions.risk.forecast import Forecast, available_years, forecast
from rightsdesk.interventions.risk.sources.formats import KINDS
from rightsdesk.interventions.risk.tuning import CHOSEN

#: The imports the model needs, as ``rightsdesk import KIND FILE`` names them.
NEEDED = {
    "ewp-basedata": "basedata2025_4august2025.csv",
    "ewp-predictors": "prepared2024predictors-2025-09-03.csv",
}
BACKTEST_NEEDS = {"ewp-forecasts": "FOOSforecasts_3Sep2025.csv"}
#: Whether the chosen model reads PTS, CIRIGHTS and UCDP (it does not: with them it scored
#: lower on the tuning period); pages say what the ranking is made from accordingly.
USES_EXTRAS = CHOSEN.extras
SOURCE = (
    "Early Warning Project panel with PTS, CIRIGHTS and UCDP, rightsdesk risk model"
    if USES_EXTRAS
    else "Early Warning Project predictors, rightsdesk risk model"
)


@dataclass(frozen=True)
class RiskSummary:
    """One country's forecast from the data of ``year`` for onsets in ``year+1``..``year+2``.

    ``level``: "highest" (top 10), "high" (top 30), "elevated" (risk >= 0.04), "lower";
    ``drivers``: plain-language factors that raise the risk most, with their contribution."""

    iso3: str | None
    country: str
    year: int
    risk: float
    rank: int
    n_ranked: int
    level: str
    drivers: list[tuple[str, float]]


def _missing(needed: dict[str, str]) -> NotFoundError:
    runs = "; ".join(f"`rightsdesk import {k} {f}`" for k, f in needed.items())
    return NotFoundError(
        "the Early Warning Project data are not imported: run `rightsdesk load` on the shared "
        f"data folder, or {runs}"
    )


#: the import kinds the risk results depend on (no other import can change them)
RISK_KINDS: tuple[str, ...] = tuple(KINDS)


def require_panel(session: Session, backtest: bool = False) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(panel, EWP forecasts) from the store; a ``NotFoundError`` naming the import kinds to
    run when they are missing (``backtest``: EWP's forecasts are needed too)."""
    # read once per import and kept (on disk too): 49,000 stored records take ~2 s to read,
    # which every ranking, state page and API answer would otherwise pay; callers get copies
    panel, ewp = cache.cached(
        session,
        "risk-frames",
        (),
        lambda: (risk_panel.load_panel(session), risk_panel.load_ewp_forecasts(session)),
        edits=False,
        only=RISK_KINDS,
    )
    if panel.empty:
        raise _missing(NEEDED | (BACKTEST_NEEDS if backtest else {}))
    if backtest and ewp.empty:
        raise _missing(BACKTEST_NEEDS)
    return panel.copy(), ewp.copy()


def _run(session: Session) -> BacktestRun:
    def compute() -> BacktestRun:
        panel, ewp = require_panel(session, backtest=True)
        return run_backtest(panel, ewp)

    version = risk_panel.data_version(session)
    # the model's settings are part of the key: a new release with other settings must not
    # serve the figures of the old model cached on disk
    key = (version, CHOSEN.name)
    return cache.cached(session, "risk-backtest", key, compute, edits=False, only=RISK_KINDS)


def backtest_result(session: Session) -> dict[str, Any]:
    """The backtest report (``evaluation.run_backtest``: model, ewp, difference with CIs,
    protocol, rows, onsets, years, calibration, per_year). Raises ``NotFoundError`` when the
    data are not imported."""
    return _run(session).report


def forecast_for(session: Session, year: int | None = None) -> Forecast:
    """The ranking from the data of ``year`` (default: the latest panel year)."""

    panel, _ewp = require_panel(session)
    if year is None:  # the latest year shares its result with an explicit ask for it
        years = available_years(panel)
        if not years:
            raise NotFoundError("no risk forecast can be made: too few years imported")
        year = years[-1]
    asked = year

    def compute() -> Forecast:
        return forecast(panel, asked)

    version = risk_panel.data_version(session)
    key = (asked, version, CHOSEN.name)
    return cache.cached(session, "risk-forecast", key, compute, edits=False, only=RISK_KINDS)


def _summaries(result: Forecast) -> list[RiskSummary]:
    n = len(result.rows)
    records = [{str(k): v for k, v in r.items()} for r in result.rows.to_dict(orient="records")]
    return [
        RiskSummary(
            iso3=None if pd.isna(r["iso3"]) else str(r["iso3"]),
            country=str(r["country"]),
            year=result.year,
            risk=float(r["risk"]),
            rank=int(r["rank"]),
            n_ranked=n,
            level=str(r["level"]),
            drivers=list(r["drivers"]),
        )
        for r in records
    ]


def ranking(session: Session, year: int | None = None) -> list[RiskSummary]:
    """Every country ranked from the data of ``year`` (default the latest); empty when the
    data are not imported or no forecast can be made from that year."""
    try:
        return _summaries(forecast_for(session, year))
    except NotFoundError:
        return []


def latest_risk(session: Session, iso3: str) -> RiskSummary | None:
    """The state's place in the latest ranking; None when not ranked or no data."""
    for summary in ranking(session):
        if summary.iso3 == iso3.upper():
            return summary
    return None


def risk_trend(session: Session, iso3: str) -> list[dict[str, Any]]:
    """The state's out-of-time risk per data year: ``year`` (forecast from the data of that
    year, for year+1..year+2), ``risk``, ``rank``, ``ewp_risk`` (EWP's forecast from the same
    data year, None where it has none). Empty without data or backtest."""
    try:
        run = _run(session)
        panel, ewp = require_panel(session, backtest=True)
    except (NotFoundError, ValueError):
        return []
    codes = panel.loc[panel["iso3"] == iso3.upper(), "ccode"].unique()
    if len(codes) == 0:
        return []
    mine = run.history.loc[run.history["ccode"].isin(codes)]
    found = ewp.loc[ewp["ccode"].isin(codes) & ewp["risk_prev"].notna()]
    # EWP's row of evaluation year y holds its forecast from the data of y-1
    theirs = {int(y) - 1: float(r) for y, r in zip(found["year"], found["risk_prev"], strict=True)}
    records = mine.sort_values("data_year").to_dict(orient="records")
    return [
        {
            "year": int(r["data_year"]),
            "risk": float(r["risk"]),
            "rank": int(r["rank"]),
            "ewp_risk": theirs.get(int(r["data_year"])),
        }
        for r in records
    ]


def state_section(session: Session, iso3: str, reader: User | None) -> dict[str, Any] | None:
    """Context of ``interventions/_risk_state.html`` (read as ``sec``), None without a
    forecast for the state. Keys:

    - ``summary``: dict of ``RiskSummary`` (iso3, country, year, risk, rank, n_ranked, level,
      drivers as [label, contribution] pairs);
    - ``trend``: ``risk_trend`` rows (year, risk, rank, ewp_risk);
    - ``evaluation``: {"auc", "top30_recall", "ewp_auc", "ewp_top30_recall", "years"} of the
      backtest, or None while it is not computed;
    - ``data_up_to``: the last data year; ``forecast_for``: [year+1, year+2];
      ``source``: the source line; ``url``: the ranking page.
    """
    summary = latest_risk(session, iso3)
    if summary is None:
        return None
    try:
        report = backtest_result(session)
        evaluation: dict[str, Any] | None = {
            "auc": report["model"]["auc"],
            "top30_recall": report["model"]["top30_recall"],
            "ewp_auc": report["ewp"]["auc"],
            "ewp_top30_recall": report["ewp"]["top30_recall"],
            "years": report["years"],
        }
    except (NotFoundError, ValueError):
        evaluation = None
    return {
        "summary": asdict(summary),
        "trend": risk_trend(session, iso3),
        "evaluation": evaluation,
        "data_up_to": summary.year,
        "forecast_for": [summary.year + 1, summary.year + 2],
        "source": SOURCE,
        "url": "/interventions/risk",
    }
