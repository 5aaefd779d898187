"""What drives each country's forecast risk: a few factors in plain words, with their weight.

Two deterministic, explainable measures, one per kind of model:

- logistic regression: coefficient x the country's standardised distance from the training
  median (the factor's share of the log-odds above a typical country-year);
- trees and blends: the change in predicted risk when the factor alone is set to its training
  median (``risk(x) - risk(x with factor = median)``): how much risk this factor adds.

Both read only the fitted model and the forecast rows, so the same forecast always lists the
same drivers. Positive contributions raise risk; ``top_drivers`` lists the largest of them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from rightsdesk.interventions.risk.features import label
from rightsdesk.interventions.risk.model import RiskModel

#: Contributions smaller than this are not worth naming.
MIN_CONTRIBUTION = 1e-6


def contributions(model: RiskModel, rows: pd.DataFrame) -> pd.DataFrame:
    """One column per feature, one row per forecast row (same index): each factor's
    contribution to that row's risk (log-odds units for a logistic model, risk for others)."""
    features = model.features
    if rows.empty:
        return pd.DataFrame(columns=features, index=rows.index, dtype=float)
    if model.spec.kind == "logit":
        coef = model.coefficients()
        assert coef is not None and model.scales is not None
        x = rows[features].astype(float).fillna(model.medians)
        z = (x - model.medians) / model.scales
        out: pd.DataFrame = z * coef
        return out
    base = model.predict(rows)
    n, f = len(rows), len(features)
    stacked = pd.concat([rows[features]] * f, ignore_index=True).astype(float)
    for j, column in enumerate(features):  # block j: factor j set to its median
        stacked.iloc[j * n : (j + 1) * n, j] = model.medians[column]
    at_median = model.predict(stacked).reshape(f, n).T
    return pd.DataFrame(base[:, None] - at_median, index=rows.index, columns=features)


def top_drivers(
    model: RiskModel, rows: pd.DataFrame, limit: int = 3
) -> list[list[tuple[str, float]]]:
    """Per row, up to ``limit`` factors that raise its risk most: (plain label, contribution),
    largest first; ties broken by feature name so the list is stable."""
    table = contributions(model, rows)
    out: list[list[tuple[str, float]]] = []
    names = np.array(table.columns, dtype=object)
    for values in table.to_numpy(dtype=float):
        order = sorted(range(len(names)), key=lambda j: (-values[j], names[j]))
        picked = [
            (label(str(names[j])), round(float(values[j]), 6))
            for j in order[:limit]
            if values[j] > MIN_CONTRIBUTION
        ]
        out.append(picked)
    return out
