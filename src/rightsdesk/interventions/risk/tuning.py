"""Choosing the model on the past only: candidates scored on an inner out-of-time period.

The candidates below are scored by ``backtest.inner_rows`` on evaluation years 1975-1993
(every panel country-year, forecasts made exactly as in the test: fit on rows up to
``d-2``), all before the first test year 1994, each with and without the extra sources
(PTS, CIRIGHTS, UCDP), and the one with the highest inner AUC wins (ties: higher top-30
recall). The inner period is where those sources are young (PTS from 1976, CIRIGHTS 1981,
UCDP battle deaths 1989), so it can judge them only on their first years. No test-year
outcome enters the choice. ``CHOSEN`` records the
result of ``tune`` so that the backtest and the forecasts do not redo it on every run;
``benchmarks/interventions_backtest.py --tune`` reruns it and says whether it still agrees.
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from rightsdesk.interventions.risk import metrics
from rightsdesk.interventions.risk.backtest import inner_rows
from rightsdesk.interventions.risk.model import ModelSpec

INNER_YEARS = (1975, 1993)


def _hgb(lr: float, iters: int, leaves: int, leaf: int, l2: float, mf: float = 1.0) -> ModelSpec:
    return ModelSpec(
        "hgb",
        (
            ("learning_rate", lr),
            ("max_iter", iters),
            ("max_leaf_nodes", leaves),
            ("min_samples_leaf", leaf),
            ("l2", l2),
            ("max_features", mf),
        ),
    )


CANDIDATES: tuple[ModelSpec, ...] = (
    ModelSpec("logit", (("c", 0.01),)),
    ModelSpec("logit", (("c", 0.1),)),
    ModelSpec("logit", (("c", 1.0),)),
    _hgb(0.1, 100, 31, 20, 0.0),  # scikit-learn's defaults
    _hgb(0.05, 200, 8, 40, 1.0),
    _hgb(0.05, 200, 4, 40, 1.0),
    _hgb(0.03, 300, 8, 80, 1.0),
    _hgb(0.05, 200, 8, 40, 1.0, 0.5),
    _hgb(0.03, 300, 4, 80, 1.0, 0.5),
    _hgb(0.05, 100, 16, 40, 1.0, 0.5),
    ModelSpec("blend", (("c", 0.01), *_hgb(0.05, 100, 16, 40, 1.0, 0.5).params)),
    ModelSpec("blend", (("c", 0.01), *_hgb(0.03, 300, 8, 80, 1.0).params)),
)


def tune(
    panel: pd.DataFrame, candidates: tuple[ModelSpec, ...] | None = None
) -> list[dict[str, object]]:
    """Every candidate's inner scores, best first (AUC, then top-30 recall); by default each
    of ``CANDIDATES`` with and without the extra sources."""
    if candidates is None:
        candidates = tuple(replace(s, extras=e) for s in CANDIDATES for e in (False, True))
    out: list[dict[str, object]] = []
    for spec in candidates:
        rows = inner_rows(panel, spec, *INNER_YEARS)
        out.append({"spec": spec, "name": spec.name, **metrics.scores(rows, "model")})
    out.sort(key=lambda r: (-float(r["auc"]), -float(r["top30_recall"])))  # type: ignore[arg-type]
    return out


#: The choice ``tune`` made: the mean of a logistic regression and boosted trees on EWP's
#: predictors alone (inner AUC 0.735, the best of the 24 runs; the same blend with the PTS,
#: CIRIGHTS and UCDP columns scored 0.711 there, when those sources were young).
CHOSEN: ModelSpec = replace(CANDIDATES[-2], extras=False)
