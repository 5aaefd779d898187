"""Classification of UPR recommendations: the pure functions, out-of-time quality, save/load.

Models are fitted inside the tests on a few hundred to a few thousand REAL rows of the UPR
Info export (read from the shared data folder), word features only to keep them quick.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from rightsdesk.core.errors import NotFoundError
from rightsdesk.monitoring.classification.classifier import (
    Classifier,
    load_classifier,
    save_classifier,
    split_themes,
)
from rightsdesk.monitoring.classification.training import (
    evaluate,
    fit,
    score,
    time_split,
    tune_thresholds,
)
from tests.monitoring.conftest import QUICK, UprRow, read_rows, spread, training, upr_file


@pytest.fixture(scope="module")
def early_rows(shared_data: Path) -> list[UprRow]:
    return read_rows(upr_file(shared_data, "sessions-1-5.csv"))


@pytest.fixture(scope="module")
def later_rows(shared_data: Path) -> list[UprRow]:
    return read_rows(upr_file(shared_data, "sessions-6-9.csv"))


@pytest.fixture(scope="module")
def small_model(early_rows: list[UprRow]) -> Classifier:
    return fit(training(spread(early_rows, 600)), QUICK)


def test_split_themes_keeps_spelling() -> None:
    assert split_themes("Rights of the Child,Women's rights") == [
        "Rights of the Child",
        "Women's rights",
    ]
    assert split_themes(" HIV - Aids , ,HIV - Aids") == ["HIV - Aids"]
    assert split_themes("") == []


def test_time_split_holds_out_latest_sessions_only() -> None:
    sessions: list[int | None] = [1, 1, 2, 2, 3, 3, 3, None, 4, 4]
    held = time_split(sessions, 0.3)
    assert {sessions[i] for i in np.flatnonzero(held)} == {3, 4}
    assert not held[7]  # unknown session counts as earliest
    assert not time_split([5, 5, 5], 0.5).any()  # one session: no honest held-out set


def test_tuned_thresholds_separate_scores() -> None:
    rng = np.random.default_rng(0)
    truth = np.zeros((200, 2), dtype=bool)
    truth[:50, 0] = True
    truth[:3, 1] = True  # too few positives: gets the global threshold
    scores = rng.normal(-0.8, 0.1, (200, 2))
    scores[:50, 0] = rng.normal(0.4, 0.05, 50)
    t = tune_thresholds(scores, truth, min_positives=10)
    assert scores[50:, 0].max() < t[0] <= scores[:50, 0].min()
    glob = tune_thresholds(scores, truth, min_positives=10_000)
    assert t[1] == glob[1] == glob[0]


def test_score_counts_unknown_labels_as_missed() -> None:
    chosen = np.array([[True, False], [False, True]])
    ev = score(["A", "B"], chosen, [["A"], ["B", "Z"]], [1, 2], [1, 3])
    assert ev.micro_f1 == pytest.approx(2 * 2 / (2 * 2 + 0 + 1))
    assert ev.action_accuracy == 0.5
    assert ev.per_label["A"] == (1.0, 1)


def test_predictions_use_training_labels(
    small_model: Classifier, early_rows: list[UprRow], later_rows: list[UprRow]
) -> None:
    preds = small_model.predict([r["Text"] for r in later_rows[:200]])
    trained_on = {lab for r in spread(early_rows, 600) for lab in split_themes(r["Issue"])}
    assert set(small_model.theme_labels) <= trained_on
    assert len(preds) == 200
    for p in preds:
        assert p.themes and set(p.themes) <= set(small_model.theme_labels)
        assert p.action in range(1, 6)
        assert 0.0 <= p.action_confidence <= 1.0
        assert all(0.0 <= c <= 1.0 for c in p.theme_confidence.values())
    assert small_model.metadata["threshold_sessions"], "thresholds must be tuned out of time"
    assert max(small_model.metadata["threshold_sessions"]) == 5


def test_out_of_time_quality(early_rows: list[UprRow], later_rows: list[UprRow]) -> None:
    """Trained on sessions 1-5, tested on sessions 6-9: clearly better than guessing."""
    clf = fit(training(early_rows), QUICK)
    test = spread(later_rows, 1500)
    ev = evaluate(
        clf,
        [r["Text"] for r in test],
        [split_themes(r["Issue"]) for r in test],
        [int(r["Action"]) for r in test],
    )
    # the most frequent theme for every row, and the commonest action, as a floor
    top = max(clf.theme_labels, key=lambda lab: sum(lab in split_themes(r["Issue"]) for r in test))
    floor = score(
        clf.theme_labels,
        np.array([[lab == top for lab in clf.theme_labels] for _ in test]),
        [split_themes(r["Issue"]) for r in test],
        [4] * len(test),
        [int(r["Action"]) for r in test],
    )
    assert ev.micro_f1 > 0.75 > floor.micro_f1
    assert ev.action_accuracy > 0.8 > floor.action_accuracy


def test_save_and_load_round_trip(small_model: Classifier, tmp_path: Path) -> None:
    with pytest.raises(NotFoundError, match="rightsdesk monitoring train"):
        load_classifier(tmp_path)
    save_classifier(small_model, tmp_path)
    meta = (tmp_path / "models" / "recommendations.json").read_text(encoding="utf-8")
    for key in ("version", "theme_labels", "training_rows_themes", "sessions_used"):
        assert key in meta
    again = load_classifier(tmp_path)
    texts = ["Ratify the Convention against Torture", "Continue efforts to combat poverty"]
    assert [p.themes for p in again.predict(texts)] == [
        p.themes for p in small_model.predict(texts)
    ]
