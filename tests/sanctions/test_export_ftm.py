"""The FollowTheMoney export, checked with the followthemoney library itself, a round trip
through the FtM importer, and the ``sanctions export-ftm`` command."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import pytest
from followthemoney import model
from sqlalchemy import select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from rightsdesk.cli import app
from rightsdesk.core.config import Settings
from rightsdesk.core.db import session_scope
from rightsdesk.core.errors import NotFoundError
from rightsdesk.sanctions.ftm_export import ExportReport, entity_lines, select_entities, write_ftm
from rightsdesk.sanctions.models import Designation, SanctionEntity, SanctionList
from tests.sanctions.conftest import import_file


def export(session: Session, pks: list[int]) -> list[dict[str, Any]]:
    out = io.StringIO()
    write_ftm(session, pks, out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def sample_ids(session: Session, per_list: int = 15) -> list[str]:
    """A few entities of every list in the store (UN, OFAC, EU ...)."""
    ids: list[str] = []
    for key in session.scalars(select(SanctionList.key)):
        ids += select_ids(session, key)[:per_list]
    return sorted(set(ids))


def select_ids(session: Session, list_key: str) -> list[str]:
    pks = select_entities(session, list_key=list_key)
    return list(session.scalars(select(SanctionEntity.entity_id).where(SanctionEntity.id.in_(pks))))


def test_every_line_is_a_valid_ftm_entity(sanctions_session: Session) -> None:
    ids = sample_ids(sanctions_session)
    assert len(ids) >= 15
    lines = export(sanctions_session, select_entities(sanctions_session, entity_ids=ids))
    exported = {line["id"] for line in lines if line["schema"] != "Sanction"}
    assert exported == set(ids)
    sanctions = 0
    for line in lines:
        schema = model.get(line["schema"])
        assert schema is not None and not schema.abstract
        for prop in line["properties"]:
            assert schema.get(prop) is not None, (line["schema"], prop)
        proxy = model.get_proxy(line, cleaned=False)  # the library cleans every value again
        assert proxy.to_dict()["properties"] == line["properties"], line["id"]
        if line["schema"] == "Sanction":
            sanctions += 1
            assert proxy.first("entity") in exported
            assert line["datasets"]
    assert sanctions >= len(ids)  # every sampled entity holds at least one designation


def test_eu_list_titled_by_its_programme(sanctions_session: Session) -> None:
    title = sanctions_session.scalars(
        select(SanctionList.title).where(SanctionList.key == "eu_journal_32020R1998")
    ).one()
    assert title == (
        "EU Restrictive measures against serious human rights violations and abuses "
        "(Regulation 2020/1998, CELEX 32020R1998)"
    )


def test_filters(sanctions_session: Session) -> None:
    hr = select_entities(sanctions_session, program="EU-HR")
    assert len(hr) == 177
    russians = select_entities(sanctions_session, program="EU-HR", country="RUS")
    assert 0 < len(russians) < len(hr)
    lines = export(sanctions_session, russians)
    people = [line for line in lines if line["schema"] != "Sanction"]
    assert all(
        "ru" in line["properties"].get("nationality", []) + line["properties"].get("country", [])
        or "ru" in line["properties"].get("citizenship", [])
        for line in people
    )
    with pytest.raises(NotFoundError):
        select_entities(sanctions_session, entity_ids=["no-such-entity"])


def _snapshot(session: Session, ids: list[str]) -> dict[str, Any]:
    """What an entity and its designations hold, for comparing two stores."""
    out: dict[str, Any] = {}
    for entity in session.scalars(select(SanctionEntity).where(SanctionEntity.entity_id.in_(ids))):
        out[entity.entity_id] = {
            "schema": entity.schema,
            "caption": entity.caption,
            "properties": entity.properties,
            "datasets": sorted(entity.datasets),
            "active": entity.active,
            "names": sorted((n.kind, n.name) for n in entity.names),
            "countries": sorted((c.prop, c.iso3) for c in entity.countries),
            "designations": sorted(
                (
                    d.list_key,
                    d.authority,
                    d.program_code,
                    d.program_key or "",
                    d.measure or "",
                    str(d.listed_on),
                    str(d.delisted_on),
                    d.reason or "",
                    d.source_document or "",
                    d.source_ref,
                )
                for d in entity.designations
            ),
        }
    return out


def test_round_trip_through_the_importer(
    sanctions_store: Settings, sqlite_settings: Settings, tmp_path: Path
) -> None:
    with session_scope(sanctions_store.database_url) as session:
        ids = sample_ids(session)
        hr = select_ids(session, "eu_journal_32020R1998")
        ids = sorted(set(ids) | set(hr))
        path = tmp_path / "export.jsonl"
        path.write_text(
            "".join(
                json.dumps(line) + "\n"
                for line in export(session, select_entities(session, entity_ids=ids))
            )
        )
        before = _snapshot(session, ids)
    import_file(sqlite_settings, "ftm-jsonl", path)
    with session_scope(sqlite_settings.database_url) as session:
        after = _snapshot(session, ids)
        keys = set(session.scalars(select(SanctionList.key)))
        assert "eu_journal_32020R1998" in keys and len(keys) >= 3  # UN, OFAC, EU at least
    assert set(after) == set(before)
    for entity_id, data in before.items():
        assert after[entity_id] == data, entity_id


def run(settings: Settings, *args: str) -> tuple[int, str]:
    out = CliRunner().invoke(
        app,
        ["--database", settings.database_url, "sanctions", "export-ftm", *args],
        env={"RIGHTSDESK_SECRET_KEY": settings.secret_key, "COLUMNS": "160"},
    )
    return out.exit_code, out.output


def test_cli_export(sanctions_loaded: Settings, tmp_path: Path) -> None:
    out = tmp_path / "hr.jsonl"
    code, text = run(sanctions_loaded, "--output", str(out), "--program", "EU-HR")
    assert code == 0, text
    assert "wrote 177 entities" in text
    lines = out.read_text().splitlines()
    assert len([x for x in lines if '"schema": "Sanction"' in x]) >= 177
    code, text = run(sanctions_loaded, "--output", str(out), "--entity", "nobody")
    assert code == 66, text
    assert out.read_text().splitlines() == lines  # a failed export leaves the file as it was
    target = tmp_path / "x.jsonl"
    code, _ = run(sanctions_loaded, "-o", str(target), "--program", "NO-SUCH")
    assert code == 66 and not target.exists()
    code, text = run(
        sanctions_loaded,
        "-o",
        str(target),
        "--country",
        "Russia",
        "--list",
        "eu_journal_32020R1998",
    )
    assert code == 0, text
    assert 0 < len(target.read_text().splitlines()) < len(lines)


def test_a_property_the_schema_lacks_is_left_out_and_counted() -> None:
    entity = SanctionEntity(
        entity_id="x-1",
        schema="Vessel",
        caption="SEA BREEZE",
        properties={"name": ["SEA BREEZE"], "birthDate": ["1970"], "flag": ["ru"]},
        datasets=["test_list"],
    )
    entity.designations = [
        Designation(
            list_key="test_list",
            authority="Test authority",
            program_code="TEST",
            source_ref="",
            source_document="Press release SC/123",
            listed_on=dt.date(2020, 1, 2),
        )
    ]
    report = ExportReport()
    vessel, sanction = list(entity_lines(entity, report))
    assert vessel["properties"] == {"name": ["SEA BREEZE"], "flag": ["ru"]}
    assert report.dropped == {"Vessel.birthDate (not a property of the schema)": 1}
    assert sanction["properties"]["description"] == ["Press release SC/123"]  # not a URL
    assert sanction["properties"]["listingDate"] == ["2020-01-02"]
    assert "authorityId" not in sanction["properties"]
    assert model.get_proxy(sanction, cleaned=False).first("entity") == "x-1"
