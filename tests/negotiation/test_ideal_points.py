"""Ideal points: recovery of a known ordering, orientation, uncertainty, the CLI contract."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import pytest

from rightsdesk.core.config import Settings
from rightsdesk.core.db import session_scope
from rightsdesk.core.errors import InputError
from rightsdesk.core.importing import run_import
from rightsdesk.forms import get_importer
from rightsdesk.negotiation.positions.ideal_points import (
    POSITION_COLUMNS,
    FitOptions,
    fit_ideal_points,
    holdout_accuracy,
    holdout_split,
)

if TYPE_CHECKING:
    from tests.negotiation.conftest import RunCli, SyntheticVotes, UnvotesSessions


def test_recovers_known_ordering_with_us_positive(
    synthetic_votes: SyntheticVotes, true_positions: dict[str, float]
) -> None:
    fit = fit_ideal_points(synthetic_votes())
    pos = fit.positions
    assert list(pos.columns) == POSITION_COLUMNS
    assert len(pos) == len(true_positions) * 4
    assert (pos["se"] > 0).all() and np.isfinite(pos["se"]).all()
    mean = pos.groupby("iso3")["ideal_point"].mean()
    assert list(mean.sort_values().index) == list(true_positions)  # left to right, as drawn
    assert (pos.loc[pos.iso3 == "USA", "ideal_point"] > 0).all()
    assert fit.converged


def test_orientation_follows_the_anchor(synthetic_votes: SyntheticVotes) -> None:
    frame = synthetic_votes(seed=3)
    usa = fit_ideal_points(frame)
    cuba = fit_ideal_points(frame, FitOptions(anchor="CUB"))
    a = usa.positions.set_index(["iso3", "session"])["ideal_point"]
    b = cuba.positions.set_index(["iso3", "session"])["ideal_point"]
    assert (b.xs("CUB", level="iso3") > 0).all()
    assert np.allclose(a, -b.reindex(a.index), atol=1e-6)


def test_positions_track_drift_across_sessions(
    synthetic_votes: SyntheticVotes, true_positions: dict[str, float]
) -> None:
    """With a common drift to the right, the dynamic model keeps sessions comparable: the
    ordering holds in every session, and se shrinks with more votes per session."""
    few = fit_ideal_points(synthetic_votes(per_session=10, seed=5)).positions
    many = fit_ideal_points(synthetic_votes(per_session=80, seed=5)).positions
    for s, grp in many.groupby("session"):
        order = list(grp.sort_values("ideal_point")["iso3"])
        assert order == list(true_positions), f"session {s}: {order}"
    assert many["se"].mean() < few["se"].mean()


def test_held_out_votes_beat_always_yes(synthetic_votes: SyntheticVotes) -> None:
    frame = synthetic_votes(per_session=60, seed=7)
    train, test = holdout_split(frame, 0.1, seed=1)
    score = holdout_accuracy(fit_ideal_points(train), test)
    assert score["n"] > 50
    assert score["accuracy"] > score["always_yes"] + 0.05


def test_warm_start_converges_to_the_same_positions_faster(
    synthetic_votes: SyntheticVotes,
) -> None:
    """A refit after an import starts from the saved fit: same answer, fewer passes."""
    frame = synthetic_votes(per_session=40, seed=11)
    first = frame[frame["session"] < frame["session"].max()]
    opts = FitOptions(tol=1e-5, rel_tol=1e-9)
    cold = fit_ideal_points(frame, opts)
    warm = fit_ideal_points(frame, opts, start=fit_ideal_points(first, opts))
    assert warm.converged and warm.iterations < cold.iterations
    a = cold.positions.set_index(["iso3", "session"])["ideal_point"]
    b = warm.positions.set_index(["iso3", "session"])["ideal_point"].reindex(a.index)
    assert np.corrcoef(a, b)[0, 1] > 0.999


def test_no_abstention_roll_calls_fit_as_binary(synthetic_votes: SyntheticVotes) -> None:
    """A roll call without abstentions keeps its two cutpoints together (the abstain band at
    its floor), so its yes/no split is fitted rather than left at the start values."""
    frame = synthetic_votes(per_session=30, seed=2)
    frame = frame.assign(vote=frame["vote"].replace({"abstain": "no"}))
    fit = fit_ideal_points(frame)
    gap = fit.roll_calls["cut_abstain"] - fit.roll_calls["cut_no"]
    assert fit.converged and np.allclose(gap, 1e-3)
    assert (fit.roll_calls["discrimination"].abs() > 0.3).mean() > 0.8


def test_bad_frames_are_user_errors(synthetic_votes: SyntheticVotes) -> None:
    with pytest.raises(InputError, match="lacks column"):
        fit_ideal_points(pd.DataFrame({"iso3": ["USA"], "vote": ["yes"]}))
    frame = synthetic_votes(sessions=1, per_session=2).assign(vote="absent")
    with pytest.raises(InputError, match="no yes/no/abstain"):
        fit_ideal_points(frame)


# --- the CLI contract, on a small real subset imported by the real importer -------------


def test_cli_ideal_points_csv_contract(ga_store: Settings, run_cli: RunCli) -> None:
    code, out = run_cli(ga_store, "ideal-points", "--body", "unga", "--format", "csv")
    assert code == 0, out
    lines = out.strip().splitlines()
    assert lines[0] == "iso3,session,year,ideal_point,se"
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == len({(r["iso3"], r["session"]) for r in rows})  # one per state-session
    assert {r["session"] for r in rows} == {"72", "73", "74"}
    assert all(float(r["se"]) > 0 for r in rows)
    by = {(r["iso3"], r["session"]): float(r["ideal_point"]) for r in rows}
    assert by[("USA", "74")] > 0
    # the West and the United States on one side, Cuba and Iran on the other
    assert by[("GBR", "74")] > by[("CUB", "74")] and by[("USA", "74")] > by[("IRN", "74")]


def test_cli_ideal_points_table_and_issue(ga_store: Settings, run_cli: RunCli) -> None:
    code, out = run_cli(ga_store, "ideal-points", "--issue", "hr")
    assert code == 0, out
    assert "ideal points" in out and "USA" in out
    code, out = run_cli(ga_store, "ideal-points", "--body", "hrc")
    assert code != 0 and "no hrc votes" in out and "Traceback" not in out
    code, out = run_cli(ga_store, "ideal-points", "--body", "security-council")
    assert code != 0 and "unknown body" in out


def test_cli_ideal_points_on_both_backends(
    settings: Settings,
    shared_data: Path,
    tmp_path: Path,
    unvotes_sessions: UnvotesSessions,
    run_cli: RunCli,
) -> None:
    """The same command on SQLite and PostgreSQL (one real session), cached on the second run."""
    path = unvotes_sessions(shared_data, tmp_path / "unvotes", (74,))
    with session_scope(settings.database_url) as session:
        run_import(session, get_importer("unvotes"), path, actor="test")
    code, out = run_cli(settings, "ideal-points", "--format", "csv")
    assert code == 0, out
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) > 180 and {r["session"] for r in rows} == {"74"}
    # the fit of this data version and the latest fit (the next refit's warm start)
    cached = list((Path(settings.data_dir) / "models").glob("ideal-points-*.pkl"))
    assert len(cached) == 2
    code, again = run_cli(settings, "ideal-points", "--format", "csv")
    assert code == 0 and again == out


@pytest.mark.parametrize(
    "args",
    [
        ("ideal-points", "--format", "csv"),
        ("ideal-points", "--issue", "hr"),
        ("agreement", "USA", "--format", "csv"),
        ("agreement", "FRA", "--with", "DEU", "--measure", "voeten", "--format", "json"),
        ("cohesion", "eu", "--format", "json"),
        ("cohesion", "UN-WEOG"),
        ("mismatches", "--body", "unga", "--format", "csv"),
        ("cohesion", "NO-SUCH-GROUP"),
    ],
)
def test_old_command_paths_are_aliases(
    ga_store: Settings, run_cli: RunCli, args: tuple[str, ...]
) -> None:
    """``negotiation ideal-points`` is ``negotiation positions ideal-points``, and so on: the
    same exit code and the same output, byte for byte."""
    room = "positions" if args[0] == "ideal-points" else "votes"
    old = run_cli(ga_store, *args)
    new = run_cli(ga_store, room, *args)
    assert new == old
    assert (old[0] == 0) == (args[1] != "NO-SUCH-GROUP"), old[1]


def test_aliases_are_hidden_from_help(ga_store: Settings, run_cli: RunCli) -> None:
    code, out = run_cli(ga_store, "--help")
    assert code == 0
    listed = {line.split()[1] for line in out.splitlines() if line.startswith("│ ")}
    assert {"treaties", "votes", "positions"} <= listed
    assert not listed & {"agreement", "cohesion", "mismatches", "ideal-points", "forecast"}
    code, out = run_cli(ga_store, "positions", "--help")
    assert code == 0 and "ideal-points" in out and "forecast" in out and "backtest" in out


# --- the gauge step: the same mode in fewer passes ----------------------------------------


def test_gauge_step_keeps_every_vote_probability_and_raises_the_posterior(
    synthetic_votes: SyntheticVotes,
) -> None:
    """Shift-and-scale moves only what the priors see: each vote's likelihood is unchanged
    and the log-posterior does not fall."""
    from rightsdesk.negotiation.positions import ideal_points as ip
    from rightsdesk.negotiation.positions.gauge import rescale
    from rightsdesk.negotiation.positions.irt_newton import Precisions, State, evaluate

    d = ip._design(synthetic_votes(per_session=30, seed=4))
    opts = FitOptions()
    rng = np.random.default_rng(0)
    x = 2.5 * rng.standard_normal(len(d.units)) + 0.7  # too wide and off-centre
    n_j = len(d.items)
    b, c1 = rng.standard_normal(n_j), rng.standard_normal(n_j) - 0.5
    c2 = c1 + 1.0
    prior = ip._chain_precision(d.units, opts)
    prec = Precisions(c=1 / opts.prior_sd_c**2, b=1 / opts.prior_sd_b**2)
    point = evaluate(d, x, b, c1, c2)

    def logpost(x: np.ndarray, c1: np.ndarray, c2: np.ndarray, b: np.ndarray) -> float:
        ll = evaluate(d, x, b, c1, c2).ll.sum()
        prior_x = -0.5 * x @ prior.times(x)
        return float(ll + prior_x - 0.5 * prec.c * (c1 @ c1 + c2 @ c2) - 0.5 * prec.b * b @ b)

    before = logpost(x, c1, c2, b)
    moved = rescale(d, State(x.copy(), (c1, c2, b), point, before), prior, prec)
    nc1, nc2, nb = moved.theta
    assert np.allclose(evaluate(d, moved.x, nb, nc1, nc2).ll, point.ll, atol=1e-9)
    assert np.allclose(moved.point.xv, moved.x[d.unit]) and np.allclose(moved.point.bj, nb[d.item])
    after = logpost(moved.x, nc1, nc2, nb)
    assert after > before + 1.0
    assert after == pytest.approx(moved.logpost, rel=1e-9)
    assert moved.x.std() < x.std()  # the priors pull the spread in


def test_gauge_reaches_the_mode_in_fewer_passes(synthetic_votes: SyntheticVotes) -> None:
    """With the default stopping rule the fit agrees with a fully converged one (r >= 0.999)
    and needs fewer passes than without the gauge step."""
    frame = synthetic_votes(sessions=6, per_session=40, seed=9)
    mode = fit_ideal_points(frame, FitOptions(tol=1e-7, rel_tol=1e-13, max_iter=2000))
    fast = fit_ideal_points(frame)
    plain = fit_ideal_points(frame, FitOptions(gauge=False))
    assert mode.converged and fast.converged
    a = mode.positions["ideal_point"].to_numpy()
    assert np.corrcoef(a, fast.positions["ideal_point"])[0, 1] >= 0.999
    assert fast.iterations < plain.iterations
    # the fully converged fit with and without the gauge is the same mode
    slow = fit_ideal_points(frame, FitOptions(tol=1e-7, rel_tol=1e-13, max_iter=2000, gauge=False))
    assert np.corrcoef(a, slow.positions["ideal_point"])[0, 1] >= 0.9999
