"""Fixtures of the risk model tests: a small synthetic panel (fast, known signal) and EWP-like
forecasts for it, built in memory with the columns ``risk/panel.py`` gives."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest


def synthetic_panel(
    countries: int = 40, first: int = 1960, last: int = 2010, seed: int = 3
) -> pd.DataFrame:
    """Country-years with two informative EWP-named predictors, one noise column and one
    extra source column; onsets drawn from a logistic model of them. ``target`` is an onset
    in year+1 or year+2, NaN where those years lie beyond ``last``."""
    rng = np.random.default_rng(seed)
    rows = []
    for c in range(countries):
        level = rng.normal()
        for year in range(first, last + 1):
            killings = level + rng.normal(scale=0.5)
            battle = max(0.0, rng.normal(loc=level, scale=1.0))
            logit = -5.0 + 1.2 * killings + 0.6 * battle
            rows.append(
                {
                    "ccode": 100 + c,
                    "iso3": f"C{c:02d}",
                    "country": f"Country {c}",
                    "year": year,
                    "pol_killing_approved": killings,
                    "battledeaths.log2": battle,
                    "efindex": rng.uniform(),
                    "ucdp_osv_log2": rng.normal() if year >= 1975 else np.nan,
                    "mk_onset": int(rng.uniform() < 1 / (1 + np.exp(-logit))),
                }
            )
    panel = pd.DataFrame(rows)
    onset = panel.set_index(["ccode", "year"])["mk_onset"]
    targets = []
    for ccode, year in zip(panel["ccode"], panel["year"], strict=True):
        if year + 2 > last:
            targets.append(np.nan)
        else:
            targets.append(float(onset[(ccode, year + 1)] or onset[(ccode, year + 2)]))
    panel["target"] = targets
    out: pd.DataFrame = panel
    return out


def synthetic_ewp(panel: pd.DataFrame, first: int = 1994, seed: int = 5) -> pd.DataFrame:
    """EWP-like forecasts for ``panel``: a noisy score per evaluation year and country."""
    rng = np.random.default_rng(seed)
    rows = panel.loc[panel["year"] >= first, ["year", "ccode", "iso3", "country", "mk_onset"]]
    rows = rows.copy()
    score = 1 / (1 + np.exp(-(-4.0 + rng.normal(size=len(rows)))))
    rows["risk_prev"] = score
    rows["risk_two_years_prior"] = score
    rows["maxrisk2"] = score
    out: pd.DataFrame = rows.reset_index(drop=True)
    return out


@pytest.fixture(scope="module")
def panel() -> pd.DataFrame:
    return synthetic_panel()


@pytest.fixture(scope="module")
def ewp(panel: pd.DataFrame) -> pd.DataFrame:
    return synthetic_ewp(panel)
