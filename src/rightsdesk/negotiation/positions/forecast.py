"""Vote forecasts: the classifier, the feature cache a backtest reuses, and forecasts of drafts.

The classifier is scikit-learn's histogram gradient boosting over the features of ``features``,
with class weights that lift "no" and "abstain": those rare votes are the ones a negotiator
needs to see coming. A ``Forecaster`` is trained on a body's latest sessions and predicts each
member's vote on a draft, the expected result and the swing states with the reasons.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]

from rightsdesk.core.errors import InputError, NotFoundError
from rightsdesk.core.states import reference_states
from rightsdesk.negotiation.positions.features import (
    FEATURES,
    OUTCOMES,
    FloatArray,
    ForecastOptions,
    Target,
    VoteHistory,
    build_features,
    calls_as_targets,
    target_frame,
    title_key,
)
from rightsdesk.negotiation.positions.ideal_points import (
    LABELS,
    FitOptions,
    IdealPointFit,
    fit_ideal_points,
)
from rightsdesk.negotiation.positions.similarity import text_index


@dataclass
class VoteModel:
    """A trained classifier and what it was trained on (for the provenance line)."""

    classifier: object
    sessions: tuple[int, int]
    rows: int
    options: ForecastOptions

    def predict_proba(self, features: pd.DataFrame) -> FloatArray:
        """Columns P(no), P(abstain), P(yes), P(absent), whatever classes the training data
        held (a class never seen gets probability 0)."""
        clf = self.classifier
        with threadpool_limits(1):
            raw = clf.predict_proba(features[FEATURES].to_numpy(dtype=float))  # type: ignore[attr-defined]
        out = np.zeros((len(features), len(OUTCOMES)))
        for col, cls in enumerate(clf.classes_):  # type: ignore[attr-defined]
            out[:, int(cls)] = raw[:, col]
        return out


def labelled(
    hist: VoteHistory, features: pd.DataFrame, rows: npt.NDArray[np.int64]
) -> pd.DataFrame:
    """Attach each pair's actual outcome (``y``: a vote, or ``ABSENT`` for a member that did
    not vote) and keep the pairs where the state was a member."""
    votes = hist.outcomes(rows)  # targets x states, in the same order as ``features``
    out = features.assign(y=votes.ravel().astype(int))
    return out[out["y"] >= 0]


def train_model(train: pd.DataFrame, opts: ForecastOptions, sessions: tuple[int, int]) -> VoteModel:
    """Gradient boosting on labelled pairs, with "no" and "abstain" weighted up.

    The weight of class k is (n / n_k) ** power: power 1 balances the classes fully (recall of
    "no" rises, accuracy falls), 0 ignores the imbalance; the default was picked on sessions
    before any reported in the benchmarks.
    """
    from sklearn.ensemble import HistGradientBoostingClassifier

    if train.empty:
        raise InputError("no past votes to learn from in the chosen sessions")
    y = train["y"].to_numpy(dtype=int)
    counts = np.bincount(y, minlength=len(OUTCOMES)).astype(float)
    weight_of = (len(y) / np.maximum(counts, 1.0)) ** opts.class_weight_power
    clf = HistGradientBoostingClassifier(
        max_iter=opts.max_iter,
        learning_rate=0.1,
        max_leaf_nodes=31,
        random_state=opts.seed,
        early_stopping=False,
    )
    with threadpool_limits(1):  # oversubscribed OpenMP threads make it 10x slower on 2 cores
        clf.fit(train[FEATURES].to_numpy(dtype=float), y, sample_weight=weight_of[y])
    return VoteModel(classifier=clf, sessions=sessions, rows=len(y), options=opts)


class FeatureStore:
    """Features of each session's roll calls, computed once and reused by every backtest step."""

    def __init__(
        self,
        hist: VoteHistory,
        opts: ForecastOptions,
        groups: Mapping[str, str] | None = None,
    ) -> None:
        self.hist = hist
        self.opts = opts
        self.groups = groups
        self._fits: dict[int, IdealPointFit] = {}
        self._cache: dict[int, pd.DataFrame] = {}

    def positions_before(self, session: int) -> IdealPointFit | None:
        """The ideal points fitted on the sessions before ``session`` (None when disabled)."""
        if not self.opts.use_positions:
            return None
        if session not in self._fits:
            earlier = [t for t in self._fits if t < session]
            start = self._fits[max(earlier)] if earlier else None
            frame = self.hist.frame
            part = frame[
                (frame["session"] < session) & (frame["session"] >= session - self.opts.irt_window)
            ]
            if part.empty:
                return None
            self._fits[session] = fit_ideal_points(part, FitOptions(max_iter=40), start=start)
        return self._fits[session]

    def session(self, session: int) -> pd.DataFrame:
        """Labelled features of the roll calls of ``session`` (features from earlier sessions)."""
        if session not in self._cache:
            calls = self.hist.calls
            rows = np.flatnonzero((calls["session"] == session).to_numpy())
            feats, _ = build_features(
                self.hist,
                calls_as_targets(calls.iloc[rows]),
                session,
                self.opts,
                self.groups,
                self.positions_before(session),
            )
            out = labelled(self.hist, feats, rows)
            out["roll_call"] = rows[out["target"].to_numpy()]
            self._cache[session] = out
        return self._cache[session]

    def training_set(
        self, last: int, progress: Callable[[int, int], None] | None = None
    ) -> pd.DataFrame:
        """Labelled pairs of the ``train_window`` sessions up to and including ``last``;
        ``progress(done, total)`` after each session's features."""
        have = [t for t in self.hist.sessions() if last - self.opts.train_window < t <= last]
        parts = []
        for i, t in enumerate(have):
            parts.append(self.session(t))
            if progress is not None:
                progress(i + 1, len(have))
        return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=FEATURES)


