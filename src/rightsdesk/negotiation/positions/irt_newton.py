"""The numerical core of the ideal-point fit: vote-level likelihood terms and the two block
Newton steps (roll-call parameters, then positions), vectorised over all votes at once.

Why it is written this way (it is the hot loop of ``rightsdesk negotiation positions``):

- Votes are sorted by outcome (no, abstain, yes) and, within an outcome, by roll call. The
  outcome slices mean each vote only computes the terms its outcome has (a "yes" never needs
  the lower cutpoint); the roll-call order turns every per-roll-call sum into a contiguous
  ``np.add.reduceat``, about three times faster than ``np.bincount`` on 870,000 votes.
- One evaluation (``evaluate``) gives the log-likelihood *and* its derivatives at a point:
  the trial point of one Newton step is the starting point of the next block's step, so a
  pass costs two evaluations instead of the seven of a separate objective/derivative design.
- ``log(sigmoid(u))`` is taken from the ``tanh`` already computed for the derivatives, with
  the exact asymptote ``u`` where ``tanh`` loses precision (``u < -20``); ``np.logaddexp``
  cost a third of the old fit's time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy.linalg import solve_banded

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

_FAR = 20.0  # beyond this |u|, log sigmoid(u) is u (or 0) to within 2e-9


@dataclass
class Design:
    """Integer-coded votes: who (state-session), what (roll call), how (0/1/2), sorted by
    outcome then roll call."""

    y: IntArray
    unit: IntArray  # state-session index
    item: IntArray  # roll call index
    units: pd.DataFrame  # iso3, session (sorted by iso3 then session)
    items: pd.DataFrame  # roll_call_id, session
    chain: IntArray  # state index of each state-session (units of one state are contiguous)
    year_of_session: dict[int, int]
    n0: int = 0  # end of the "no" votes
    n1: int = 0  # end of the "abstain" votes
    tied: npt.NDArray[np.bool_] | None = None  # roll calls without an abstention
    _segments: dict[tuple[int, int], tuple[IntArray, IntArray]] | None = None

    def __post_init__(self) -> None:
        self.n0 = int(np.searchsorted(self.y, 1))
        self.n1 = int(np.searchsorted(self.y, 2))
        self._segments = {}
        abstained = np.bincount(self.item[self.n0 : self.n1], minlength=len(self.items))
        self.tied = abstained == 0

    @property
    def bounds(self) -> tuple[int, int]:
        """End of the "no" votes and end of the "abstain" votes (``y`` is sorted)."""
        return self.n0, self.n1

    def item_sum(self, weights: FloatArray, lo: int = 0, hi: int | None = None) -> FloatArray:
        """Per-roll-call sums of ``weights`` (the votes ``lo:hi``, which must be whole
        outcome slices, so each run of one roll call is contiguous)."""
        hi = len(self.y) if hi is None else hi
        n_j = len(self.items)
        if hi <= lo:
            return np.zeros(n_j)
        starts, owners = self._runs(lo, hi)
        sums = np.add.reduceat(weights, starts)
        out: FloatArray = np.bincount(owners, weights=sums, minlength=n_j).astype(np.float64)
        return out

    def _runs(self, lo: int, hi: int) -> tuple[IntArray, IntArray]:
        assert self._segments is not None
        key = (lo, hi)
        if key not in self._segments:
            item = self.item[lo:hi]
            cut = np.r_[0, self.n0, self.n1, len(self.y)] - lo
            new = np.r_[True, item[1:] != item[:-1]]
            for c in cut:
                if 0 < c < len(item):
                    new[c] = True
            starts = np.flatnonzero(new).astype(np.int64)
            self._segments[key] = (starts, item[starts])
        return self._segments[key]


@dataclass
class Point:
    """Log-likelihood of every vote and its derivatives with respect to ``u_k = c_k - eta``
    at one parameter point. ``g1``/``h11`` cover the votes ``:n1`` (no, abstain), ``g2``/
    ``h22`` the votes ``n0:`` (abstain, yes), ``h12`` the abstentions."""

    ll: FloatArray
    g1: FloatArray
    g2: FloatArray
    h11: FloatArray
    h22: FloatArray
    h12: FloatArray
    xv: FloatArray  # position of the voter of each vote
    bj: FloatArray  # discrimination of the roll call of each vote

    def assign(
        self,
        d: Design,
        idx: IntArray,
        terms: tuple[FloatArray, FloatArray, FloatArray, FloatArray, FloatArray, FloatArray],
        bj: FloatArray,
    ) -> None:
        """Overwrite the terms of the votes ``idx`` (from ``_terms``) and their roll calls'
        discriminations."""
        n0, n1 = d.bounds
        ll, g1, g2, h11, h22, h12 = terms
        self.ll[idx] = ll
        self.bj[idx] = bj
        lo, hi = idx < n1, idx >= n0
        self.g1[idx[lo]] = g1[lo]
        self.h11[idx[lo]] = h11[lo]
        self.g2[idx[hi] - n0] = g2[hi]
        self.h22[idx[hi] - n0] = h22[hi]
        both = lo & hi
        self.h12[idx[both] - n0] = h12[both]

    def total_gradient(self, d: Design) -> tuple[FloatArray, FloatArray]:
        """Per vote: d ll / d eta (``-(g1 + g2)``) and minus its second derivative."""
        n0, n1 = d.bounds
        ga = np.empty(len(self.ll))
        hs = np.empty(len(self.ll))
        ga[:n0] = self.g1[:n0]
        ga[n0:n1] = self.g1[n0:] + self.g2[: n1 - n0]
        ga[n1:] = self.g2[n1 - n0 :]
        hs[:n0] = self.h11[:n0]
        hs[n0:n1] = self.h11[n0:] + 2 * self.h12 + self.h22[: n1 - n0]
        hs[n1:] = self.h22[n1 - n0 :]
        return -ga, -hs


def _sigmoid(z: FloatArray) -> FloatArray:
    out: FloatArray = 0.5 * (1.0 + np.tanh(0.5 * z))
    return out


def evaluate(d: Design, x: FloatArray, b: FloatArray, c1: FloatArray, c2: FloatArray) -> Point:
    """Likelihood terms of every vote at positions ``x`` and roll-call parameters."""
    n0, n1 = d.bounds
    n = len(d.y)
    xv = x[d.unit]
    bj = b[d.item]
    eta = bj * xv
    u1 = c1[d.item[:n1]] - eta[:n1]
    u2 = c2[d.item[n0:]] - eta[n0:]
    ll = np.empty(n)
    with np.errstate(divide="ignore"):
        f = _sigmoid(u1[:n0])
        ll[:n0] = np.where(u1[:n0] < -_FAR, u1[:n0], np.log(np.maximum(f, 1e-300)))
        g1_no = 1.0 - f
        h11_no = -f * g1_no
        f = _sigmoid(u2[n1 - n0 :])
        tail = 1.0 - f
        uy = u2[n1 - n0 :]
        ll[n1:] = np.where(uy > _FAR, -uy, np.log(np.maximum(tail, 1e-300)))
        g2_yes = -f
        h22_yes = -f * tail
        f1, f2 = _sigmoid(u1[n0:]), _sigmoid(u2[: n1 - n0])
        ll[n0:n1] = np.log(np.maximum(f2 - f1, 1e-300))
    diff = np.maximum(f2 - f1, 1e-12)
    r1, r2 = f1 * (1 - f1) / diff, f2 * (1 - f2) / diff
    return Point(
        ll=ll,
        g1=np.concatenate([g1_no, -r1]),
        g2=np.concatenate([r2, g2_yes]),
        h11=np.concatenate([h11_no, -r1 * (1 - 2 * f1) - r1 * r1]),
        h22=np.concatenate([r2 * (1 - 2 * f2) - r2 * r2, h22_yes]),
        h12=r1 * r2,
        xv=xv,
        bj=bj,
    )


@dataclass
class Prior:
    """Tridiagonal prior precision of the positions: diagonal and links s -> next session."""

    diag: FloatArray
    link: FloatArray

    def times(self, x: FloatArray) -> FloatArray:
        """Q x."""
        qx = self.diag * x
        qx[:-1] -= self.link * x[1:]
        qx[1:] -= self.link * x[:-1]
        return qx


@dataclass(frozen=True)
class Precisions:
    """Prior precisions of the roll-call parameters (cutpoints, discrimination)."""

    c: float
    b: float


def roll_call_objective(
    d: Design, p: Point, b: FloatArray, c1: FloatArray, c2: FloatArray, prec: Precisions
) -> FloatArray:
    """Log-posterior of each roll call's parameters at the point ``p`` was evaluated at."""
    out = d.item_sum(p.ll)
    out -= 0.5 * (c1**2 + c2**2) * prec.c + 0.5 * b**2 * prec.b
    return out


