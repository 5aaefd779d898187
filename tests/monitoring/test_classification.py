"""Classification of UPR recommendations: the pure functions, out-of-time quality, save/load.

Models are fitted inside the tests on a few hundred to a few thousand REAL rows of the UPR
Info export (read from the shared data folder), word features only to keep them quick.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy.orm import Session

from rightsdesk.core.errors import NotFoundError
from rightsdesk.core.importing import iter_csv
from rightsdesk.monitoring.classification import (
    Classifier,
    FitConfig,
    TrainingData,
    evaluate,
    fit,
    load_classifier,
    save_classifier,
    score,
    split_themes,
    time_split,
    tune_thresholds,
)

QUICK = FitConfig(char_ngrams=False)
UprRow = dict[str, str]


def upr_file(shared_data: Path, name: str) -> Path:
    return shared_data / "monitoring" / "upr-info" / name


def read_rows(path: Path) -> list[UprRow]:
    """Rows of a UPR Info export as dicts (Mac Roman, bare CR), header order kept."""
    return [r.values for r in iter_csv(path, ["Text"], encoding="mac_roman")]


def training(rows: list[UprRow]) -> TrainingData:
    return TrainingData(
        [r["Text"] for r in rows],
        [split_themes(r["Issue"]) for r in rows],
        [int(r["Action"]) for r in rows],
        [int(r["Session"]) for r in rows],
    )


def spread(rows: list[UprRow], n: int) -> list[UprRow]:
    """Every k-th row, so a small sample still covers every session of the file."""
    step = max(1, len(rows) // n)
    return rows[::step][:n]


@pytest.fixture(scope="module")
def early_rows(shared_data: Path) -> list[UprRow]:
    return read_rows(upr_file(shared_data, "sessions-1-5.csv"))


@pytest.fixture(scope="module")
def later_rows(shared_data: Path) -> list[UprRow]:
    return read_rows(upr_file(shared_data, "sessions-6-9.csv"))


@pytest.fixture(scope="module")
def small_model(early_rows: list[UprRow]) -> Classifier:
    return fit(training(spread(early_rows, 600)), QUICK)


def seed_store(session: Session, rows: list[UprRow], labelled: bool = True) -> list[int]:
    """Store rows as recommendations to Norway, with human themes and action when asked."""
    from rightsdesk.monitoring.models import Recommendation, RecommendationTheme, Theme

    themes = {t.label: t for t in session.query(Theme).filter(Theme.taxonomy == "upr-info")}
    ids: list[int] = []
    for i, row in enumerate(rows):
        text = row["Text"]
        rec = Recommendation(
            natural_key=hashlib.sha1(f"{i}|{labelled}|{text}".encode()).hexdigest(),
            mechanism="UPR",
            text=text,
            text_hash=hashlib.sha1(text.encode()).hexdigest(),
            state_iso3="NOR",
            session=int(row["Session"]),
            action_category=int(row["Action"]) if labelled else None,
        )
        session.add(rec)
        session.flush()
        ids.append(rec.id)
        if not labelled:
            continue
        for label in split_themes(row["Issue"]):
            if label not in themes:
                themes[label] = Theme(taxonomy="upr-info", label=label)
                session.add(themes[label])
                session.flush()
            session.add(
                RecommendationTheme(
                    recommendation_id=rec.id, theme_id=themes[label].id, origin="human"
                )
            )
    session.flush()
    return ids


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
