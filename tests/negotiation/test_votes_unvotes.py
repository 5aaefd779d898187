"""The whole General Assembly vote history through the store: import once (module fixture),
then check resolution of every state, idempotency, the interface frames, the State Department
2019 reproduction and the CLI on it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from rightsdesk.core.config import Settings
from rightsdesk.core.db import dispose_engine, session_scope
from rightsdesk.core.importing import run_import
from rightsdesk.forms import get_importer
from rightsdesk.negotiation.votes import agreement as ag
from rightsdesk.negotiation.votes.frames import roll_call_frame, vote_frame
from rightsdesk.store import init_store
from tests.conftest import make_settings

VOTES = 869_937
ROLL_CALLS = 6_202


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory, shared_data: Path) -> Iterator[Settings]:
    folder = tmp_path_factory.mktemp("unvotes-store")
    url = f"sqlite:///{folder / 'votes.db'}"
    settings = make_settings(url, folder)
    init_store(settings)
    with session_scope(url) as s:
        report = run_import(
            s,
            get_importer("unvotes"),
            shared_data / "negotiation" / "unvotes" / "un_votes.rda",
            actor="test",
        )
    assert report.rows_read == VOTES + ROLL_CALLS + 5_745
    yield settings
    dispose_engine(url)


@pytest.fixture(scope="module")
def frame(store: Settings) -> pd.DataFrame:
    with session_scope(store.database_url) as s:
        return vote_frame(s)


def test_every_vote_imported_and_resolved(frame: pd.DataFrame) -> None:
    assert len(frame) == VOTES
    assert frame["roll_call_id"].nunique() == ROLL_CALLS
    assert frame["iso3"].str.fullmatch(r"[A-Z]{3}").all()
    assert frame["vote"].isin(["yes", "no", "abstain"]).all()


@pytest.mark.parametrize(
    ("iso3", "first", "last"),
    [
        ("SUN", 1946, 1991),  # 'Russia' (RU) before 24 December 1991
        ("RUS", 1992, 2019),
        ("CSK", 1946, 1992),  # CS is Czechoslovakia in this data
        ("DDR", 1973, 1989),
        ("YMD", 1967, 1989),
        ("YAR", 1947, 1989),  # 'Yemen Arab Republic' has no code; in 1990 it is unified Yemen
        ("YEM", 1990, 2019),
        ("YUG", 1946, 1992),  # the FRY (admitted 2000-11-01) is SCG, not the SFRY
        ("SCG", 2000, 2006),
        ("SRB", 2006, 2019),  # YU after Montenegro's independence
        ("ZZB", 1963, 1963),  # 'Zanzibar' has no code
        ("TWN", 1946, 1971),
        ("DEU", 1973, 2019),  # 'Federal Republic of Germany' has no code, then DE
    ],
)
def test_historical_states(frame: pd.DataFrame, iso3: str, first: int, last: int) -> None:
    years = frame.loc[frame["iso3"] == iso3, "year"]
    assert (int(years.min()), int(years.max())) == (first, last)


def test_interface_columns_and_types(frame: pd.DataFrame, store: Settings) -> None:
    assert list(frame.columns) == [
        "roll_call_id", "iso3", "vote", "session", "year", "date", "symbol", "title",
        "body", "is_amendment", "is_paragraph", "issues",
    ]  # fmt: skip
    assert frame["roll_call_id"].dtype == np.int64
    assert frame["session"].dtype == np.int64
    assert str(frame["date"].dtype).startswith("datetime64")
    assert frame["is_amendment"].dtype == bool
    assert frame["body"].eq("unga").all()
    assert frame["issues"].map(lambda v: type(v) is str).all()
    assert frame["date"].is_monotonic_increasing
    with session_scope(store.database_url) as s:
        hr = vote_frame(s, issue="hr", sessions=(60, 74))
        calls = roll_call_frame(s, issue="hr")
    assert hr["session"].between(60, 74).all()
    assert hr["issues"].str.split(",").map(lambda codes: "hr" in codes).all()
    assert len(calls) == 1015  # roll calls coded 'hr' in un_roll_call_issues
    assert list(calls.columns[:13]) == [
        "roll_call_id", "session", "year", "date", "symbol", "title", "body", "issues",
        "is_amendment", "is_paragraph", "yes", "no", "abstain",
    ]  # fmt: skip
    assert not calls["official"].any()  # unvotes has no official totals: counted


def test_reimport_is_a_no_op(store: Settings, shared_data: Path) -> None:
    path = shared_data / "negotiation" / "unvotes" / "un_votes.rda"
    with session_scope(store.database_url) as s:
        skipped = run_import(s, get_importer("unvotes"), path, actor="test")
    assert skipped.skipped_file
    with session_scope(store.database_url) as s:
        again = run_import(s, get_importer("unvotes"), path, actor="test", force=True)
    assert (again.inserted, again.updated) == (0, 0)
    assert again.unchanged >= VOTES


def test_statedept_2019_through_store(store: Settings, shared_data: Path) -> None:
    """The published 2019 US voting coincidence, reproduced from the stored votes.

    The table's COINCIDENCE column is (same + partial/2) / (same + opposite + partial),
    i.e. Voeten's measure (abstain-abstain counts as same); the classic State Department
    ratio same / (same + opposite) is checked against the table's own SAME and OPPOSITE.
    """
    published = pd.read_csv(
        shared_data / "negotiation" / "statedept" / "us-voting-coincidence-2019.csv",
        keep_default_na=False,
    )
    with session_scope(store.database_url) as s:
        voeten = ag.state_agreement(s, "USA", years=(2019, 2019), measure="voeten", min_votes=1)
        classic = ag.state_agreement(s, "USA", years=(2019, 2019), min_votes=1)
    both = published.merge(voeten, left_on="ISO", right_on="partner")
    assert len(both) == len(published) == 192  # every state of the table is matched
    diff = (both["agreement"] - both["COINCIDENCE"]).abs()
    assert diff.mean() <= 0.03
    assert np.corrcoef(both["agreement"], both["COINCIDENCE"])[0, 1] >= 0.98
    ratio = published["SAME"] / (published["SAME"] + published["OPPOSITE"])
    cl = published.assign(ratio=ratio).merge(classic, left_on="ISO", right_on="partner")
    assert (cl["agreement"] - cl["ratio"]).abs().mean() <= 0.03
    assert np.corrcoef(cl["agreement"], cl["ratio"])[0, 1] >= 0.95


def test_cli_agreement_and_cohesion(store: Settings) -> None:
    from rightsdesk.cli import app

    runner = CliRunner()
    db = ["--database", store.database_url, "negotiation"]
    out = runner.invoke(
        app, [*db, "agreement", "United States", "--with", "ISR", "--from-year", "2019",
              "--to-year", "2019", "--format", "csv"],
    )  # fmt: skip
    assert out.exit_code == 0, out.output
    lines = out.output.strip().splitlines()
    assert lines[0].startswith("partner,partner_name,agreement,votes")
    assert lines[1].startswith("ISR,Israel,0.97")
    out = runner.invoke(app, [*db, "cohesion", "eu", "--issue", "hr", "--format", "json"])
    assert out.exit_code == 0, out.output
    assert set(json.loads(out.output)[0]) == {"year", "members", "roll_calls", "cohesion"}
    out = runner.invoke(app, [*db, "cohesion", "NOPE"])
    assert out.exit_code == 66
    assert "unknown group" in out.output
    out = runner.invoke(app, [*db, "agreement", "USA", "--measure", "voeten", "--top", "3"])
    assert out.exit_code == 0, out.output
    assert "closest" in out.output
    out = runner.invoke(app, [*db, "agreement", "USA", "--from-year", "2020", "--to-year", "2001"])
    assert out.exit_code == 65
    out = runner.invoke(app, [*db, "mismatches", "--body", "unga", "--format", "csv"])
    assert out.exit_code == 0
    assert out.output.strip() == (
        "roll_call_id,body,symbol,date,official,recorded,difference,members,kind,cause"
    )