def position_objective(d: Design, p: Point, x: FloatArray, q: Prior) -> FloatArray:
    """Log-posterior per state (its chain of positions) at the point ``p`` was evaluated at."""
    per_unit = np.bincount(d.unit, weights=p.ll, minlength=len(x)) - 0.5 * x * q.times(x)
    out: FloatArray = np.bincount(d.chain, weights=per_unit).astype(np.float64)
    return out


def step_roll_calls(
    d: Design,
    p: Point,
    x: FloatArray,
    theta: tuple[FloatArray, FloatArray, FloatArray],
    prec: Precisions,
) -> tuple[tuple[FloatArray, FloatArray, FloatArray], Point]:
    """One Newton step on every roll call's (c1, c2, b) at once (3x3 systems, batched),
    shortened for the roll calls whose posterior would fall (so the fit never oscillates).

    ``p`` is the evaluation at (x, theta); returns the new parameters and the evaluation
    there, which the position step starts from."""
    c1, c2, b = theta
    n0, n1 = d.bounds
    n_j = len(b)
    xv = p.xv
    x_lo, x_hi = xv[:n1], xv[n0:]
    ga, hs = p.total_gradient(d)
    grad = np.stack([d.item_sum(p.g1, 0, n1), d.item_sum(p.g2, n0), d.item_sum(ga * xv)], axis=1)
    hess = np.empty((n_j, 3, 3))
    hess[:, 0, 0] = d.item_sum(p.h11, 0, n1)
    hess[:, 1, 1] = d.item_sum(p.h22, n0)
    hess[:, 0, 1] = hess[:, 1, 0] = d.item_sum(p.h12, n0, n1)
    h12_lo = np.zeros(n1)
    h12_lo[n0:] = p.h12
    h12_hi = np.zeros(len(d.y) - n0)
    h12_hi[: n1 - n0] = p.h12
    hess[:, 0, 2] = hess[:, 2, 0] = -d.item_sum((p.h11 + h12_lo) * x_lo, 0, n1)
    hess[:, 1, 2] = hess[:, 2, 1] = -d.item_sum((p.h22 + h12_hi) * x_hi, n0)
    hess[:, 2, 2] = -d.item_sum(hs * xv * xv)
    old = np.stack([c1, c2, b], axis=1)
    grad -= old * np.array([prec.c, prec.c, prec.b])
    hess -= np.diag([prec.c, prec.c, prec.b])
    _tie_cutpoints(d, grad, hess)
    step = np.clip(np.linalg.solve(-hess, grad[:, :, None])[:, :, 0], -1.0, 1.0)
    if d.tied is not None:
        step[d.tied, 1] = step[d.tied, 0]  # c2 moves with c1
    before = roll_call_objective(d, p, b, c1, c2, prec)
    slack = 1e-9 * (1.0 + np.abs(before))  # rounding noise is not a worse step
    new = old + step
    nc1, nb = new[:, 0], new[:, 2]
    nc2 = np.maximum(new[:, 1], nc1 + 1e-3)
    q = evaluate(d, x, nb, nc1, nc2)
    worse = roll_call_objective(d, q, nb, nc1, nc2, prec) < before - slack
    if not worse.any():
        return (nc1, nc2, nb), q
    # A few roll calls overshoot: shorten their steps, re-evaluating only their votes.
    idx = np.flatnonzero(worse[d.item])
    scale = np.ones(n_j)
    for attempt in range(2):
        scale[worse] = 0.25 * scale[worse] if attempt == 0 else 0.0  # last: stay put
        new = old + step * scale[:, None]
        nc1, nb = new[:, 0], new[:, 2]
        nc2 = np.maximum(new[:, 1], nc1 + 1e-3)
        sub = _terms(
            d.y[idx],
            nc1[d.item[idx]] - nb[d.item[idx]] * p.xv[idx],
            nc2[d.item[idx]] - nb[d.item[idx]] * p.xv[idx],
        )
        after = np.bincount(d.item[idx], weights=sub[0], minlength=n_j)
        after -= 0.5 * (nc1**2 + nc2**2) * prec.c + 0.5 * nb**2 * prec.b
        worse = worse & (after < before - slack)
        if not worse.any():
            break
    q.assign(d, idx, sub, nb[d.item[idx]])
    return (nc1, nc2, nb), q


