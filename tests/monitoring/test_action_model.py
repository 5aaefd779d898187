"""The action-category model: opening features, and what they add out of time.

Fitted on real UPR Info rows (sessions 1-5) and tested on later sessions (6-9), action model
only and word features only, so the test takes seconds, not the minute of a full fit.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from rightsdesk.monitoring.classification.classifier import (
    FitConfig,
    action_rows,
    lead_words,
    make_vectorizer,
    opening_features,
)
from rightsdesk.monitoring.classification.training import fit, fit_action
from tests.monitoring.conftest import QUICK, read_rows, spread, training, upr_file


def test_opening_features_pair_the_verb_with_its_object() -> None:
    take = opening_features("Take measures to ratify the Convention against Torture")
    assert {"p0_take", "p1_measures", "o_take_measures", "x_take_ratify"} <= set(take)
    law, measures = (
        set(opening_features("Adopt a law on domestic violence")),
        set(opening_features("Adopt measures against domestic violence")),
    )
    assert "x_adopt_law" in law - measures and "x_adopt_measures" in measures - law
    assert opening_features("Ratify &quot;CAT&quot;")[:2] == ["p0_ratify", "p1_cat"]
    assert opening_features("") == []


def accuracy(config: FitConfig, train: list[dict[str, str]], test: list[dict[str, str]]) -> float:
    texts = [r["Text"] for r in train]
    vec = make_vectorizer(FitConfig(char_ngrams=False))
    x = vec.fit_transform([lead_words(t) for t in texts])
    model, openings = fit_action(x, texts, [int(r["Action"]) for r in train], config)
    test_texts = [r["Text"] for r in test]
    x_test = action_rows(
        vec.transform([lead_words(t) for t in test_texts]),
        test_texts,
        openings,
        config.opening_weight,
    )
    truth = np.array([int(r["Action"]) for r in test])
    return float((np.asarray(model.predict(x_test)) == truth).mean())


def test_openings_improve_the_action_out_of_time(shared_data: Path) -> None:
    train = spread(read_rows(upr_file(shared_data, "sessions-1-5.csv")), 3000)
    test = spread(read_rows(upr_file(shared_data, "sessions-6-9.csv")), 2000)
    now = accuracy(FitConfig(char_ngrams=False), train, test)
    before = accuracy(
        FitConfig(char_ngrams=False, action_openings=False, action_balanced=False, action_c=0.5),
        train,
        test,
    )
    assert now > 0.86 and now > before + 0.005, (now, before)


def test_fitted_classifier_uses_openings(shared_data: Path) -> None:
    rows = spread(read_rows(upr_file(shared_data, "sessions-1-5.csv")), 400)
    clf = fit(training(rows), QUICK)
    assert clf.opening_vectorizer is not None and clf.metadata["format"] == 2
    texts = ["Consider ratifying the Convention", "Continue its efforts to combat poverty"]
    x = clf.features(texts)
    assert clf.action_features(x, texts).shape[1] > x.shape[1]
    assert [p.action for p in clf.predict(texts)] == [3, 2]
