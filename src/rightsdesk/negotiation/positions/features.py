"""Features of vote forecasts: what a state's record says about its vote on a draft.

Why these features: a state's vote on a resolution is, above all, its vote on the same text last
year; then its votes on texts that read alike (TF-IDF similarity of titles), its regional group's
line on them, how contested those texts were, and its ideal point on the roll calls' own scale.
Every feature of a roll call in session ``t`` is computed from sessions before ``t`` only, so a
model trained on sessions up to ``s`` and scored on ``s + 1`` is an honest out-of-time test
(the model and its training are in ``forecast``).

Non-participation is an outcome of its own: a member at the time of a roll call (it voted on
another roll call of the session, or the record lists it as absent) that cast no vote on it is
"absent", so forecast totals resemble real ones instead of assuming every member votes.
Sponsors are a feature where the data name them (HRC main sponsors): a state that sponsors a
text votes for it far more often than its record alone says.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import pandas as pd

from rightsdesk.core.errors import InputError
from rightsdesk.negotiation.positions.ideal_points import LABELS, VOTE_CODES, IdealPointFit
from rightsdesk.negotiation.positions.similarity import text_index

FloatArray = npt.NDArray[np.float64]

_NON_WORD = re.compile(r"[^a-z ]+")


def title_key(title: str | None) -> str:
    """The title with case, numbers and punctuation removed: "the same resolution" test."""
    text = _NON_WORD.sub(" ", str(title or "").lower())
    return " ".join(text.split())


@dataclass(frozen=True)
class ForecastOptions:
    """Windows and model settings (tuned on sessions before those reported in benchmarks)."""

    neighbours: int = 15  # similar past roll calls per target
    similarity_window: int = 10  # sessions of history searched for similar texts
    rate_window: int = 3  # sessions for a state's recent no/abstain rates
    train_window: int = 8  # sessions of roll calls the classifier is trained on
    irt_window: int = 12  # sessions in each rolling ideal-point fit
    use_positions: bool = True  # ideal-point features (costs one fit per session)
    class_weight_power: float = 0.5  # 0: none, 1: fully balanced classes
    max_iter: int = 150  # boosting rounds
    seed: int = 0


#: Outcome code of a member that did not vote (after no 0, abstain 1, yes 2).
ABSENT = 3
OUTCOMES: tuple[str, str, str, str] = (*LABELS, "absent")


@dataclass
class VoteHistory:
    """Roll calls (rows, in time order) by states (columns) with votes coded 0/1/2, -1 none;
    ``absent`` marks members of the session that did not vote on a roll call."""

    calls: pd.DataFrame
    states: list[str]
    votes: npt.NDArray[np.int8]
    frame: pd.DataFrame = field(repr=False)
    absent: npt.NDArray[np.bool_] = field(default_factory=lambda: np.zeros((0, 0), dtype=bool))

    def outcomes(self, rows: npt.NDArray[np.int64] | slice = slice(None)) -> npt.NDArray[np.int8]:
        """Votes with absences coded ``ABSENT`` (-1 still: not a member then)."""
        out = self.votes[rows].copy()
        if self.absent.shape == self.votes.shape:
            out[self.absent[rows]] = ABSENT
        return out

    def members_in(self, session: int) -> list[str]:
        """States that voted (or were recorded absent) in a session: its members then."""
        rows = (self.calls["session"] == session).to_numpy()
        seen = np.asarray((self.votes[rows] >= 0).any(axis=0), dtype=bool)
        if self.absent.shape == self.votes.shape:
            seen |= np.asarray(self.absent[rows].any(axis=0), dtype=bool)
        return [s for s, ok in zip(self.states, seen.tolist(), strict=True) if ok]

    @property
    def has_sponsors(self) -> bool:
        """Whether any roll call names its sponsors (HRC data do; UN General Assembly data not)."""
        return bool(self.calls["sponsors"].map(len).sum()) if "sponsors" in self.calls else False

    @classmethod
    def from_frame(cls, frame: pd.DataFrame) -> VoteHistory:
        """Build from a ``vote_frame``-shaped DataFrame (extra ``descr`` column used if any)."""
        need = {"roll_call_id", "iso3", "vote", "session", "title"}
        missing = need - set(frame.columns)
        if missing:
            raise InputError(f"vote frame lacks column(s): {', '.join(sorted(missing))}")
        recorded_absent = frame[frame["vote"] == "absent"]
        frame = frame[frame["vote"].isin(list(VOTE_CODES))]
        if frame.empty:
            raise InputError("no yes/no/abstain votes in the history")
        cols = [
            c
            for c in (
                "roll_call_id",
                "session",
                "date",
                "symbol",
                "title",
                "descr",
                "issues",
                "is_amendment",
                "is_paragraph",
                "sponsors",
            )
            if c in frame.columns
        ]
        calls = frame[cols].drop_duplicates("roll_call_id")
        order = [c for c in ("session", "date", "roll_call_id") if c in calls.columns]
        calls = calls.sort_values(order).reset_index(drop=True)
        calls["title"] = calls["title"].fillna("").astype(str)
        descr = calls["descr"].fillna("").astype(str) if "descr" in calls else ""
        calls["text"] = calls["title"] + " " + descr
        calls["key"] = calls["title"].map(title_key)
        calls["hr"] = (
            calls.get("issues", pd.Series("", index=calls.index))
            .fillna("")
            .astype(str)
            .str.split(",")
            .map(lambda codes: "hr" in codes)
        )
        for flag in ("is_amendment", "is_paragraph"):
            calls[flag] = calls[flag].astype(bool) if flag in calls else False
        calls["sponsors"] = [  # type: ignore[assignment]
            frozenset(v) if isinstance(v, frozenset | set | list | tuple) else frozenset()
            for v in calls.get("sponsors", pd.Series([None] * len(calls), index=calls.index))
        ]
        states = sorted(frame["iso3"].unique())
        votes = np.full((len(calls), len(states)), -1, dtype=np.int8)
        index = pd.Index(calls["roll_call_id"])
        row = index.get_indexer(frame["roll_call_id"])
        col = pd.Index(states).get_indexer(frame["iso3"])
        votes[row, col] = frame["vote"].map(VOTE_CODES).to_numpy(dtype=np.int8)
        absent = _absences(calls, states, votes, recorded_absent, index)
        return cls(calls=calls, states=states, votes=votes, frame=frame, absent=absent)

    def sessions(self) -> list[int]:
        return sorted(int(s) for s in self.calls["session"].unique())


def _absences(
    calls: pd.DataFrame,
    states: list[str],
    votes: npt.NDArray[np.int8],
    recorded: pd.DataFrame,
    index: pd.Index,
) -> npt.NDArray[np.bool_]:
    """Members that did not vote: recorded absences, and states that voted on another roll
    call of the same session but not on this one (the unvotes data drop absences)."""
    absent = np.zeros(votes.shape, dtype=bool)
    voted = votes >= 0
    sessions = calls["session"].to_numpy()
    for session in np.unique(sessions):
        rows = np.flatnonzero(sessions == session)
        member = np.asarray(voted[rows].any(axis=0), dtype=bool)
        absent[rows] = member[None, :] & ~voted[rows]
    if len(recorded):
        r = index.get_indexer(pd.Index(recorded["roll_call_id"]))
        c = pd.Index(states).get_indexer(pd.Index(recorded["iso3"]))
        ok = (r >= 0) & (c >= 0)
        absent[r[ok], c[ok]] = True
    return absent


@dataclass(frozen=True)
class Target:
    """What is voted on: a draft or a past roll call tabled again."""

    title: str
    session: int
    text: str = ""
    hr: bool = False
    is_amendment: bool = False
    is_paragraph: bool = False
    sponsors: frozenset[str] = frozenset()


FEATURES = [
    "same_no", "same_abstain", "same_yes", "has_same", "same_count",
    "prev_all_no", "prev_all_abstain", "group_same_no", "group_same_abstain",
    "same_irt_no", "same_irt_abstain", "same_irt_yes",
    "knn_no", "knn_abstain", "knn_yes", "knn_coverage",
    "all_no", "all_abstain", "max_sim",
    "rate_no", "rate_abstain",
    "group_no", "group_abstain", "group_yes",
    "position", "trend", "irt_no", "irt_abstain", "irt_yes",
    "hr", "is_amendment", "is_paragraph",
    "rate_absent", "same_absent", "sponsor", "group_sponsor",
]  # fmt: skip


def calls_as_targets(calls: pd.DataFrame) -> pd.DataFrame:
    """Past roll calls as the target rows the feature builder reads."""
    cols = ["title", "text", "session", "hr", "is_amendment", "is_paragraph", "sponsors"]
    return calls[cols].assign(key=calls["title"].map(title_key))


def target_frame(targets: Sequence[Target]) -> pd.DataFrame:
    """Targets as the rows the feature builder reads."""
    return pd.DataFrame(
        {
            "title": [t.title for t in targets],
            "text": [f"{t.title} {t.text}" for t in targets],
            "session": [t.session for t in targets],
            "hr": [t.hr for t in targets],
            "is_amendment": [t.is_amendment for t in targets],
            "is_paragraph": [t.is_paragraph for t in targets],
            "sponsors": [frozenset(t.sponsors) for t in targets],
            "key": [title_key(t.title) for t in targets],
        }
    )


@dataclass
class _Same:
    """Each state's latest vote on earlier roll calls with the same title, and which they were."""

    votes: npt.NDArray[np.int8]  # targets x states, -1 none
    latest: npt.NDArray[np.int64]  # row of the latest same-title roll call per target, -1 none
    count: FloatArray  # how many earlier same-title roll calls (capped at 10)


