"""The backtest on a small synthetic panel: rows lined up with EWP's, the report's shape,
and a model that knows the signal beats a noisy benchmark."""

from __future__ import annotations

import pandas as pd

from rightsdesk.interventions.risk import backtest
from rightsdesk.interventions.risk.cli import json_shape
from rightsdesk.interventions.risk.evaluation import run_backtest
from rightsdesk.interventions.risk.forecast import forecast, level
from rightsdesk.interventions.risk.model import ModelSpec

SPEC = ModelSpec("blend", (("c", 0.1), ("max_iter", 30.0), ("max_leaf_nodes", 8.0)))


def test_maxrisk2_is_the_larger_of_the_two_forecasts() -> None:
    preds = pd.DataFrame(
        {"ccode": [1, 1, 2], "data_year": [1999, 1998, 1999], "risk": [0.1, 0.3, 0.2]}
    )
    out = backtest.two_year_risk(preds, [2000]).set_index("ccode")["maxrisk2"]
    assert out[1] == 0.3 and out[2] == 0.2  # country 2: only the forecast of data 1999


def test_scored_rows_are_exactly_ewps_country_years(panel: pd.DataFrame, ewp: pd.DataFrame) -> None:
    some = ewp.loc[ewp["ccode"] % 3 == 0]  # EWP forecasts only a third of the countries
    rows = backtest.score_rows(panel, some, SPEC).rows
    assert set(zip(rows["ccode"], rows["year"], strict=True)) == set(
        zip(some["ccode"], some["year"], strict=True)
    )
    assert (rows["onset"].to_numpy() == some.sort_values(["year", "ccode"])["mk_onset"]).all()


def test_report_shape_and_a_better_model(panel: pd.DataFrame, ewp: pd.DataFrame) -> None:
    run = run_backtest(panel, ewp, SPEC, reps=100)
    report = json_shape(run.report)
    assert set(report) == {
        "model",
        "ewp",
        "difference",
        "protocol",
        "rows",
        "onsets",
        "years",
        "model_spec",
    }
    for side in ("model", "ewp", "difference"):
        for k in (
            "auc",
            "average_precision",
            "top10_recall",
            "top20_recall",
            "top30_recall",
            "brier",
        ):
            assert isinstance(report[side][k], float)
            assert len(report[side][f"{k}_ci"]) == 2
    assert report["years"] == [1994, 2010]
    assert report["onsets"] == int(run.rows["onset"].sum()) > 0
    assert report["model"]["auc"] > report["ewp"]["auc"]
    assert report["model"]["auc"] > 0.7
    assert "d-2" in report["protocol"]
    assert (run.history["fit_last"] <= run.history["data_year"] - 2).all()
    assert len(run.report["per_year"]) == 17


def test_forecast_ranks_with_drivers(panel: pd.DataFrame) -> None:
    result = forecast(panel, 2010, SPEC)
    rows = result.rows
    assert result.fit_years[1] == 2008
    assert list(rows["rank"]) == list(range(1, len(rows) + 1))
    assert rows["risk"].is_monotonic_decreasing
    top = rows.iloc[0]
    labels = [label for label, _w in top["drivers"]]
    assert labels and "Political killings approved" in labels
    assert all(w > 0 for _l, w in top["drivers"])
    again = forecast(panel, 2010, SPEC)
    assert again.rows["drivers"].tolist() == rows["drivers"].tolist()  # deterministic
    assert level(3, 0.01) == "highest" and level(25, 0.01) == "high"
    assert level(40, 0.05) == "elevated" and level(40, 0.01) == "lower"


def test_logit_drivers_are_coefficient_times_distance(panel: pd.DataFrame) -> None:
    from rightsdesk.interventions.risk.drivers import contributions

    model = backtest.fit_for(panel, 2000, ModelSpec("logit", (("c", 1.0),)))
    rows = panel.loc[panel["year"] == 2000]
    table = contributions(model, rows)
    coef = model.coefficients()
    assert coef is not None and model.scales is not None
    j = model.features.index("pol_killing_approved")
    first = rows.iloc[0]
    expected = (
        coef.iloc[j] * (first["pol_killing_approved"] - model.medians.iloc[j]) / model.scales[j]
    )
    assert table.iloc[0]["pol_killing_approved"] == expected
