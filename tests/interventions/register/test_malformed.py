"""Bad input to the register's importers: a clear error naming file, line and field, and
nothing stored (each import is all or nothing). SQLite only: the parsing is backend-free."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from rightsdesk.core.config import Settings
from rightsdesk.core.db import session_scope
from rightsdesk.core.errors import InputError
from rightsdesk.interventions.register.models import RegisterEntry
from tests.interventions.register.conftest import import_file

PKO_HEAD = (
    "id,mission_acronym,mission_name,lead_department,mission_isactive,start_date,end_date,"
    "mission_location,mission_longitude,mission_latitude,last_update\n"
)


def _count(settings: Settings) -> int:
    with session_scope(settings.database_url) as s:
        return int(s.scalar(select(func.count()).select_from(RegisterEntry)) or 0)


def _fails(settings: Settings, kind: str, path: Path) -> InputError:
    with pytest.raises(InputError) as info:
        import_file(settings, kind, path)
    assert _count(settings) == 0  # nothing of the file stays
    return info.value


def test_peacekeeping_errors(sqlite_settings: Settings, tmp_path: Path) -> None:
    path = tmp_path / "pko.csv"
    path.write_text(
        PKO_HEAD
        + "1,UNMISS,United Nations Mission in South Sudan,DPO,Yes,2011-07-08,,Juba,,,2024-02-19\n"
        + "2,UNAMID,Hybrid operation in Darfur,DPO,No,31/07/2007,,Al Fashir,,,2024-02-19\n",
        encoding="utf-8",
    )
    err = _fails(sqlite_settings, "un-peacekeeping", path)
    assert (err.location.line, err.location.field) == (3, "start_date")
    assert "pko.csv" in err.message and "31/07/2007" in err.message

    path.write_text(PKO_HEAD + "1,UNMISS,x,DPO,Maybe,2011-07-08,,Juba,,,\n", encoding="utf-8")
    err = _fails(sqlite_settings, "un-peacekeeping", path)
    assert err.location.field == "mission_isactive"

    path.write_text("id,mission_acronym,mission_name\n1,UNMISS,x\n", encoding="utf-8")
    err = _fails(sqlite_settings, "un-peacekeeping", path)
    assert err.code == "missing-column" and err.location.line == 1


def test_icj_errors(sqlite_settings: Settings, tmp_path: Path) -> None:
    path = tmp_path / "icj.json"
    path.write_text('[{"no": 1, "title": "A (B v. C)", ', encoding="utf-8")
    assert "not valid JSON" in _fails(sqlite_settings, "icj-cases", path).message
    good = {"no": 178, "title": "Genocide (The Gambia v. Myanmar)", "kind": "Contentious"}
    bad = {"no": 179, "title": "X (Chile v. Peru)", "kind": "Contentious", "introduced": "2019?"}
    path.write_text(json.dumps([good, bad]), encoding="utf-8")
    err = _fails(sqlite_settings, "icj-cases", path)
    assert (err.location.line, err.location.field) == (2, "[1].introduced")
    path.write_text(json.dumps([good, {**good}]), encoding="utf-8")
    assert "listed twice" in _fails(sqlite_settings, "icj-cases", path).message


def _tree(root: Path, situation: str) -> Path:
    for folder in ("_situations", "_cases", "_accuseds", "_cases-charges", "_countries"):
        (root / folder).mkdir(parents=True)
    (root / "_situations" / "uganda.md").write_text(situation, encoding="utf-8")
    (root / "_cases" / "the-prosecutor-v-ongwen.md").write_text(
        "---\ntitle: The Prosecutor v. Ongwen\ncountry: uganda\ncase_status: Pre-trial\n"
        "accuseds:\n  - dominic-ongwen\n---\n",
        encoding="utf-8",
    )
    return root / "_cases" / "the-prosecutor-v-ongwen.md"


def test_icc_front_matter_error_names_the_file(sqlite_settings: Settings, tmp_path: Path) -> None:
    broken = "---\ntitle: Uganda\ncountry: [uganda\nphase: x\n---\nbody\n"
    path = _tree(tmp_path / "icc", broken)
    err = _fails(sqlite_settings, "icc-aba", path)
    assert "uganda.md" in err.message and "malformed YAML front matter" in err.message
    assert err.location.line is not None

    (tmp_path / "icc" / "_situations" / "uganda.md").write_text("title: no front matter\n")
    err = _fails(sqlite_settings, "icc-aba", path)
    assert "no YAML front matter" in err.message and "uganda.md" in err.message


def test_icc_small_tree_imports(sqlite_settings: Settings, tmp_path: Path) -> None:
    path = _tree(
        tmp_path / "icc", "---\ntitle: Uganda\ncountry: uganda\nphase: Situations & Cases\n---\n"
    )
    report = import_file(sqlite_settings, "icc-aba", path)
    assert report.inserted == 2
    with session_scope(sqlite_settings.database_url) as s:
        case = s.scalar(select(RegisterEntry).where(RegisterEntry.kind == "icc-case"))
        assert case is not None and case.identifier == "ICC-02/04-01/15"
        assert [a.status for a in case.accused] == ["other"]  # no events, no charges file
