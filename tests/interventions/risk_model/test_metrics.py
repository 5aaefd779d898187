"""The scores against values computed by hand (and scikit-learn where it has them)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import average_precision_score, roc_auc_score

from rightsdesk.interventions.risk import metrics

Y = [0, 0, 1, 1]
S = [0.1, 0.4, 0.35, 0.8]


def test_auc_by_hand() -> None:
    # pairs (onset, none): (0.35>0.1), (0.35<0.4), (0.8>0.1), (0.8>0.4) -> 3 of 4
    assert metrics.auc(Y, S) == pytest.approx(0.75)
    assert metrics.auc([0, 1], [0.5, 0.5]) == pytest.approx(0.5)  # a tie counts one half
    assert math.isnan(metrics.auc([0, 0], [0.1, 0.2]))


def test_average_precision_by_hand() -> None:
    # ranked: 0.8 (onset, precision 1/1), 0.4, 0.35 (onset, precision 2/3) -> (1 + 2/3) / 2
    assert metrics.average_precision(Y, S) == pytest.approx((1 + 2 / 3) / 2)
    rng = np.random.default_rng(1)
    y = rng.integers(0, 2, 200)
    s = np.round(rng.uniform(size=200), 2)  # with ties
    assert metrics.average_precision(y, s) == pytest.approx(average_precision_score(y, s))
    assert metrics.auc(y, s) == pytest.approx(roc_auc_score(y, s))


def test_brier_by_hand() -> None:
    # (0.1^2 + 0.4^2 + 0.65^2 + 0.2^2) / 4
    assert metrics.brier(Y, S) == pytest.approx((0.01 + 0.16 + 0.4225 + 0.04) / 4)


def _two_years() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "year": [2000] * 4 + [2001] * 4,
            "onset": [1, 0, 0, 1, 0, 1, 0, 0],
            "model": [0.9, 0.8, 0.1, 0.2, 0.5, 0.4, 0.3, 0.2],
        }
    )


def test_top_k_recall_is_per_year_and_pooled() -> None:
    frame = _two_years()
    # top 1: 2000 catches its first onset (0.9), 2001's top is 0.5 (no onset): 1 of 3
    assert metrics.top_k_hits(frame, "model", 1) == (1, 3)
    # top 2: 2000 catches 1 (0.9, 0.8), 2001 catches 1 (0.5, 0.4): 2 of 3
    assert metrics.top_k_recall(frame, "model", 2) == pytest.approx(2 / 3)


def test_calibration_bins() -> None:
    frame = pd.DataFrame({"onset": [0, 1, 0, 1], "model": [0.001, 0.003, 0.5, 0.9]})
    bins = metrics.calibration(frame, "model", (0.0, 0.01, 1.0))
    assert [b["rows"] for b in bins] == [2, 2]
    assert bins[0]["onset_rate"] == pytest.approx(0.5)
    assert bins[1]["mean_risk"] == pytest.approx(0.7)


def test_bootstrap_is_paired_deterministic_and_brackets_the_point() -> None:
    rng = np.random.default_rng(2)
    frame = pd.DataFrame(
        {
            "year": np.repeat(np.arange(1994, 2014), 50),
            "onset": (rng.uniform(size=1000) < 0.05).astype(int),
        }
    )
    frame["model"] = frame["onset"] * 0.3 + rng.uniform(size=1000) * 0.5
    frame["ewp"] = frame["model"]
    result = metrics.compare(frame, reps=200)
    again = metrics.compare(frame, reps=200)
    assert result == again  # fixed seed
    for k in metrics.METRICS:
        lo, hi = result["model"][f"{k}_ci"]
        assert lo <= result["model"][k] <= hi
        # the same scores on the same drawn years: the paired difference is exactly 0
        assert result["difference"][k] == 0
        assert result["difference"][f"{k}_ci"] == [0.0, 0.0]
    # a year-block resample equals scoring the drawn years with the row-level functions
    blocks = metrics._Blocks(frame, ("model",))
    picked = np.array([0, 0, 5, 7])
    sample = pd.concat(
        [frame[frame["year"] == blocks.years[i]].assign(year=n) for n, i in enumerate(picked)]
    )
    expected = metrics.scores(sample, "model")
    for k, v in blocks.scores(picked)["model"].items():
        assert v == pytest.approx(expected[k])


def test_the_protocol_names_the_period_the_settings_were_chosen_on() -> None:
    """The text every report prints must say the tuning period the code really used."""
    from rightsdesk.interventions.risk.backtest import PROTOCOL
    from rightsdesk.interventions.risk.tuning import INNER_YEARS

    assert f"chosen on forecasts for {INNER_YEARS[0]}-{INNER_YEARS[1]} only" in PROTOCOL
