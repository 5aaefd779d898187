"""Automatic classification of UN recommendations: themes (multi-label) and action category.

Why this shape: the UPR Info labels are assigned by people from the wording of the
recommendation, and identical texts recur across states and sessions, so a linear model on
TF-IDF word and character n-grams is both accurate and fast enough (thousands of texts per
second on a small CPU) to label a whole session at once. One linear SVM per theme gives a
score; a per-theme decision threshold, tuned on LATER sessions held out of the fit (never a
random split: random splits leak verbatim duplicates and flatter the model), turns scores
into labels. A one-dimensional logistic calibration of the margins, also fitted on the held
out sessions, gives reviewers a confidence they can read as a probability.

This module holds the fitted model and its file; ``training`` fits and evaluates it.
Everything here is pure (lists and arrays in, arrays out); the store, the CLI and the web
pages call these functions.
"""

from __future__ import annotations

import html
import json
import pickle
import re
import shutil
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion
from sklearn.svm import LinearSVC

from rightsdesk.core.errors import NotFoundError
from rightsdesk.monitoring.classification.cues import action_cues
from rightsdesk.monitoring.classification.encoder import (
    ENCODER_FOLDER,
    ActionEncoder,
    EncoderConfig,
)

#: How the UPR Info export separates themes inside its Issue cell (no space after the comma);
#: ``classify`` writes predicted themes the same way so the two columns compare directly.
THEME_SEPARATOR = ","
ACTIONS = (1, 2, 3, 4, 5)
MODEL_FILE = "recommendations.pickle"
META_FILE = "recommendations.json"
FORMAT_VERSION = 2  # 2: the action model reads opening features of its own

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]


def split_themes(cell: str) -> list[str]:
    """The labels of an Issue cell, spelled as written, blanks dropped, order kept."""
    out: list[str] = []
    for part in cell.split(THEME_SEPARATOR):
        label = part.strip()
        if label and label not in out:
            out.append(label)
    return out


def join_themes(labels: Sequence[str]) -> str:
    """Themes in one cell, written the way UPR Info writes its Issue column."""
    return THEME_SEPARATOR.join(labels)


_WORD = re.compile(r"[a-z]+")


def lead_words(text: str) -> str:
    """The text as the model sees it: HTML entities decoded and spaces collapsed (as the
    importer stores it, so a CSV row and its stored copy look alike), the opening words
    marked. The action category is mostly decided by the first verb ("Consider ratifying"
    is category 3, "Ratify" category 5), which plain n-grams lose."""
    text = " ".join(html.unescape(text).split())
    words = _WORD.findall(text.lower())[:3]
    return " ".join(f"lead{i}x{w}" for i, w in enumerate(words)) + " " + text


_OPENING_WORDS = 6  # words of the opening read position by position
_CONJUNCTION_SPAN = 15  # words after the first verb paired with it


def opening_features(text: str) -> list[str]:
    """What decides the action category, as tokens for a second TF-IDF of the action model.

    The category follows the opening verb *and what it governs*: "Adopt measures" is general
    action (4), "Adopt a law" specific (5), "Take measures to ratify" specific too. So besides
    each of the first words at its position and the opening word pairs, the first word is
    paired with every word of the next fifteen ("adopt+law", "take+ratify"), which a bag of
    n-grams over the whole text cannot express.
    """
    words = _WORD.findall(html.unescape(text).lower())
    head = words[:_OPENING_WORDS]
    out = [f"p{i}_{w}" for i, w in enumerate(head)]
    out += [f"b{i}_{head[i]}_{head[i + 1]}" for i in range(min(len(head) - 1, 4))]
    out += ["o_" + "_".join(head[:j]) for j in (1, 2, 3) if len(head) >= j]
    if head:
        out += [f"x_{head[0]}_{w}" for w in sorted(set(words[1:_CONJUNCTION_SPAN]))]
    return out


def action_tokens(text: str) -> list[str]:
    """``opening_features`` and ``cues.action_cues`` together, for one TF-IDF block."""
    return opening_features(text) + action_cues(text)


def make_opening_vectorizer(cues: bool = False) -> TfidfVectorizer:
    """TF-IDF of ``opening_features`` (kept apart from the theme features, which it would
    not help: themes follow the object of the request, not its verb), with ``action_cues``
    when ``cues``: one block, normalised together, so its weight is one number."""
    analyzer = action_tokens if cues else opening_features
    return TfidfVectorizer(analyzer=analyzer, min_df=2, sublinear_tf=True, dtype=np.float32)