def _last_same(hist: VoteHistory, keys: Sequence[str], before: int) -> _Same:
    """Looks back over the last three same-title roll calls of earlier sessions, because a
    state absent last time usually voted the time before."""
    calls = hist.calls
    out = np.full((len(keys), len(hist.states)), -1, dtype=np.int8)
    latest = np.full(len(keys), -1, dtype=np.int64)
    count = np.zeros(len(keys))
    earlier = calls.index[calls["session"] < before]
    by_key = calls.loc[earlier].groupby("key").indices
    positions = earlier.to_numpy()
    for i, key in enumerate(keys):
        idx = by_key.get(key)
        if idx is None or not key:
            continue
        rows = positions[idx][::-1]
        latest[i], count[i] = rows[0], min(len(rows), 10)
        for row in rows[:3]:
            v = hist.votes[row]
            fill = (out[i] < 0) & (v >= 0)
            out[i, fill] = v[fill]
    return _Same(out, latest, count)


def build_features(
    hist: VoteHistory,
    targets: pd.DataFrame,
    session: int,
    opts: ForecastOptions,
    groups: Mapping[str, str] | None = None,
    positions: IdealPointFit | None = None,
) -> tuple[pd.DataFrame, dict[str, npt.NDArray[np.float64]]]:
    """Features of every (target, state) pair, from roll calls of sessions before ``session``.

    Returns a long frame (``target`` index, ``iso3`` and the FEATURES columns) and the named
    matrices (targets x states) the explanations reuse.
    """
    calls = hist.calls
    n_t, n_s = len(targets), len(hist.states)
    past = (calls["session"] < session).to_numpy()
    win = past & (calls["session"] >= session - opts.similarity_window).to_numpy()
    mats: dict[str, FloatArray] = {}
    same = _last_same(hist, list(targets["key"]), session)
    for k, label in enumerate(LABELS):
        mats[f"same_{label}"] = (same.votes == k).astype(float)
    mats["has_same"] = (same.votes >= 0).astype(float)
    mats["same_count"] = np.repeat(same.count[:, None], n_s, axis=1)
    _previous_text(mats, hist, same, groups)
    yw = hist.votes[win]
    voted = (yw >= 0).astype(float)
    if yw.shape[0] and past.any():
        vec, window_texts = text_index(hist, session, opts.similarity_window)
        sim = (vec.transform(targets["text"]) @ window_texts).toarray()
    else:
        sim = np.zeros((n_t, yw.shape[0]))
    k = min(opts.neighbours, sim.shape[1])
    weights = np.zeros_like(sim)
    if k:
        top = np.argpartition(-sim, k - 1, axis=1)[:, :k]
        rows = np.arange(n_t)[:, None]
        weights[rows, top] = np.maximum(sim[rows, top], 0.0) + 1e-6
    den = weights @ voted
    overall = _rates(yw, voted)
    for k_, label in enumerate(LABELS):
        ind = (yw == k_).astype(float)
        share = (weights @ ind) / np.maximum(den, 1e-12)
        mats[f"knn_{label}"] = np.where(den > 0, share, overall[k_][None, :])
    mats["knn_coverage"] = den / np.maximum(weights.sum(axis=1, keepdims=True), 1e-12)
    counts = np.maximum(voted.sum(axis=1), 1.0)
    wsum = np.maximum(weights.sum(axis=1), 1e-12)
    for k_, label in ((0, "no"), (1, "abstain")):
        prop = (yw == k_).sum(axis=1) / counts
        mats[f"all_{label}"] = np.repeat(((weights @ prop) / wsum)[:, None], n_s, axis=1)
    mats["max_sim"] = np.repeat(
        (sim.max(axis=1) if sim.shape[1] else np.zeros(n_t))[:, None], n_s, axis=1
    )
    recent = past & (calls["session"] >= session - opts.rate_window).to_numpy()
    rates = _rates(hist.votes[recent], (hist.votes[recent] >= 0).astype(float))
    mats["rate_no"] = np.repeat(rates[0][None, :], n_t, axis=0)
    mats["rate_abstain"] = np.repeat(rates[1][None, :], n_t, axis=0)
    for label in LABELS:
        mats[f"group_{label}"] = _group_mean(mats[f"knn_{label}"], hist.states, groups)
    _position_features(mats, hist, positions, weights, win, session, same.latest)
    for flag in ("hr", "is_amendment", "is_paragraph"):
        values = targets[flag].to_numpy(dtype=float)
        mats[flag] = np.repeat(values[:, None], n_s, axis=1)
    _participation(mats, hist, recent, same.latest)
    _sponsor_features(mats, hist, targets, groups)
    long = pd.DataFrame({name: mats[name].ravel() for name in FEATURES})
    long.insert(0, "iso3", np.tile(np.asarray(hist.states, dtype=object), n_t))
    long.insert(0, "target", np.repeat(np.arange(n_t), n_s))
    return long, mats


