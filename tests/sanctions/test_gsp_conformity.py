"""The GSP+ conformity table: the UN conventions read from the negotiation form's treaty data
through its service, the others from recorded statuses; unknown is never "not ratified";
each cell names its source and date; "could qualify" only when all 27 are ratified."""

from __future__ import annotations

import ast
import dataclasses
import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from rightsdesk.core.config import Settings
from rightsdesk.core.db import session_scope
from rightsdesk.forms import service
from rightsdesk.sanctions.gsp import CONVENTIONS, conformity, state_conformity, state_incentives
from tests.sanctions.conftest import import_file
from tests.sanctions.test_gsp_import import INCENTIVE_HEADER, STATUS_HEADER, write

UNTC = "negotiation/treaties/un_hr_ratifications.csv"
RECORDED = [c.key for c in CONVENTIONS if c.known_from == "recorded"]
SRC = Path(__file__).resolve().parents[2] / "src" / "rightsdesk" / "sanctions"


def test_nothing_recorded_is_unknown_not_refused(sqlite_settings: Settings) -> None:
    with session_scope(sqlite_settings.database_url) as s:
        rows = conformity(s)
        usa = state_conformity(s, "USA")
    assert len(rows) > 190
    assert {c.status for r in rows for c in r.cells} == {"unknown"}
    assert usa.unknown == 27 and usa.missing == 0 and not usa.could_qualify
    assert "unknown" in usa.cell("ICCPR").title and usa.cell("ICCPR").to_dict()["source"] is None


def _all_ratified_csv(tmp_path: Path, iso3: str, skip: str | None = None) -> Path:
    lines = [
        f"{iso3},{key},ratified,2000-01-01,2024-06-30,test register of {key},\n"
        for key in RECORDED
        if key != skip
    ]
    return write(tmp_path / f"{iso3}.csv", STATUS_HEADER + "".join(lines))


def test_conformity_with_treaty_data(settings: Settings, shared_data: Path, tmp_path: Path) -> None:
    report = import_file(settings, "untc-ratifications", shared_data / UNTC)
    import_file(settings, "gsp-conventions-csv", _all_ratified_csv(tmp_path, "PAK"))
    import_file(settings, "gsp-conventions-csv", _all_ratified_csv(tmp_path, "ARG", "GENOCIDE"))
    with session_scope(settings.database_url) as s:
        usa = state_conformity(s, "USA")
        mys = state_conformity(s, "MYS")
        twn = state_conformity(s, "TWN")
        pak = state_conformity(s, "PAK")
        arg = state_conformity(s, "ARG")
    iccpr, icescr = usa.cell("ICCPR"), usa.cell("ICESCR")
    assert iccpr.status == "ratified" and iccpr.shown is not None
    assert iccpr.shown.date == dt.date(1992, 6, 8) and iccpr.shown.origin == "treaties"
    assert "un_hr_ratifications.csv" in iccpr.shown.source and iccpr.shown.as_of is not None
    assert icescr.status == "signed" and icescr.shown is not None
    assert "signature only" in (icescr.shown.note or "")
    assert usa.cell("GENOCIDE").status == "unknown"  # not in the treaties data
    assert usa.cell("C029").status == "unknown"
    # a UN member absent from the loaded depositary table took no action: not ratified, cited
    absent = mys.cell("ICCPR")
    assert absent.status == "not-ratified" and absent.shown is not None
    assert absent.shown.origin == "depositary-absence" and "un_hr_ratifications" in absent.title
    # a state outside the UN is not in a depositary table: unknown, not "not ratified"
    assert twn.cell("ICCPR").status == "unknown"
    assert pak.ratified == 27 and pak.could_qualify
    assert arg.ratified == 26 and arg.unknown == 1 and not arg.could_qualify
    assert report.dataset_id is not None


