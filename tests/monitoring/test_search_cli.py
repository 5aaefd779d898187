"""`rightsdesk monitoring search` and `rightsdesk monitoring status` on a real subset."""

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
from rightsdesk.monitoring.recommendations.search import search_ids
from rightsdesk.monitoring.tracking.models import ImplementationRecord
from tests.monitoring.conftest import do_import, head_copy, upr_file


def test_cli_search_and_status(
    sqlite_settings: Settings, shared_data: Path, tmp_path: Path
) -> None:
    do_import(
        sqlite_settings, "upr-info", head_copy(upr_file(shared_data), tmp_path / "c.csv", 201)
    )
    runner = CliRunner()
    env = {"RIGHTSDESK_SECRET_KEY": sqlite_settings.secret_key}
    db = ["--database", sqlite_settings.database_url]
    with session_scope(sqlite_settings.database_url) as s:
        expected = search_ids(s, "women", {"response": "noted", "state": "AFG"})
    out = runner.invoke(
        app,
        [
            *db,
            "monitoring",
            "search",
            "women",
            "--response",
            "noted",
            "--state",
            "Afghanistan",
            "--format",
            "csv",
        ],
        env=env,
    )
    assert out.exit_code == 0, out.output
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    assert [int(r["id"]) for r in rows] == expected
    out = runner.invoke(
        app,
        [*db, "monitoring", "search", '"death penalty"', "--format", "json", "--limit", "3"],
        env=env,
    )
    data = json.loads(out.stdout)
    assert data["total"] > 3 and len(data["hits"]) == 3
    assert "Death penalty" in data["facets"]["issue"]  # UPR Info issues
    table = runner.invoke(app, [*db, "monitoring", "search", "torture"], env=env)
    assert table.exit_code == 0 and "recommendations" in table.stdout
    bad = runner.invoke(app, [*db, "monitoring", "search", "x", "--state", "Atlantis"], env=env)
    assert bad.exit_code == 66 and "unknown state" in bad.output  # not found
    first = expected[0]
    ok = runner.invoke(
        app,
        [
            *db,
            "monitoring",
            "status",
            str(first),
            "in progress",
            "--responsible",
            "Ministry of Women",
            "--actor",
            "desk",
        ],
        env=env,
    )
    assert ok.exit_code == 0, ok.output
    wrong = runner.invoke(app, [*db, "monitoring", "status", str(first), "finished"], env=env)
    assert wrong.exit_code == 65 and "unknown status" in wrong.output
    with session_scope(sqlite_settings.database_url) as s:
        record = s.scalars(select(ImplementationRecord)).one()
        assert (record.status, record.updated_by) == ("in-progress", "desk")
        entry = s.scalars(
            select(AuditEntry).where(AuditEntry.entity == "implementation_record")
        ).one()
        assert entry.actor == "desk"
