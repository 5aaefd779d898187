"""The UN Digital Library voting export (a small file in its documented long format): GA and
Security Council records, a vetoed draft, the library's reading winning over UN_DATA's,
bad rows naming file, line and field, and an idempotent re-import; on both stores."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from rightsdesk.core.config import Settings
from rightsdesk.core.db import session_scope
from rightsdesk.core.errors import InputError
from rightsdesk.core.importing import run_import
from rightsdesk.forms import detect_importer, get_importer
from rightsdesk.negotiation.votes.models import RollCall, StateVote
from rightsdesk.negotiation.votes.service import find_resolution
from rightsdesk.negotiation.votes.showing import council_page, show_resolution
from tests.negotiation.undata_subset import read_undata, undl_record, write_undata, write_undl

P5 = {"CHN": "Y", "FRA": "Y", "GBR": "Y", "RUS": "N", "USA": "Y"}
ELECTED = {"ALB": "Y", "BRA": "Y", "GAB": "Y", "GHA": "Y", "IND": "A", "IRL": "Y"}


def _export(path: Path) -> Path:
    veto = undl_record(
        "3958542",
        {
            "date": "2022-02-25",
            "draft": "S/2022/155",
            "title": "Draft resolution on Ukraine",
            "total_yes": "11",
            "total_no": "1",
            "total_abstentions": "3",
            "total_non_voting": "0",
            "undl_link": "https://digitallibrary.un.org/record/3958542",
        },
        {**P5, **ELECTED, "ARE": "A", "KEN": "Y", "MEX": "Y", "NOR": "Y"},
    )
    sc = undl_record(
        "853517",
        {
            "date": "2016-12-23",
            "resolution": "S/RES/2334 (2016)",
            "title": "Security Council resolution 2334 (2016) [on Israeli settlements]",
            "subjects": "PALESTINE QUESTION",
            "total_yes": "14",
            "total_no": "0",
            "total_abstentions": "1",
            "total_non_voting": "0",
        },
        {"USA": "A", "GBR": "Y", "FRA": "Y", "CHN": "Y", "RUS": "Y"},
    )
    return write_undl([*veto, *sc], path)


def test_undl_export(settings: Settings, shared_data: Path, tmp_path: Path) -> None:
    frame = read_undata(shared_data)
    ud = write_undata(frame[frame["Resolution"] == "S/RES/2334(2016)"], tmp_path / "UN_DATA.zip")
    path = _export(tmp_path / "voting.csv")
    found = detect_importer(path)
    assert found is not None and found.kind == "undl"
    with session_scope(settings.database_url) as s:
        run_import(s, get_importer("undata"), ud, actor="test")
    with session_scope(settings.database_url) as s:
        report = run_import(s, get_importer("undl"), path, actor="test")
        assert report.rows_read == 15 + 5
    with session_scope(settings.database_url) as s:
        res = find_resolution(s, "S/RES/2334")
        assert res is not None
        calls = list(s.scalars(select(RollCall).where(RollCall.resolution_id == res.id)))
        assert len(calls) == 1 and calls[0].reading == "undl"
        votes = dict(
            s.execute(
                select(StateVote.iso3, StateVote.vote).where(StateVote.roll_call_id == calls[0].id)
            ).all()
        )
        assert len(votes) == 5 and votes["USA"] == "abstain"  # the library's (shorter) reading
        page = council_page(s)
        assert page["per_member"]["RUS"] == 1 and page["per_member"]["USA"] == 0
        assert page["vetoes"][0]["symbol"] == "S/2022/155"
        assert show_resolution(s, "S/2022/155")["totals"]["no"] == 1
    with session_scope(settings.database_url) as s:
        again = run_import(s, get_importer("undl"), path, actor="test", force=True)
        assert (again.inserted, again.updated) == (0, 0)


@pytest.mark.parametrize(
    ("change", "line", "field"),
    [
        ({"ms_vote": "Q"}, 3, "ms_vote"),
        ({"ms_code": "XXX", "ms_name": "Nowhere"}, 3, "ms_code"),
        ({"date": "25/02/2022"}, 2, "date"),
    ],
)
def test_undl_bad_rows(
    sqlite_settings: Settings, tmp_path: Path, change: dict[str, str], line: int, field: str
) -> None:
    rows = undl_record(
        "1",
        {"date": "2022-02-25", "resolution": "A/RES/ES-11/1", "title": "Aggression"},
        {"UKR": "Y", "RUS": "N"},
    )
    target = 0 if field == "date" else 1
    rows[target].update(change)
    path = write_undl(rows, tmp_path / "bad.csv")
    with session_scope(sqlite_settings.database_url) as s, pytest.raises(InputError) as err:
        run_import(s, get_importer("undl"), path, actor="test")
    assert (err.value.location.line, err.value.location.field) == (line, field)
    assert "bad.csv" in str(err.value)
