"""Scores of a risk forecast: ranking (AUC, average precision, recall in the top 10/20/30),
probability (Brier score, calibration bins) and year-block bootstrap intervals.

Onsets are rare (about one country-year in 130) and cluster in time, so intervals resample
whole evaluation years, not single rows: a bad year stays bad together. The difference
model - EWP is paired: both are scored on the same resampled years.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

FloatArray = npt.NDArray[np.float64]

TOP_K = (10, 20, 30)
METRICS = ("auc", "average_precision", "top10_recall", "top20_recall", "top30_recall", "brier")
BOOTSTRAP_REPS = 1000
BOOTSTRAP_SEED = 13


def auc(y: npt.ArrayLike, score: npt.ArrayLike) -> float:
    """Area under the ROC curve (ties count one half); NaN without both outcomes."""
    yy = np.asarray(y, dtype=int)
    ss = np.asarray(score, dtype=float)
    pos, neg = int(yy.sum()), int(len(yy) - yy.sum())
    if pos == 0 or neg == 0:
        return float("nan")
    ranks = pd.Series(ss).rank(method="average").to_numpy()
    return float((ranks[yy == 1].sum() - pos * (pos + 1) / 2) / (pos * neg))


def average_precision(y: npt.ArrayLike, score: npt.ArrayLike) -> float:
    """Mean of the precision at each onset's rank (scikit-learn's definition; tied scores
    count as one threshold); NaN without onsets."""
    yy = np.asarray(y, dtype=int)
    ss = np.asarray(score, dtype=float)
    if yy.sum() == 0:
        return float("nan")
    order = np.argsort(-ss, kind="mergesort")
    ys, sc = yy[order], ss[order]
    hits = np.cumsum(ys)
    last = np.r_[sc[1:] != sc[:-1], True]  # the end of each block of tied scores
    tp, seen = hits[last], np.arange(1, len(ys) + 1)[last]
    precision = tp / seen
    recall_step = np.diff(np.r_[0, tp]) / yy.sum()
    return float((precision * recall_step).sum())


def brier(y: npt.ArrayLike, risk: npt.ArrayLike) -> float:
    """Mean squared difference between the risk and the outcome (lower is better)."""
    yy = np.asarray(y, dtype=float)
    rr = np.asarray(risk, dtype=float)
    return float(np.mean((rr - yy) ** 2)) if len(yy) else float("nan")


def top_k_hits(frame: pd.DataFrame, score: str, k: int) -> tuple[int, int]:
    """(onsets among each year's ``k`` highest ``score``, onsets), pooled over years: the
    share of onsets a desk watching its top-k list each year would have had on it."""
    caught = 0
    for _year, group in frame.groupby("year", sort=False):
        onsets = int(group["onset"].sum())
        if onsets:
            top = group.sort_values(score, ascending=False, kind="mergesort").head(k)
            caught += int(top["onset"].sum())
    return caught, int(frame["onset"].sum())


def top_k_recall(frame: pd.DataFrame, score: str, k: int) -> float:
    caught, onsets = top_k_hits(frame, score, k)
    return caught / onsets if onsets else float("nan")


def scores(frame: pd.DataFrame, score: str) -> dict[str, float]:
    """Every metric of ``METRICS`` for the column ``score`` of ``frame`` (``year``, ``onset``)."""
    y, s = frame["onset"].to_numpy(), frame[score].to_numpy(dtype=float)
    out = {"auc": auc(y, s), "average_precision": average_precision(y, s)}
    for k in TOP_K:
        out[f"top{k}_recall"] = top_k_recall(frame, score, k)
    out["brier"] = brier(y, s)
    return out


def calibration(
    frame: pd.DataFrame, score: str, edges: tuple[float, ...] | None = None
) -> list[dict[str, Any]]:
    """Observed onset rate per band of forecast risk: ``low``, ``high``, ``rows``, ``mean_risk``,
    ``onset_rate``. Bands are fixed (risk is skewed: most country-years are below 1%)."""
    bands = edges or (0.0, 0.005, 0.01, 0.02, 0.04, 0.08, 0.16, 1.0)
    out = []
    s = frame[score].to_numpy(dtype=float)
    y = frame["onset"].to_numpy(dtype=float)
    for lo, hi in zip(bands[:-1], bands[1:], strict=True):
        inside = (s >= lo) & ((s < hi) | (hi == bands[-1]))
        n = int(inside.sum())
        out.append(
            {
                "low": lo,
                "high": hi,
                "rows": n,
                "onsets": int(y[inside].sum()),
                "mean_risk": float(s[inside].mean()) if n else None,
                "onset_rate": float(y[inside].mean()) if n else None,
            }
        )
    return out


class _Blocks:
    """Per evaluation year: the outcomes and the scores of each column, and what top-k
    recall and the Brier score need (they add up over years), so a resample is a cheap
    concatenation."""

    def __init__(self, frame: pd.DataFrame, columns: tuple[str, ...]) -> None:
        self.columns = columns
        self.years = sorted(frame["year"].unique())
        groups = dict(tuple(frame.groupby("year")))
        self.y = [groups[yr]["onset"].to_numpy(dtype=int) for yr in self.years]
        self.s = {c: [groups[yr][c].to_numpy(dtype=float) for yr in self.years] for c in columns}
        self.hits = {
            (c, k): np.array([top_k_hits(groups[yr], c, k)[0] for yr in self.years])
            for c in columns
            for k in TOP_K
        }
        self.onsets = np.array([int(v.sum()) for v in self.y])
        self.sq = {
            c: np.array([((s - y) ** 2).sum() for s, y in zip(self.s[c], self.y, strict=True)])
            for c in columns
        }
        self.n = np.array([len(v) for v in self.y])

    def scores(self, picked: npt.NDArray[np.int64]) -> dict[str, dict[str, float]]:
        y = np.concatenate([self.y[i] for i in picked])
        onsets = self.onsets[picked].sum()
        out: dict[str, dict[str, float]] = {}
        for c in self.columns:
            s = np.concatenate([self.s[c][i] for i in picked])
            row = {"auc": auc(y, s), "average_precision": average_precision(y, s)}
            for k in TOP_K:
                row[f"top{k}_recall"] = (
                    float(self.hits[(c, k)][picked].sum() / onsets) if onsets else float("nan")
                )
            row["brier"] = float(self.sq[c][picked].sum() / self.n[picked].sum())
            out[c] = row
        return out


def compare(
    frame: pd.DataFrame, reps: int = BOOTSTRAP_REPS, seed: int = BOOTSTRAP_SEED
) -> dict[str, dict[str, Any]]:
    """Model (column ``model``) and EWP (column ``ewp``) on the same rows: their figures with
    95% year-block bootstrap intervals (evaluation years drawn with replacement, ``reps``
    times, fixed ``seed``), and the paired difference model - EWP (both scored on the same
    drawn years) with its interval. Keys: each of ``METRICS`` and ``<metric>_ci``."""
    blocks = _Blocks(frame, ("model", "ewp"))
    point = {c: scores(frame, c) for c in ("model", "ewp")}
    rng = np.random.default_rng(seed)
    draws: dict[str, dict[str, list[float]]] = {"model": {}, "ewp": {}, "difference": {}}
    for _ in range(reps):
        picked = rng.integers(0, len(blocks.years), size=len(blocks.years))
        got = blocks.scores(picked)
        for k in METRICS:
            draws["model"].setdefault(k, []).append(got["model"][k])
            draws["ewp"].setdefault(k, []).append(got["ewp"][k])
            draws["difference"].setdefault(k, []).append(got["model"][k] - got["ewp"][k])
    result: dict[str, dict[str, Any]] = {}
    for side in ("model", "ewp", "difference"):
        result[side] = {}
        for k in METRICS:
            if side == "difference":
                result[side][k] = point["model"][k] - point["ewp"][k]
            else:
                result[side][k] = point[side][k]
            values = np.array(draws[side][k], dtype=float)
            result[side][f"{k}_ci"] = [
                float(np.nanpercentile(values, 2.5)),
                float(np.nanpercentile(values, 97.5)),
            ]
    return result
