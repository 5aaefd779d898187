"""State positions: one-dimensional ideal points per state and session from roll-call votes.

Why this model: a vote is an ordered choice (no < abstain < yes), so we fit an ordinal-logit
item response model, ``P(vote <= k) = sigmoid(c_jk - b_j * x_it)``, with two cutpoints and a
discrimination per roll call ``j`` and a position ``x_it`` per state ``i`` and session ``t``.
Positions follow a random walk across sessions (``x_it ~ N(x_i,t-1, omega^2)``), which is what
makes session 30 comparable with session 70 even though no roll call is repeated verbatim.

Why this fitting method: the joint posterior mode is found by block Newton steps (all roll-call
parameters at once, then all positions at once, solved as one banded system), fully vectorised
(``irt_newton``: one fused evaluation of likelihood and derivatives per block, contiguous
per-roll-call sums). The log-likelihood is concave in each block; between passes a gauge
step (``gauge``) moves all positions to the shift and scale the priors prefer, which the
block steps only creep towards. All ~870,000 General Assembly votes take some 22 passes and
about 6 s of CPU (77 passes and 15 s without the gauge step, 38 s before the fused passes),
agreeing with the fully converged mode to r = 0.9997, where MCMC would take hours; the fit
is saved per data version (``model_store``) and a refit after an import starts from the
latest one. Standard errors come from the Laplace
approximation (the inverse of the positions' posterior precision, with roll-call parameters
held at their estimates; like emIRT's, they understate the uncertainty a little).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy.sparse import csr_matrix
from scipy.sparse.linalg import svds

from rightsdesk.core.errors import InputError
from rightsdesk.negotiation.positions.gauge import rescale
from rightsdesk.negotiation.positions.irt_newton import (
    Design,
    Precisions,
    Prior,
    State,
    Stopping,
    ascend,
    evaluate,
    position_precision,
)

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

#: Vote labels in model order: the ordinal categories 0 < 1 < 2.
VOTE_CODES: dict[str, int] = {"no": 0, "abstain": 1, "yes": 2}
LABELS: tuple[str, str, str] = ("no", "abstain", "yes")
POSITION_COLUMNS = ["iso3", "session", "year", "ideal_point", "se"]


@dataclass(frozen=True)
class FitOptions:
    """Priors and stopping rule. Defaults suit UN votes; tests may tighten them."""

    omega: float = 0.15  # random-walk step of a position between consecutive sessions
    prior_sd_x: float = 1.0  # prior on every position (fixes the scale)
    prior_sd_b: float = 3.0  # prior on discriminations
    prior_sd_c: float = 6.0  # prior on cutpoints (keeps unanimous roll calls finite)
    max_iter: int = 100
    tol: float = 1e-3  # stop when no position moves more than this...
    rel_tol: float = 1e-5  # ...or the log-posterior gains less than this fraction per pass
    anchor: str = "USA"  # this state's position is made positive (the orientation)
    gauge: bool = True  # rescale positions between passes (``gauge``: same fit, fewer passes)


@dataclass
class IdealPointFit:
    """A fitted model: positions per state-session and parameters per roll call."""

    positions: pd.DataFrame  # iso3, session, year, ideal_point, se
    roll_calls: pd.DataFrame  # roll_call_id, session, discrimination, cut_no, cut_abstain
    iterations: int
    converged: bool
    loglik: float
    _index: dict[tuple[str, int], int] = field(default_factory=dict, repr=False)

    def position_of(self, iso3: str, session: int) -> float | None:
        """Position of a state in a session, or its latest earlier one (None if never seen)."""
        rows = self.positions[(self.positions.iso3 == iso3) & (self.positions.session <= session)]
        if rows.empty:
            return None
        return float(rows.sort_values("session").ideal_point.iloc[-1])

    def predict_proba(self, frame: pd.DataFrame) -> FloatArray:
        """P(no), P(abstain), P(yes) for rows (iso3, roll_call_id) of ``frame``.

        Rows whose state-session or roll call was not fitted get NaN, so callers can tell a
        prediction from a guess.
        """
        pos = self.positions.set_index(["iso3", "session"])["ideal_point"]
        rc = self.roll_calls.set_index("roll_call_id")
        ses = rc["session"].reindex(frame["roll_call_id"]).to_numpy()
        keys = pd.MultiIndex.from_arrays([frame["iso3"].to_numpy(), ses])
        x = pos.reindex(keys).to_numpy(dtype=float)
        b = rc["discrimination"].reindex(frame["roll_call_id"]).to_numpy(dtype=float)
        c1 = rc["cut_no"].reindex(frame["roll_call_id"]).to_numpy(dtype=float)
        c2 = rc["cut_abstain"].reindex(frame["roll_call_id"]).to_numpy(dtype=float)
        return ordinal_probabilities(b * x, c1, c2)


def _sigmoid(z: FloatArray) -> FloatArray:
    out: FloatArray = 0.5 * (1.0 + np.tanh(0.5 * z))
    return out


def ordinal_probabilities(eta: FloatArray, c1: FloatArray, c2: FloatArray) -> FloatArray:
    """Columns P(no), P(abstain), P(yes) of the ordinal logit with cutpoints c1 <= c2."""
    f1 = _sigmoid(c1 - eta)
    f2 = _sigmoid(c2 - eta)
    return np.column_stack([f1, np.clip(f2 - f1, 0.0, 1.0), 1.0 - f2])


def _design(frame: pd.DataFrame) -> Design:
    """Integer codes of the votes. Built from factorised columns and integer keys (not
    pandas multi-indexes of strings), which took most of a second on the 870,000 General
    Assembly votes."""
    need = {"roll_call_id", "iso3", "vote", "session"}
    missing = need - set(frame.columns)
    if missing:
        raise InputError(f"vote frame lacks column(s): {', '.join(sorted(missing))}")
    vote_codes, vote_names = pd.factorize(frame["vote"])
    lut = np.array([VOTE_CODES.get(str(v), -1) for v in vote_names] + [-1], dtype=np.int64)
    y_all = lut[vote_codes]  # a missing vote (code -1) reads the last entry: not a vote
    keep = (y_all >= 0) & frame["iso3"].notna().to_numpy()
    if not keep.any():
        raise InputError("no yes/no/abstain votes to fit positions on")
    codes = y_all[keep]
    state_codes, state_names = pd.factorize(frame["iso3"] if keep.all() else frame["iso3"][keep])
    rank = np.argsort(np.argsort(np.asarray(state_names, dtype=str), kind="stable"))
    state = rank[state_codes].astype(np.int64)
    states = np.sort(np.asarray(state_names, dtype=str)).astype(object)
    sess = frame["session"].to_numpy(dtype=np.int64)[keep]
    base = int(sess.max()) + 1
    unit_keys, unit = np.unique(state * base + sess, return_inverse=True)
    units = pd.DataFrame({"iso3": states[unit_keys // base], "session": unit_keys % base})
    ids = frame["roll_call_id"].to_numpy(dtype=np.int64)[keep]
    item_ids, first, item = np.unique(ids, return_index=True, return_inverse=True)
    items = pd.DataFrame({"roll_call_id": item_ids, "session": sess[first]})
    if "year" in frame.columns:
        years = pd.Series(frame["year"].to_numpy()[keep]).groupby(sess).min()
    else:
        years = pd.Series(np.unique(sess), index=np.unique(sess))
    # votes grouped by kind (slices, not masks), each kind by roll call (contiguous sums)
    order = np.lexsort((item, codes))
    return Design(
        y=codes[order].astype(np.int64),
        unit=unit.astype(np.int64)[order],
        item=item.astype(np.int64)[order],
        units=units,
        items=items,
        chain=_chain(unit_keys // base),
        year_of_session={int(str(k)): int(v) for k, v in years.items()},
    )


def _chain(state_of_unit: IntArray) -> IntArray:
    """0, 1, 2, ... per state, in the order of the (sorted) units."""
    out: IntArray = np.unique(state_of_unit, return_inverse=True)[1].astype(np.int64)
    return out


def _initial_positions(d: Design, n_units: int) -> FloatArray:
    """Leading principal component of the state x roll-call matrix (yes=1, abstain=0, no=-1).

    A good start matters: it puts the first Newton passes in the right basin, so the fit
    converges in a few dozen passes instead of hundreds.
    """
    states, state_of_unit = np.unique(d.units["iso3"].to_numpy(), return_inverse=True)
    score = d.y.astype(float) - 1.0
    counts = np.bincount(d.item, minlength=len(d.items)).astype(float)
    means = np.bincount(d.item, weights=score, minlength=len(d.items)) / np.maximum(counts, 1)
    rows = state_of_unit[d.unit]
    mat = csr_matrix((score - means[d.item], (rows, d.item)), shape=(len(states), len(d.items)))
    if min(mat.shape) < 2:
        return np.zeros(n_units)
    try:
        u, _, _ = svds(mat.astype(np.float64), k=1, random_state=0)
        x_state = u[:, 0] * np.sqrt(len(states))
    except (ValueError, np.linalg.LinAlgError):
        x_state = np.zeros(len(states))
    x_state = np.clip(x_state, -3, 3)
    out: FloatArray = x_state[state_of_unit].astype(float)
    return out


def _chain_precision(units: pd.DataFrame, opts: FitOptions) -> Prior:
    """Prior precision of positions: diagonal and the super-diagonal linking s to the next.

    Units are sorted by state then session, so each state's chain is contiguous and the whole
    prior is one tridiagonal matrix.
    """
    iso = units["iso3"].to_numpy()
    ses = units["session"].to_numpy(dtype=float)
    same = iso[1:] == iso[:-1]
    gap = np.where(same, np.maximum(ses[1:] - ses[:-1], 1.0), np.inf)
    link = np.where(same, 1.0 / (opts.omega**2 * gap), 0.0)
    diag = np.full(len(units), 1.0 / opts.prior_sd_x**2)
    diag[:-1] += link
    diag[1:] += link
    return Prior(diag, link)


def fit_ideal_points(
    frame: pd.DataFrame,
    options: FitOptions | None = None,
    start: IdealPointFit | None = None,
) -> IdealPointFit:
    """Fit positions on a vote frame (columns roll_call_id, iso3, vote, session[, year]).

    ``start`` warm-starts from an earlier fit (e.g. on fewer sessions), which the rolling
    backtest uses to refit once per session cheaply.
    """
    opts = options or FitOptions()
    d = _design(frame)
    n_u, n_j = len(d.units), len(d.items)
    x = _initial_positions(d, n_u)
    if start is not None:
        old = start.positions.set_index(["iso3", "session"])["ideal_point"]
        warm = pd.Series(old.reindex(pd.MultiIndex.from_frame(d.units)).to_numpy(dtype=float))
        # A new session starts where the state last stood (the random walk's mean), not at
        # the principal component, whose sign and scale are not the saved fit's.
        by_state = warm.groupby(d.units["iso3"].to_numpy())
        warm = warm.fillna(by_state.ffill()).fillna(by_state.bfill())
        x = np.where(np.isnan(warm.to_numpy()), x, warm.to_numpy())
    # Cutpoints from the marginal shares of each roll call; discrimination starts at zero.
    counts = np.stack([np.bincount(d.item[d.y == k], minlength=n_j) for k in range(3)], axis=1)
    shares = (counts + 0.5) / (counts.sum(axis=1, keepdims=True) + 1.5)
    c1 = np.log(shares[:, 0] / (1 - shares[:, 0]))
    cum = np.clip(shares[:, 0] + shares[:, 1], 1e-3, 1 - 1e-3)
    c2 = np.maximum(np.log(cum / (1 - cum)), c1 + 1e-3)
    c2[counts[:, 1] == 0] = c1[counts[:, 1] == 0] + 1e-3  # no abstention: no abstain band
    b = np.zeros(n_j)
    if start is not None:
        rc = start.roll_calls.set_index("roll_call_id")
        ids = d.items["roll_call_id"]
        for name, arr in (("discrimination", b), ("cut_no", c1), ("cut_abstain", c2)):
            vals = rc[name].reindex(ids).to_numpy(dtype=float)
            arr[:] = np.where(np.isnan(vals), arr, vals)
    prior = _chain_precision(d.units, opts)
    prec = Precisions(c=1 / opts.prior_sd_c**2, b=1 / opts.prior_sd_b**2)
    start_state = State(x, (c1, c2, b), evaluate(d, x, b, c1, c2))
    stop = Stopping(opts.max_iter, opts.tol, opts.rel_tol)
    between = (lambda s: rescale(d, s, prior, prec)) if opts.gauge else None
    final, iterations, converged = ascend(d, start_state, prior, prec, stop, between)
    x, theta, point, logpost = final.x, final.theta, final.point, final.logpost
    c1, c2, b = theta
    precision = position_precision(d, point, prior)
    se = _chain_se(precision, prior.link, d.units)
    sign = _orientation(d.units, x, opts.anchor)
    return IdealPointFit(
        positions=pd.DataFrame(
            {
                "iso3": d.units["iso3"].to_numpy(),
                "session": d.units["session"].to_numpy(dtype=np.int64),
                "year": [d.year_of_session.get(int(s), 0) for s in d.units["session"]],
                "ideal_point": sign * x,
                "se": se,
            }
        ),
        roll_calls=pd.DataFrame(
            {
                "roll_call_id": d.items["roll_call_id"].to_numpy(dtype=np.int64),
                "session": d.items["session"].to_numpy(dtype=np.int64),
                "discrimination": sign * b,
                "cut_no": c1,
                "cut_abstain": c2,
            }
        ),
        iterations=iterations,
        converged=converged,
        loglik=logpost,
    )


def _orientation(units: pd.DataFrame, x: FloatArray, anchor: str) -> float:
    """+1 or -1 so that the anchor state (the United States by default) sits on the right.

    Without an anchor the sign of a one-dimensional model is arbitrary and could flip between
    refits, which would make charts and cached forecasts contradict each other.
    """
    mask = units["iso3"].to_numpy() == anchor
    if not mask.any():
        return 1.0
    return -1.0 if float(np.mean(x[mask])) < 0 else 1.0


def _chain_se(diag: FloatArray, link: FloatArray, units: pd.DataFrame) -> FloatArray:
    """Square roots of the diagonal of the inverse tridiagonal precision, chain by chain."""
    se = np.empty(len(diag))
    iso = units["iso3"].to_numpy()
    starts = np.flatnonzero(np.r_[True, iso[1:] != iso[:-1]])
    ends = np.r_[starts[1:], len(iso)]
    for lo, hi in zip(starts, ends, strict=True):
        n = hi - lo
        mat = np.diag(diag[lo:hi])
        if n > 1:
            off = -link[lo : hi - 1]
            mat[np.arange(n - 1), np.arange(1, n)] = off
            mat[np.arange(1, n), np.arange(n - 1)] = off
        se[lo:hi] = np.sqrt(np.diag(np.linalg.inv(mat)))
    return se


def holdout_split(
    frame: pd.DataFrame, fraction: float = 0.1, seed: int = 0
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Hide a random ``fraction`` of the votes (train, test), for honest prediction checks."""
    rng = np.random.default_rng(seed)
    hide = rng.random(len(frame)) < fraction
    return frame.loc[~hide], frame.loc[hide]


def holdout_accuracy(fit: IdealPointFit, test: pd.DataFrame) -> dict[str, float]:
    """Accuracy of the model's most likely vote on hidden votes, beside "always yes"."""
    probs = fit.predict_proba(test)
    ok = ~np.isnan(probs).any(axis=1)
    truth = test["vote"].map(VOTE_CODES).to_numpy()[ok]
    pred = probs[ok].argmax(axis=1)
    return {
        "n": float(ok.sum()),
        "accuracy": float(np.mean(pred == truth)) if ok.any() else float("nan"),
        "always_yes": float(np.mean(truth == 2)) if ok.any() else float("nan"),
    }
