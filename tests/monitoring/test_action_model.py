"""The action-category model: opening features, cues, recency weights, and what openings
add out of time.

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
    make_opening_vectorizer,
    make_vectorizer,
    opening_features,
)
from rightsdesk.monitoring.classification.cues import action_cues
from rightsdesk.monitoring.classification.training import fit, fit_action, recency_weights
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


def test_cues_skip_the_lead_in_and_name_verb_object_and_second_verb() -> None:
    further = action_cues("Further adopt a comprehensive law on domestic violence")
    assert {"lead_in", "v_adopt", "vo_adopt_law"} <= set(further)
    plain = action_cues("Adopt measures against domestic violence")
    assert "lead_in" not in plain and "vo_adopt_measures" in plain
    take = set(action_cues("Take all necessary measures to ratify the CAT by 2015"))
    assert {"v_take", "vo_take_measures", "s_to_ratify", "vs_take_ratify"} <= take
    assert {"acr1", "dig1"} <= take  # "CAT", "2015": a concrete, checkable request
    that = action_cues("That the Government should consider ratifying the Convention")
    assert {"lead_in", "v_consider", "caps1"} <= set(that)
    assert action_cues("") == [] and action_cues("Further") == ["lead_in"]
    texts = ["Further adopt a law", "Further ratify the CAT", "Adopt a law"]
    assert "v_adopt" in make_opening_vectorizer(cues=True).fit(texts).vocabulary_
    assert "v_adopt" not in make_opening_vectorizer().fit(texts).vocabulary_


def test_recency_weights_favour_later_sessions() -> None:
    weights = recency_weights([3, None, 5, 4], 0.5)
    assert weights is not None
    assert weights.tolist() == [0.25, 0.25, 1.0, 0.5]  # no session counts as the earliest
    assert recency_weights([3, 5], 1.0) is None and recency_weights([None], 0.9) is None


def accuracy(config: FitConfig, train: list[dict[str, str]], test: list[dict[str, str]]) -> float:
    texts = [r["Text"] for r in train]
    vec = make_vectorizer(FitConfig(char_ngrams=False))
    x = vec.fit_transform([lead_words(t) for t in texts])
    sessions: list[int | None] = [int(r["Session"]) for r in train]
    model, openings = fit_action(x, texts, [int(r["Action"]) for r in train], config, sessions)
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


def test_recency_follows_a_change_in_how_coders_read_the_scale() -> None:
    """ "Adopt a strategy" was coded 5 in sessions 1-3 (30 rows) and 4 in session 4 (20
    rows): weighting later sessions more follows the newer reading, equal weights do not."""
    texts, actions, sessions = [], [], []
    for i in range(50):
        session = 1 + i // 10 if i < 30 else 4
        texts += [f"Adopt a strategy on topic{i}", f"Continue its efforts on topic{i}"]
        actions += [5 if i < 30 else 4, 2]
        sessions += [session, session]
    vec = make_vectorizer(FitConfig(char_ngrams=False))
    x = vec.fit_transform([lead_words(t) for t in texts])
    probe = ["Adopt a strategy on topic99"]

    def predicted(recency: float) -> int:
        config = FitConfig(char_ngrams=False, action_balanced=False, action_recency=recency)
        model, openings = fit_action(x, texts, actions, config, sessions)
        rows = action_rows(vec.transform(probe), probe, openings, config.opening_weight)
        return int(model.predict(rows)[0])

    assert predicted(0.5) == 4 and predicted(1.0) == 5


def test_fitted_classifier_uses_openings(shared_data: Path) -> None:
    rows = spread(read_rows(upr_file(shared_data, "sessions-1-5.csv")), 400)
    clf = fit(training(rows), QUICK)
    assert clf.opening_vectorizer is not None and clf.metadata["format"] == 2
    texts = ["Consider ratifying the Convention", "Continue its efforts to combat poverty"]
    x = clf.features(texts)
    assert clf.action_features(x, texts).shape[1] > x.shape[1]
    assert [p.action for p in clf.predict(texts)] == [3, 2]
