"""Forecasts from the data of one year: every country ranked by its risk of a mass-killing
onset in the next two years, with the factors that drive it.

The fit uses only the rows whose outcome was known by the end of that year (rows up to
``year - 2``, ``backtest.training_rows``), exactly as in the backtest, so a forecast shown for
2024 is the one a desk could have made at the end of 2024.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from rightsdesk.core.errors import NotFoundError
from rightsdesk.interventions.risk.backtest import fit_for
from rightsdesk.interventions.risk.drivers import top_drivers
from rightsdesk.interventions.risk.model import ModelSpec
from rightsdesk.interventions.risk.tuning import CHOSEN

#: Levels of the ranking (``public.RiskSummary.level``): by rank first, then by risk.
HIGHEST_RANK = 10
HIGH_RANK = 30
ELEVATED_RISK = 0.04


def level(rank: int, risk: float) -> str:
    """ "highest" (top 10), "high" (top 30), "elevated" (risk >= 4%) or "lower"."""
    if rank <= HIGHEST_RANK:
        return "highest"
    if rank <= HIGH_RANK:
        return "high"
    return "elevated" if risk >= ELEVATED_RISK else "lower"


@dataclass(frozen=True)
class Forecast:
    """A ranking from the data of ``year`` for onsets in ``year+1``..``year+2``.

    ``rows``: rank, ccode, iso3, country, risk, level, drivers (a list of (label, weight)),
    ordered by rank. ``fit_years``: the first and last row year the model was fitted on."""

    year: int
    rows: pd.DataFrame
    fit_years: tuple[int, int]
    fit_rows: int
    model: str


def available_years(panel: pd.DataFrame) -> list[int]:
    """Data years a forecast can be made from (at least ten years of earlier outcomes)."""
    if panel.empty:
        return []
    first = int(panel["year"].min()) + 12
    return [int(y) for y in sorted(panel["year"].unique()) if y >= first]


def forecast(
    panel: pd.DataFrame, year: int, spec: ModelSpec = CHOSEN, drivers: int = 3
) -> Forecast:
    """Rank the countries in the panel's rows of ``year`` (see the module docstring)."""
    years = available_years(panel)
    if year not in years:
        span = f"{years[0]}-{years[-1]}" if years else "none imported"
        raise NotFoundError(f"no risk forecast can be made from the data of {year} ({span})")
    model = fit_for(panel, year, spec)
    rows = panel.loc[panel["year"] == year].copy()
    rows["risk"] = model.predict(rows)
    rows = rows.sort_values(["risk", "country"], ascending=[False, True], kind="mergesort")
    rows["rank"] = range(1, len(rows) + 1)
    rows["drivers"] = pd.Series(top_drivers(model, rows, drivers), index=rows.index, dtype=object)
    rows["level"] = [
        level(int(k), float(r)) for k, r in zip(rows["rank"], rows["risk"], strict=True)
    ]
    columns = ["rank", "ccode", "iso3", "country", "risk", "level", "drivers"]
    return Forecast(
        year=year,
        rows=rows[columns].reset_index(drop=True),
        fit_years=model.fit_years,
        fit_rows=model.rows,
        model=spec.name,
    )
