"""The gauge step of the ideal-point fit: the best shift and scale of all positions, taken
between Newton passes at no likelihood cost.

Why: the likelihood sees positions only through ``c_j - b_j * x_it``, so moving every
position to ``a + s * x`` while the roll calls move to ``b / s`` and ``c + a * b / s``
leaves every vote's probability unchanged; only the priors tell these points apart. The
block Newton passes (roll calls, then positions) creep along this flat ridge: on the General
Assembly votes the spread of the positions shrank by about 1 % a pass for a hundred passes,
and the fit needed some 75 passes to agree with the mode to r = 0.999. Solving for the best
(a, s) directly, which needs only a handful of sums (the likelihood is not evaluated), takes
the fit there in about 15 passes.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from scipy.optimize import minimize_scalar

from rightsdesk.negotiation.positions.irt_newton import Design, Precisions, Prior, State

FloatArray = npt.NDArray[np.float64]


def rescale(d: Design, s: State, prior: Prior, prec: Precisions) -> State:
    """``s`` moved along the likelihood's flat shift-and-scale ridge to the point the priors
    prefer: the same vote probabilities, a higher (never lower) log-posterior."""
    x = s.x
    c1, c2, b = s.theta
    ones = np.ones_like(x)
    qx = prior.times(x)
    # The log-prior at (a, scale) is a function of these few sums only.
    q11, q1x, qxx = float(ones @ prior.times(ones)), float(ones @ qx), float(x @ qx)
    bb, cb, cc = float(b @ b), float((c1 + c2) @ b), float(c1 @ c1 + c2 @ c2)

    def best_shift(sc: float) -> float:
        # the minus log-prior is quadratic in the shift at a given scale
        return -(sc * q1x + prec.c * cb / sc) / (q11 + 2 * prec.c * bb / (sc * sc))

    def minus_prior(sc: float, a: float) -> float:
        m = a / sc  # the cutpoints' shift is m * b
        value = 0.5 * (a * a * q11 + 2 * a * sc * q1x + sc * sc * qxx)
        value += 0.5 * prec.b * bb / (sc * sc)
        return value + 0.5 * prec.c * (cc + 2 * m * cb + 2 * m * m * bb)

    res = minimize_scalar(
        lambda log_s: minus_prior(np.exp(log_s), best_shift(np.exp(log_s))),
        bracket=(-0.5, 0.5),
    )
    sc = float(np.exp(res.x))
    a = best_shift(sc)
    gained = minus_prior(1.0, 0.0) - minus_prior(sc, a)
    if not (res.success and np.isfinite(gained) and gained > 0):
        return s
    nb = b / sc
    point = s.point
    point.xv = a + sc * point.xv  # the likelihood terms are unchanged: only these two move
    point.bj = point.bj / sc
    return State(a + sc * x, (c1 + a * nb, c2 + a * nb, nb), point, s.logpost + gained)