def _rates(votes: npt.NDArray[np.int8], voted: FloatArray) -> list[FloatArray]:
    """Each state's share of no / abstain / yes among its votes (the UN-wide share if none)."""
    n = voted.sum(axis=0)
    out = []
    for k in range(3):
        hits = (votes == k).sum(axis=0)
        total = max(float(n.sum()), 1.0)
        prior = float(hits.sum()) / total if n.sum() else (1.0 if k == 2 else 0.0)
        out.append(np.where(n > 0, (hits + prior) / (n + 1.0), prior))
    return out


def _previous_text(
    mats: dict[str, FloatArray],
    hist: VoteHistory,
    same: _Same,
    groups: Mapping[str, str] | None,
) -> None:
    """How contested the same text was last time, overall and within the state's group."""
    n_t, n_s = len(same.latest), len(hist.states)
    has = same.latest >= 0
    prev = np.full((n_t, n_s), -1, dtype=np.int8)
    prev[has] = hist.votes[same.latest[has]]
    voted = (prev >= 0).astype(float)
    for k, label in ((0, "no"), (1, "abstain")):
        hits = (prev == k).astype(float)
        share = hits.sum(axis=1) / np.maximum(voted.sum(axis=1), 1.0)
        mats[f"prev_all_{label}"] = np.repeat(share[:, None], n_s, axis=1)
        mats[f"group_same_{label}"] = _group_share(hits, voted, hist.states, groups)