def _terms(
    y: IntArray, u1: FloatArray, u2: FloatArray
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray, FloatArray, FloatArray]:
    """(ll, g1, g2, h11, h22, h12) of a few votes of any outcomes (the slow, general form of
    ``evaluate``, for re-evaluating the votes of shortened steps)."""
    f1, f2 = _sigmoid(u1), _sigmoid(u2)
    no, yes = y == 0, y == 2
    mid = ~(no | yes)
    with np.errstate(divide="ignore"):
        ll = np.where(
            no,
            np.where(u1 < -_FAR, u1, np.log(np.maximum(f1, 1e-300))),
            np.where(
                yes,
                np.where(u2 > _FAR, -u2, np.log(np.maximum(1 - f2, 1e-300))),
                np.log(np.maximum(f2 - f1, 1e-300)),
            ),
        )
    diff = np.maximum(f2 - f1, 1e-12)
    r1, r2 = f1 * (1 - f1) / diff, f2 * (1 - f2) / diff
    g1 = np.where(no, 1 - f1, np.where(mid, -r1, 0.0))
    g2 = np.where(yes, -f2, np.where(mid, r2, 0.0))
    h11 = np.where(no, -f1 * (1 - f1), np.where(mid, -r1 * (1 - 2 * f1) - r1 * r1, 0.0))
    h22 = np.where(yes, -f2 * (1 - f2), np.where(mid, r2 * (1 - 2 * f2) - r2 * r2, 0.0))
    h12 = np.where(mid, r1 * r2, 0.0)
    return ll, g1, g2, h11, h22, h12


