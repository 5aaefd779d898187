"""Importers of UN votes on both stores: HRC/CHR files in full, unvotes on a real subset
(session 74, written back as R data files), idempotency, mismatches and malformed input."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
import pytest
from sqlalchemy import func, select

from rightsdesk.core.config import Settings
from rightsdesk.core.db import session_scope
from rightsdesk.core.errors import InputError
from rightsdesk.core.importing import ImportReport, run_import
from rightsdesk.forms import get_importer
from rightsdesk.negotiation.votes.frames import (
    roll_call_frame,
    vote_frame,
    vote_mismatches,
)
from rightsdesk.negotiation.votes.models import (
    Resolution,
    RollCall,
    RollCallIssue,
    StateVote,
    VoteSession,
)
from tests.conftest import StoreTemplate
from tests.store_templates import INIT

if TYPE_CHECKING:
    from tests.negotiation.conftest import UnvotesSessions


def _import(settings: Settings, kind: str, path: Path, force: bool = False) -> ImportReport:
    with session_scope(settings.database_url) as s:
        return run_import(s, get_importer(kind), path, actor="test", force=force)


def _counts(settings: Settings) -> tuple[int, ...]:
    with session_scope(settings.database_url) as s:
        return tuple(
            int(s.scalar(select(func.count()).select_from(m)) or 0)
            for m in (VoteSession, Resolution, RollCall, RollCallIssue, StateVote)
        )


def _hrc(shared_data: Path) -> tuple[Path, Path]:
    folder = shared_data / "negotiation" / "hrc"
    return folder / "resolutions.csv", folder / "votes_long.csv"


def test_hrc_import_idempotent_with_mismatches(settings: Settings, shared_data: Path) -> None:
    resolutions, votes = _hrc(shared_data)
    first = _import(settings, "hrc-resolutions", resolutions)
    second = _import(settings, "hrc-votes", votes)
    assert first.rows_read == 6346
    assert second.rows_read == 80158
    assert second.inserted == 80156  # two rows are exact repeats
    assert any("repeated identical" in m for m in second.messages)
    assert any("differ from the official totals" in m for m in second.messages)
    with session_scope(settings.database_url) as s:
        assert s.scalar(select(func.count()).select_from(Resolution)) == 6346
        assert s.scalar(select(func.count()).select_from(RollCall)) == 1714
        # E/CN.4/RES/2001/35: officially 38-15-0, the per-state record says 38-0-15
        found = {m.symbol: m for m in vote_mismatches(s, "chr")}
        assert found["E/CN.4/RES/2001/35"].official == (38, 15, 0)
        assert found["E/CN.4/RES/2001/35"].counted == (38, 0, 15)
        assert len(vote_mismatches(s, "hrc+chr")) >= 148
        # sessions: from the statement, specials placed within the regular session
        hrc_rc = s.scalars(
            select(RollCall).join(Resolution).where(Resolution.symbol == "A/HRC/RES/S-1/1")
        ).first()
        assert hrc_rc is not None and hrc_rc.session == 1
        frame = vote_frame(s, body="hrc+chr", include_absent=True)
        assert set(frame["vote"]) == {"yes", "no", "abstain", "absent"}
        assert (frame["issues"] == "hr").all()
        assert "GER" not in set(frame["iso3"])  # resolved to DEU
        calls = roll_call_frame(s, body="hrc")
        assert calls["official"].any()
    before = _counts(settings)
    again = [
        _import(settings, "hrc-resolutions", resolutions, force=True),
        _import(settings, "hrc-votes", votes, force=True),
    ]
    assert [(r.inserted, r.updated) for r in again] == [(0, 0), (0, 0)]
    assert _counts(settings) == before
    skipped = _import(settings, "hrc-votes", votes)
    assert skipped.skipped_file


def test_unvotes_subset_on_both_stores(
    settings: Settings, shared_data: Path, tmp_path: Path, unvotes_sessions: UnvotesSessions
) -> None:
    path = unvotes_sessions(shared_data, tmp_path / "unvotes", (74,))
    report = _import(settings, "unvotes", path)
    assert report.inserted > 15_000
    assert any("sha256" in m for m in report.messages)
    with session_scope(settings.database_url) as s:
        frame = vote_frame(s, sessions=(74, 74))
        assert frame["roll_call_id"].nunique() == 90
        assert {"SRB", "USA", "DEU", "RUS"} <= set(frame["iso3"])  # YU in 2019 is Serbia
        assert frame["year"].eq(2019).all()
        hr = vote_frame(s, issue="hr")
        assert 0 < hr["roll_call_id"].nunique() < 90
        assert hr["issues"].str.contains("hr").all()
    again = _import(settings, "unvotes", path, force=True)
    assert (again.inserted, again.updated) == (0, 0)


def test_unvotes_changed_vote_is_updated(
    sqlite_settings: Settings,
    shared_data: Path,
    tmp_path: Path,
    unvotes_sessions: UnvotesSessions,
) -> None:
    import pyreadr

    path = unvotes_sessions(shared_data, tmp_path / "unvotes", (74,))
    _import(sqlite_settings, "unvotes", path)
    votes = pyreadr.read_r(str(path))["un_votes"]
    votes["vote"] = votes["vote"].astype(str)
    first = votes.index[votes["country_code"] == "FR"][0]
    old = votes.loc[first, "vote"]
    votes.loc[first, "vote"] = "no" if old != "no" else "yes"
    pyreadr.write_rdata(str(path), votes, df_name="un_votes")
    report = _import(sqlite_settings, "unvotes", path)
    assert report.updated == 1
    assert report.inserted == 0


# --- malformed input: the error names file, line and field; the store is unchanged ---------


def _broken_csv(src: Path, dst: Path, line: int, column: str, value: str) -> Path:
    frame = pd.read_csv(src, dtype=str, keep_default_na=False)
    frame.loc[line - 2, column] = value  # line 1 is the header
    frame.to_csv(dst, index=False)
    return dst


@pytest.fixture
def store_template(request: pytest.FixtureRequest, shared_data: Path) -> StoreTemplate:
    """A broken votes file is read against the real resolutions: those cases start from a
    store with resolutions.csv imported once per test process and backend (each test gets its
    own copy); a broken resolutions file, from the initialised store."""
    if request.getfixturevalue("kind") != "hrc-votes":
        return INIT, None
    resolutions, _votes = _hrc(shared_data)

    def build(settings: Settings) -> None:
        _import(settings, "hrc-resolutions", resolutions)

    return "hrc-resolutions", build


@pytest.mark.parametrize(
    ("kind", "column", "value", "message"),
    [
        ("hrc-votes", "vote", "X", "unknown vote"),
        ("hrc-votes", "iso3", "Atlantis", "unknown state"),
        ("hrc-votes", "date", "2022-13-45", "malformed date"),
        ("hrc-resolutions", "date", "yesterday", "malformed date"),
        ("hrc-resolutions", "vote_type", "SHOUTED", "unknown vote_type"),
        ("hrc-resolutions", "yes", "many", "whole number"),
    ],
)
def test_malformed_hrc_rows(
    store_template: StoreTemplate,
    settings: Settings,
    shared_data: Path,
    tmp_path: Path,
    kind: str,
    column: str,
    value: str,
    message: str,
) -> None:
    resolutions, votes = _hrc(shared_data)  # the resolutions of hrc-votes cases: the template's
    before = _counts(settings)
    src = votes if kind == "hrc-votes" else resolutions
    bad = _broken_csv(src, tmp_path / src.name, 120, column, value)
    with pytest.raises(InputError) as err:
        _import(settings, kind, bad)
    assert message in err.value.message
    assert err.value.location.file == bad
    assert err.value.location.line == 120
    assert err.value.location.field == column
    assert _counts(settings) == before


def test_missing_column(sqlite_settings: Settings, shared_data: Path, tmp_path: Path) -> None:
    _resolutions, votes = _hrc(shared_data)
    frame = pd.read_csv(votes, dtype=str, keep_default_na=False).drop(columns=["vote"])
    bad = tmp_path / "votes_long.csv"
    frame.to_csv(bad, index=False)
    with pytest.raises(InputError) as err:
        _import(sqlite_settings, "hrc-votes", bad)
    assert err.value.location.field == "vote"
    assert err.value.location.line == 1


def test_votes_before_resolutions_is_a_clear_error(
    sqlite_settings: Settings, shared_data: Path
) -> None:
    _resolutions, votes = _hrc(shared_data)
    with pytest.raises(InputError, match="import resolutions.csv") as err:
        _import(sqlite_settings, "hrc-votes", votes)
    assert err.value.location.field == "record_id"
    assert _counts(sqlite_settings) == (0, 0, 0, 0, 0)


def test_conflicting_duplicate_vote(
    sqlite_settings: Settings, shared_data: Path, tmp_path: Path
) -> None:
    resolutions, votes = _hrc(shared_data)
    _import(sqlite_settings, "hrc-resolutions", resolutions)
    frame = pd.read_csv(votes, dtype=str, keep_default_na=False)
    dup = frame.iloc[[10]].copy()
    dup["vote"] = "N" if dup["vote"].iloc[0] != "N" else "Y"
    bad = tmp_path / "votes_long.csv"
    pd.concat([frame, dup]).to_csv(bad, index=False)
    before = _counts(sqlite_settings)
    with pytest.raises(InputError, match="voted") as err:
        _import(sqlite_settings, "hrc-votes", bad)
    assert err.value.location.line == len(frame) + 2
    assert _counts(sqlite_settings) == before


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [("vote", "maybe", "unknown vote"), ("country_code", "QQ", "do not resolve")],
)
def test_malformed_unvotes(
    sqlite_settings: Settings,
    shared_data: Path,
    tmp_path: Path,
    unvotes_sessions: UnvotesSessions,
    column: str,
    value: str,
    message: str,
) -> None:
    import pyreadr

    path = unvotes_sessions(shared_data, tmp_path / "unvotes", (74,))
    votes = pyreadr.read_r(str(path))["un_votes"]
    for col in ("vote", "country", "country_code"):
        votes[col] = votes[col].astype(object)
    votes.iloc[7, votes.columns.get_loc(column)] = value
    if column == "country_code":
        votes.iloc[7, votes.columns.get_loc("country")] = "Atlantis"
    pyreadr.write_rdata(str(path), votes, df_name="un_votes")
    with pytest.raises(InputError, match=message) as err:
        _import(sqlite_settings, "unvotes", path)
    assert err.value.location.line == 9  # row 8 of the data frame; line 1 is the header
    assert err.value.location.field == ("vote" if column == "vote" else "country")
    assert _counts(sqlite_settings) == (0, 0, 0, 0, 0)


def test_unvotes_missing_sibling(
    sqlite_settings: Settings, shared_data: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "unvotes"
    folder.mkdir()
    shutil.copy(shared_data / "negotiation" / "unvotes" / "un_votes.rda", folder)
    with pytest.raises(InputError, match="missing file") as err:
        _import(sqlite_settings, "unvotes", folder / "un_votes.rda")
    assert Path(str(err.value.location.file)).name in {
        "un_roll_calls.rda",
        "un_roll_call_issues.rda",
    }


def test_sniffing(shared_data: Path) -> None:
    from rightsdesk.forms import detect_importer

    resolutions, votes = _hrc(shared_data)
    unvotes = shared_data / "negotiation" / "unvotes"
    assert detect_importer(resolutions).kind == "hrc-resolutions"  # type: ignore[union-attr]
    assert detect_importer(votes).kind == "hrc-votes"  # type: ignore[union-attr]
    assert detect_importer(unvotes / "un_votes.rda").kind == "unvotes"  # type: ignore[union-attr]
    assert detect_importer(unvotes / "un_roll_calls.rda") is None


def test_migration_matches_models(settings: Settings) -> None:
    """The hand-written 0003_votes migration creates exactly what the models declare."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from rightsdesk.forms import load_models

    load_models()
    from rightsdesk.core.db import Base, get_engine

    mine = {"vote_body", "vote_session", "resolution", "roll_call", "roll_call_issue", "state_vote"}
    with get_engine(settings.database_url).connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), Base.metadata)

    ours = [d for d in diffs if any(f"'{t}'" in repr(d) for t in mine)]
    assert ours == []
    with session_scope(settings.database_url) as s:
        from rightsdesk.negotiation.votes.models import BODIES, VoteBody

        assert {b.code: b.name for b in s.scalars(select(VoteBody))} == BODIES


def test_load_folder_twice_is_a_no_op(
    sqlite_settings: Settings,
    shared_data: Path,
    tmp_path: Path,
    unvotes_sessions: UnvotesSessions,
) -> None:
    """``rightsdesk load DIR`` finds the three kinds, imports once, then changes nothing."""
    from typer.testing import CliRunner

    from rightsdesk.cli import app

    root = tmp_path / "data"
    unvotes_sessions(shared_data, root / "negotiation" / "unvotes", (74,))
    (root / "negotiation" / "hrc").mkdir(parents=True)
    for name in ("resolutions.csv", "votes_long.csv"):
        (root / "negotiation" / "hrc" / name).symlink_to(shared_data / "negotiation" / "hrc" / name)
    runner = CliRunner()
    args = ["--database", sqlite_settings.database_url, "load", str(root)]
    first = runner.invoke(app, args)
    assert first.exit_code == 0, first.output
    counts = _counts(sqlite_settings)
    assert counts[2] == 90 + 1714  # roll calls: GA session 74 and every HRC/CHR recorded vote
    second = runner.invoke(app, args)
    assert second.exit_code == 0, second.output
    assert "nothing changed" in second.output
    assert _counts(sqlite_settings) == counts
