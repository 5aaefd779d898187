"""Sensitive values at rest and in logs: a copy of the database alone discloses nothing.

After the scenario is seeded, and after an event with sensitive values is entered through the
JSON API and the page form (where those routes exist), the SQLite file and its WAL hold none of
the values in clear (UTF-8 or UTF-16); on both stores every ``EncryptedText`` column, read back
with a plain SQL query that bypasses the type, holds Fernet tokens only, and no other column of
any table (audit log and search columns included) holds a value; and the log records written
while all that happened mention none of them.
"""

from __future__ import annotations

import base64
import binascii
import logging
from pathlib import Path

import pytest
from sqlalchemy import Column, Table, inspect, text
from sqlalchemy.engine import make_url

from rightsdesk.core.db import Base, get_engine
from rightsdesk.core.security.crypto import EncryptedText
from tests.security.conftest import Callers
from tests.security.route_table import has_route
from tests.security.scenario import ALL_SECRETS, Scenario

#: what the API and page creates store: distinct from the seed's, so a leak names its path
API_SECRETS = {
    "victim_name": "Bashir Apivictim-Secret",
    "victim_contact": "+999 555 0199 apicontact",
    "victim_identity": "passport AP-0099-secret",
    "reporter_name": "Layla Apiwitness-Secret",
    "reporter_contact": "api.witness@example.invalid",
    "place": "Hidden Farm Road 9 apiplace",
}
FORM_SECRETS = {
    key: value.replace("Api", "Form").replace("api", "form") for key, value in API_SECRETS.items()
}


def _all_secrets(scenario: Scenario) -> list[str]:
    tagged = [s for family in scenario.families for s in family.secrets]
    return [*ALL_SECRETS, *tagged, *API_SECRETS.values(), *FORM_SECRETS.values()]


def encrypted_columns() -> list[tuple[Table, Column[object]]]:
    """Every column of every model typed ``EncryptedText``."""
    found = []
    for table in Base.metadata.sorted_tables:
        for column in table.columns:
            if isinstance(column.type, EncryptedText):
                found.append((table, column))
    return found


def is_fernet_token(value: str) -> bool:
    """A Fernet token: URL-safe base64 of version byte 0x80, a timestamp, IV, data and MAC."""
    try:
        raw = base64.urlsafe_b64decode(value.encode("ascii"))
    except (binascii.Error, UnicodeEncodeError, ValueError):
        return False
    return len(raw) >= 1 + 8 + 16 + 16 + 32 and raw[0] == 0x80


def event_json(secrets: dict[str, str]) -> dict[str, object]:
    """An event as the JSON API takes it (``event_input.parse_event_json``)."""
    return {
        "title": "Raid on a farm (at-rest test)",
        "description": "Night raid; two people taken.",
        "start_date": "2020-05-01",
        "state_iso3": "SYR",
        "area": "Idlib governorate",
        "place": secrets["place"],
        "latitude": 35.9,
        "longitude": 36.6,
        "location_sensitive": True,
        "confidentiality": "confidential",
        "status": "reported",
        "victims": [
            {
                "kind": "person",
                "name": secrets["victim_name"],
                "contact": secrets["victim_contact"],
                "identity": secrets["victim_identity"],
                "sex": "male",
                "age_group": "adult",
            }
        ],
        "acts": [{"act_type": "arbitrary_detention", "victim_index": 0}],
        "sources": [
            {
                "source_type": "witness",
                "reporter_name": secrets["reporter_name"],
                "reporter_contact": secrets["reporter_contact"],
                "reliability": "B",
                "credibility": "2",
            }
        ],
    }


