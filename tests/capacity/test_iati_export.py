"""IATI 2.03 export: the file validates against the 2.03 schema (shared data, offline), the
three real files (1.00, 1.01, 2.0x) round-trip through it to the same programmes, filters
choose the right ones, and the command and the API keep their contract.

The round trip compares every stored column of every programme and of each of its parts, with
only the documented differences: ``iati_version`` is 2.03 after the trip, a document without
category leaves as A12 (``iati_export_activity.DEFAULTS``), and organisation names of
transactions come back with collapsed whitespace (the importer collapses narratives, and the
file had put the name in the ``ref`` attribute).
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from lxml import etree
from sqlalchemy import func, inspect, select
from sqlalchemy.orm import Session, selectinload
from typer.testing import CliRunner

from rightsdesk.capacity.iati_export import ProgrammeFilter, export_iati, write_iati
from rightsdesk.capacity.iati_export_activity import DEFAULT_DOCUMENT_CATEGORY
from rightsdesk.capacity.models import Participant, Programme, Recipient, Sector
from rightsdesk.cli import app
from rightsdesk.core.config import Settings
from rightsdesk.core.db import dispose_engine, session_factory, session_scope
from rightsdesk.core.errors import InputError, NotFoundError
from rightsdesk.core.security.models import AuditEntry
from rightsdesk.store import init_store
from tests.capacity.conftest import ACTIVITY_COUNTS, import_file
from tests.conftest import PG_ENV, add_user, login, make_settings

PARTS: tuple[str, ...] = ("participants", "recipients", "sectors", "budgets", "transactions")
PARTS += ("indicators", "documents")
ALL = sum(ACTIVITY_COUNTS.values())
runner = CliRunner()


@pytest.fixture(scope="module")
def schema(shared_data: Path) -> etree.XMLSchema:
    """The IATI 2.03 activity schema, loaded from the shared folder (its imports are local)."""
    path = shared_data / "capacity" / "iati" / "schemas-2.03" / "iati-activities-schema.xsd"
    return etree.XMLSchema(etree.parse(str(path), etree.XMLParser(no_network=True)))


def valid(schema: etree.XMLSchema, xml: bytes) -> etree._Element:
    root = etree.fromstring(xml)
    if not schema.validate(root):
        errors = [f"line {e.line}: {e.message}" for e in list(schema.error_log)[:5]]
        pytest.fail("the export does not validate: " + "; ".join(errors))
    return root


def test_all_programmes_validate(capacity_loaded: Session, schema: etree.XMLSchema) -> None:
    started = time.perf_counter()
    export = export_iati(capacity_loaded, ProgrammeFilter())
    took = time.perf_counter() - started
    print(f"exported {export.activities} activities in {took:.2f} s, {len(export.xml)} bytes")
    assert export.activities == ALL
    root = valid(schema, export.xml)
    assert root.get("version") == "2.03" and root.get("generated-datetime")
    activities = root.findall("iati-activity")
    assert len(activities) == ALL
    # a CAFOD 1.00 activity: 1.0x words became 2.03 codes, money kept its currency and date
    cafod = next(a for a in activities if a.findtext("iati-identifier") == "GB-CHC-285776-DRC173")
    assert cafod.get("default-currency") == "GBP" and cafod.get("hierarchy") == "1"
    assert cafod.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    assert cafod.find("reporting-org").get("ref") == "GB-CHC-285776"
    assert cafod.find("reporting-org/narrative").text == "CAFOD"
    roles = [p.get("role") for p in cafod.findall("participating-org")]
    assert roles == ["1", "4"]
    assert cafod.find("recipient-country").get("code") == "CD"
    assert [d.get("type") for d in cafod.findall("activity-date")] == ["2", "3"]
    first = cafod.find("transaction")
    assert first.find("transaction-type").get("code") == "1"  # IF, incoming funds
    assert first.find("transaction-date").get("iso-date") == "2009-10-01"
    value = first.find("value")
    assert (value.text, value.get("value-date")) == ("48271.00", "2009-10-01")
    own = [s for s in cafod.findall("sector") if s.get("vocabulary") == "99"]
    assert own and own[0].find("narrative").text.strip() == "Peace building"
    # the schema's order: the children's tags follow the 2.03 sequence
    order = [
        "iati-identifier",
        "reporting-org",
        "title",
        "description",
        "participating-org",
        "activity-status",
        "activity-date",
        "recipient-country",
        "recipient-region",
        "sector",
        "budget",
        "planned-disbursement",
        "transaction",
        "document-link",
        "related-activity",
        "result",
    ]
    for activity in activities:
        tags = [order.index(child.tag) for child in activity]
        assert tags == sorted(tags)


def _snapshot(session: Session) -> dict[str, dict[str, Any]]:
    """Every stored column of every programme and of each of its parts, by natural key."""
    skip = {"id", "dataset_id", "programme_id", "iati_version"}
    stmt = select(Programme).options(*(selectinload(getattr(Programme, n)) for n in PARTS))
    out: dict[str, dict[str, Any]] = {}
    for programme in session.scalars(stmt):
        columns = inspect(Programme).column_attrs
        row: dict[str, Any] = {c.key: getattr(programme, c.key) for c in columns}
        if row["last_updated"] is not None:  # SQLite gives back naive UTC
            row["last_updated"] = row["last_updated"].replace(tzinfo=None)
        for name in PARTS:
            row[name] = [
                {c.key: getattr(part, c.key) for c in inspect(type(part)).column_attrs}
                for part in getattr(programme, name)
            ]
        out[programme.natural_key] = {
            k: (
                [{c: v for c, v in p.items() if c not in skip} for p in v]
                if isinstance(v, list)
                else v
            )
            for k, v in row.items()
            if k not in skip
        }
    return out


def _as_exported(programme: dict[str, Any]) -> dict[str, Any]:
    """What the round trip must give back: the stored programme with the documented defaults."""
    for doc in programme["documents"]:
        doc["category"] = doc["category"] or DEFAULT_DOCUMENT_CATEGORY
    for tx in programme["transactions"]:
        for side in ("provider", "receiver"):
            if tx[side] is not None:
                tx[side] = " ".join(tx[side].split())
    return programme


@pytest.fixture
def empty_store(capacity_store: Settings, tmp_path: Path) -> Iterator[Settings]:
    """A fresh store on the same backend as ``capacity_store``."""
    if capacity_store.database_url.startswith("sqlite"):
        url = f"sqlite:///{tmp_path / 'roundtrip.db'}"
        settings = make_settings(url, tmp_path)
        init_store(settings)
        yield settings
        dispose_engine(url)
        return
    from rightsdesk.core.scratch import scratch_database

    with scratch_database(os.environ[PG_ENV], "rdtrip") as url:
        settings = make_settings(url, tmp_path)
        init_store(settings)
        yield settings
        dispose_engine(url)


def test_round_trip_gives_the_same_programmes(
    capacity_store: Settings, empty_store: Settings, tmp_path: Path
) -> None:
    out = tmp_path / "all.xml"
    with session_scope(capacity_store.database_url) as session:
        assert write_iati(session, ProgrammeFilter(), out) == ALL
        before = _snapshot(session)
    report = import_file(empty_store, "iati-activities", out)
    assert report.rows_read == ALL
    with session_scope(empty_store.database_url) as session:
        after = _snapshot(session)
        versions = set(session.scalars(select(Programme.iati_version)))
    assert versions == {"2.03"}
    assert len(before) == len(after) == ALL
    differing = [k for k, v in before.items() if _as_exported(v) != after.get(k)]
    assert differing == [], differing[:5]
    # amounts kept their currency and value date
    money = [m for p in after.values() for m in p["budgets"] + p["transactions"]]
    assert len(money) > 1000
    assert all(isinstance(m["value"], Decimal) and m["currency"] for m in money)
    assert all(m["value_date"] is not None for m in money)


def _codes(root: etree._Element, path: str) -> list[set[str]]:
    return [{e.get("code") or "" for e in a.findall(path)} for a in root.findall("iati-activity")]


def test_filters(capacity_loaded: Session, schema: etree.XMLSchema) -> None:
    session = capacity_loaded
    in_drc = session.scalar(
        select(func.count(func.distinct(Recipient.programme_id))).where(
            Recipient.state_iso3 == "COD"
        )
    )
    assert in_drc and in_drc > 150  # CAFOD's and DFID's DRC programmes at least
    export = export_iati(session, ProgrammeFilter.given(session, recipient="DR Congo"))
    assert export.activities == in_drc
    assert all("CD" in codes for codes in _codes(valid(schema, export.xml), "recipient-country"))

    by_dfid = export_iati(session, ProgrammeFilter(donor="gb-1"))
    root = valid(schema, by_dfid.xml)
    for activity in root.findall("iati-activity"):
        funders = {
            p.get("ref") for p in activity.findall("participating-org") if p.get("role") == "1"
        }
        assert activity.find("reporting-org").get("ref") == "GB-1" or "GB-1" in funders
    funded = session.scalars(
        select(Participant.programme_id).where(
            Participant.org_ref == "GB-1", Participant.role == "1"
        )
    )
    reported = session.scalars(select(Programme.id).where(Programme.reporting_org_ref == "GB-1"))
    assert by_dfid.activities == len(set(funded) | set(reported)) > 200

    rights = export_iati(session, ProgrammeFilter(sector="15160"))
    assert all("15160" in codes for codes in _codes(valid(schema, rights.xml), "sector"))
    group = export_iati(session, ProgrammeFilter(sector="151"))
    assert group.activities > rights.activities
    assert all(
        any(c.startswith("151") for c in codes)
        for codes in _codes(etree.fromstring(group.xml), "sector")
    )
    both = export_iati(session, ProgrammeFilter(recipient="COD", sector="15160"))
    assert 0 < both.activities <= min(in_drc, rights.activities)
    ids = session.scalars(select(Programme.id).order_by(Programme.id).limit(3)).all()
    assert export_iati(session, ProgrammeFilter(ids=tuple(ids))).activities == 3
    with pytest.raises(NotFoundError, match="no programme matches"):
        export_iati(session, ProgrammeFilter(recipient="FRA", sector="15160"))


def test_missing_required_data_is_refused_clearly(
    capacity_loaded: Session, schema: etree.XMLSchema
) -> None:
    """A programme without reporting organisation cannot be published: the error names it and
    the field (nothing is written); with it, the same programme exports and validates."""
    session = capacity_loaded
    programme = Programme(natural_key="rd-test-missing", title="Training of judges")
    session.add(programme)
    session.flush()
    chosen = ProgrammeFilter(ids=(programme.id,))
    with pytest.raises(InputError) as caught:
        export_iati(session, chosen)
    assert "rd-test-missing" in caught.value.message
    assert caught.value.location.field == "reporting_org_ref"
    programme.reporting_org_ref, programme.reporting_org_type = "XM-DAC-41304", "40"
    with pytest.raises(InputError) as caught:
        export_iati(session, chosen)
    assert caught.value.location.field == "participants"
    programme.participants = [Participant(role="1", org_ref="XM-DAC-41304", name="OHCHR")]
    programme.status_code = "2"
    with pytest.raises(InputError, match="activity date"):
        export_iati(session, chosen)
    import datetime as dt

    programme.planned_start = dt.date(2024, 1, 1)
    programme.sectors = [Sector(vocabulary="1", code="15160", percentage=100.0)]
    root = valid(schema, export_iati(session, chosen).xml)
    description = root.find("iati-activity/description/narrative")
    assert description is not None and not description.text  # documented: empty narrative


# --- command and API ---------------------------------------------------------------------


def test_cli_contract(capacity_store: Settings, schema: etree.XMLSchema, tmp_path: Path) -> None:
    out = tmp_path / "cod.xml"
    db = ["--database", capacity_store.database_url]
    result = runner.invoke(
        app, [*db, "capacity", "export-iati", "--recipient", "COD", "--output", str(out)]
    )
    assert result.exit_code == 0, result.output
    said = re.search(r"wrote (\d+) IATI 2.03 activities", result.output)
    assert said is not None, result.output
    written = int(said.group(1))
    root = valid(schema, out.read_bytes())
    assert written == len(root.findall("iati-activity")) > 150
    # a state name through the resolver, with the donor and sector options
    named = tmp_path / "named.xml"
    args = ["--recipient", "Democratic Republic of the Congo", "--sector", "15160"]
    result = runner.invoke(
        app, [*db, "capacity", "export-iati", *args, "--donor", "GB-CHC-285776", "-o", str(named)]
    )
    assert result.exit_code == 0, result.output
    root = valid(schema, named.read_bytes())
    assert {a.find("reporting-org").get("ref") for a in root.findall("iati-activity")} == {
        "GB-CHC-285776"
    }
    # unknown state: 66; nothing matches: 66; a bad output path: 65; never a traceback
    for args, code in [
        (["--recipient", "Narnia", "-o", str(tmp_path / "x.xml")], 66),
        (["--recipient", "FRA", "--sector", "15160", "-o", str(tmp_path / "x.xml")], 66),
        (["--recipient", "COD", "-o", str(tmp_path / "no" / "dir" / "x.xml")], 65),
    ]:
        result = runner.invoke(app, [*db, "capacity", "export-iati", *args])
        assert result.exit_code == code, result.output
        assert "Traceback" not in result.output
    assert not (tmp_path / "x.xml").exists()


def test_api_export(capacity_store: Settings, schema: etree.XMLSchema) -> None:
    from fastapi.testclient import TestClient

    from rightsdesk.web.app import create_app

    name = f"iati-viewer-{time.time_ns()}"
    add_user(capacity_store, name, "viewer")
    app_ = create_app(capacity_store)
    anonymous, client = TestClient(app_), TestClient(app_)  # no lifespan: no warm-up
    assert anonymous.get("/api/v1/capacity/iati.xml").status_code == 401
    login(client, name)
    resp = client.get("/api/v1/capacity/iati.xml", params={"recipient": "COD", "sector": "15160"})
    assert resp.status_code == 200, resp.text
    assert resp.headers["content-type"].startswith("application/xml")
    root = valid(schema, resp.content)
    assert len(root.findall("iati-activity")) > 0
    missing = client.get(
        "/api/v1/capacity/iati.xml", params={"recipient": "FRA", "sector": "15160"}
    )
    assert missing.status_code == 404 and missing.json()["error"] == "not-found"
    unknown = client.get("/api/v1/capacity/iati.xml", params={"recipient": "Narnia"})
    assert unknown.status_code == 404 and unknown.json()["error"] == "unknown-state"
    session = session_factory(capacity_store.database_url)()
    try:
        entry = session.scalars(
            select(AuditEntry)
            .where(AuditEntry.actor == name, AuditEntry.action == "export")
            .order_by(AuditEntry.id.desc())
        ).first()
    finally:
        session.close()
    assert entry is not None and entry.entity == "programme"
    after = entry.after or {}
    assert after["rows"] == len(root.findall("iati-activity"))
    assert after["criteria"] == {"recipient": "COD", "sector": "15160"}
    assert after["format"] == "iati"
