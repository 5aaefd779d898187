"""The imported export in the store: the importer, the stored figures, the contract
functions, the CLI, the pages and the API."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from rightsdesk.cli import app
from rightsdesk.core.config import Settings
from rightsdesk.interventions.events import public
from rightsdesk.interventions.events.models import EventExport, EventMonthly, EventVolume
from rightsdesk.interventions.events.schema import ROOTS
from tests.conftest import StoreTemplate
from tests.interventions.events.conftest import EXPORT_ROWS, TEMPLATE, build_ingested

#: every store of this module starts as a copy of the template with the export imported
pytestmark = pytest.mark.usefixtures("store_template")


@pytest.fixture(scope="module")
def store_template(shared_data: Path) -> StoreTemplate:
    return TEMPLATE, build_ingested(shared_data)


def test_import_records_the_export_and_figures(session: Session) -> None:
    export = session.scalars(select(EventExport)).one()
    assert (export.name, export.rows, export.rejected) == ("20150218230000.export", EXPORT_ROWS, 0)
    assert export.added_up_to == 20150218230000 and export.dataset_id is not None
    assert (session.scalar(select(func.count()).select_from(EventMonthly)) or 0) > 200
    syria = session.get(EventVolume, ("action", "SYR", "2015-02"))
    assert syria is not None and syria.total == 25


def test_monthly_pressure_contract(session: Session) -> None:
    rows = public.monthly_pressure(session, "SYR")
    assert {r["month"] for r in rows} == {"2015-02"}
    assert [r["root"] for r in rows] == list(ROOTS)
    fight = next(r for r in rows if r["root"] == "19")
    assert fight == {
        "month": "2015-02",
        "root": "19",
        "label": "fight",
        "events": 14,
        "share": 0.56,
        "goldstein": -10.0,
        "total": 25,
    }
    assert next(r for r in rows if r["root"] == "20")["goldstein"] is None
    assert public.monthly_pressure(session, "ATA") == []
    section = public.state_section(session, "syr", None)
    assert section is not None and section["latest_month"] == "2015-02"
    assert section["spec_json"] and "vega-lite" in section["spec_json"]
    assert public.state_section(session, "ATA", None) is None


def run(settings: Settings, *args: str) -> Any:
    return CliRunner().invoke(
        app,
        ["--database", settings.database_url, "interventions", "events", *args],
        env={"RIGHTSDESK_SECRET_KEY": settings.secret_key, "COLUMNS": "120"},
    )


def flat(text: str) -> str:
    """Output with the console's line wrapping undone."""
    return " ".join(text.split())


def test_cli(settings: Settings, export_path: Path, tmp_path: Path) -> None:
    out = run(settings, "monthly", "Syria", "--format", "json")
    assert out.exit_code == 0, out.output
    rows = json.loads(out.stdout)
    assert any(r["root"] == "19" and r["events"] == 14 for r in rows)
    out = run(settings, "ingest", str(export_path), "--out", str(tmp_path / "p"))
    assert out.exit_code == 0 and "2271 events" in flat(out.stdout)  # new folder: converted
    out = run(settings, "ingest", str(export_path), "--out", str(tmp_path / "p"))
    assert "already ingested unchanged" in flat(out.stdout)
    bad = tmp_path / "bad.csv"
    bad.write_text("not\tan\texport\n", encoding="utf-8")
    out = run(settings, "ingest", str(bad))
    assert out.exit_code == 65 and "bad.csv" in flat(out.output)
    assert "Traceback" not in out.output
    out = run(settings, "monthly", "SYR", "--perspective", "nowhere")
    assert out.exit_code == 65 and "perspective" in out.output


def test_pages_and_api(client_for: Any) -> None:
    client = client_for("viewer")
    page = client.get("/interventions/events")
    assert page.status_code == 200
    assert "2,271 events" in page.text and "2015-02-18" in page.text
    state = client.get("/interventions/events/SYR")
    assert state.status_code == 200 and 'id="events-chart-SYR"' in state.text
    assert "Data up to 2015-02-18" in state.text
    api = client.get("/api/v1/interventions/events/SYR", params={"months": 3})
    assert api.status_code == 200
    body = api.json()
    assert body["data_up_to"] == "2015-02-18" and body["iso3"] == "SYR"
    assert any(r["root"] == "19" and r["share"] == 0.56 for r in body["rows"])
    assert client.get("/api/v1/interventions/events/XXQ").status_code in (404, 422, 400)
    assert client.get("/interventions/events/ISL").status_code == 200