def event_form(secrets: dict[str, str], csrf: str) -> dict[str, str]:
    """The same event as the page form posts it (field names agreed between H1 and H2)."""
    return {
        "csrf_token": csrf,
        "title": "Raid on a farm (form at-rest test)",
        "start_date": "2020-05-02",
        "state_iso3": "SYR",
        "area": "Idlib governorate",
        "place": secrets["place"],
        "latitude": "35.9",
        "longitude": "36.6",
        "location_sensitive": "on",
        "confidentiality": "confidential",
        "status": "reported",
        "victims[0].kind": "person",
        "victims[0].name": secrets["victim_name"],
        "victims[0].contact": secrets["victim_contact"],
        "victims[0].identity": secrets["victim_identity"],
        "acts[0].act_type": "arbitrary_detention",
        "acts[0].victim_index": "0",
        "sources[0].source_type": "witness",
        "sources[0].reporter_name": secrets["reporter_name"],
        "sources[0].reporter_contact": secrets["reporter_contact"],
    }


def enter_events(callers: Callers) -> list[str]:
    """Enter one event through the API and one through the page form, as the editor; the
    entry points used (for the report)."""
    editor = callers.by_role["editor"]
    used: list[str] = []
    if has_route(callers.app, "POST", "/api/v1/violations/events"):
        resp = editor.client.post(
            "/api/v1/violations/events", json=event_json(API_SECRETS), headers=editor.api_headers()
        )
        assert resp.status_code in (200, 201), resp.text[:500]
        used.append("POST /api/v1/violations/events")
    for path in ("/violations/new", "/violations/events/new", "/violations/events"):
        if has_route(callers.app, "POST", path):
            resp = editor.client.post(
                path, data=event_form(FORM_SECRETS, editor.csrf), follow_redirects=False
            )
            assert resp.status_code == 303, resp.text[:500]
            used.append(f"POST {path}")
            break
    return used


def test_database_holds_no_sensitive_value_in_clear(
    scenario: Scenario, callers: Callers, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    used = enter_events(callers)
    # the admin reads every event page and API answer: logs of reads must stay clean too
    admin = callers.by_role["admin"]
    for family in scenario.families:
        for url in (
            f"/violations/events/{family.event.id}",
            f"/api/v1/violations/events/{family.event.id}",
        ):
            admin.client.get(url)
    secrets = _all_secrets(scenario)
    engine = get_engine(scenario.settings.database_url)
    columns = encrypted_columns()
    assert {(t.name, c.name) for t, c in columns} >= {
        ("violation_victim", "name"),
        ("violation_victim", "contact"),
        ("violation_source", "reporter_name"),
        ("violation_event", "exact_location"),
        ("violation_attachment", "filename"),
    }
    problems: list[str] = []
    tokens = 0
    with engine.connect() as conn:
        for table, column in columns:
            rows = conn.execute(text(f'SELECT "{column.name}" FROM "{table.name}"'))
            for (value,) in rows:
                if value is None:
                    continue
                tokens += 1
                if not is_fernet_token(str(value)):
                    problems.append(f"{table.name}.{column.name}: not a Fernet token")
        # every table of the store, read as plain text: the audit log, the search columns
        for name in inspect(conn).get_table_names():
            for row in conn.execute(text(f'SELECT * FROM "{name}"')):
                cells = " | ".join(str(v) for v in row if v is not None)
                problems += [f"{name}: holds {s[:14]}... in clear" for s in secrets if s in cells]
    if engine.dialect.name == "sqlite":
        problems += _file_problems(scenario.settings.database_url, secrets)
    logged = caplog.text
    problems += [f"log: {s[:14]}... written to the log" for s in secrets if s in logged]
    print(f"\nat rest: {len(columns)} EncryptedText columns, {tokens} tokens; entered via {used}")
    assert tokens >= 5 * len(scenario.families)
    assert problems == [], "\n".join(problems[:40])


def _file_problems(url: str, secrets: list[str]) -> list[str]:
    """Search the SQLite file and its WAL byte by byte, in UTF-8 and UTF-16 (both orders)."""
    path = Path(str(make_url(url).database))
    problems = []
    for file in (path, path.with_name(path.name + "-wal")):
        if not file.exists():
            continue
        data = file.read_bytes()
        for secret in secrets:
            for encoding in ("utf-8", "utf-16-le", "utf-16-be"):
                if secret.encode(encoding) in data:
                    problems.append(f"{file.name}: {secret[:14]}... in clear ({encoding})")
    return problems
