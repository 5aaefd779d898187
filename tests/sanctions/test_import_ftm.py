"""FollowTheMoney JSON lines: UK- and Canada-style lists built with the followthemoney
library, a newer version with an entity removed (history), and malformed lines."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from sqlalchemy import select

from rightsdesk.core.config import Settings
from rightsdesk.core.db import session_scope
from rightsdesk.core.errors import EncodingError, InputError
from rightsdesk.sanctions.models import Designation, SanctionChange, SanctionEntity, SanctionList
from rightsdesk.sanctions.sources.ftm_jsonl import FtmJsonlImporter
from rightsdesk.sanctions.sources.ftm_parse import parse_ftm_file
from tests.sanctions.conftest import import_file
from tests.sanctions.ftm_files import CANADA, UK, canada_list, entity, uk_list, write


def test_parse_uk_style_list(tmp_path: Path) -> None:
    parsed = parse_ftm_file(write(tmp_path / "uk.json", uk_list()))
    (version,) = parsed.lists
    assert version.list_key == UK
    assert version.version_date == dt.date(2024, 5, 3)
    assert version.authority == "Office of Financial Sanctions Implementation"
    people = {e.entity_id: e for e in version.entities}
    assert set(people) == {"gb-hmt-14001", "gb-hmt-15002"}
    person = people["gb-hmt-14001"]
    assert person.properties["passportNumber"] == ["7712345"]  # folded from the Passport
    assert person.properties["address"] == ["Moscow, Russia"]  # from the Address entity
    assert person.properties["topics"] == ["sanction"]
    assert person.properties["programId"] == ["GB-HR"]
    (designation,) = person.designations
    assert designation.program_key == "GB-HR" and designation.program_code == "Global Human Rights"
    assert designation.listed_on == dt.date(2021, 3, 22)
    assert designation.source_ref == "GHR0001" and designation.measure == "Asset freeze"
    assert parsed.notes["Ownership entities (links, not stored)"] == 1


def test_import_two_lists_keeps_datasets_and_programmes(settings: Settings, tmp_path: Path) -> None:
    uk = import_file(settings, "ftm-jsonl", write(tmp_path / "uk.json", uk_list()))
    ca = import_file(settings, "ftm-jsonl", write(tmp_path / "ca.json", canada_list()))
    assert uk.inserted == 2 and ca.inserted == 2
    assert any("1 × sanction dates without a day" in m for m in ca.messages)
    with session_scope(settings.database_url) as session:
        lists = {lst.key: lst for lst in session.scalars(select(SanctionList))}
        assert set(lists) == {UK, CANADA}
        assert lists[CANADA].version_date == dt.date(2024, 4, 30)
        person = session.scalars(
            select(SanctionEntity).where(SanctionEntity.entity_id == "gb-hmt-14001")
        ).one()
        assert person.datasets == [UK]
        assert person.first_seen == dt.date(2021, 3, 22)  # the publisher's, earlier than the file
        assert person.properties["topics"] == ["sanction"]
        assert {n.script for n in person.names} == {"Latin", "Cyrillic"}
        vessel = session.scalars(
            select(SanctionEntity).where(SanctionEntity.entity_id == "ca-sema-v1")
        ).one()
        assert vessel.schema == "Vessel" and vessel.properties["flag"] == ["ru"]
        (d,) = vessel.designations
        assert d.listed_on is None  # "2023-02" is not a day: not invented
        assert d.authority == "Global Affairs Canada" and d.program_code == "SEMA Russia"


def test_newer_version_with_an_entity_removed(sqlite_settings: Settings, tmp_path: Path) -> None:
    import_file(sqlite_settings, "ftm-jsonl", write(tmp_path / "v1.json", uk_list()))
    newer = uk_list(seen="2024-09-01T06:00:00", drop="gb-hmt-15002")
    report = import_file(sqlite_settings, "ftm-jsonl", write(tmp_path / "v2.json", newer))
    assert report.unchanged == 1
    with session_scope(sqlite_settings.database_url) as session:
        wagner = session.scalars(
            select(SanctionEntity).where(SanctionEntity.entity_id == "gb-hmt-15002")
        ).one()
        assert not wagner.active
        (d,) = wagner.designations
        assert d.delisted_on == dt.date(2024, 9, 1)
        change = session.scalars(
            select(SanctionChange).where(SanctionChange.entity_id == "gb-hmt-15002")
        ).all()
        assert [(c.change, c.version_date) for c in change] == [
            ("added", dt.date(2024, 5, 3)),
            ("removed", dt.date(2024, 9, 1)),
        ]
        kept = session.scalars(
            select(Designation)
            .join(SanctionEntity)
            .where(SanctionEntity.entity_id == "gb-hmt-14001")
        ).one()
        assert kept.delisted_on is None


def test_collection_file_is_one_version_per_dataset(tmp_path: Path) -> None:
    lines = uk_list() + canada_list()
    lines[0]["datasets"] = [UK, CANADA]  # the same person on both lists
    parsed = parse_ftm_file(write(tmp_path / "sanctions.json", lines))
    by_key = {v.list_key: v for v in parsed.lists}
    assert set(by_key) == {UK, CANADA}
    in_canada = {e.entity_id: e for e in by_key[CANADA].entities}
    assert in_canada["gb-hmt-14001"].designations == []  # its Sanction is the UK's
    assert len({e.entity_id for e in by_key[UK].entities}) == 2


def _malformed(tmp_path: Path, bad_line: str) -> Path:
    good = [json.dumps(line) for line in canada_list()]
    good.insert(2, bad_line)
    path = tmp_path / "bad.json"
    path.write_text("\n".join(good) + "\n")
    return path


@pytest.mark.parametrize(
    ("bad", "field", "message"),
    [
        ('{"id": "x", "schema": "Person", "properties": {"name": ["A"]}', None, "not valid JSON"),
        ('["a list"]', None, "one JSON object"),
        ('{"schema": "Person", "properties": {}}', "id", "missing entity id"),
        ('{"id": "x", "schema": "Persn", "properties": {}}', "schema", "unknown"),
        ('{"id": "x", "schema": "Person", "properties": {"wings": ["2"]}}', "wings", "no property"),
        ('{"id": "x", "schema": "Person", "properties": {"name": [3]}}', "name", "texts"),
        ('{"id": "x", "schema": "Person", "properties": [1]}', "properties", "an object"),
        ('{"id": "x", "schema": "Person", "properties": {}, "datasets": "uk"}', "datasets", "list"),
        ('{"id": "ca-sema-77", "schema": "Person", "properties": {}}', None, "appears twice"),
    ],
)
def test_malformed_lines(tmp_path: Path, bad: str, field: str | None, message: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_ftm_file(_malformed(tmp_path, bad))
    assert message in caught.value.reason
    assert caught.value.location.line == 3
    assert caught.value.location.field == field


def test_bad_values_are_counted_and_encoding_checked(tmp_path: Path) -> None:
    lines = canada_list()
    lines[0]["properties"]["birthDate"] = ["not a date", "1970"]
    parsed = parse_ftm_file(write(tmp_path / "values.json", lines))
    assert parsed.notes["property values the FtM model rejects (dropped)"] == 1
    person = next(e for e in parsed.lists[0].entities if e.entity_id == "ca-sema-77")
    assert person.properties["birthDate"] == ["1970"]
    latin = tmp_path / "latin.json"
    latin.write_bytes(
        json.dumps(canada_list()[0]).encode() + b"\n" + '{"id": "é"}'.encode("latin-1")
    )
    with pytest.raises(EncodingError) as caught:
        parse_ftm_file(latin)
    assert caught.value.location.line == 2


def test_failed_import_changes_nothing(sqlite_settings: Settings, tmp_path: Path) -> None:
    path = _malformed(tmp_path, '{"id": "x", "schema": "Persn", "properties": {}}')
    with pytest.raises(InputError):
        import_file(sqlite_settings, "ftm-jsonl", path)
    with session_scope(sqlite_settings.database_url) as session:
        assert session.scalars(select(SanctionEntity)).first() is None


def test_sniff(tmp_path: Path, shared_data: Path) -> None:
    importer = FtmJsonlImporter()
    assert importer.sniff(write(tmp_path / "uk.json", uk_list()))
    other = tmp_path / "other.json"
    other.write_text('{"name": "not an entity"}\n')
    assert not importer.sniff(other)
    assert not importer.sniff(shared_data / "sanctions" / "eu-journal" / "32020R1998.csv")
    unrelated = entity("Person", "p", [], "2024-01-01", name="X")
    assert importer.sniff(write(tmp_path / "one.jsonl", [unrelated]))


def test_export_by_list_includes_undesignated_members(
    sqlite_settings: Settings, tmp_path: Path
) -> None:
    from rightsdesk.sanctions.ftm_export import select_entities

    lines = uk_list()
    lines.append(
        entity("Person", "gb-rel-1", [UK], "2024-05-03", name="A Relative", topics="role.rca")
    )
    import_file(sqlite_settings, "ftm-jsonl", write(tmp_path / "uk.json", lines))
    import_file(sqlite_settings, "ftm-jsonl", write(tmp_path / "ca.json", canada_list()))
    with session_scope(sqlite_settings.database_url) as session:
        pks = select_entities(session, list_key=UK)
        ids = set(
            session.scalars(select(SanctionEntity.entity_id).where(SanctionEntity.id.in_(pks)))
        )
    assert ids == {"gb-hmt-14001", "gb-hmt-15002", "gb-rel-1"}


def test_command_line_import(sqlite_settings: Settings, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from rightsdesk.cli import app

    path = write(tmp_path / "uk.json", uk_list())
    out = CliRunner().invoke(
        app,
        [
            "--database",
            sqlite_settings.database_url,
            "import",
            "--kind",
            "auto",
            str(path),
            "--no-warm",
        ],
        env={"RIGHTSDESK_SECRET_KEY": sqlite_settings.secret_key, "COLUMNS": "80"},
    )
    assert out.exit_code == 0, out.output
    assert "uk.json" in out.output
    bad = _malformed(tmp_path, '{"id": "x", "schema": "Persn", "properties": {}}')
    out = CliRunner().invoke(
        app,
        ["--database", sqlite_settings.database_url, "import", "ftm-jsonl", str(bad), "--no-warm"],
        env={"RIGHTSDESK_SECRET_KEY": sqlite_settings.secret_key, "COLUMNS": "200"},
    )
    assert out.exit_code == 65
    assert "line 3" in out.output and "Persn" in out.output


def test_programme_codes_resolved_with_the_authority(
    sqlite_settings: Settings, shared_data: Path, tmp_path: Path
) -> None:
    registry = shared_data / "sanctions" / "opensanctions-programs" / "AE-UNSC1373.yml"
    import_file(sqlite_settings, "opensanctions-programs", registry)
    seen = "2024-05-03"
    lines = [
        entity("Company", "kp-1", ["us_ofac_sdn"], seen, name="Korea Trading Co"),
        entity(
            "Sanction",
            "kp-1-s",
            ["us_ofac_sdn"],
            seen,
            entity="kp-1",
            program="DPRK",
            authority="Office of Foreign Assets Control",
        ),
        entity("Company", "kp-2", ["gb_hmt_sanctions"], seen, name="Korea Shipping Co"),
        entity(
            "Sanction",
            "kp-2-s",
            ["gb_hmt_sanctions"],
            seen,
            entity="kp-2",
            program="DPRK",
            authority="HM Treasury",
        ),
        entity("Company", "kp-3", ["xx_list"], seen, name="Korea Mining Co"),
        entity("Sanction", "kp-3-s", ["xx_list"], seen, entity="kp-3", program="DPRK"),
    ]
    import_file(sqlite_settings, "ftm-jsonl", write(tmp_path / "dprk.json", lines))
    with session_scope(sqlite_settings.database_url) as session:
        keys = dict(
            session.execute(
                select(SanctionEntity.entity_id, Designation.program_key).join(Designation)
            ).all()
        )
    # the same code under two issuers: the authority decides; with none, nothing is guessed
    assert keys == {"kp-1": "US-NK", "kp-2": "GB-DPRK", "kp-3": None}