@dataclass(frozen=True)
class FitConfig:
    """Choices of the model. Theme defaults were measured best on sessions 12-13; the action
    defaults were chosen fitting on sessions 1-11 and validating on 12-13 (never on the test
    sessions of the benchmark): opening features on, weight 0.7, C 0.2, balanced classes.
    Cues and recency weights (``action_cues``, weight 1.0, unbalanced, ``action_recency`` 0.9)
    scored 0.915 against 0.911 on that validation split but 0.908 against 0.909 out of time
    (sessions 14-17), with a lower macro-F1 (0.900 against 0.907: category 1 suffers without
    class weights), so they stay off by default; ``benchmarks/classification.py`` prints both."""

    char_ngrams: bool = True
    theme_c: float = 0.5
    action_c: float = 0.2
    action_openings: bool = True  # the opening features of ``opening_features``
    action_cues: bool = False  # and ``cues.action_cues`` in the same block
    opening_weight: float = 0.7  # their scale next to the shared TF-IDF rows
    action_balanced: bool = True  # class weights inverse to frequency (category 1 is rare)
    # weight of a training row = action_recency ** (latest session - its session): the way
    # UPR Info's coders read the scale drifts, and later sessions are what is predicted
    action_recency: float = 1.0
    # "linear" (the SVM above, seconds to fit) or "encoder" (a fine-tuned transformer, half an
    # hour on two cores, more accurate out of time: ``encoder``); themes are linear either way
    action_model: str = "linear"
    encoder: EncoderConfig = field(default_factory=EncoderConfig)  # its fine-tuning settings
    min_positives: int = 5  # a theme seen fewer times in training gets no model
    min_val_positives: int = 10  # fewer held-out positives: use the global threshold
    val_fraction: float = 0.15  # share of the latest sessions held out to tune thresholds
    at_least_one: bool = True  # every UPR recommendation carries at least one theme


def make_vectorizer(config: FitConfig) -> FeatureUnion:
    """TF-IDF word 1-2-grams (+ char 3-5-grams inside words), sublinear term frequencies."""
    parts: list[tuple[str, Any]] = [
        (
            "words",
            TfidfVectorizer(
                ngram_range=(1, 2),
                min_df=2,
                sublinear_tf=True,
                strip_accents="unicode",
                preprocessor=None,
                dtype=np.float32,
            ),
        )
    ]
    if config.char_ngrams:
        parts.append(
            (
                "chars",
                TfidfVectorizer(
                    analyzer="char_wb",
                    ngram_range=(3, 5),
                    min_df=3,
                    sublinear_tf=True,
                    max_features=200_000,
                    dtype=np.float32,
                ),
            )
        )
    return FeatureUnion(parts)


@dataclass
class TrainingData:
    """Rows for training: an empty theme list or a None action means "not labelled"."""

    texts: list[str]
    themes: list[list[str]]
    actions: list[int | None]
    sessions: list[int | None]

    def __post_init__(self) -> None:
        n = len(self.texts)
        if not (len(self.themes) == len(self.actions) == len(self.sessions) == n):
            raise ValueError("texts, themes, actions and sessions must have the same length")


@dataclass
class Prediction:
    """What the model says about one text, with confidences in [0, 1]."""

    themes: list[str]
    theme_confidence: dict[str, float]
    action: int
    action_confidence: float


@dataclass
class Classifier:
    """A fitted model: vectorizer, one weight column per theme, thresholds, action model."""

    vectorizer: FeatureUnion
    theme_labels: list[str]
    weights: NDArray[np.float32]  # (n_features, n_themes)
    bias: NDArray[np.float32]  # (n_themes,)
    thresholds: FloatArray  # (n_themes,) on the margin
    calibration: tuple[float, float]  # confidence = sigmoid(a * (margin - threshold) + b)
    action_model: LinearSVC | None
    action_calibration: tuple[float, float]
    at_least_one: bool = True
    metadata: dict[str, Any] = field(default_factory=dict)
    opening_vectorizer: TfidfVectorizer | None = None
    opening_weight: float = 1.0
    action_encoder: ActionEncoder | None = None  # when trained with ``action_model="encoder"``

    def features(self, texts: Sequence[str]) -> sparse.csr_matrix:
        """The TF-IDF rows of ``texts``, computed once and shared by themes and action."""
        return sparse.csr_matrix(self.vectorizer.transform([lead_words(t) for t in texts]))

    def action_features(self, x: sparse.csr_matrix, texts: Sequence[str]) -> sparse.csr_matrix:
        """The action model's rows: the shared rows ``x`` of ``texts`` and their openings."""
        return action_rows(x, texts, self.opening_vectorizer, self.opening_weight)

    def theme_margins(self, x: sparse.csr_matrix) -> FloatArray:
        """Score minus threshold per theme: positive means the theme is predicted."""
        scores = np.asarray(x @ self.weights, dtype=np.float64) + self.bias
        return scores - self.thresholds

    def decide(self, margins: FloatArray) -> BoolArray:
        """Themes kept per text; the best one is kept when none passes its threshold, since
        every UPR Info recommendation carries at least one theme."""
        chosen = margins >= 0
        if self.at_least_one and margins.shape[1]:
            empty = ~chosen.any(axis=1)
            chosen[np.flatnonzero(empty), margins[empty].argmax(axis=1)] = True
        return chosen

    def theme_confidence(self, margins: FloatArray) -> FloatArray:
        """Calibrated chance that a theme is right, for the review queue."""
        a, b = self.calibration
        return _sigmoid(a * margins + b)

    def predict_actions(
        self, x: sparse.csr_matrix, texts: Sequence[str]
    ) -> tuple[NDArray[np.int64], FloatArray]:
        """Category 1-5 and its confidence; category 4 (the commonest) if none was trained.
        ``x`` holds the shared rows of ``texts`` (``features``)."""
        encoder = getattr(self, "action_encoder", None)  # models saved before it: none
        if encoder is not None:
            probs = encoder.probabilities(list(texts))
            best = probs.argmax(axis=1)
            classes = np.asarray(encoder.classes, dtype=np.int64)
            return classes[best], probs[np.arange(len(best)), best]
        if self.action_model is None:
            return np.full(x.shape[0], 4, dtype=np.int64), np.zeros(x.shape[0])
        rows = self.action_features(x, texts)
        scores = np.asarray(self.action_model.decision_function(rows), dtype=np.float64)
        classes = np.asarray(self.action_model.classes_)
        if scores.ndim == 1:  # two classes only
            scores = np.column_stack([-scores, scores])
        best = scores.argmax(axis=1)
        top = np.sort(scores, axis=1)
        gap = top[:, -1] - top[:, -2] if scores.shape[1] > 1 else top[:, -1]
        a, b = self.action_calibration
        return classes[best].astype(np.int64), _sigmoid(a * gap + b)

    def predict(self, texts: Sequence[str]) -> list[Prediction]:
        """Themes (spelled as in training) and action category of each text."""
        if not texts:
            return []
        x = self.features(texts)
        margins = self.theme_margins(x)
        chosen = self.decide(margins)
        conf = self.theme_confidence(margins)
        actions, action_conf = self.predict_actions(x, texts)
        out: list[Prediction] = []
        for i in range(len(texts)):
            idx = np.flatnonzero(chosen[i])
            idx = idx[np.argsort(-margins[i, idx])]
            labels = [self.theme_labels[j] for j in idx]
            out.append(
                Prediction(
                    themes=labels,
                    theme_confidence={self.theme_labels[j]: float(conf[i, j]) for j in idx},
                    action=int(actions[i]),
                    action_confidence=float(action_conf[i]),
                )
            )
        return out


