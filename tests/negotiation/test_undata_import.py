"""UN_DATA (real rows written to a test's own zip): GA votes through 2021, the Security
Council, one roll call per resolution with the unvotes reading kept, conflicts, errors."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import func, select

from rightsdesk.core.config import Settings
from rightsdesk.core.db import session_scope
from rightsdesk.core.errors import InputError
from rightsdesk.core.importing import run_import
from rightsdesk.forms import detect_importer, get_importer
from rightsdesk.negotiation.votes.conflicts import vote_conflicts
from rightsdesk.negotiation.votes.models import RollCall, StateVote, VoteReading
from rightsdesk.negotiation.votes.service import find_resolution
from rightsdesk.negotiation.votes.showing import coverage, show_resolution
from tests.negotiation.undata_subset import read_undata, undata_subset, write_undata

if TYPE_CHECKING:
    from tests.negotiation.conftest import UnvotesSessions

SYMBOLS = [
    "A/RES/68/262",
    "A/RES/68/180",
    "S/RES/2334(2016)",
    "S/RES/1326(2000)",
    "A/RES/76/1",
    "A/RES/76/245",
]


def test_undata_with_unvotes(
    settings: Settings, shared_data: Path, unvotes_sessions: UnvotesSessions, tmp_path: Path
) -> None:
    uv = unvotes_sessions(shared_data, tmp_path / "uv", (68,))
    frame = read_undata(shared_data)
    subset = frame[frame["Resolution"].isin(SYMBOLS)].copy()
    # one cell changed: UN_DATA and unvotes now disagree on Senegal's vote on 68/262
    subset.loc[subset["Resolution"] == "A/RES/68/262", "SENEGAL"] = "Y"
    path = write_undata(subset, tmp_path / "ud" / "UN_DATA.csv.zip")
    found = detect_importer(path)
    assert found is not None and found.kind == "undata"
    with session_scope(settings.database_url) as s:
        run_import(s, get_importer("unvotes"), uv, actor="test")
    with session_scope(settings.database_url) as s:
        report = run_import(s, get_importer("undata"), path, actor="test")
        assert any("conflicts between sources: 1 state vote" in m for m in report.messages)
    with session_scope(settings.database_url) as s:
        res = find_resolution(s, "A/RES/68/262")
        assert res is not None
        calls = list(s.scalars(select(RollCall).where(RollCall.resolution_id == res.id)))
        assert len(calls) == 1 and calls[0].source == "unvotes" and calls[0].reading == "undata"
        readings = s.scalars(
            select(VoteReading.source).where(VoteReading.iso3 == "SEN").distinct()
        ).all()
        assert sorted(readings) == ["undata", "unvotes"]
        shown = show_resolution(s, "a/res/68/262")
        assert shown["totals"] == {"yes": 101, "no": 11, "abstain": 57, "absent": 24}
        conflicts = vote_conflicts(s)
        assert [(c["symbol"], c["iso3"]) for c in conflicts] == [("A/RES/68/262", "SEN")]
        assert "unvotes: abstain" in conflicts[0]["readings"]
        sc = show_resolution(s, "S/RES/2334")
        assert sc["symbol"] == "S/RES/2334 (2016)" and sc["body"] == "unsc"
        assert sc["totals"] == {"yes": 14, "no": 0, "abstain": 1, "absent": 0}
        assert {"iso3": "USA", "vote": "abstain"} in sc["votes"]
        late = show_resolution(s, "76/245")
        assert late["date"] > "2021-12-01" and late["totals"]["yes"] > 0
        assert "resolution /" not in late["title"]
        assert show_resolution(s, "S/RES/1326")["votes"] == []  # adopted without a vote
        spans = {c["body"]: (c["first"], c["last"]) for c in coverage(s)}
        assert spans["unga"][1] >= "2021-12-01"
        assert spans["unsc"] == ("2000-10-31", "2016-12-23")
        before = s.scalar(select(func.count()).select_from(StateVote))
    with session_scope(settings.database_url) as s:
        again = run_import(s, get_importer("undata"), path, actor="test", force=True)
        assert (again.inserted, again.updated) == (0, 0)
    with session_scope(settings.database_url) as s:
        assert s.scalar(select(func.count()).select_from(StateVote)) == before


def test_undata_bad_cell(settings: Settings, shared_data: Path, tmp_path: Path) -> None:
    frame = read_undata(shared_data)
    subset = frame[frame["Resolution"].isin([SYMBOLS[0], SYMBOLS[2]])].copy()
    senegal = subset.columns.get_loc("SENEGAL")
    assert isinstance(senegal, int)
    subset.iloc[1, senegal] = "maybe"
    path = write_undata(subset, tmp_path / "UN_DATA.csv.zip")
    with session_scope(settings.database_url) as s, pytest.raises(InputError) as err:
        run_import(s, get_importer("undata"), path, actor="test")
    assert (err.value.location.line, err.value.location.field) == (3, "SENEGAL")
    assert "UN_DATA.csv.zip" in str(err.value)


def test_undata_whole_file_reaches_2021(shared_data: Path, tmp_path: Path) -> None:
    """Every state column resolves and every row parses (no store: the parse alone)."""
    from rightsdesk.negotiation.votes.sources.undata import parse_records, read_wide

    path = undata_subset(shared_data, tmp_path, [])  # header only: the columns resolve
    assert parse_records(read_wide(path), path) == []
    real = shared_data / "negotiation" / "undata" / "UN_DATA.csv.zip"
    records = parse_records(read_wide(real), real)
    ga = [r for r in records if r.body == "unga"]
    sc = [r for r in records if r.body == "unsc"]
    assert max(r.date for r in ga).isoformat() == "2021-12-24"
    assert len(sc) == 2617 and max(r.date for r in sc).isoformat() == "2021-12-30"
    ukraine = next(r for r in ga if r.symbol == "A/RES/68/262")
    assert sum(v == "absent" for v in ukraine.votes.values()) == 24