@dataclass
class DraftForecast:
    """Predicted votes on one draft, with totals and the states worth lobbying."""

    title: str
    session: int
    votes: pd.DataFrame  # iso3, name, p_no, p_abstain, p_yes, p_absent, predicted, sponsor, swing
    expected: dict[str, float]
    predicted: dict[str, int]
    swing: list[dict[str, Any]]
    model: dict[str, Any]
    like: dict[str, Any] | None = None
    sponsors: list[str] = field(default_factory=list)
    sponsors_not_members: list[str] = field(default_factory=list)

    @property
    def margin(self) -> float:
        """Expected yes minus expected no (the draft passes on a simple majority when > 0)."""
        return self.expected["yes"] - self.expected["no"]

    def as_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "session": self.session,
            "like": self.like,
            "sponsors": self.sponsors,
            "sponsors_not_members": self.sponsors_not_members,
            "members": len(self.votes),
            "expected": self.expected,
            "predicted": self.predicted,
            "margin": round(self.margin, 2),
            "adopted": self.predicted["yes"] > self.predicted["no"],
            "swing": self.swing,
            "model": self.model,
            "votes": self.votes.round(4).to_dict(orient="records"),
        }


class Forecaster:
    """A vote model trained on the latest sessions of one body, ready for drafts.

    ``members``: the states that vote on the next draft (the body's members at the latest
    date, e.g. the 47 of the Human Rights Council); by default those of the latest session.
    ``progress(done, total)`` is told how training advances (the CLI draws a bar with it).
    """

    def __init__(
        self,
        frame: pd.DataFrame,
        groups: dict[str, str] | None = None,
        options: ForecastOptions | None = None,
        members: Sequence[str] | None = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> None:
        self.options = options or ForecastOptions()
        self.hist = VoteHistory.from_frame(frame)
        self.groups = groups or {}
        self.store = FeatureStore(self.hist, self.options, self.groups)
        sessions = self.hist.sessions()
        self.last = sessions[-1]
        self.next_session = self.last + 1
        steps = sum(self.last - self.options.train_window < t <= self.last for t in sessions)

        def tick(done: int, total: int) -> None:
            if progress is not None:
                progress(done, steps + 2)

        training = self.store.training_set(self.last, tick)
        self.model: VoteModel = train_model(
            training,
            self.options,
            (max(sessions[0], self.last - self.options.train_window + 1), self.last),
        )
        self.uses_sponsors = self.hist.has_sponsors
        known = set(self.hist.states)
        chosen = [m for m in members or () if m in known]
        self.members = chosen or self.hist.members_in(self.last)
        tick(steps + 1, steps + 2)
        self.store.positions_before(self.next_session)  # ready for the first draft
        text_index(self.hist, self.next_session, self.options.similarity_window)  # likewise
        tick(steps + 2, steps + 2)
        self.store._cache.clear()  # training features: not needed for drafts, large to keep

    def find_roll_call(self, like: str) -> pd.Series:
        """The latest roll call with this symbol (e.g. A/RES/73/172) or roll call id."""
        calls = self.hist.calls
        text = like.strip()
        hit = calls[calls["roll_call_id"].astype(str) == text]
        if hit.empty and "symbol" in calls:
            hit = calls[calls["symbol"].fillna("").str.upper() == text.upper()]
        if hit.empty:
            raise NotFoundError(f"no roll call with symbol or id {like!r} in this body's votes")
        row: pd.Series = hit.iloc[-1]
        return row

    def forecast(
        self,
        target: Target,
        sponsors: Sequence[str] = (),
        like: dict[str, Any] | None = None,
        swing_count: int = 12,
    ) -> DraftForecast:
        """Each member's probabilities, totals, margin and the swing states with reasons.

        Only members vote: a sponsor that is not a member is listed, not counted."""
        if not title_key(target.title):
            raise InputError("give the draft a title (or pick a past resolution)", field="title")
        session = max(target.session, self.last + 1)
        sponsor_set = {s.upper() for s in sponsors} | set(target.sponsors)
        targets = target_frame([replace(target, sponsors=frozenset(sponsor_set))])
        feats, mats = build_features(
            self.hist,
            targets,
            session,
            self.options,
            self.groups,
            self.store.positions_before(session),
        )
        probs = self.model.predict_proba(feats)
        cols = [f"p_{o}" for o in OUTCOMES]
        frame = feats[["iso3"]].copy()
        frame[cols] = probs
        frame["sponsor"] = frame["iso3"].isin(sponsor_set)
        if not self.uses_sponsors:
            # The body's data name no sponsors, so the model cannot learn what sponsoring
            # does: a sponsor votes for its own text, a rule shown as such in the reasons.
            frame.loc[frame["sponsor"], cols] = [0.0, 0.0, 1.0, 0.0]
        keep = frame["iso3"].isin(set(self.members))
        frame, idx = frame[keep].reset_index(drop=True), np.flatnonzero(keep.to_numpy())
        p = frame[cols].to_numpy()
        frame["predicted"] = [OUTCOMES[k] for k in p.argmax(axis=1)]
        top2 = np.sort(p, axis=1)[:, -2:]
        frame["swing"] = 1.0 - (top2[:, 1] - top2[:, 0])  # 1: a coin toss, 0: certain
        names = reference_states()
        frame.insert(1, "name", [names[s].name if s in names else s for s in frame["iso3"]])
        agree = self._sponsor_agreement(sponsor_set, session)
        swing = [
            self._reasons(row, mats, int(i), agree)
            for row, i in zip(frame.itertuples(index=False), idx, strict=True)
        ]
        order = np.argsort(-frame["swing"].to_numpy(), kind="stable")
        swing_list = [swing[i] for i in order if not frame["sponsor"].iloc[i]][:swing_count]
        expected = {lab: round(float(p[:, k].sum()), 2) for k, lab in enumerate(OUTCOMES)}
        predicted = {lab: int((frame["predicted"] == lab).sum()) for lab in OUTCOMES}
        model = {
            "trained_on_sessions": list(self.model.sessions),
            "training_votes": self.model.rows,
            "method": "gradient boosting on past votes and absences (same title, similar "
            "texts, group line, ideal points"
            + (", sponsors" if self.uses_sponsors else "")
            + "); see `rightsdesk negotiation backtest` for its out-of-time record",
        }
        return DraftForecast(
            title=target.title,
            session=session,
            votes=frame.sort_values(["swing", "iso3"], ascending=[False, True]).reset_index(
                drop=True
            ),
            expected=expected,
            predicted=predicted,
            swing=swing_list,
            model=model,
            like=like,
            sponsors=sorted(sponsor_set),
            sponsors_not_members=sorted(sponsor_set - set(self.members)),
        )

    def _sponsor_agreement(self, sponsors: set[str], session: int) -> dict[str, float]:
        """How often each state voted like the sponsors' majority in the recent sessions."""
        if not sponsors:
            return {}
        calls = self.hist.calls
        recent = (calls["session"] >= session - self.options.rate_window).to_numpy()
        votes = self.hist.votes[recent]
        cols = [i for i, s in enumerate(self.hist.states) if s in sponsors]
        if not cols or not votes.shape[0]:
            return {}
        sv = votes[:, cols]
        counts = np.stack([(sv == k).sum(axis=1) for k in range(3)], axis=1)
        line = np.where(counts.sum(axis=1) > 0, counts.argmax(axis=1), -1)
        ok = (votes >= 0) & (line[:, None] >= 0)
        same = ((votes == line[:, None]) & ok).sum(axis=0) / np.maximum(ok.sum(axis=0), 1)
        return {s: float(same[i]) for i, s in enumerate(self.hist.states) if ok[:, i].any()}

    def _reasons(
        self, row: Any, mats: dict[str, np.ndarray], col: int, agree: dict[str, float]
    ) -> dict[str, Any]:
        """Why a state might switch: its position, its last vote, similar texts, its group."""
        reasons: list[str] = []
        pos = float(mats["position"][0, col])
        irt = [float(mats[f"same_irt_{lab}"][0, col]) for lab in LABELS]
        reasons.append(
            f"ideal point {pos:+.2f}: on the same or similar texts that position gives "
            f"{irt[2]:.0%} yes, {irt[1]:.0%} abstain, {irt[0]:.0%} no"
        )
        last = [lab for lab in LABELS if mats[f"same_{lab}"][0, col] > 0]
        if not last and mats["same_absent"][0, col] > 0:
            last = ["absent"]
        reasons.append(
            f"last vote on this title: {last[0]}" if last else "no earlier vote on this title"
        )
        knn = [float(mats[f"knn_{lab}"][0, col]) for lab in LABELS]
        reasons.append(
            f"on the most similar past texts: {knn[2]:.0%} yes, {knn[1]:.0%} abstain, "
            f"{knn[0]:.0%} no"
        )
        away = float(mats["rate_absent"][0, col])
        if away >= 0.1:
            reasons.append(f"did not vote on {away:.0%} of recent roll calls")
        group = self.groups.get(row.iso3)
        if group:
            g = [float(mats[f"group_{lab}"][0, col]) for lab in LABELS]
            line = LABELS[int(np.argmax(g))]
            reasons.append(f"{group} on those texts: mostly {line} ({max(g):.0%})")
        if row.iso3 in agree:
            reasons.append(f"voted like the sponsors in {agree[row.iso3]:.0%} of recent votes")
        if row.sponsor:
            reasons.append(
                "sponsor of the draft"
                + ("" if self.uses_sponsors else " (counted as yes: the data name no sponsors)")
            )
        return {
            "iso3": row.iso3,
            "name": row.name,
            "predicted": row.predicted,
            "p_no": round(float(row.p_no), 3),
            "p_abstain": round(float(row.p_abstain), 3),
            "p_yes": round(float(row.p_yes), 3),
            "p_absent": round(float(row.p_absent), 3),
            "reasons": reasons,
        }


def forecast_draft(
    forecaster: Forecaster,
    title: str | None = None,
    like: str | None = None,
    sponsors: Sequence[str] = (),
    text: str = "",
    session: int | None = None,
    hr: bool | None = None,
) -> DraftForecast:
    """A draft given by title/text, or "the same text as roll call ``like``, tabled again"
    (its sponsors carried over, with those named here added)."""
    like_info: dict[str, Any] | None = None
    is_hr = bool(hr)
    carried: frozenset[str] = frozenset()
    if like:
        row = forecaster.find_roll_call(like)
        carried = frozenset(row.get("sponsors") or ())
        like_info = {
            "roll_call_id": int(row["roll_call_id"]),
            "symbol": row.get("symbol"),
            "title": str(row["title"]),
            "session": int(row["session"]),
            "sponsors": sorted(carried),
        }
        title = title or str(row["title"])
        text = text or str(row.get("descr", "") or "")
        is_hr = bool(row["hr"]) if hr is None else bool(hr)
    if not title:
        raise InputError("give a title or a past resolution (--like)", field="title")
    target = Target(
        title=title,
        text=text,
        session=session or forecaster.next_session,
        hr=is_hr,
        sponsors=carried,
    )
    return forecaster.forecast(target, sponsors, like_info)