def _group_share(
    hits: FloatArray, voted: FloatArray, states: Sequence[str], groups: Mapping[str, str] | None
) -> FloatArray:
    """Share of a group's voters with ``hits``, per state's group (all voters without one)."""
    total = hits.sum(axis=1, keepdims=True) / np.maximum(voted.sum(axis=1, keepdims=True), 1.0)
    out = np.repeat(total, hits.shape[1], axis=1)
    if not groups:
        return out
    labels = np.array([groups.get(s, "") for s in states])
    for g in set(labels) - {""}:
        cols = labels == g
        num = hits[:, cols].sum(axis=1, keepdims=True)
        den = voted[:, cols].sum(axis=1, keepdims=True)
        out[:, cols] = np.where(den > 0, num / np.maximum(den, 1.0), total)
    return out


def _group_mean(
    mat: FloatArray, states: Sequence[str], groups: Mapping[str, str] | None
) -> FloatArray:
    """Each state's regional group's average of ``mat`` (everyone's average without a group)."""
    out = np.repeat(mat.mean(axis=1, keepdims=True), mat.shape[1], axis=1)
    if not groups:
        return out
    labels = np.array([groups.get(s, "") for s in states])
    for g in set(labels) - {""}:
        cols = labels == g
        out[:, cols] = mat[:, cols].mean(axis=1, keepdims=True)
    return out


