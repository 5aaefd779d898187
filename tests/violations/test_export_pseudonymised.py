"""Pseudonymised export: no sensitive value for any role, only the events the reader may read
(a collector its own), perpetrators by name only where readable, pseudonyms stable across
exports, every export audited."""

from __future__ import annotations

import csv
import io
import json
import stat
from collections.abc import Callable
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import select
from typer.testing import CliRunner

from rightsdesk.cli import app as cli_app
from rightsdesk.core.config import Settings
from rightsdesk.core.db import session_scope
from rightsdesk.core.security.models import AuditEntry
from rightsdesk.monitoring.violations import access
from rightsdesk.monitoring.violations.access import Action, Principal
from rightsdesk.monitoring.violations.models import Event
from rightsdesk.monitoring.violations.pseudonymise import (
    CSV_COLUMNS,
    Pseudonymiser,
    build_export,
    to_csv,
    to_json,
)
from rightsdesk.monitoring.violations.search import EventFilters
from tests.violations.conftest import ROLES, SECRETS, Seeded

runner = CliRunner()


def expected_events(settings: Settings, seeded: Seeded, role: str) -> set[str]:
    """Pseudonyms of the scenario's events ``role`` may read, by the access rules."""
    pseudo = Pseudonymiser(settings.secret_key)
    who = Principal(seeded.users[role], role, role)
    with session_scope(settings.database_url) as s:
        return {
            pseudo("E", e.natural_key)
            for e in s.scalars(select(Event))
            if access.may(who, Action.READ, e)
        }


def assert_no_secret(text: str) -> None:
    for name, value in SECRETS.items():
        assert value not in text, name
    assert "Safehouse" not in text and "36.21" not in text


def test_api_export_every_role(
    client_as: Callable[[str], TestClient], violations_sqlite: tuple[Settings, Seeded]
) -> None:
    """One store for every role (its seeding hashes five passwords)."""
    for role in ROLES:
        check_role(role, client_as(role), *violations_sqlite)
    check_collector(client_as("collector"), *violations_sqlite)
    admin = client_as("admin")
    for path, params in (
        ("/api/v1/violations/export", {"level": "secret"}),
        ("/api/v1/violations/export", {"format": "xlsx"}),
        ("/api/v1/violations/export", {"state": "Atlantis"}),
        ("/violations/export.csv", {"from": "last week"}),
    ):
        refused = admin.get(path, params=params)
        assert refused.status_code in (400, 422), (path, params, refused.status_code)
        assert_no_secret(refused.text)


def check_role(role: str, client: TestClient, settings: Settings, seeded: Seeded) -> None:
    got = client.get("/api/v1/violations/export", params={"format": "json"})
    assert got.status_code == 200, got.text
    assert got.headers["content-disposition"].startswith("attachment;")
    assert_no_secret(got.text)
    events = json.loads(got.text)["events"]
    assert {e["event"] for e in events} == expected_events(settings, seeded, role)
    for event in events:
        for act in event["acts"]:
            for p in act["perpetrators"]:
                # the perpetrator is "restricted": by name for analysts and up, else pseudonym
                readable = role in ("analyst", "editor", "admin")
                assert (p["perpetrator"] == "Colonel Test Perpetrator") is readable
                assert readable or p["perpetrator"].startswith("P-")
    as_csv = client.get("/api/v1/violations/export", params={"format": "csv"})
    assert as_csv.status_code == 200
    assert_no_secret(as_csv.text)
    rows = list(csv.DictReader(io.StringIO(as_csv.text.lstrip("\ufeff"))))
    assert {r["event"] for r in rows} == {e["event"] for e in events}
    assert tuple(csv.reader(io.StringIO(as_csv.text.lstrip("\ufeff"))).__next__()) == CSV_COLUMNS


def check_collector(client: TestClient, settings: Settings, seeded: Seeded) -> None:
    pseudo = Pseudonymiser(settings.secret_key)
    with session_scope(settings.database_url) as s:
        own = {
            pseudo("E", e.natural_key)
            for e in s.scalars(select(Event).where(Event.created_by == seeded.users["collector"]))
        }
    got = client.get("/violations/export.csv")
    assert got.status_code == 200 and got.text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(got.text.lstrip("\ufeff"))))
    assert {r["event"] for r in rows} == own and len(own) == 4
    # the collector reads its own victims: their pseudonyms are there, never their names
    assert all(r["victim"].startswith("V-") for r in rows)


def test_pseudonyms_are_stable_and_audited(violations_sqlite: tuple[Settings, Seeded]) -> None:
    settings, seeded = violations_sqlite
    admin = Principal(seeded.users["admin"], "admin", "admin")
    with session_scope(settings.database_url) as s:
        first = build_export(s, admin, EventFilters(), settings.secret_key, "json")
    with session_scope(settings.database_url) as s:
        second = build_export(s, admin, EventFilters(state="Syria"), settings.secret_key, "csv")
    assert first.rows == second.rows == 8
    assert to_json(first) == to_json(second)
    assert_no_secret(to_json(first) + to_csv(first))
    victims = [v["victim"] for e in first.events for v in e["victims"]]
    assert len(set(victims)) == 8 and all(v.startswith("V-") and len(v) == 12 for v in victims)
    # another store's secret gives other pseudonyms
    mine = Pseudonymiser(settings.secret_key)("E", "ev-test-editor-public")
    assert mine in {e["event"] for e in first.events}
    assert Pseudonymiser(settings.secret_key + "x")("E", "ev-test-editor-public") != mine
    with session_scope(settings.database_url) as s:
        exports = s.scalars(select(AuditEntry).where(AuditEntry.action == "export")).all()
        assert len(exports) == 2
        assert exports[1].after is not None and exports[1].after["rows"] == 8
        criteria = exports[1].after["criteria"]
        assert isinstance(criteria, dict) and criteria["state"] == "Syria"
        reads = s.scalars(select(AuditEntry).where(AuditEntry.action == "read")).all()
        assert len(reads) == 2 * 4  # confidential and strictly confidential, twice
        assert_no_secret(json.dumps([e.after for e in [*exports, *reads]], default=str))


def test_cli_export(violations_settings: tuple[Settings, Seeded], tmp_path: Path) -> None:
    settings, _ = violations_settings
    target = tmp_path / "out.json"
    args = ["--database", settings.database_url, "monitoring", "violations", "export"]
    result = runner.invoke(cli_app, [*args, "--output", str(target), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    text = target.read_text(encoding="utf-8")
    assert_no_secret(text)
    assert len(json.loads(text)["events"]) == 8
    bad = runner.invoke(cli_app, [*args, "--output", str(target), "--level", "secret"])
    assert bad.exit_code == 65 and "confidentiality" in bad.output
