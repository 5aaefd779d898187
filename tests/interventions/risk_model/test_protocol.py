"""The out-of-time protocol: no row of a later year ever reaches a fit for an earlier
forecast. The poisoned-column test would catch leakage: a column that equals the outcome only
after the cut would change the forecast if the fit saw any row after the cut."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rightsdesk.interventions.risk import backtest
from rightsdesk.interventions.risk.features import OUTCOME_COLUMNS, feature_columns
from rightsdesk.interventions.risk.model import ModelSpec

LOGIT = ModelSpec("logit", (("c", 0.1),))
TREES = ModelSpec("hgb", (("max_iter", 30.0), ("max_leaf_nodes", 8.0)))
BLEND = ModelSpec("blend", (("c", 0.1), ("max_iter", 30.0), ("max_leaf_nodes", 8.0)))


def test_training_rows_end_two_years_before_the_data_year(panel: pd.DataFrame) -> None:
    for d in range(1975, 2011):
        rows = backtest.training_rows(panel, d)
        assert rows["year"].max() <= d - 2
        assert rows["target"].notna().all()
        # every row up to d-2 with an outcome is used: nothing known is thrown away
        assert len(rows) == int(((panel["year"] <= d - 2) & panel["target"].notna()).sum())


def test_every_forecast_is_fitted_before_its_cut(panel: pd.DataFrame) -> None:
    preds = backtest.forecasts(panel, range(1980, 2011), LOGIT)
    assert (preds["fit_last"] <= preds["data_year"] - 2).all()
    assert set(preds["data_year"]) == set(range(1980, 2011))


def _poisoned(panel: pd.DataFrame, d: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(clean, poisoned): an extra column that is 0 up to the cut in both, and equals the
    outcome (target, or the year's onset where no target is known) after it in the second."""
    clean = panel.assign(ucdp_poison=0.0)
    poisoned = clean.copy()
    after = poisoned["year"] > d - 2
    truth = poisoned["target"].fillna(poisoned["mk_onset"])
    poisoned.loc[after, "ucdp_poison"] = truth[after] * 10.0
    return clean, poisoned


@pytest.mark.parametrize("spec", [LOGIT, TREES, BLEND], ids=["logit", "trees", "blend"])
def test_a_column_poisoned_after_the_cut_does_not_change_the_forecast(
    panel: pd.DataFrame, spec: ModelSpec
) -> None:
    for d in (1990, 2005):
        clean, poisoned = _poisoned(panel, d)
        a = backtest.forecasts(clean, [d], spec)
        b = backtest.forecasts(poisoned, [d], spec)
        np.testing.assert_array_equal(a["risk"].to_numpy(), b["risk"].to_numpy())


def test_changing_later_rows_and_outcomes_does_not_change_the_forecast(
    panel: pd.DataFrame,
) -> None:
    d = 2000
    later = panel.copy()
    rng = np.random.default_rng(0)
    after = later["year"] > d - 2
    later.loc[after, "target"] = rng.integers(0, 2, int(after.sum())).astype(float)
    others = after & (later["year"] != d)  # the forecast rows' own inputs stay as they are
    later.loc[others, "battledeaths.log2"] = rng.normal(size=int(others.sum())) * 100
    a = backtest.forecasts(panel, [d], BLEND)["risk"].to_numpy()
    b = backtest.forecasts(later, [d], BLEND)["risk"].to_numpy()
    np.testing.assert_array_equal(a, b)


def test_the_poison_test_has_teeth(panel: pd.DataFrame, monkeypatch: pytest.MonkeyPatch) -> None:
    """A fit cut at ``d`` instead of ``d-2`` is refused by the rule checked on every fit, and
    without that check the poisoned column would change the forecast."""

    def leaky(p: pd.DataFrame, data_year: int) -> pd.DataFrame:
        return p.loc[p["target"].notna() & (p["year"] <= data_year)]

    monkeypatch.setattr(backtest, "training_rows", leaky)
    clean, poisoned = _poisoned(panel, 1990)
    with pytest.raises(RuntimeError, match="saw rows of 1990"):
        backtest.forecasts(poisoned, [1990], LOGIT)
    from rightsdesk.interventions.risk.model import fit

    features = feature_columns(poisoned)
    a = fit(leaky(clean, 1990), features, LOGIT).predict(clean.loc[clean["year"] == 1990])
    b = fit(leaky(poisoned, 1990), features, LOGIT).predict(poisoned.loc[poisoned["year"] == 1990])
    assert not np.allclose(a, b)


def test_outcome_columns_are_never_features() -> None:
    columns = ["ccode", "country", "battledeaths.log2", "pts_max", *OUTCOME_COLUMNS]
    frame = pd.DataFrame(columns=columns)
    assert feature_columns(frame) == ["battledeaths.log2", "pts_max"]
    assert feature_columns(frame, extras=False) == ["battledeaths.log2"]


def test_the_tuning_period_must_end_before_the_test(panel: pd.DataFrame) -> None:
    with pytest.raises(ValueError, match="before the first test year"):
        backtest.inner_rows(panel, LOGIT, 1980, backtest.FIRST_TEST_YEAR)
