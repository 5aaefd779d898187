"""Out-of-time evaluation of vote forecasts: train on sessions up to ``s``, predict ``s + 1``.

Why out of time: a forecast is only useful for a session that has not happened. Scoring on
random held-out votes would let the model peek at the same session's other votes and flatter
it. Two baselines sit beside the model because beating them is the point: "always yes" (most
UN votes are yes) and "repeat the state's last vote on the same title, else yes".

Scores come twice: on the votes cast ("participation: voters", no/abstain/yes, as the
published tables count) and on every member including those that did not vote ("members",
with "absent" a fourth outcome), and each table says the model's gain in accuracy over the
better baseline.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, replace

import numpy as np
import numpy.typing as npt
import pandas as pd

from rightsdesk.core.errors import InputError
from rightsdesk.negotiation.positions.features import ForecastOptions, VoteHistory
from rightsdesk.negotiation.positions.forecast import FeatureStore, train_model

METHODS = ("always yes", "repeat last vote", "model")
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Score:
    """The figures of one method on one subset of votes."""

    method: str
    subset: str
    accuracy: float
    macro_f1: float
    recall_no: float
    recall_abstain: float
    n: int
    participation: str = "voters"
    recall_absent: float = float("nan")
    gain: float = float("nan")  # accuracy minus the better baseline's (model rows only)

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def score(
    method: str, subset: str, truth: IntArray, pred: IntArray, participation: str = "voters"
) -> Score:
    """Accuracy, macro-F1 over no/abstain/yes (and absent, code 3, when scored on members),
    recall of no, abstain and absent.

    A class absent from both truth and prediction counts as F1 = 0 in the macro average only if
    it appears in the truth; recall of an absent class is NaN, not a flattering 1.
    """
    truth, pred = np.asarray(truth, dtype=int), np.asarray(pred, dtype=int)
    n = len(truth)
    f1s = []
    recall: dict[int, float] = {}
    for k in range(4 if participation == "members" else 3):
        tp = float(np.sum((truth == k) & (pred == k)))
        actual, predicted = float(np.sum(truth == k)), float(np.sum(pred == k))
        recall[k] = tp / actual if actual else float("nan")
        if actual or predicted:
            f1s.append(2 * tp / (actual + predicted))
    return Score(
        method=method,
        subset=subset,
        accuracy=float(np.mean(truth == pred)) if n else float("nan"),
        macro_f1=float(np.mean(f1s)) if f1s else float("nan"),
        recall_no=recall[0],
        recall_abstain=recall[1],
        n=n,
        participation=participation,
        recall_absent=recall.get(3, float("nan")),
    )


def baseline_predictions(pairs: pd.DataFrame) -> dict[str, IntArray]:
    """The two baselines from a labelled feature frame (``same_*`` hold the last vote)."""
    last = np.full(len(pairs), 2, dtype=int)
    last[pairs["same_no"].to_numpy() > 0] = 0
    last[pairs["same_abstain"].to_numpy() > 0] = 1
    if "same_absent" in pairs:
        last[pairs["same_absent"].to_numpy() > 0] = 3
    return {"always yes": np.full(len(pairs), 2, dtype=int), "repeat last vote": last}


@dataclass
class BacktestResult:
    """Scores per method and subset, and every scored prediction (for deeper looks)."""

    scores: list[Score]
    predictions: pd.DataFrame  # session, roll_call, iso3, y, and one column per method
    sessions: tuple[int, int]

    def table(self, subset: str = "all", participation: str = "voters") -> list[Score]:
        """The scores of one subset, on the votes cast ("voters") or every member."""
        return [s for s in self.scores if s.subset == subset and s.participation == participation]


def backtest(
    frame: pd.DataFrame,
    from_session: int,
    to_session: int | None = None,
    issue: str | None = None,
    groups: Mapping[str, str] | None = None,
    options: ForecastOptions | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> BacktestResult:
    """For each ``s`` in [from_session, to_session - 1]: train on sessions up to ``s``, predict
    ``s + 1``. Scores are pooled over all predicted votes, for all votes and for ``issue``
    ("hr" by default reported too) — training always uses every vote, since a state's line on
    other texts informs its vote on human rights ones.
    """
    opts = options or ForecastOptions()
    hist = VoteHistory.from_frame(frame)
    sessions = hist.sessions()
    last = to_session if to_session is not None else sessions[-1]
    steps = [s for s in sessions if from_session <= s < last]
    if not steps:
        raise InputError(
            f"no session to predict between {from_session} and {last} "
            f"(the data hold sessions {sessions[0]}-{sessions[-1]})",
            field="from_session",
        )
    store = FeatureStore(hist, opts, groups)
    parts = []
    for i, s in enumerate(steps):
        following = [t for t in sessions if t > s]
        if not following:
            break
        nxt = following[0]
        model = train_model(store.training_set(s), opts, (s - opts.train_window + 1, s))
        test = store.session(nxt)
        if test.empty:
            continue
        probs = model.predict_proba(test)
        part = pd.DataFrame(
            {
                "session": nxt,
                "roll_call": test["roll_call"].to_numpy(),
                "iso3": test["iso3"].to_numpy(),
                "y": test["y"].to_numpy(),
                "model": probs.argmax(axis=1),
                "model_voters": probs[:, :3].argmax(axis=1),  # given that the state votes
                "p_no": probs[:, 0],
                "p_abstain": probs[:, 1],
                "p_yes": probs[:, 2],
                "p_absent": probs[:, 3],
            }
        )
        for name, pred in baseline_predictions(test).items():
            part[name] = pred
        parts.append(part)
        if progress is not None:
            progress(i + 1, len(steps))
    if not parts:
        raise InputError("no votes to predict in the chosen sessions", field="from_session")
    preds = pd.concat(parts, ignore_index=True)
    issue_codes = (
        hist.calls["issues"] if "issues" in hist.calls else pd.Series("", index=hist.calls.index)
    )
    subsets = {"all": np.ones(len(preds), dtype=bool)}
    wanted = issue or "hr"
    tagged = issue_codes.fillna("").astype(str).str.split(",").map(lambda c: wanted in c)
    subsets[wanted] = tagged.to_numpy()[preds["roll_call"].to_numpy()]
    if issue:  # only the asked-for issue then
        subsets = {wanted: subsets[wanted]}
    scores = _scores(preds, subsets)
    return BacktestResult(scores=scores, predictions=preds, sessions=(steps[0], last))


def _scores(preds: pd.DataFrame, subsets: dict[str, npt.NDArray[np.bool_]]) -> list[Score]:
    """Each method on each subset, on the votes cast and on every member, with the model's
    gain over the better baseline."""
    voted = (preds["y"] < 3).to_numpy()
    out: list[Score] = []
    for name, mask in subsets.items():
        for who, rows in (("voters", mask & voted), ("members", mask)):
            truth = preds.loc[rows, "y"].to_numpy()
            table = {}
            for m in METHODS:
                column = "model_voters" if m == "model" and who == "voters" else m
                pred = preds.loc[rows, column].to_numpy()
                if who == "voters":  # a baseline may say "absent": its vote is then yes
                    pred = np.where(pred == 3, 2, pred)
                table[m] = score(m, name, truth, pred, who)
            best = max(table[m].accuracy for m in METHODS if m != "model")
            table["model"] = replace(table["model"], gain=table["model"].accuracy - best)
            out.extend(table[m] for m in METHODS)
    return out