def action_rows(
    x: sparse.csr_matrix,
    texts: Sequence[str],
    openings: TfidfVectorizer | None,
    weight: float,
) -> sparse.csr_matrix:
    """``x`` with the opening features of ``texts`` appended (``x`` alone without them)."""
    if openings is None:
        return x
    extra = openings.transform(list(texts)) * weight
    return sparse.csr_matrix(sparse.hstack([x, extra], format="csr"))


def _sigmoid(z: FloatArray) -> FloatArray:
    return np.asarray(1.0 / (1.0 + np.exp(-np.clip(z, -30, 30))), dtype=np.float64)


# --- save and load ------------------------------------------------------------------------


def model_dir(data_dir: Path) -> Path:
    """Where trained models live: DATA_DIR/models (``RIGHTSDESK_DATA_DIR``)."""
    return data_dir / "models"


def save_classifier(clf: Classifier, data_dir: Path) -> Path:
    """Write the model (a pickle of the sklearn objects) and its metadata (JSON, readable
    without Python); the model file is replaced atomically so a running server never reads
    half a file."""
    folder = model_dir(data_dir)
    folder.mkdir(parents=True, exist_ok=True)
    encoder = getattr(clf, "action_encoder", None)
    if encoder is not None:
        encoder.save(folder / ENCODER_FOLDER)  # weights apart; the pickle keeps their folder
    tmp = folder / (MODEL_FILE + ".tmp")
    with tmp.open("wb") as handle:
        pickle.dump(clf, handle, protocol=pickle.HIGHEST_PROTOCOL)
    tmp.replace(folder / MODEL_FILE)
    if encoder is None:  # a linear model replaced an encoder: its weights are not used any more
        shutil.rmtree(folder / ENCODER_FOLDER, ignore_errors=True)
    (folder / META_FILE).write_text(
        json.dumps(clf.metadata, indent=2, ensure_ascii=False), encoding="utf-8"
    )
    return folder / MODEL_FILE


class _Unpickler(pickle.Unpickler):
    """Models saved before this module moved (``rightsdesk.monitoring.classification``) load
    as they are: the class is looked up here."""

    def find_class(self, module: str, name: str) -> Any:
        if module == "rightsdesk.monitoring.classification":
            module = __name__
        return super().find_class(module, name)


def load_classifier(data_dir: Path) -> Classifier:
    """The trained model of this data folder, or a NotFoundError saying how to make one.

    The file is a pickle: only load models from a data folder you control.
    """
    path = model_dir(data_dir) / MODEL_FILE
    if not path.is_file():
        raise NotFoundError(
            f"no trained classification model in {path.parent}; "
            "run `rightsdesk monitoring train` first"
        )
    with path.open("rb") as handle:
        clf = _Unpickler(handle).load()  # our own file, see the docstring
    if not isinstance(clf, Classifier) or clf.metadata.get("format") != FORMAT_VERSION:
        raise NotFoundError(
            f"the model in {path} was made by another version; "
            "run `rightsdesk monitoring train` again"
        )
    encoder = getattr(clf, "action_encoder", None)
    if encoder is not None:  # the weights beside this file, wherever the data folder moved
        encoder.folder = path.parent / ENCODER_FOLDER
    return clf
