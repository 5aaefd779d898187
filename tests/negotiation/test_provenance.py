"""Dated provenance: each dataset's period, and the datasets and latest date behind an
agreement table in the API, on the command line (stderr) and in the page footer."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from rightsdesk.core.config import Settings
from rightsdesk.core.db import session_scope
from rightsdesk.core.importing import run_import
from rightsdesk.core.provenance import (
    VOTE_KINDS,
    Dataset,
    dated_tables,
    provenance_for,
    refresh_periods,
)
from rightsdesk.forms import get_importer
from rightsdesk.negotiation.votes.models import RollCall

if TYPE_CHECKING:
    from tests.negotiation.conftest import UnvotesSessions

Client = Callable[[str], TestClient]


def _import_session(settings: Settings, shared_data: Path, tmp: Path, make: UnvotesSessions) -> str:
    """Import the General Assembly votes of session 74; the newest roll-call date, ISO."""
    path = make(shared_data, tmp / "unvotes", (74,))
    with session_scope(settings.database_url) as s:
        run_import(s, get_importer("unvotes"), path, actor="test")
    with session_scope(settings.database_url) as s:
        newest: date | None = s.scalar(select(func.max(RollCall.date)))
    assert newest is not None
    return newest.isoformat()


def test_dataset_period_filled_by_the_import(
    settings: Settings, shared_data: Path, tmp_path: Path, unvotes_sessions: UnvotesSessions
) -> None:
    newest = _import_session(settings, shared_data, tmp_path, unvotes_sessions)
    with session_scope(settings.database_url) as s:
        oldest = s.scalar(select(func.min(RollCall.date)))
        ds = s.scalars(select(Dataset).where(Dataset.kind == "unvotes")).one()
        assert ds.period_end is not None and ds.period_end.isoformat() == newest
        assert ds.period_start == oldest
        reference = s.scalars(select(Dataset).where(Dataset.kind == "reference-states")).one()
        assert reference.period_end is None  # no dated rows: no period
        prov = provenance_for(s, VOTE_KINDS, "UN votes")
        assert prov.latest == newest and prov.label == f"UN votes to {newest}"
        assert [d.kind for d in prov.datasets] == ["unvotes"]
        # a period cleared by hand is found again (what ``rightsdesk init`` does)
        ds.period_end = None
        s.flush()
        assert refresh_periods(s) == 1
        assert ds.period_end is not None and ds.period_end.isoformat() == newest
    assert "roll_call" in {t.name for t, _ in dated_tables()}


def test_agreement_provenance_in_api_cli_and_page(
    sqlite_settings: Settings,
    client_for: Client,
    shared_data: Path,
    tmp_path: Path,
    unvotes_sessions: UnvotesSessions,
) -> None:
    from typer.testing import CliRunner

    from rightsdesk.cli import app

    newest = _import_session(sqlite_settings, shared_data, tmp_path, unvotes_sessions)
    analyst = client_for("analyst")
    resp = analyst.get("/api/v1/states/USA/agreement", params={"with": "GBR"})
    assert resp.status_code == 200, resp.text
    prov = resp.json()["provenance"]
    assert prov["latest"] == newest
    assert prov["datasets"][0]["kind"] == "unvotes"
    assert prov["datasets"][0]["period_end"] == newest

    page = analyst.get("/states/USA/votes")
    assert page.status_code == 200
    footer = page.text.split('id="provenance"')[1]
    assert f"UN votes to {newest}" in footer

    home = analyst.get("/")
    assert home.status_code == 200
    assert f"{newest[:4]}</td>" in home.text  # the period the dataset covers (years)

    env = {
        "RIGHTSDESK_DATA_DIR": str(sqlite_settings.data_dir),
        "RIGHTSDESK_SECRET_KEY": sqlite_settings.secret_key,
    }
    args = ["--database", sqlite_settings.database_url, "negotiation", "votes", "agreement"]
    table = CliRunner().invoke(app, [*args, "USA", "--with", "GBR"], env=env)
    assert table.exit_code == 0, table.output
    assert f"source: UN votes to {newest}" in table.stderr
    assert "source:" not in table.stdout  # pipes stay clean
    scripted = CliRunner().invoke(app, [*args, "USA", "--with", "GBR", "--format", "json"], env=env)
    assert scripted.exit_code == 0 and json.loads(scripted.stdout)
    assert "source:" not in scripted.output
