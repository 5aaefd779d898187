"""Benchmark: themes and action category of UPR recommendations, evaluated OUT OF TIME.

Fit on UPR sessions 1-13 (thresholds and confidences tuned inside the fit on the latest of
those sessions, 12-13, held out of that first fit), test on sessions 14-17, which nothing in
the fit has seen. A naive Bayes baseline (one-vs-rest MultinomialNB for themes, ComplementNB
for the action) runs on the same features in the same run. Because identical texts recur
across states and sessions, the figures are also given on the test texts that do NOT occur
verbatim in training.

``--first-test-session 17`` trains on sessions 1-16 and tests on 17 instead.

The action category is also reported per category with its confusion matrix (ours and naive
Bayes), beside the action model as it was before its opening features and with the cues and
recency weights that stay off by default (same fitted vectorizer), and the fine-tuned
encoder (``monitoring train --action-model encoder``, about 30 min on 2 cores; ``--no-encoder``
skips it); ``--tune`` prints the validation grid, inside the training period only, behind the
action model's defaults.

    .venv/bin/python benchmarks/classification.py [--data ../shared/data] [--tune]
        [--no-ablation] [--no-encoder] [--first-test-session 14]

Published reference: HURIDOCS' Uwazi reports F1 about 0.75-0.78 on these labels.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

import numpy as np
from sklearn.metrics import confusion_matrix
from sklearn.multiclass import OneVsRestClassifier
from sklearn.naive_bayes import ComplementNB, MultinomialNB
from sklearn.svm import LinearSVC

from rightsdesk.core.importing import iter_csv
from rightsdesk.monitoring.classification import encoder
from rightsdesk.monitoring.classification.classifier import (
    ACTIONS,
    Classifier,
    FitConfig,
    TrainingData,
    action_rows,
    lead_words,
    make_vectorizer,
    split_themes,
)
from rightsdesk.monitoring.classification.scale import action_words
from rightsdesk.monitoring.classification.training import (
    Evaluation,
    binarize,
    fit,
    fit_action,
    score,
    time_split,
)

FIRST_TEST_SESSION = 14


def load(folder: Path) -> tuple[list[str], list[list[str]], list[int], list[int]]:
    """Every row of the UPR Info export files (Mac Roman encoded, bare CR line endings)."""
    texts: list[str] = []
    themes: list[list[str]] = []
    actions: list[int] = []
    sessions: list[int] = []
    for path in sorted(folder.glob("sessions-*.csv")):
        for row in iter_csv(path, ["Text", "Issue", "Action", "Session"], encoding="mac_roman"):
            texts.append(row.get("Text"))
            themes.append(split_themes(row.get("Issue")))
            actions.append(int(row.get("Action")))
            sessions.append(int(row.get("Session")))
    return texts, themes, actions, sessions


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.lower()).strip(" .;")


def naive_bayes(
    labels: list[str],
    train: tuple[list[str], list[list[str]], list[int]],
    test_texts: list[str],
) -> tuple[np.ndarray, np.ndarray, float]:
    """The baseline on the same TF-IDF features: themes (p >= 0.5) and action."""
    started = time.perf_counter()
    vec = make_vectorizer(FitConfig())
    x = vec.fit_transform([lead_words(t) for t in train[0]])
    y = binarize(train[1], labels)
    themes = OneVsRestClassifier(MultinomialNB(alpha=0.1)).fit(x, y)
    action = ComplementNB(alpha=0.3).fit(x, train[2])
    fitted = time.perf_counter() - started
    xt = vec.transform([lead_words(t) for t in test_texts])
    chosen = np.asarray(themes.predict(xt)).astype(bool)
    return chosen, np.asarray(action.predict(xt)), fitted


def ours(clf: Classifier, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    x = clf.features(texts)
    actions, _ = clf.predict_actions(x, texts)
    return clf.decide(clf.theme_margins(x)), actions


def previous_action_model(
    clf: Classifier, train: TrainingData, test_texts: list[str]
) -> np.ndarray:
    """The action model as it was before opening features (shared TF-IDF rows, C 0.5, no
    class weights), on the same fitted vectorizer: what the new features add."""
    model = LinearSVC(C=0.5).fit(clf.features(train.texts), train.actions)
    return np.asarray(model.predict(clf.features(test_texts)))


def cue_action_model(clf: Classifier, train: TrainingData, test_texts: list[str]) -> np.ndarray:
    """The action model with cues and recency weights (weight 1.0, unbalanced, recency 0.9:
    best on the validation split), on the same fitted vectorizer: what they add."""
    config = FitConfig(
        action_cues=True, opening_weight=1.0, action_balanced=False, action_recency=0.9
    )
    model, openings = fit_action(
        clf.features(train.texts), train.texts, train.actions, config, train.sessions
    )
    rows = action_rows(clf.features(test_texts), test_texts, openings, config.opening_weight)
    return np.asarray(model.predict(rows))


def action_report(truth: list[int], predicted: np.ndarray) -> None:
    """Accuracy per category (the share of each true category predicted right) and the
    confusion matrix: which categories are mistaken for which."""
    pred = [int(p) for p in predicted]
    matrix = confusion_matrix(truth, pred, labels=list(ACTIONS))
    print(
        "| true category | rows | accuracy (recall) | precision | F1 | "
        + " | ".join(f"→{a}" for a in ACTIONS)
        + " |"
    )
    print("|---|---:|---:|---:|---:|" + "---:|" * len(ACTIONS))
    for k, a in enumerate(ACTIONS):
        n, hit, called = int(matrix[k].sum()), int(matrix[k, k]), int(matrix[:, k].sum())
        recall = hit / n if n else 0.0
        precision = hit / called if called else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        cells = " | ".join(str(int(v)) for v in matrix[k])
        print(f"| {action_words(a)} | {n} | {recall:.3f} | {precision:.3f} | {f1:.3f} | {cells} |")


def tune_action(texts: list[str], actions: list[int], sessions: list[int]) -> None:
    """How the action defaults were chosen: fit on the training period's earlier sessions,
    validate on its latest (the same split ``fit`` uses for thresholds), never on the test
    sessions."""
    held = time_split(sessions, FitConfig().val_fraction)
    tr = [i for i in range(len(texts)) if not held[i]]
    va = [i for i in range(len(texts)) if held[i]]
    vec = make_vectorizer(FitConfig())
    x_tr = vec.fit_transform([lead_words(texts[i]) for i in tr])
    x_va = vec.transform([lead_words(texts[i]) for i in va])
    va_texts = [texts[i] for i in va]
    truth = [actions[i] for i in va]
    print(
        f"action model, validation inside the training period: fit on sessions "
        f"{min(sessions[i] for i in tr)}-{max(sessions[i] for i in tr)}, "
        f"validate on {sorted({sessions[i] for i in va})}"
    )
    print("| openings | cues | weight | C | balanced | recency | accuracy |")
    print("|---|---|---:|---:|---|---:|---:|")
    grid = [(False, False, 1.0, 0.5, False, 1.0), (True, False, 0.7, 0.2, True, 1.0)] + [
        (True, True, w, c, False, r)
        for w in (0.8, 1.0, 1.3)
        for c in (0.2, 0.3)
        for r in (1.0, 0.9, 0.8)
    ]
    for openings, cues, weight, c, balanced, recency in grid:
        config = FitConfig(
            action_openings=openings,
            action_cues=cues,
            opening_weight=weight,
            action_c=c,
            action_balanced=balanced,
            action_recency=recency,
        )
        model, vectorizer = fit_action(
            x_tr,
            [texts[i] for i in tr],
            [actions[i] for i in tr],
            config,
            [sessions[i] for i in tr],
        )
        pred = model.predict(action_rows(x_va, va_texts, vectorizer, weight))
        acc = float(np.mean(np.asarray(pred) == np.asarray(truth)))
        print(
            f"| {openings} | {cues} | {weight} | {c} | {balanced} | {recency} | {acc:.4f} |",
            flush=True,
        )


def throughput(clf: Classifier, texts: list[str], repeats: int = 3) -> float:
    """Recommendations per second through ``predict`` (features, themes, action), best of N."""
    best = float("inf")
    for _ in range(repeats):
        started = time.perf_counter()
        clf.predict(texts)
        best = min(best, time.perf_counter() - started)
    return len(texts) / best


def calibration(clf: Classifier, texts: list[str], truth: list[list[str]]) -> None:
    """Are the confidences shown to reviewers honest? Share right per confidence band."""
    x = clf.features(texts)
    margins = clf.theme_margins(x)
    chosen = clf.decide(margins)
    conf = clf.theme_confidence(margins)[chosen]
    right = binarize(truth, clf.theme_labels)[chosen]
    print("| suggested themes, confidence band | count | share right |")
    print("|---|---:|---:|")
    for low, high in ((0.0, 0.5), (0.5, 0.7), (0.7, 0.9), (0.9, 1.01)):
        band = (conf >= low) & (conf < high)
        share = f"{right[band].mean():.3f}" if band.any() else "-"
        print(f"| {low:.1f}-{min(high, 1.0):.1f} | {int(band.sum())} | {share} |")


def encoder_actions(
    train_texts: list[str], train_actions: list[int], test_texts: list[str]
) -> tuple[np.ndarray, float, float]:
    """The fine-tuned encoder (``--action-model encoder``) out of time: fitted on the training
    sessions only, with the settings chosen on sessions 1-11 vs 12-13. Returns predicted
    categories, fine-tuning seconds and test texts per second."""
    started = time.perf_counter()
    model = encoder.fine_tune(train_texts, train_actions, encoder.EncoderConfig())
    tuned = time.perf_counter() - started
    started = time.perf_counter()
    probs = model.probabilities(test_texts)
    rate = len(test_texts) / (time.perf_counter() - started)
    return np.asarray(model.classes)[probs.argmax(axis=1)], tuned, rate


def row(name: str, ev: Evaluation) -> str:
    return (
        f"| {name:<34} | {ev.rows:>5} | {ev.micro_f1:.3f} | {ev.macro_f1:.3f} "
        f"| {ev.action_accuracy:.3f} | {ev.action_macro_f1:.3f} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument(
        "--tune",
        action="store_true",
        help="also print the validation grid (inside the training period) behind the action "
        "model's defaults",
    )
    parser.add_argument(
        "--no-ablation", action="store_true", help="skip the word-n-grams-only refit (faster)"
    )
    parser.add_argument(
        "--no-encoder",
        action="store_true",
        help="skip the fine-tuned encoder for the action category (about 30 min on 2 cores)",
    )
    parser.add_argument(
        "--first-test-session",
        type=int,
        default=FIRST_TEST_SESSION,
        help="train on the sessions before this one, test on it and later ones",
    )
    args = parser.parse_args()
    first_test = args.first_test_session
    folder = args.data / "monitoring" / "upr-info"
    if not folder.is_dir():
        sys.exit(f"no UPR Info files under {folder}")
    texts, themes, actions, sessions = load(folder)
    tr = [i for i, s in enumerate(sessions) if s < first_test]
    te = [i for i, s in enumerate(sessions) if s >= first_test]
    train = TrainingData(
        [texts[i] for i in tr],
        [themes[i] for i in tr],
        [actions[i] for i in tr],
        [sessions[i] for i in tr],
    )
    started, cpu = time.perf_counter(), time.process_time()
    clf = fit(train)
    fit_seconds, fit_cpu = time.perf_counter() - started, time.process_time() - cpu
    meta = clf.metadata
    test_texts = [texts[i] for i in te]
    test_themes = [themes[i] for i in te]
    test_actions = [actions[i] for i in te]
    seen = {norm(texts[i]) for i in tr}
    fresh = [k for k, i in enumerate(te) if norm(texts[i]) not in seen]

    chosen, pred_actions = ours(clf, test_texts)
    nb_chosen, nb_actions, nb_seconds = naive_bayes(
        clf.theme_labels, (train.texts, train.themes, [actions[i] for i in tr]), test_texts
    )
    labels = clf.theme_labels

    def ev(ch: np.ndarray, ac: np.ndarray, idx: list[int]) -> Evaluation:
        return score(
            labels,
            ch[idx],
            [test_themes[k] for k in idx],
            [int(a) for a in ac[idx]],
            [test_actions[k] for k in idx],
        )

    every = list(range(len(te)))
    full, full_nb = ev(chosen, pred_actions, every), ev(nb_chosen, nb_actions, every)
    new, new_nb = ev(chosen, pred_actions, fresh), ev(nb_chosen, nb_actions, fresh)
    before = previous_action_model(clf, train, test_texts)
    previous = ev(chosen, before, every)
    cued = ev(chosen, cue_action_model(clf, train, test_texts), every)
    rate = throughput(clf, test_texts)
    words: Evaluation | None = None
    word_rate = 0.0
    if not args.no_ablation:
        words_only = fit(train, FitConfig(char_ngrams=False))  # ablation: do char n-grams help?
        w_chosen, w_actions = ours(words_only, test_texts)
        words = ev(w_chosen, w_actions, every)
        word_rate = throughput(words_only, test_texts)

    enc: Evaluation | None = None
    enc_new: Evaluation | None = None
    if not args.no_encoder and encoder.available():
        enc_actions, enc_seconds, enc_rate = encoder_actions(
            train.texts, [actions[i] for i in tr], test_texts
        )
        enc, enc_new = ev(chosen, enc_actions, every), ev(chosen, enc_actions, fresh)
    elif not args.no_encoder:
        print("encoder skipped: torch/transformers not installed (scripts/install.sh encoder)")

    print(
        f"train: sessions {meta['sessions_used'][0]}-{meta['sessions_used'][-1]} "
        f"({len(tr)} rows; thresholds tuned on sessions {meta['threshold_sessions']}); "
        f"test: sessions {first_test}-{max(sessions)} ({len(te)} rows)"
    )
    print(f"themes modelled: {len(labels)}; too rare, skipped: {meta['skipped_rare_labels']}")
    print(
        f"leakage check: {len(te) - len(fresh)} of {len(te)} test texts "
        f"({(len(te) - len(fresh)) / len(te):.1%}) occur verbatim in training"
    )
    print()
    print(
        "| model / test rows                  |  rows | micro-F1 | macro-F1 "
        "| action acc | action macro-F1 |"
    )
    print("|" + "---|" * 6)
    print(row("linear SVM + tuned thresholds, all", full))
    print(row("naive Bayes baseline, all", full_nb))
    print(row("linear SVM, no verbatim duplicate", new))
    print(row("naive Bayes, no verbatim duplicate", new_nb))
    print(row("SVM, action as before openings, all", previous))
    print(row("SVM, action + cues + recency, all", cued))
    if words is not None:
        print(row("linear SVM, word n-grams only, all", words))
    if enc is not None and enc_new is not None:
        print(row("SVM themes + encoder action, all", enc))
        print(row("encoder action, no verbatim duplicate", enc_new))
    print()
    print(
        f"training time: {fit_seconds:.1f} s wall, {fit_cpu:.1f} s CPU (linear SVM, incl. "
        f"threshold tuning refit), {nb_seconds:.1f} s (naive Bayes)"
    )
    print(
        f"inference: {rate:,.0f} recommendations/s (features + themes + action, 1 process)"
        + (f"; word n-grams only: {word_rate:,.0f}/s" if words is not None else "")
    )
    print(
        "reference: HURIDOCS Uwazi publishes F1 about 0.75-0.78 on these labels "
        "(its own split, not rerun here)"
    )
    print()
    print(f"action category, out of time (sessions {first_test}-{max(sessions)}):")
    action_report(test_actions, pred_actions)
    if enc is not None:
        print()
        print(
            f"fine-tuned encoder (all-MiniLM-L6-v2), same test rows; fine-tuning "
            f"{enc_seconds:.0f} s wall, prediction {enc_rate:,.0f} recommendations/s:"
        )
        action_report(test_actions, enc_actions)
    print()
    print("naive Bayes (ComplementNB), same test rows:")
    action_report(test_actions, nb_actions)
    print()
    if args.tune:
        tune_action(train.texts, [actions[i] for i in tr], [sessions[i] for i in tr])
        print()
    calibration(clf, test_texts, test_themes)
    print()
    print("| theme | support | F1 SVM | F1 NB | F1 SVM, no duplicate |")
    print("|---|---:|---:|---:|---:|")
    for label in sorted(labels, key=lambda lab: -full.per_label[lab][1]):
        f, n = full.per_label[label]
        print(
            f"| {label} | {n} | {f:.3f} | {full_nb.per_label[label][0]:.3f} "
            f"| {new.per_label[label][0]:.3f} |"
        )


if __name__ == "__main__":
    main()