def _tie_cutpoints(d: Design, grad: FloatArray, hess: FloatArray) -> None:
    """Newton systems of roll calls without an abstention, in place, rewritten for
    ``c2 = c1 + gap`` with the gap held (it sits at its floor: with no abstention to explain,
    the likelihood always gains from closing it). Without this the free step opens the gap,
    the floor clips it back, the step is refused, and the roll call never moves: the fit
    then spends every pass re-evaluating the refusals."""
    t = d.tied
    if t is None or not t.any():
        return
    g, h = grad[t], hess[t]
    gc = g[:, 0] + g[:, 1]
    hcc = h[:, 0, 0] + 2 * h[:, 0, 1] + h[:, 1, 1]
    hcb = h[:, 0, 2] + h[:, 1, 2]
    new_g = np.stack([gc, np.zeros_like(gc), g[:, 2]], axis=1)
    new_h = np.zeros_like(h)
    new_h[:, 0, 0] = hcc
    new_h[:, 1, 1] = -1.0  # the gap: a dummy coordinate with no gradient
    new_h[:, 0, 2] = new_h[:, 2, 0] = hcb
    new_h[:, 2, 2] = h[:, 2, 2]
    grad[t] = new_g
    hess[t] = new_h


def step_positions(
    d: Design, p: Point, x: FloatArray, theta: tuple[FloatArray, FloatArray, FloatArray], q: Prior
) -> tuple[FloatArray, Point, float, FloatArray]:
    """One Newton step on all positions: a tridiagonal (banded) solve over the state chains,
    shortened for the states whose posterior would fall.

    Returns the new positions, the evaluation there, the log-posterior and the posterior
    precision diagonal (for standard errors)."""
    c1, c2, b = theta
    n_u = len(x)
    ga, hs = p.total_gradient(d)
    grad = np.bincount(d.unit, weights=ga * p.bj, minlength=n_u)
    curv = np.bincount(d.unit, weights=hs * p.bj * p.bj, minlength=n_u)
    before = position_objective(d, p, x, q)
    diag = curv + q.diag
    bands = np.zeros((3, n_u))
    bands[0, 1:] = -q.link
    bands[1] = diag
    bands[2, :-1] = -q.link
    step = np.clip(solve_banded((1, 1), bands, grad - q.times(x)), -1.0, 1.0)
    slack = 1e-9 * (1.0 + np.abs(before))
    scale = np.ones(len(before))
    for attempt in range(4):
        new = x + step * scale[d.chain]
        pn = evaluate(d, new, b, c1, c2)
        after = position_objective(d, pn, new, q)
        worse = after < before - slack
        if not worse.any():
            return new, pn, float(after.sum()), diag
        scale[worse] = 0.25 * scale[worse] if attempt < 2 else 0.0  # last: stay put
    return new, pn, float(after.sum()), diag


