"""The backtest as one report: the model and EWP side by side with intervals, calibration,
per-year figures and every forecast it made (for the trend of a state's risk).

``run_backtest`` is what ``rightsdesk interventions backtest``, the evaluation page and the
benchmark show; ``public.backtest_result`` keeps it per data version.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import pandas as pd

from rightsdesk.core.errors import NotFoundError
from rightsdesk.interventions.risk import metrics
from rightsdesk.interventions.risk.backtest import (
    FIRST_TEST_YEAR,
    PROTOCOL,
    forecasts,
    score_rows,
)
from rightsdesk.interventions.risk.model import ModelSpec
from rightsdesk.interventions.risk.tuning import CHOSEN, INNER_YEARS


@dataclass
class BacktestRun:
    """``report``: the JSON object of ``--format json`` (see ``run_backtest``); ``rows``: the
    scored country-years; ``history``: every out-of-time forecast (ccode, data_year, risk,
    rank) from the first data year the evaluation needs to the last panel year."""

    report: dict[str, Any]
    rows: pd.DataFrame
    history: pd.DataFrame


def run_backtest(
    panel: pd.DataFrame,
    ewp: pd.DataFrame,
    spec: ModelSpec = CHOSEN,
    reps: int = metrics.BOOTSTRAP_REPS,
    first: int = FIRST_TEST_YEAR,
) -> BacktestRun:
    """Score ``spec`` out of time beside EWP's forecasts (``backtest`` module docstring).

    The report's keys: ``model``, ``ewp``, ``difference`` (each: auc, average_precision,
    top10/20/30_recall, brier, and ``<metric>_ci`` as [low, high]); ``protocol``; ``rows``;
    ``onsets``; ``years`` [first, last]; ``model_spec``; ``calibration`` {"model": bins,
    "ewp": bins}; ``per_year`` (year, rows, onsets, model_top30, ewp_top30: onsets caught in
    that year's top 30); ``seconds``."""
    started = time.perf_counter()
    history = forecasts(panel, range(first - 2, int(panel["year"].max()) + 1), spec)
    rows = score_rows(panel, ewp, spec, first=first, preds=history).rows
    if rows.empty or rows["onset"].sum() == 0:
        raise NotFoundError(
            "no evaluation rows with onsets: import EWP's forecasts (ewp-forecasts) and the "
            "predictors (ewp-predictors) for the years from 1992"
        )
    compared = metrics.compare(rows, reps)
    per_year = []
    for year in sorted(int(y) for y in rows["year"].unique()):
        group = rows.loc[rows["year"] == year]
        per_year.append(
            {
                "year": year,
                "rows": len(group),
                "onsets": int(group["onset"].sum()),
                "model_top30": metrics.top_k_hits(group, "model", 30)[0],
                "ewp_top30": metrics.top_k_hits(group, "ewp", 30)[0],
            }
        )
    history["rank"] = (
        history.groupby("data_year")["risk"].rank(ascending=False, method="first").astype(int)
    )
    report: dict[str, Any] = {
        **compared,
        "protocol": PROTOCOL,
        "rows": len(rows),
        "onsets": int(rows["onset"].sum()),
        "years": [int(rows["year"].min()), int(rows["year"].max())],
        "model_spec": spec.name,
        "tuned_on": list(INNER_YEARS),
        "calibration": {
            "model": metrics.calibration(rows, "model"),
            "ewp": metrics.calibration(rows, "ewp"),
        },
        "per_year": per_year,
    }
    report["seconds"] = round(time.perf_counter() - started, 1)
    return BacktestRun(report=report, rows=rows, history=history)