def test_sources_disagree_and_treaties_win(sqlite_settings: Settings, shared_data: Path,
                                           tmp_path: Path) -> None:  # fmt: skip
    import_file(sqlite_settings, "untc-ratifications", shared_data / UNTC)
    path = write(
        tmp_path / "two.csv",
        STATUS_HEADER
        + "PAK,C029,ratified,1957-12-23,2025-01-01,newer source,\n"
        + "PAK,C029,not-ratified,,2001-01-01,older source,\n"
        + "USA,CRC,ratified,,2024-01-01,a wrong register,\n",
    )
    import_file(sqlite_settings, "gsp-conventions-csv", path)
    with session_scope(sqlite_settings.database_url) as s:
        pak = state_conformity(s, "PAK")
        usa = state_conformity(s, "USA")
    c029 = pak.cell("C029")
    assert c029.status == "ratified" and c029.shown and c029.shown.source == "newer source"
    assert c029.disagree and [o.source for o in c029.others] == ["older source"]
    assert "other sources disagree" in c029.title
    crc = usa.cell("CRC")  # the depositary's record wins over a recorded status
    assert crc.status == "signed" and crc.shown and crc.shown.origin == "treaties"
    assert crc.disagree and crc.others[0].source == "a wrong register"


def test_state_incentives(sqlite_settings: Settings, tmp_path: Path) -> None:
    act = "test list of arrangements"
    path = write(
        tmp_path / "inc.csv",
        INCENTIVE_HEADER
        + f"PAK,gsp,2006-01-01,2014-01-01,{act},\n"
        + f"PAK,gsp-plus,2014-01-01,,{act},\n",
    )
    import_file(sqlite_settings, "gsp-incentives-csv", path)
    import_file(sqlite_settings, "gsp-conventions-csv", _all_ratified_csv(tmp_path, "PAK"))
    with session_scope(sqlite_settings.database_url) as s:
        pak = state_incentives(s, "pak", today=dt.date(2026, 1, 1))
        usa = state_incentives(s, "USA", today=dt.date(2026, 1, 1))
    assert [i.scheme for i in pak.current] == ["gsp-plus"] and pak.has_gsp_plus
    assert [i.scheme for i in pak.past] == ["gsp"]
    assert pak.ratified == 21 and pak.unknown == 6 and not pak.could_qualify  # no treaty data
    assert usa.incentives == () and usa.unknown == 27
    data = pak.to_dict()
    assert data["conventions"]["total"] == 27 and data["incentives"][0]["current"] is True


def test_treaty_service_returns_frozen_values(sqlite_settings: Settings, shared_data: Path) -> None:
    import_file(sqlite_settings, "untc-ratifications", shared_data / UNTC)
    with session_scope(sqlite_settings.database_url) as s:
        standings = service("negotiation", "treaty_standings")(s, ["ICCPR"], "USA")
        coverage = service("negotiation", "instrument_coverage")(s, ["ICCPR", "CRPD", "XYZ"])
        assert not isinstance(standings[0], Session)
    assert len(standings) == 1 and standings[0].consented
    with pytest.raises(dataclasses.FrozenInstanceError):
        standings[0].status = "none"
    assert set(coverage) == {"ICCPR", "CRPD"} and coverage["ICCPR"].rows > 150


def test_gsp_reads_treaties_only_through_the_service() -> None:
    """No module of the GSP room imports the negotiation form (type hints aside)."""
    files = [*SRC.joinpath("gsp").glob("*.py"), SRC / "cli_gsp.py", SRC / "routes_gsp.py"]
    files += list(SRC.joinpath("sources").glob("*.py"))
    for path in files:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        guarded = {
            id(n)
            for node in ast.walk(tree)
            if isinstance(node, ast.If) and getattr(node.test, "id", "") == "TYPE_CHECKING"
            for stmt in node.body
            for n in ast.walk(stmt)
        }
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and id(node) not in guarded:
                assert not (node.module or "").startswith("rightsdesk.negotiation"), path
