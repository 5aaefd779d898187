"""The imported export in the store: the importer, the stored figures, the contract
functions, the CLI, the pages and the API."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from rightsdesk.cli import app
from rightsdesk.core.config import Settings
from rightsdesk.core.db import session_scope
from rightsdesk.core.security.models import AuditEntry
from rightsdesk.interventions.events import public
from rightsdesk.interventions.events.aggregate import aggregate_duckdb, figures
from rightsdesk.interventions.events.models import EventExport, EventMonthly, EventVolume
from rightsdesk.interventions.events.schema import ROOTS
from rightsdesk.interventions.events.service import events_dir, require_files
from rightsdesk.web.app import create_app
from tests.conftest import StoreTemplate, add_user, login
from tests.interventions.events.conftest import EXPORT_ROWS, TEMPLATE, build_ingested, write_rows

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
        env={
            "RIGHTSDESK_SECRET_KEY": settings.secret_key,
            "RIGHTSDESK_DATA_DIR": str(settings.data_dir),
            "COLUMNS": "120",
        },
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


def _snapshot(settings: Settings) -> list[tuple[Any, ...]]:
    with session_scope(settings.database_url) as db:
        return [
            (r.perspective, r.iso3, r.month, r.root, r.events, r.share, r.goldstein)
            for r in db.scalars(select(EventMonthly).order_by(*EventMonthly.__table__.primary_key))
        ]


def _viewer(settings: Settings) -> TestClient:
    """A logged-in viewer of this very store (``client_for`` serves a SQLite one)."""
    add_user(settings, "events-viewer", "viewer")
    client = TestClient(create_app(settings))
    login(client, "events-viewer")
    return client


def test_ingest_without_aggregation_then_aggregate(
    settings: Settings,
    base_row: dict[str, str],
    export_path: Path,
    tmp_path: Path,
) -> None:
    """A large archive is converted export by export (``--no-aggregate``) and aggregated once:
    meanwhile every page and the API say the figures do not count those exports; afterwards
    the figures are exactly those of ingesting them with aggregation."""
    from tests.interventions.events.test_aggregate import HAND

    # the store is a copy: the template's Parquet file is not in this data folder yet
    assert run(settings, "ingest", str(export_path)).exit_code == 0
    before = _snapshot(settings)
    hand = write_rows(tmp_path / "20150301000000.export.CSV", base_row, HAND)
    out = run(settings, "ingest", str(hand), "--no-aggregate")
    assert out.exit_code == 0, out.output
    assert "figures not recomputed" in flat(out.stdout)
    assert _snapshot(settings) == before  # nothing recomputed
    listed = json.loads(run(settings, "exports", "--format", "json").stdout)
    assert {e["name"]: e["aggregated"] for e in listed} == {
        "20150218230000.export": True,
        "20150301000000.export": False,
    }
    viewer = _viewer(settings)
    for url in ("/interventions/events", "/interventions/events/GBR"):
        page = viewer.get(url)
        assert 'id="events-pending"' in page.text
        assert "do not count 1 export yet" in flat(page.text)
    assert viewer.get("/api/v1/interventions/events/GBR").json()["pending_exports"] == 1

    out = run(settings, "aggregate")
    assert out.exit_code == 0, out.output
    assert "from 2 export(s) (duckdb)" in flat(out.stdout)
    after = _snapshot(settings)
    assert len(after) > len(before)
    touched = {"GBR", "DEU", "RUS"}  # where the hand export's events are, and their actors
    assert {r for r in after if r[1] not in touched} == {r for r in before if r[1] not in touched}
    gbr = {(r[0], r[2], r[3]): r[4] for r in after if r[1] == "GBR"}
    assert gbr[("action", "2015-03", "19")] == 1  # the hand export's March fight
    assert viewer.get("/api/v1/interventions/events/GBR").json()["pending_exports"] == 0
    assert 'id="events-pending"' not in viewer.get("/interventions/events/GBR").text
    # exactly the figures of the two exports aggregated together
    with session_scope(settings.database_url) as db:
        monthly, _ = figures(aggregate_duckdb(require_files(db, events_dir(settings.data_dir))))
    columns = ("perspective", "iso3", "month", "root", "events", "share", "goldstein")
    assert after == sorted(tuple(r[c] for c in columns) for r in monthly)
    with session_scope(settings.database_url) as db:  # both CLI writes are in the audit log
        logged = {(e.action, e.entity) for e in db.scalars(select(AuditEntry))}
    assert {("ingest", "gdelt-export"), ("aggregate", "gdelt-monthly")} <= logged


def test_figures_are_never_recomputed_without_an_exports_file(
    settings: Settings, tmp_path: Path
) -> None:
    """A recorded export whose Parquet file is not in the folder stops the aggregation, naming
    it, rather than dropping its events from the figures."""
    before = _snapshot(settings)
    out = run(settings, "aggregate", "--out", str(tmp_path / "elsewhere"))
    assert out.exit_code == 66 and "20150218230000.export" in flat(out.output)
    assert "no figure was changed" in flat(out.output) and "Traceback" not in out.output
    assert _snapshot(settings) == before


def test_aggregate_on_spark_without_pyspark_is_a_clear_error(
    settings: Settings, export_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run(settings, "ingest", str(export_path)).exit_code == 0
    import builtins

    real_import = builtins.__import__

    def no_pyspark(name: str, *args: Any, **kwargs: Any) -> Any:
        if name.startswith("pyspark"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pyspark)
    out = run(settings, "aggregate", "--engine", "spark")
    assert out.exit_code == 78 and "needs pyspark" in flat(out.output)
    assert "Traceback" not in out.output
