"""Fitting the classifier of UN recommendations, and measuring it.

Thresholds and confidences are tuned on the LATEST sessions held out of a first fit (whole
sessions: identical texts recur within a session), then the weights are refitted on every row
so the newest wording is learnt too. ``evaluate`` scores a fitted model on texts it has never
seen; unknown test themes count as missed.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime

import numpy as np
from numpy.typing import NDArray
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score
from sklearn.svm import LinearSVC

from rightsdesk.core.errors import InputError
from rightsdesk.monitoring.classification import encoder as encoder_module
from rightsdesk.monitoring.classification.classifier import (
    FORMAT_VERSION,
    THEME_SEPARATOR,
    BoolArray,
    Classifier,
    FitConfig,
    FloatArray,
    TrainingData,
    action_rows,
    lead_words,
    make_opening_vectorizer,
    make_vectorizer,
)
from rightsdesk.monitoring.classification.encoder import Progress

#: The action models ``FitConfig.action_model`` names (``monitoring train --action-model``).
ACTION_MODELS = ("linear", "encoder")

__all__ = [
    "ACTION_MODELS",
    "Evaluation",
    "binarize",
    "evaluate",
    "fit",
    "fit_action",
    "recency_weights",
    "score",
    "time_split",
    "tune_thresholds",
]


def time_split(sessions: Sequence[int | None], fraction: float) -> BoolArray:
    """Mask of the rows held out for tuning: the LATEST sessions, about ``fraction`` of rows.

    Whole sessions only (identical texts recur within a session across states); rows without
    a session count as the earliest. With a single session there is no honest held-out set,
    and the mask is empty: thresholds then stay at the SVM's natural zero.
    """
    keys = np.array([-1 if s is None else int(s) for s in sessions])
    distinct = sorted(set(keys.tolist()))
    held = np.zeros(len(keys), dtype=bool)
    if len(distinct) < 2:
        return held
    target = fraction * len(keys)
    for s in reversed(distinct[1:]):
        if held.sum() >= target:
            break
        held |= keys == s
    return held


def binarize(themes: Sequence[Sequence[str]], labels: Sequence[str]) -> BoolArray:
    index = {label: j for j, label in enumerate(labels)}
    y = np.zeros((len(themes), len(labels)), dtype=bool)
    for i, row in enumerate(themes):
        for label in row:
            j = index.get(label)
            if j is not None:
                y[i, j] = True
    return y


def _fit_themes(
    x: sparse.csr_matrix, y: BoolArray, c: float
) -> tuple[NDArray[np.float32], NDArray[np.float32]]:
    # liblinear wants float64 with sorted indices; converting once here instead of letting
    # each of the ~50 fits copy and sort the matrix saves a third of the training time
    x = sparse.csr_matrix(x, dtype=np.float64)
    x.sort_indices()
    weights = np.zeros((x.shape[1], y.shape[1]), dtype=np.float32)
    bias = np.zeros(y.shape[1], dtype=np.float32)
    for j in range(y.shape[1]):
        model = LinearSVC(C=c)
        model.fit(x, y[:, j])
        weights[:, j] = model.coef_[0]
        bias[j] = model.intercept_[0]
    return weights, bias


_GRID = np.linspace(-1.0, 0.6, 33)


def _best_threshold(scores: FloatArray, truth: BoolArray) -> float:
    """The grid threshold with the best F1 (vectorised: this runs once per theme)."""
    chosen = scores[:, None] >= _GRID[None, :]
    tp = (chosen & truth[:, None]).sum(axis=0)
    fp = chosen.sum(axis=0) - tp
    fn = int(truth.sum()) - tp
    denom = 2 * tp + fp + fn
    f1 = np.where(denom > 0, 2 * tp / np.maximum(denom, 1), 0.0)
    return float(_GRID[int(np.argmax(f1))])


def tune_thresholds(scores: FloatArray, truth: BoolArray, min_positives: int) -> FloatArray:
    """Per-theme thresholds maximising that theme's F1 on held-out sessions.

    Themes with few held-out positives would get a threshold fitted to noise, so they get the
    single global threshold that maximises micro-F1 over all themes instead.
    """
    if scores.size == 0:
        return np.zeros(scores.shape[1])
    global_t = _best_threshold(scores.ravel(), truth.ravel())
    out = np.full(scores.shape[1], global_t)
    for j in range(scores.shape[1]):
        if truth[:, j].sum() >= min_positives:
            out[j] = _best_threshold(scores[:, j], truth[:, j])
    return out


def _calibrate(margins: FloatArray, truth: BoolArray) -> tuple[float, float]:
    """A one-feature logistic regression of "label is right" on the margin."""
    m, t = margins.ravel(), truth.ravel()
    if m.size == 0 or t.all() or not t.any():
        return 2.0, 0.0
    model = LogisticRegression(C=100.0)
    model.fit(m.reshape(-1, 1), t)
    return float(model.coef_[0, 0]), float(model.intercept_[0])


def recency_weights(sessions: Sequence[int | None], decay: float) -> FloatArray | None:
    """Row weights ``decay ** (latest session - session)``: later sessions count more.

    Rows without a session count as the earliest; no weights (None) when ``decay`` is 1 or
    no row has a session.
    """
    known = [int(s) for s in sessions if s is not None]
    if decay >= 1.0 or not known:
        return None
    latest, earliest = max(known), min(known)
    age = np.array([latest - (earliest if s is None else int(s)) for s in sessions])
    return np.asarray(decay**age, dtype=np.float64)


def fit_action(
    x: sparse.csr_matrix,
    texts: Sequence[str],
    actions: Sequence[int | None],
    config: FitConfig,
    sessions: Sequence[int | None] | None = None,
) -> tuple[LinearSVC, TfidfVectorizer | None]:
    """The action model on the shared rows ``x`` of ``texts`` plus their opening features
    (and cues), later ``sessions`` weighted more (``FitConfig.action_recency``)."""
    openings = make_opening_vectorizer(cues=config.action_cues) if config.action_openings else None
    if openings is not None:
        openings.fit(list(texts))
    rows = action_rows(x, texts, openings, config.opening_weight)
    weights = "balanced" if config.action_balanced else None
    model = LinearSVC(C=config.action_c, class_weight=weights)
    sample_weight = recency_weights(sessions, config.action_recency) if sessions else None
    return model.fit(rows, list(actions), sample_weight=sample_weight), openings


def fit(
    data: TrainingData,
    config: FitConfig | None = None,
    progress: Progress | None = None,
) -> Classifier:
    """Fit themes and action category; tune on the latest sessions, then refit on everything.

    The held-out sessions serve only to choose thresholds and calibrate confidences; the
    final weights are refitted on all rows so the newest wording is learnt too. With
    ``config.action_model == "encoder"`` the action category also gets a fine-tuned encoder
    (``encoder``), fitted on every labelled row; ``progress(step, steps)`` follows it.
    """
    config = config or FitConfig()
    if config.action_model not in ACTION_MODELS:
        raise InputError(
            f"unknown action model {config.action_model!r}; use one of {', '.join(ACTION_MODELS)}"
        )
    if config.action_model == "encoder":
        encoder_module.require()  # before the linear fit, not after it
    started = time.perf_counter()
    theme_rows = [i for i, t in enumerate(data.themes) if t]
    labelled_actions = [i for i, a in enumerate(data.actions) if a is not None]
    if not theme_rows and not labelled_actions:
        raise InputError("nothing to learn from: no recommendation has human labels")
    counts: dict[str, int] = {}
    for i in theme_rows:
        for label in data.themes[i]:
            counts[label] = counts.get(label, 0) + 1
    labels = sorted(k for k, v in counts.items() if v >= config.min_positives)
    skipped = sorted(k for k, v in counts.items() if v < config.min_positives)
    texts = [lead_words(t) for t in data.texts]
    held = time_split(data.sessions, config.val_fraction)

    thresholds = np.zeros(len(labels))
    calibration, action_calibration = (2.0, 0.0), (1.0, 0.0)
    tr_rows = [i for i in theme_rows if not held[i]]
    va_rows = [i for i in theme_rows if held[i]]
    if labels and tr_rows and va_rows:
        vec = make_vectorizer(config)
        x_tr = vec.fit_transform([texts[i] for i in range(len(texts)) if not held[i]])
        pos = {i: k for k, i in enumerate(i for i in range(len(texts)) if not held[i])}
        y_tr = binarize([data.themes[i] for i in tr_rows], labels)
        w, b = _fit_themes(x_tr[[pos[i] for i in tr_rows]], y_tr, config.theme_c)
        x_va = vec.transform([texts[i] for i in va_rows])
        scores = np.asarray(x_va @ w, dtype=np.float64) + b
        y_va = binarize([data.themes[i] for i in va_rows], labels)
        thresholds = tune_thresholds(scores, y_va, config.min_val_positives)
        calibration = _calibrate(scores - thresholds, y_va)
        a_tr = [i for i in labelled_actions if not held[i]]
        a_va = [i for i in labelled_actions if held[i]]
        if len({data.actions[i] for i in a_tr}) >= 2 and a_va:
            am, openings = fit_action(
                x_tr[[pos[i] for i in a_tr]],
                [data.texts[i] for i in a_tr],
                [data.actions[i] for i in a_tr],
                config,
                [data.sessions[i] for i in a_tr],
            )
            va_texts = [data.texts[i] for i in a_va]
            x_va_action = action_rows(
                vec.transform([texts[i] for i in a_va]), va_texts, openings, config.opening_weight
            )
            action_calibration = _calibrate_actions(
                am, x_va_action, [data.actions[i] for i in a_va]
            )

    vectorizer = make_vectorizer(config)
    x_all = sparse.csr_matrix(vectorizer.fit_transform(texts))
    y_all = binarize([data.themes[i] for i in theme_rows], labels)
    weights, bias = _fit_themes(x_all[theme_rows], y_all, config.theme_c)
    action_model: LinearSVC | None = None
    opening_vectorizer: TfidfVectorizer | None = None
    if len({data.actions[i] for i in labelled_actions}) >= 2:
        action_model, opening_vectorizer = fit_action(
            x_all[labelled_actions],
            [data.texts[i] for i in labelled_actions],
            [data.actions[i] for i in labelled_actions],
            config,
            [data.sessions[i] for i in labelled_actions],
        )
    action_encoder = None
    encoder_seconds = None
    if config.action_model == "encoder" and len({data.actions[i] for i in labelled_actions}) >= 2:
        began = time.perf_counter()
        action_encoder = encoder_module.fine_tune(
            [data.texts[i] for i in labelled_actions],
            [int(data.actions[i]) for i in labelled_actions],  # type: ignore[arg-type]
            config.encoder,
            progress,
        )
        encoder_seconds = round(time.perf_counter() - began, 1)
    sessions_used = sorted({int(s) for s in data.sessions if s is not None})
    held_sessions = sorted(
        {int(s) for s, h in zip(data.sessions, held, strict=True) if h and s is not None}
    )
    metadata = {
        "format": FORMAT_VERSION,
        "version": datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ"),
        "trained_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "theme_labels": labels,
        "skipped_rare_labels": skipped,
        "theme_separator": THEME_SEPARATOR,
        "actions": sorted({int(a) for a in data.actions if a is not None}),
        "training_rows_themes": len(theme_rows),
        "training_rows_actions": len(labelled_actions),
        "sessions_used": sessions_used,
        "threshold_sessions": held_sessions,
        "config": asdict(config),
        "fit_seconds": round(time.perf_counter() - started, 2),
        "action_model": "encoder" if action_encoder is not None else "linear",
        "encoder": None
        if action_encoder is None
        else {**asdict(action_encoder.config), "fine_tune_seconds": encoder_seconds},
    }
    return Classifier(
        vectorizer=vectorizer,
        theme_labels=labels,
        weights=weights,
        bias=bias,
        thresholds=thresholds,
        calibration=calibration,
        action_model=action_model,
        action_calibration=action_calibration,
        at_least_one=config.at_least_one,
        metadata=metadata,
        opening_vectorizer=opening_vectorizer,
        opening_weight=config.opening_weight,
        action_encoder=action_encoder,
    )


def _calibrate_actions(
    model: LinearSVC, x: sparse.csr_matrix, truth: Sequence[int | None]
) -> tuple[float, float]:
    """Confidence of the action = P(right | gap between the two best class scores)."""
    scores = np.asarray(model.decision_function(x), dtype=np.float64)
    if scores.ndim == 1:
        scores = np.column_stack([-scores, scores])
    top = np.sort(scores, axis=1)
    gap = top[:, -1] - top[:, -2]
    right = np.asarray(model.classes_)[scores.argmax(axis=1)] == np.asarray(truth)
    return _calibrate(gap.reshape(-1, 1), right.reshape(-1, 1))


# --- evaluation ---------------------------------------------------------------------------


@dataclass
class Evaluation:
    """Scores on a test set; per-label F1 with the support of each label."""

    rows: int
    micro_f1: float
    macro_f1: float
    per_label: dict[str, tuple[float, int]]
    action_accuracy: float
    action_macro_f1: float


def score(
    labels: Sequence[str],
    chosen: BoolArray,
    truth_themes: Sequence[Sequence[str]],
    actions_pred: Sequence[int],
    actions_true: Sequence[int],
) -> Evaluation:
    """Micro/macro F1 over ``labels`` (themes the model knows) and action accuracy/macro-F1.

    Test themes the model never learnt are counted as missed (they stay in the denominator of
    micro-F1 through an extra column), so dropping rare labels cannot flatter the figures.
    """
    y = binarize(truth_themes, labels)
    known = set(labels)
    unknown = np.array([sum(1 for t in row if t not in known) for row in truth_themes])
    tp = int((chosen & y).sum())
    fp = int((chosen & ~y).sum())
    fn = int((~chosen & y).sum()) + int(unknown.sum())
    micro = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 0.0
    per = f1_score(y, chosen, average=None, zero_division=0.0)
    support = y.sum(axis=0)
    present = support > 0
    macro = float(np.mean(per[present])) if present.any() else 0.0
    return Evaluation(
        rows=len(truth_themes),
        micro_f1=float(micro),
        macro_f1=macro,
        per_label={lab: (float(per[j]), int(support[j])) for j, lab in enumerate(labels)},
        action_accuracy=float(accuracy_score(actions_true, actions_pred)) if actions_true else 0.0,
        action_macro_f1=float(
            f1_score(actions_true, actions_pred, average="macro", zero_division=0.0)
        )
        if actions_true
        else 0.0,
    )


def evaluate(
    clf: Classifier,
    texts: Sequence[str],
    truth_themes: Sequence[Sequence[str]],
    truth_actions: Sequence[int],
) -> Evaluation:
    """Scores of a fitted classifier on labelled texts it was not trained or tuned on."""
    x = clf.features(texts)
    chosen = clf.decide(clf.theme_margins(x))
    actions, _conf = clf.predict_actions(x, texts)
    return score(clf.theme_labels, chosen, truth_themes, actions.tolist(), list(truth_actions))