def _position_features(
    mats: dict[str, FloatArray],
    hist: VoteHistory,
    fit: IdealPointFit | None,
    weights: FloatArray,
    win: npt.NDArray[np.bool_],
    session: int,
    latest: npt.NDArray[np.int64],
) -> None:
    """Ideal point, its trend, and the vote implied for it by the parameters of the similar
    roll calls and of the same text last time."""
    n_s, n_t = len(hist.states), len(latest)
    x = np.zeros(n_s)
    trend = np.zeros(n_s)
    probs = np.zeros((3, n_t, n_s))
    probs[2] = 1.0
    same_probs = probs.copy()
    if fit is not None:
        pos = fit.positions[fit.positions["session"] < session]
        last = pos.sort_values("session").groupby("iso3")
        newest = last["ideal_point"].last()
        first = pos[pos["session"] >= session - 3].sort_values("session").groupby("iso3")
        x = newest.reindex(hist.states).fillna(0.0).to_numpy(dtype=float)
        early = first["ideal_point"].first().reindex(hist.states)
        trend = (newest.reindex(hist.states) - early).fillna(0.0).to_numpy(dtype=float)
        rc = fit.roll_calls.set_index("roll_call_id")
        ids = hist.calls.loc[win, "roll_call_id"]
        params = rc.reindex(ids)[["discrimination", "cut_no", "cut_abstain"]].to_numpy(dtype=float)
        ok = ~np.isnan(params).any(axis=1)
        params = np.nan_to_num(params)
        w = weights * ok[None, :]
        wsum = w.sum(axis=1)
        eta = params[:, 0:1] * x[None, :]  # window roll calls x states
        f1 = 1 / (1 + np.exp(-(params[:, 1:2] - eta)))
        f2 = 1 / (1 + np.exp(-(params[:, 2:3] - eta)))
        for k, p in enumerate((f1, np.clip(f2 - f1, 0, 1), 1 - f2)):
            probs[k] = (w @ p) / np.maximum(wsum, 1e-12)[:, None]
        probs[2, wsum == 0, :] = 1.0
        same_ids = hist.calls["roll_call_id"].to_numpy()[np.maximum(latest, 0)]
        prev = rc.reindex(same_ids)[["discrimination", "cut_no", "cut_abstain"]].to_numpy(
            dtype=float
        )
        ok = (latest >= 0) & ~np.isnan(prev).any(axis=1)
        same_probs = probs.copy()
        if ok.any():
            eta = prev[ok, 0:1] * x[None, :]
            f1 = 1 / (1 + np.exp(-(prev[ok, 1:2] - eta)))
            f2 = 1 / (1 + np.exp(-(prev[ok, 2:3] - eta)))
            same_probs[0, ok], same_probs[1, ok] = f1, np.clip(f2 - f1, 0, 1)
            same_probs[2, ok] = 1 - f2
    mats["position"] = np.repeat(x[None, :], n_t, axis=0)
    mats["trend"] = np.repeat(trend[None, :], n_t, axis=0)
    for k, label in enumerate(LABELS):
        mats[f"irt_{label}"] = probs[k]
        mats[f"same_irt_{label}"] = same_probs[k]


def _participation(
    mats: dict[str, FloatArray],
    hist: VoteHistory,
    recent: npt.NDArray[np.bool_],
    latest: npt.NDArray[np.int64],
) -> None:
    """A state's recent rate of absence (among roll calls of sessions it was a member of) and
    whether it was absent from the same text last time."""
    n_t, n_s = len(latest), len(hist.states)
    if hist.absent.shape != hist.votes.shape:
        mats["rate_absent"] = np.zeros((n_t, n_s))
        mats["same_absent"] = np.zeros((n_t, n_s))
        return
    absent = hist.absent[recent]
    member = absent | (hist.votes[recent] >= 0)
    rate = (absent.sum(axis=0) + 0.05) / (member.sum(axis=0) + 1.0)
    mats["rate_absent"] = np.repeat(rate[None, :], n_t, axis=0)
    prev = np.zeros((n_t, n_s))
    has = latest >= 0
    prev[has] = hist.absent[latest[has]].astype(float)
    mats["same_absent"] = prev


def _sponsor_features(
    mats: dict[str, FloatArray],
    hist: VoteHistory,
    targets: pd.DataFrame,
    groups: Mapping[str, str] | None,
) -> None:
    """Whether the state sponsors the text, and whether a state of its regional group does."""
    n_t, n_s = len(targets), len(hist.states)
    sponsor = np.zeros((n_t, n_s))
    column = {s: i for i, s in enumerate(hist.states)}
    lists = targets["sponsors"] if "sponsors" in targets else pd.Series([frozenset()] * n_t)
    for t, names in enumerate(lists):
        for iso3 in names or ():
            if iso3 in column:
                sponsor[t, column[iso3]] = 1.0
    mats["sponsor"] = sponsor
    labels = np.array([(groups or {}).get(s, "") for s in hist.states])
    group = np.zeros((n_t, n_s))
    for g in set(labels) - {""}:
        cols = labels == g
        group[:, cols] = sponsor[:, cols].max(axis=1, keepdims=True)
    mats["group_sponsor"] = group
