"""The classifiers of mass-killing onset risk: a standardised logistic regression (as the Early
Warning Project fits) and scikit-learn's histogram gradient boosting, behind one small class.

A ``ModelSpec`` names a classifier and its settings; ``fit`` trains it on the rows the caller
chose (``backtest.training_rows`` decides which rows a forecast may see) and returns a
``RiskModel`` that predicts probabilities and keeps what ``drivers`` needs to explain them
(the training medians, the scaler and the coefficients). Every fit is deterministic (fixed
seeds, one thread), so a forecast and its backtest can be reproduced exactly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class ModelSpec:
    """A classifier and its settings: ``kind`` "logit" (``c``: inverse L2 strength) or "hgb"
    (learning rate, iterations, leaf size, ...), or "blend" (the mean of both probabilities).
    ``extras``: whether the extra sources (PTS, CIRIGHTS, UCDP) are inputs."""

    kind: str
    params: tuple[tuple[str, float], ...] = ()
    extras: bool = True

    def get(self, name: str, default: float) -> float:
        return dict(self.params).get(name, default)

    @property
    def name(self) -> str:
        """A short text for protocol notes: ``hgb(learning_rate=0.05, ...)``."""
        args = ", ".join(f"{k}={v:g}" for k, v in self.params)
        return f"{self.kind}({args}){'' if self.extras else ' EWP predictors only'}"


@dataclass
class RiskModel:
    """A fitted classifier with its inputs: ``predict`` gives P(onset in the next two years)."""

    spec: ModelSpec
    features: list[str]
    medians: pd.Series
    fit_years: tuple[int, int]
    rows: int
    estimators: list[Any] = field(default_factory=list)
    means: FloatArray | None = None
    scales: FloatArray | None = None

    def _matrix(self, frame: pd.DataFrame, kind: str) -> FloatArray:
        x = frame[self.features].astype(float)
        if kind == "logit":  # no missing values for a linear model: the training medians
            x = x.fillna(self.medians)
            arr = x.to_numpy(dtype=float)
            assert self.means is not None and self.scales is not None
            return (arr - self.means) / self.scales
        return x.to_numpy(dtype=float)

    def predict(self, frame: pd.DataFrame) -> FloatArray:
        """Probability of an onset in the two years after each row's year."""
        if frame.empty:
            return np.zeros(0)
        out = np.zeros(len(frame))
        with threadpool_limits(1):
            for kind, est in self._parts():
                out += est.predict_proba(self._matrix(frame, kind))[:, 1]
        return out / len(self.estimators)

    def _parts(self) -> list[tuple[str, Any]]:
        kinds = ["logit", "hgb"] if self.spec.kind == "blend" else [self.spec.kind]
        return list(zip(kinds, self.estimators, strict=True))

    def coefficients(self) -> pd.Series | None:
        """The logistic coefficients per standardised feature (None for trees alone)."""
        for kind, est in self._parts():
            if kind == "logit":
                return pd.Series(est.coef_[0], index=self.features)
        return None


def _logit(spec: ModelSpec) -> Any:
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=spec.get("c", 0.1), max_iter=2000)


def _hgb(spec: ModelSpec) -> Any:
    from sklearn.ensemble import HistGradientBoostingClassifier

    return HistGradientBoostingClassifier(
        learning_rate=spec.get("learning_rate", 0.1),
        max_iter=int(spec.get("max_iter", 100)),
        max_leaf_nodes=int(spec.get("max_leaf_nodes", 31)),
        min_samples_leaf=int(spec.get("min_samples_leaf", 20)),
        l2_regularization=spec.get("l2", 0.0),
        max_features=spec.get("max_features", 1.0),
        early_stopping=False,
        random_state=0,
    )


def fit(train: pd.DataFrame, features: list[str], spec: ModelSpec) -> RiskModel:
    """Train ``spec`` on ``train`` (rows with a known ``target``) over ``features`` (those
    with at least one value in ``train``).

    The medians and the standardisation come from the training rows only, so nothing about
    the rows being forecast reaches the fit."""
    y = train["target"].to_numpy(dtype=int)
    # a source that starts later (PTS 1976, UCDP battle deaths 1989) has no value in early
    # fits: such a column cannot be learnt from and is left out of that fit
    features = [c for c in features if train[c].notna().any()]
    x = train[features].astype(float)
    medians = x.median().fillna(0.0)
    model = RiskModel(
        spec=spec,
        features=list(features),
        medians=medians,
        fit_years=(int(train["year"].min()), int(train["year"].max())),
        rows=len(train),
    )
    filled = x.fillna(medians).to_numpy(dtype=float)
    model.means = filled.mean(axis=0)
    scales = filled.std(axis=0)
    model.scales = np.where(scales > 0, scales, 1.0)
    kinds = ["logit", "hgb"] if spec.kind == "blend" else [spec.kind]
    with threadpool_limits(1):
        for kind in kinds:
            if kind == "logit":
                est = _logit(spec)
            elif kind == "hgb":
                est = _hgb(spec)
            else:
                raise ValueError(f"unknown model kind {spec.kind!r}")
            est.fit(model._matrix(train, kind), y)
            model.estimators.append(est)
    return model
