"""The strictly out-of-time backtest of the risk model, scored beside EWP's own forecasts.

Protocol. A forecast made from the data of year ``d`` predicts an onset in ``d+1`` or ``d+2``
(the target of row ``d``). When it is made, outcomes are known only through year ``d``, so the
fit may use only rows ``r <= d-2`` (their target years ``r+1``, ``r+2`` are ``<= d``):
``training_rows`` is the one place that decides it, and every forecast goes through it.
The model is refitted for every data year.

Each evaluation year ``y`` is scored as EWP's ``FOOSforecasts`` file does: ``maxrisk2`` is the
larger of the risk from the forecast of data ``y-1`` and the one from data ``y-2``, compared
with an onset in ``y``; model and EWP are scored on exactly the country-years of that file
(merged on ``ccode`` + ``year``) where both have a figure.

The predictors are EWP's 2025 vintage (revised V-Dem series), the vintage EWP's own
out-of-sample forecasts used; the extra sources are lagged by their publication delay.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from rightsdesk.core.errors import NotFoundError
from rightsdesk.interventions.risk.features import feature_columns
from rightsdesk.interventions.risk.model import ModelSpec, RiskModel, fit

#: The first evaluation year of EWP's out-of-sample forecasts, and of the test period.
FIRST_TEST_YEAR = 1994

PROTOCOL = (
    "Strictly out of time: the forecast from the data of year d (for onsets in d+1 or d+2) "
    "is fitted only on rows up to d-2, whose outcomes were known by the end of d; refitted "
    "every year. Evaluation year y scores max(risk from data y-1, risk from data y-2) against "
    "an onset in y, on the country-years of EWP's FOOSforecasts file (1994 onwards) where both "
    "have a figure. Model settings chosen on forecasts for 1975-1993 only. 95% intervals: "
    "year-block bootstrap (1000 resamples of evaluation years, seed 13), paired for the "
    "difference. Predictors: EWP's 2025 vintage (revised V-Dem series), as in EWP's own "
    "forecasts."
)


def training_rows(panel: pd.DataFrame, data_year: int) -> pd.DataFrame:
    """The rows a forecast from the data of ``data_year`` may be fitted on: years up to
    ``data_year - 2`` with a known target. Row ``r``'s target is an onset in ``r+1`` or
    ``r+2``; only for ``r <= data_year - 2`` were both years over when the forecast was made."""
    known = panel["target"].notna() & (panel["year"] <= data_year - 2)
    return panel.loc[known]


def fit_for(panel: pd.DataFrame, data_year: int, spec: ModelSpec) -> RiskModel:
    """The model a forecaster had from the data of ``data_year`` (fit cut at ``data_year-2``)."""
    train = training_rows(panel, data_year)
    if train.empty or train["target"].nunique() < 2:
        raise NotFoundError(
            f"no forecast from the data of {data_year}: no earlier rows with both outcomes "
            "(import more years of ewp-predictors and ewp-basedata)"
        )
    model = fit(train, feature_columns(panel, spec.extras), spec)
    if model.fit_years[1] > data_year - 2:  # the out-of-time rule, checked on every fit
        raise RuntimeError(f"a fit for the data of {data_year} saw rows of {model.fit_years[1]}")
    return model


def forecasts(panel: pd.DataFrame, data_years: Iterable[int], spec: ModelSpec) -> pd.DataFrame:
    """One forecast per country and data year: columns ``ccode``, ``data_year``, ``risk``,
    ``fit_last`` (the last row year the fit saw)."""
    parts = []
    for d in sorted(set(data_years)):
        rows = panel.loc[panel["year"] == d]
        if rows.empty:
            continue
        model = fit_for(panel, d, spec)
        parts.append(
            pd.DataFrame(
                {
                    "ccode": rows["ccode"].to_numpy(),
                    "data_year": d,
                    "risk": model.predict(rows),
                    "fit_last": model.fit_years[1],
                }
            )
        )
    if not parts:
        return pd.DataFrame(columns=["ccode", "data_year", "risk", "fit_last"])
    return pd.concat(parts, ignore_index=True)


def two_year_risk(preds: pd.DataFrame, years: Iterable[int]) -> pd.DataFrame:
    """Per evaluation year and country, EWP's ``maxrisk2``: the larger of the risks from the
    forecasts of data ``y-1`` and ``y-2`` (either alone where the other is missing)."""
    table = preds.set_index(["ccode", "data_year"])["risk"]
    out = []
    for y in years:
        prev = table.xs(y - 1, level="data_year") if (y - 1) in preds["data_year"].values else None
        two = table.xs(y - 2, level="data_year") if (y - 2) in preds["data_year"].values else None
        both = pd.concat([prev, two], axis=1, keys=["prev", "two"])
        frame = pd.DataFrame(
            {"ccode": both.index.to_numpy(), "year": y, "maxrisk2": both.max(axis=1).to_numpy()}
        )
        out.append(frame)
    if not out:
        return pd.DataFrame(columns=["ccode", "year", "maxrisk2"])
    return pd.concat(out, ignore_index=True)


@dataclass
class Scored:
    """The scored rows of a backtest: ``year``, ``ccode``, ``country``, ``iso3``, ``onset``,
    ``model`` (its maxrisk2) and ``ewp`` (EWP's), one per FOOS country-year."""

    rows: pd.DataFrame
    spec: ModelSpec


def score_rows(
    panel: pd.DataFrame,
    ewp: pd.DataFrame,
    spec: ModelSpec,
    first: int = FIRST_TEST_YEAR,
    last: int | None = None,
    preds: pd.DataFrame | None = None,
) -> Scored:
    """Forecast every data year needed for evaluation years ``first``..``last`` (default: the
    last year of EWP's file) and line them up with EWP's forecasts on the same country-years.
    ``preds``: forecasts already made (``forecasts``) covering those data years."""
    ewp = ewp.loc[ewp["maxrisk2"].notna() & (ewp["year"] >= first)]
    if last is not None:
        ewp = ewp.loc[ewp["year"] <= last]
    years = sorted(int(y) for y in ewp["year"].unique())
    data_years = {y - k for y in years for k in (1, 2)}
    if preds is None:
        preds = forecasts(panel, data_years, spec)
    mine = two_year_risk(preds, years)
    cols = ["year", "ccode", "country", "iso3", "mk_onset", "maxrisk2"]
    rows = ewp[[c for c in cols if c in ewp.columns]].merge(
        mine, on=["ccode", "year"], how="inner", suffixes=("_ewp", "")
    )
    rows = rows.loc[rows["maxrisk2"].notna()].rename(
        columns={"mk_onset": "onset", "maxrisk2": "model", "maxrisk2_ewp": "ewp"}
    )
    rows["onset"] = rows["onset"].astype(int)
    return Scored(rows.sort_values(["year", "ccode"]).reset_index(drop=True), spec)


def inner_rows(
    panel: pd.DataFrame, spec: ModelSpec, first: int = 1980, last: int = 1993
) -> pd.DataFrame:
    """The tuning period's scored rows: evaluation years ``first``..``last`` (all before the
    first test year), scored as the test is but on every panel country-year with an outcome
    (EWP's forecasts start in 1994), onset in ``y`` taken from the panel's ``mk_onset``."""
    if last >= FIRST_TEST_YEAR:
        raise ValueError("the tuning period must end before the first test year")
    years = list(range(first, last + 1))
    preds = forecasts(panel, {y - k for y in years for k in (1, 2)}, spec)
    mine = two_year_risk(preds, years)
    truth = panel.loc[panel["year"].between(first, last), ["ccode", "year", "mk_onset"]]
    rows = truth.merge(mine, on=["ccode", "year"], how="inner").dropna(subset=["maxrisk2"])
    return rows.rename(columns={"mk_onset": "onset", "maxrisk2": "model"})
