"""Fixtures of the negotiation tests: synthetic votes drawn from the positions model, subsets of
the real General Assembly votes written back as unvotes files, a store holding three sessions of
them, and the command line run against a store."""

from __future__ import annotations

import atexit
import functools
import os
import shutil
import tempfile
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sqlalchemy.engine import make_url
from typer.testing import CliRunner

from rightsdesk.cli import app
from rightsdesk.core.config import Settings
from rightsdesk.core.db import dispose_engine, session_scope
from rightsdesk.core.importing import run_import
from rightsdesk.forms import get_importer
from rightsdesk.negotiation.votes.frames import read_unvotes
from tests.conftest import PG_ENV, PG_HINT, make_settings
from tests.store_templates import Build, StoreTemplates, pg_drop, ready

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

SyntheticVotes = Callable[..., pd.DataFrame]
UnvotesSessions = Callable[[Path, Path, tuple[int, ...]], Path]
RunCli = Callable[..., tuple[int, str]]


def _synthetic_votes(
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


_UNVOTES_FILES = ("un_roll_calls.rda", "un_votes.rda", "un_roll_call_issues.rda")
_UNVOTES_CUTS: dict[tuple[Path, tuple[int, ...]], Path] = {}  # written once per test process


@functools.cache
def _whole_unvotes(folder: Path) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The whole vote history (seconds to read), read once per test process for every cut;
    the cuts below only select from these frames, never change them."""
    return read_unvotes(folder)


def _write_unvotes_cut(shared_data: Path, folder: Path, sessions: tuple[int, ...]) -> None:
    """The real unvotes files restricted to ``sessions``, written as .rda files to ``folder``."""
    import pyreadr

    votes, calls, issues = _whole_unvotes(shared_data.resolve() / "negotiation" / "unvotes")
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


def _unvotes_sessions(shared_data: Path, folder: Path, sessions: tuple[int, ...]) -> Path:
    """The real unvotes files restricted to a few sessions, written back as .rda files.

    Reading the whole vote history takes seconds, and many tests want the same cut: each cut is
    written once per test process and copied to ``folder`` (a copy: callers may damage it)."""
    key = (shared_data.resolve(), tuple(sessions))
    if key not in _UNVOTES_CUTS:
        cache = Path(tempfile.mkdtemp(prefix="rd-unvotes-"))
        atexit.register(shutil.rmtree, cache, True)
        _write_unvotes_cut(shared_data, cache, key[1])
        _UNVOTES_CUTS[key] = cache
    folder.mkdir(parents=True, exist_ok=True)
    for name in _UNVOTES_FILES:
        shutil.copyfile(_UNVOTES_CUTS[key] / name, folder / name)
    return folder / "un_votes.rda"


def _run_cli(settings: Settings, *args: str) -> tuple[int, str]:
    """``rightsdesk --database URL ARGS...`` on the store of ``settings``: (exit code, output)."""
    result = CliRunner().invoke(
        app,
        ["--database", settings.database_url, *args],
        env={
            "RIGHTSDESK_DATA_DIR": str(settings.data_dir),
            "RIGHTSDESK_SECRET_KEY": settings.secret_key,
        },
    )
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.output


@pytest.fixture
def true_positions() -> dict[str, float]:
    """The positions ``synthetic_votes`` draws from, left to right."""
    return dict(TRUE)


@pytest.fixture
def synthetic_votes() -> SyntheticVotes:
    return _synthetic_votes


@pytest.fixture
def unvotes_sessions() -> UnvotesSessions:
    return _unvotes_sessions


@pytest.fixture
def cli() -> RunCli:
    """``cli(settings, "treaties", "matrix", ...)``: any command, on the store of ``settings``."""
    return _run_cli


@pytest.fixture
def run_cli() -> RunCli:
    """``run_cli(settings, "ideal-points", ...)``: a command under ``rightsdesk negotiation``."""

    def run(settings: Settings, *args: str) -> tuple[int, str]:
        return _run_cli(settings, "negotiation", *args)

    return run


def _import(settings: Settings, kind: str, path: Path) -> None:
    with session_scope(settings.database_url) as session:
        run_import(session, get_importer(kind), path, actor="test")


def build_ga(shared_data: Path) -> Build:
    """Import the General Assembly votes of sessions 72-74 (real data) into a store."""

    def build(settings: Settings) -> None:
        path = _unvotes_sessions(shared_data, Path(settings.data_dir) / "unvotes", (72, 73, 74))
        _import(settings, "unvotes", path)

    return build


def build_hrc(shared_data: Path) -> Build:
    """Import the real HRC and CHR resolutions, then their votes, into a store."""

    def build(settings: Settings) -> None:
        folder = shared_data / "negotiation" / "hrc"
        _import(settings, "hrc-resolutions", folder / "resolutions.csv")
        _import(settings, "hrc-votes", folder / "votes_long.csv")

    return build


@pytest.fixture(scope="module")
def ga_store(
    tmp_path_factory: pytest.TempPathFactory, shared_data: Path, store_templates: StoreTemplates
) -> Iterator[Settings]:
    """A SQLite store holding the General Assembly votes of sessions 72-74 (real data): a
    module's own copy of a store imported once per test process."""
    tmp = tmp_path_factory.mktemp("ga")
    s = make_settings(f"sqlite:///{tmp / 'ga.db'}", tmp)
    store_templates.create(s.database_url, "ga-72-74", build_ga(shared_data))
    ready(s)
    yield s
    dispose_engine(s.database_url)


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def hrc_store(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    shared_data: Path,
    store_templates: StoreTemplates,
) -> Iterator[Settings]:
    """A store holding the real HRC and CHR resolutions and votes, once on SQLite and once on
    PostgreSQL: a module's own copy of a store imported once per test process and backend."""
    tmp = tmp_path_factory.mktemp("hrc")
    if request.param == "sqlite":
        url = f"sqlite:///{tmp / 'hrc.db'}"
    else:
        base = os.environ.get(PG_ENV)
        if not base:
            pytest.skip(PG_HINT)
        name = f"rdhrc_{uuid.uuid4().hex[:12]}"
        url = make_url(base).set(database=name).render_as_string(hide_password=False)
    store_templates.create(url, "hrc", build_hrc(shared_data))
    s = make_settings(url, tmp)
    ready(s)
    yield s
    if request.param == "sqlite":
        dispose_engine(url)
    else:
        pg_drop(url)
