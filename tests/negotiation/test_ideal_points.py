"""Ideal points: recovery of a known ordering, orientation, uncertainty, the CLI contract."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from rightsdesk.cli import app
from rightsdesk.core.config import Settings
from rightsdesk.core.db import session_scope
from rightsdesk.core.errors import InputError
from rightsdesk.core.importing import run_import
from rightsdesk.importers import get_importer
from rightsdesk.negotiation.ideal_points import (
    POSITION_COLUMNS,
    FitOptions,
    fit_ideal_points,
    holdout_accuracy,
    holdout_split,
)
from rightsdesk.negotiation.votes_data import read_unvotes

#: true positions on a left-right line, left to right
TRUE = {"CUB": -2.0, "RUS": -1.2, "IND": -0.4, "BRA": 0.3, "GBR": 1.1, "USA": 2.0}
TITLES = [
    "Situation of human rights in a country",
    "Right to development",
    "Use of mercenaries",
    "Nuclear disarmament",
    "Unilateral coercive measures",
    "Death penalty moratorium",
]


def synthetic_votes(
    sessions: int = 4,
    per_session: int = 40,
    seed: int = 0,
    drift: float = 0.0,
    recurring: bool = False,
) -> pd.DataFrame:
    """Votes drawn from the ordinal model itself (a vote_frame shape). With ``recurring``, a
    title keeps its parameters from session to session, as real resolutions tabled yearly do;
    otherwise each roll call draws its own."""
    rng = np.random.default_rng(seed)
    by_title = {
        t: (rng.choice([-1, 1]) * rng.uniform(1.5, 3.0), rng.normal(-1.5, 1.0)) for t in TITLES
    }
    rows = []
    rc = 0
    for s in range(1, sessions + 1):
        for _ in range(per_session):
            rc += 1
            title = TITLES[rc % len(TITLES)]
            b = rng.choice([-1, 1]) * rng.uniform(1.5, 3.0)
            c1 = rng.normal(-1.5, 1.0)
            if recurring:
                b, c1 = by_title[title][0] + rng.normal(0, 0.2), by_title[title][1]
            c2 = c1 + rng.uniform(0.3, 1.5)
            for iso3, x in TRUE.items():
                eta = b * (x + drift * s)
                p_no = 1 / (1 + np.exp(-(c1 - eta)))
                p_le_abs = 1 / (1 + np.exp(-(c2 - eta)))
                u = rng.random()
                vote = "no" if u < p_no else ("abstain" if u < p_le_abs else "yes")
                rows.append(
                    {
                        "roll_call_id": rc,
                        "iso3": iso3,
                        "vote": vote,
                        "session": s,
                        "year": 2000 + s,
                        "title": title,
                        "issues": "hr" if rc % 2 else "di",
                        "symbol": f"A/RES/{s}/{rc}",
                        "is_amendment": False,
                        "is_paragraph": False,
                    }
                )
    return pd.DataFrame(rows)


def test_recovers_known_ordering_with_us_positive() -> None:
    fit = fit_ideal_points(synthetic_votes())
    pos = fit.positions
    assert list(pos.columns) == POSITION_COLUMNS
    assert len(pos) == len(TRUE) * 4
    assert (pos["se"] > 0).all() and np.isfinite(pos["se"]).all()
    mean = pos.groupby("iso3")["ideal_point"].mean()
    assert list(mean.sort_values().index) == list(TRUE)  # left to right, as drawn
    assert (pos.loc[pos.iso3 == "USA", "ideal_point"] > 0).all()
    assert fit.converged


def test_orientation_follows_the_anchor() -> None:
    frame = synthetic_votes(seed=3)
    usa = fit_ideal_points(frame)
    cuba = fit_ideal_points(frame, FitOptions(anchor="CUB"))
    a = usa.positions.set_index(["iso3", "session"])["ideal_point"]
    b = cuba.positions.set_index(["iso3", "session"])["ideal_point"]
    assert (b.xs("CUB", level="iso3") > 0).all()
    assert np.allclose(a, -b.reindex(a.index), atol=1e-6)


def test_positions_track_drift_across_sessions() -> None:
    """With a common drift to the right, the dynamic model keeps sessions comparable: the
    ordering holds in every session, and se shrinks with more votes per session."""
    few = fit_ideal_points(synthetic_votes(per_session=10, seed=5)).positions
    many = fit_ideal_points(synthetic_votes(per_session=80, seed=5)).positions
    for s, grp in many.groupby("session"):
        order = list(grp.sort_values("ideal_point")["iso3"])
        assert order == list(TRUE), f"session {s}: {order}"
    assert many["se"].mean() < few["se"].mean()


def test_held_out_votes_beat_always_yes() -> None:
    frame = synthetic_votes(per_session=60, seed=7)
    train, test = holdout_split(frame, 0.1, seed=1)
    score = holdout_accuracy(fit_ideal_points(train), test)
    assert score["n"] > 50
    assert score["accuracy"] > score["always_yes"] + 0.05


def test_bad_frames_are_user_errors() -> None:
    with pytest.raises(InputError, match="lacks column"):
        fit_ideal_points(pd.DataFrame({"iso3": ["USA"], "vote": ["yes"]}))
    frame = synthetic_votes(sessions=1, per_session=2).assign(vote="absent")
    with pytest.raises(InputError, match="no yes/no/abstain"):
        fit_ideal_points(frame)


# --- the CLI contract, on a small real subset imported by the real importer -------------


def unvotes_sessions(shared_data: Path, folder: Path, sessions: tuple[int, ...]) -> Path:
    """The real unvotes files restricted to a few sessions, written back as .rda files."""
    import pyreadr

    votes, calls, issues = read_unvotes(shared_data / "negotiation" / "unvotes")
    calls = calls[calls["session"].isin(sessions)].copy()
    keep = set(calls["rcid"])
    calls["date"] = calls["date"].dt.strftime("%Y-%m-%d")
    folder.mkdir(parents=True, exist_ok=True)
    pyreadr.write_rdata(str(folder / "un_roll_calls.rda"), calls, df_name="un_roll_calls")
    pyreadr.write_rdata(
        str(folder / "un_votes.rda"), votes[votes["rcid"].isin(keep)], df_name="un_votes"
    )
    pyreadr.write_rdata(
        str(folder / "un_roll_call_issues.rda"),
        issues[issues["rcid"].isin(keep)],
        df_name="un_roll_call_issues",
    )
    return folder / "un_votes.rda"


@pytest.fixture(scope="module")
def ga_store(tmp_path_factory: pytest.TempPathFactory, shared_data: Path) -> Iterator[Settings]:
    """A SQLite store holding the General Assembly votes of sessions 72-74 (real data)."""
    from rightsdesk.core.db import dispose_engine
    from rightsdesk.core.store import init_store
    from tests.conftest import make_settings

    tmp = tmp_path_factory.mktemp("ga")
    s = make_settings(f"sqlite:///{tmp / 'ga.db'}", tmp)
    init_store(s)
    path = unvotes_sessions(shared_data, tmp / "unvotes", (72, 73, 74))
    with session_scope(s.database_url) as session:
        run_import(session, get_importer("unvotes"), path, actor="test")
    yield s
    dispose_engine(s.database_url)


def run_cli(settings: Settings, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(
        app,
        ["--database", settings.database_url, "negotiation", *args],
        env={
            "RIGHTSDESK_DATA_DIR": str(settings.data_dir),
            "RIGHTSDESK_SECRET_KEY": settings.secret_key,
        },
    )
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.output


def test_cli_ideal_points_csv_contract(ga_store: Settings) -> None:
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


def test_cli_ideal_points_table_and_issue(ga_store: Settings) -> None:
    code, out = run_cli(ga_store, "ideal-points", "--issue", "hr")
    assert code == 0, out
    assert "ideal points" in out and "USA" in out
    code, out = run_cli(ga_store, "ideal-points", "--body", "hrc")
    assert code != 0 and "no hrc votes" in out and "Traceback" not in out
    code, out = run_cli(ga_store, "ideal-points", "--body", "security-council")
    assert code != 0 and "unknown body" in out


def test_cli_ideal_points_on_both_backends(
    settings: Settings, shared_data: Path, tmp_path: Path
) -> None:
    """The same command on SQLite and PostgreSQL (one real session), cached on the second run."""
    path = unvotes_sessions(shared_data, tmp_path / "unvotes", (74,))
    with session_scope(settings.database_url) as session:
        run_import(session, get_importer("unvotes"), path, actor="test")
    code, out = run_cli(settings, "ideal-points", "--format", "csv")
    assert code == 0, out
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) > 180 and {r["session"] for r in rows} == {"74"}
    cached = list((Path(settings.data_dir) / "models").glob("positions-unga-all-*.csv"))
    assert len(cached) == 1
    code, again = run_cli(settings, "ideal-points", "--format", "csv")
    assert code == 0 and again == out