def position_precision(d: Design, p: Point, q: Prior) -> FloatArray:
    """Diagonal of the positions' posterior precision at ``p`` (the Laplace approximation's
    standard errors read it; the off-diagonal is the prior's)."""
    _, hs = p.total_gradient(d)
    curv = np.bincount(d.unit, weights=hs * p.bj * p.bj, minlength=len(q.diag))
    out: FloatArray = curv + q.diag
    return out


Theta = tuple[FloatArray, FloatArray, FloatArray]


@dataclass
class State:
    """Positions, roll-call parameters (c1, c2, b), the evaluation there, log-posterior."""

    x: FloatArray
    theta: Theta
    point: Point
    logpost: float = -np.inf


@dataclass(frozen=True)
class Stopping:
    """When the ascent stops (see ``FitOptions``)."""

    max_iter: int
    tol: float
    rel_tol: float


def _pass(d: Design, s: State, prior: Prior, prec: Precisions) -> State:
    """One block-ascent pass: roll calls, then positions."""
    theta, point = step_roll_calls(d, s.point, s.x, s.theta, prec)
    x, point, logpost, _ = step_positions(d, point, s.x, theta, prior)
    c1, c2, b = theta
    logpost -= 0.5 * prec.c * float(c1 @ c1 + c2 @ c2) + 0.5 * prec.b * float(b @ b)
    return State(x, theta, point, logpost)


def ascend(
    d: Design,
    start: State,
    prior: Prior,
    prec: Precisions,
    stop: Stopping,
    between: Callable[[State], State] | None = None,
) -> tuple[State, int, bool]:
    """Block Newton ascent to the posterior mode. Returns the final state, the passes made
    and whether it met the stopping rule (a pass moving no position more than ``tol``, or
    gaining less than ``rel_tol`` of the log-posterior).

    (SQUAREM extrapolation between passes was tried: on the General Assembly votes it
    stopped at a lower posterior than plain passes, so it is not used.)"""
    s = start
    for passes in range(1, stop.max_iter + 1):
        new = _pass(d, s, prior, prec)
        if between is not None:
            new = between(new)
        moved = float(np.max(np.abs(new.x - s.x))) if len(new.x) else 0.0
        gain = new.logpost - s.logpost
        s = new
        if moved < stop.tol or gain < stop.rel_tol * abs(new.logpost):
            return s, passes, True
    return s, stop.max_iter, False
