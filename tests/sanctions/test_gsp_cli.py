"""``rightsdesk sanctions gsp``, ``gsp-set`` and ``gsp-conventions``: formats, exit codes,
and the audit entry of a status recorded from the command line."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from sqlalchemy import select
from typer.testing import CliRunner

from rightsdesk.cli import app
from rightsdesk.core.config import Settings
from rightsdesk.core.db import session_scope
from rightsdesk.core.security.models import AuditEntry
from rightsdesk.sanctions.gsp import convention_keys
from rightsdesk.sanctions.models import ConventionStatus
from tests.sanctions.conftest import import_file
from tests.sanctions.test_gsp_import import STATUS_HEADER, write


def _run(settings: Settings, *args: str) -> tuple[int, str, str]:
    runner = CliRunner()
    env = {"RIGHTSDESK_SECRET_KEY": settings.secret_key, "COLUMNS": "80"}
    out = runner.invoke(app, ["--database", settings.database_url, "sanctions", *args], env=env)
    return out.exit_code, out.stdout, out.stderr


def test_gsp_table_csv_json(sqlite_settings: Settings, tmp_path: Path) -> None:
    path = write(
        tmp_path / "s.csv",
        STATUS_HEADER + "PAK,C029,ratified,1957-12-23,2025-01-01,ILO NORMLEX,\n",
    )
    import_file(sqlite_settings, "gsp-conventions-csv", path)
    code, out, _ = _run(sqlite_settings, "gsp")
    assert code == 0 and "Pakistan" in out
    assert max(len(line) for line in out.splitlines()) <= 80
    code, out, _ = _run(sqlite_settings, "gsp", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and list(rows[0])[6:] == convention_keys()
    pak = next(r for r in rows if r["iso3"] == "PAK")
    assert pak["C029"] == "ratified" and pak["C087"] == "unknown" and pak["unknown"] == "26"
    code, out, _ = _run(sqlite_settings, "gsp", "--state", "Pakistan", "--format", "json")
    data = json.loads(out)
    assert code == 0 and data[0]["iso3"] == "PAK" and len(data[0]["cells"]) == 27
    cell = next(c for c in data[0]["cells"] if c["convention"] == "C029")
    assert cell["source"] == "ILO NORMLEX" and cell["date"] == "1957-12-23"
    code, out, _ = _run(sqlite_settings, "gsp", "--state", "PAK")
    assert code == 0 and "1 of 27 ratified, 26 unknown" in out
    code, _, err = _run(sqlite_settings, "gsp", "--state", "Atlantis")
    assert code == 66 and "Atlantis" in err


def test_gsp_set_records_and_audits(sqlite_settings: Settings) -> None:
    code, out, _ = _run(
        sqlite_settings, "gsp-set", "Kenya", "c138", "ratified", "--source", "ILO NORMLEX",
        "--date", "1979-04-09", "--as-of", "2025-01-01", "--actor", "tester",
    )  # fmt: skip
    assert code == 0 and "recorded: KEN C138 ratified" in out
    with session_scope(sqlite_settings.database_url) as s:
        row = s.scalars(select(ConventionStatus)).one()
        assert (row.iso3, row.convention, row.entered_by) == ("KEN", "C138", "tester")
        entry = s.scalars(select(AuditEntry).where(AuditEntry.entity == "gsp_convention_status"))
        assert [e.action for e in entry] == ["create"]
    code, _, err = _run(sqlite_settings, "gsp-set", "KEN", "C999", "ratified", "--source", "x")
    assert code == 65 and "unknown convention" in err
    code, _, err = _run(sqlite_settings, "gsp-set", "KEN", "C029", "maybe", "--source", "x")
    assert code == 65 and "unknown status" in err
    code, _, err = _run(
        sqlite_settings, "gsp-set", "KEN", "C029", "ratified", "--source", "x",
        "--date", "2999-01-01",
    )  # fmt: skip
    assert code == 65 and "future" in err
    code, _, err = _run(sqlite_settings, "gsp-set", "KEN", "C029", "ratified", "--source", " ")
    assert code == 65 and "source" in err
    code, out, _ = _run(
        sqlite_settings, "gsp-set", "KEN", "C138", "unknown", "--source", "ILO NORMLEX"
    )
    assert code == 0 and "removed" in out
    with session_scope(sqlite_settings.database_url) as s:
        assert s.scalars(select(ConventionStatus)).all() == []
        actions = s.scalars(
            select(AuditEntry.action).where(AuditEntry.entity == "gsp_convention_status")
        ).all()
        assert actions == ["create", "delete"]


def test_gsp_conventions_lists_27() -> None:
    runner = CliRunner()
    out = runner.invoke(app, ["sanctions", "gsp-conventions", "--format", "json"])
    data = json.loads(out.stdout)
    assert out.exit_code == 0 and [d["key"] for d in data] == convention_keys()
    assert {d["known_from"] for d in data} == {"treaties", "recorded"}
