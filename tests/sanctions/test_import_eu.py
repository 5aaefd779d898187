"""The EU journal extraction CSVs: cell reading, the real files, the store, history between
two versions of an act, and malformed copies."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from sqlalchemy import select

from rightsdesk.core.config import Settings
from rightsdesk.core.db import session_scope
from rightsdesk.core.errors import EncodingError, InputError
from rightsdesk.sanctions.models import (
    Designation,
    SanctionChange,
    SanctionCountry,
    SanctionEntity,
    SanctionList,
)
from rightsdesk.sanctions.sources.eu_cells import (
    extract_dates,
    parse_date,
    split_values,
    to_countries,
)
from rightsdesk.sanctions.sources.eu_journal import EuJournalImporter, parse_eu_journal
from rightsdesk.sanctions.sources.ftm_clean import clean_properties
from tests.sanctions.conftest import import_file

HR_ACT = "32020R1998.csv"
HEADER_ONLY = {
    "32004R0314.csv",
    "32006R0305.csv",
    "32010D0573.csv",
    "32011D0173.csv",
    "32012R0377.csv",
    "32015R1755.csv",
    "32019R1890.csv",
    "32023R2406.csv",
}


def eu_dir(shared_data: Path) -> Path:
    return shared_data / "sanctions" / "eu-journal"


def test_split_values() -> None:
    assert split_values('"(a) German; (b) Algerian"') == ["German", "Algerian"]
    assert split_values("Kermanshah, Iran; Mehran Base (Ilam; Iran), Iran") == [
        "Kermanshah, Iran",
        "Mehran Base (Ilam; Iran), Iran",
    ]
    assert split_values("(USA) office") == ["(USA) office"]  # not an enumerator
    assert split_values("  ") == []


def test_dates_in_the_journals_styles() -> None:
    assert extract_dates("27.1.1964") == ["1964-01-27"]
    assert extract_dates("2 Mar. 2021") == ["2021-03-02"]
    assert extract_dates("(a) 15.1.1973; (b) 15.1.1974") == ["1973-01-15", "1974-01-15"]
    assert extract_dates("Between 1955 and 1958") == ["1955", "1958"]
    assert extract_dates("March 1961") == ["1961-03"]
    assert extract_dates("31.2.1980") == ["1980"]  # no such day: the year is what is certain
    assert extract_dates("year unknown") == []
    assert parse_date("2 March 2021") == dt.date(2021, 3, 2)
    assert parse_date("1961") is None


def test_nationalities_to_country_codes() -> None:
    assert to_countries("Russian") == ["ru"]
    assert to_countries("Syrian/Lebanese") == ["sy", "lb"]
    assert to_countries("allegedly Russian") == ["ru"]
    assert to_countries("Korean, DPRK") == ["kp"]
    assert to_countries("unknown") == []


@pytest.fixture(scope="module")
def hr_version(shared_data: Path) -> object:
    parsed, _notes = parse_eu_journal(eu_dir(shared_data) / HR_ACT)
    assert parsed is not None
    return parsed


def test_global_human_rights_regime_file(hr_version: object) -> None:
    from rightsdesk.sanctions.sources.parsed import ParsedList

    assert isinstance(hr_version, ParsedList)
    assert hr_version.list_key == "eu_journal_32020R1998"
    assert len(hr_version.entities) == 177
    assert hr_version.version_date == dt.date(2026, 5, 28)  # the latest listing of the act
    first = hr_version.entities[0]
    assert first.entity_id == "eu-32020R1998-I-A-1"
    # the Journal writes "Alexander (Alexandr) Petrovich KALASHNIKOV": the spelling in
    # parentheses becomes an alias of its own (sources/name_variants.py)
    assert first.properties["name"] == ["Alexander Petrovich KALASHNIKOV"]
    assert first.properties["alias"] == [
        "Alexandr Petrovich KALASHNIKOV",
        "Aлександр Петрович КАЛАШНИКОВ",
    ]
    assert first.properties["nationality"] == ["ru"]
    assert first.properties["birthDate"] == ["1964-01-27"]
    assert first.properties["gender"] == ["male"]
    (designation,) = first.designations
    assert designation.program_key == "EU-HR" and designation.measure == "Asset freeze"
    assert designation.listed_on == dt.date(2021, 3, 2)
    assert designation.source_ref == "I.A 1"
    assert designation.reason is not None and "Navalny" in designation.reason
    schemas = {e.schema for e in hr_version.entities}
    assert schemas <= {"Person", "LegalEntity", "Organization", "Company"}


def test_every_real_file(shared_data: Path) -> None:
    ids: set[str] = set()
    empty: set[str] = set()
    rows = 0
    for path in sorted(eu_dir(shared_data).glob("*.csv")):
        parsed, _notes = parse_eu_journal(path)
        if parsed is None:
            empty.add(path.name)
            continue
        for entity in parsed.entities:
            assert entity.entity_id not in ids
            ids.add(entity.entity_id)
            rows += len(entity.designations)
    assert empty == HEADER_ONLY
    assert rows == 8017  # every listing of the 45 files, none lost
    assert len(ids) == 8015  # two rows are a second measure of an entity listed once


def test_import_into_the_store(settings: Settings, shared_data: Path) -> None:
    report = import_file(settings, "eu-journal-csv", eu_dir(shared_data) / HR_ACT)
    assert report.inserted == 177
    empty = import_file(settings, "eu-journal-csv", eu_dir(shared_data) / "32004R0314.csv")
    assert empty.inserted == 0
    assert any("header only" in m for m in empty.messages)
    with session_scope(settings.database_url) as session:
        lists = session.scalars(select(SanctionList)).all()
        assert [lst.key for lst in lists] == ["eu_journal_32020R1998"]
        assert lists[0].entity_count == 177 and lists[0].version_date == dt.date(2026, 5, 28)
        keys = set(session.scalars(select(Designation.program_key)))
        assert keys == {"EU-HR"}
        russians = session.scalars(
            select(SanctionCountry.entity_pk).where(SanctionCountry.iso3 == "RUS")
        ).all()
        assert len(russians) > 20
        entity = session.scalars(
            select(SanctionEntity).where(SanctionEntity.entity_id == "eu-32020R1998-I-A-1")
        ).one()
        assert entity.caption.endswith("KALASHNIKOV") and entity.active


def _rewrite(source: Path, target: Path, keep: int, extra: dict[str, str] | None) -> None:
    """A copy of ``source`` with its first ``keep`` rows (and one more row)."""
    with source.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        fields = list(reader.fieldnames or [])
        rows = list(reader)[:keep]
    if extra is not None:
        rows.append({**{f: "" for f in fields}, **extra})
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    target.write_text(out.getvalue(), encoding="utf-8")


def test_history_between_two_versions(
    sqlite_settings: Settings, shared_data: Path, tmp_path: Path
) -> None:
    source = eu_dir(shared_data) / HR_ACT
    old = tmp_path / "v1" / HR_ACT
    new = tmp_path / "v2" / HR_ACT
    old.parent.mkdir()
    new.parent.mkdir()
    _rewrite(source, old, 5, None)
    added = {
        "celex": "32020R1998",
        "recordId": "900",
        "programKey": "EU-HR",
        "annex": "I.A",
        "measure": "Asset freeze",
        "startDate": "1.6.2026",
        "schema": "Person",
        "name": "Jane TESTPERSON",
        "nationality": "Ruritanian; French",
    }
    _rewrite(source, new, 4, added)  # entry 5 gone, one new
    import_file(sqlite_settings, "eu-journal-csv", old)
    report = import_file(sqlite_settings, "eu-journal-csv", new)
    assert any("naming no country" in m for m in report.messages)
    with session_scope(sqlite_settings.database_url) as session:
        changes = {
            (c.entity_id, c.change): c
            for c in session.scalars(
                select(SanctionChange).where(SanctionChange.version_date.is_not(None))
            )
        }
        assert ("eu-32020R1998-I-A-900", "added") in changes
        removed = changes[("eu-32020R1998-I-A-5", "removed")]
        assert removed.version_date == dt.date(2026, 6, 1)
        ended = session.scalars(
            select(Designation)
            .join(SanctionEntity)
            .where(SanctionEntity.entity_id == "eu-32020R1998-I-A-5")
        ).one()
        assert ended.delisted_on == dt.date(2026, 6, 1)
        jane = session.scalars(
            select(SanctionEntity).where(SanctionEntity.entity_id == "eu-32020R1998-I-A-900")
        ).one()
        assert jane.properties["nationality"] == ["fr"]
        assert "nationality: Ruritanian" in jane.properties["notes"]
    again = import_file(sqlite_settings, "eu-journal-csv", old, force=True)
    assert any("read as an older version" in m for m in again.messages)


@pytest.mark.parametrize(
    ("edit", "line", "field", "message"),
    [
        (("2.3.2021", "2.13.2021"), 2, "startDate", "malformed date"),
        (
            (",Person,Alexander (Alexandr) Petrovich", ",Persn,Alexander (Alexandr) Petrovich"),
            2,
            "schema",
            "schema",
        ),
        (("32020R1998,2,", "32020R1999,2,"), 3, "celex", "differs"),
        (("32020R1998,1,EU-HR,", "32020R1998,1,,"), 2, "programKey", "empty"),
        (("32020R1998,2,EU-HR,", "32020R1998,2,EU-HR,x,"), 3, None, "cells but the header"),
    ],
)
def test_malformed_copies(
    tmp_path: Path,
    shared_data: Path,
    edit: tuple[str, str],
    line: int,
    field: str | None,
    message: str,
) -> None:
    text = (eu_dir(shared_data) / HR_ACT).read_text(encoding="utf-8")
    assert edit[0] in text
    path = tmp_path / HR_ACT
    path.write_text(text.replace(edit[0], edit[1], 1), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        parse_eu_journal(path)
    assert message in caught.value.reason
    assert caught.value.location.field == field
    assert caught.value.location.line == line


def test_cut_and_badly_encoded_files(
    sqlite_settings: Settings, tmp_path: Path, shared_data: Path
) -> None:
    data = (eu_dir(shared_data) / HR_ACT).read_bytes()
    cut = tmp_path / "cut" / HR_ACT
    cut.parent.mkdir()
    cut.write_bytes(data[: len(data) // 2])
    with pytest.raises(InputError, match="cut"):
        import_file(sqlite_settings, "eu-journal-csv", cut)
    latin = tmp_path / "latin" / HR_ACT
    latin.parent.mkdir()
    latin.write_bytes(data[:2000] + "é".encode("latin-1") + b"\n")
    with pytest.raises(EncodingError):
        parse_eu_journal(latin)
    wrong_name = tmp_path / "listing.csv"
    wrong_name.write_bytes(data)
    with pytest.raises(InputError, match="CELEX"):
        parse_eu_journal(wrong_name)
    with session_scope(sqlite_settings.database_url) as session:
        assert session.scalars(select(SanctionEntity)).first() is None


def test_sniff(shared_data: Path) -> None:
    importer = EuJournalImporter()
    assert importer.sniff(eu_dir(shared_data) / HR_ACT)
    assert importer.sniff(eu_dir(shared_data) / "32004R0314.csv")  # header only: still its format
    assert not importer.sniff(shared_data / "sanctions" / "ofac" / "sdn-2024-05-03.csv")
    others = shared_data / "sanctions" / "name-matching" / "nomenklatura-name-bench-cases.csv"
    assert not importer.sniff(others)


def test_values_are_stored_in_ftm_form() -> None:
    cleaned, rejected = clean_properties(
        "Person",
        {
            "alias": ['"GODANE"', "Godane"],
            "phone": ["+7 (495) 957-01-31", "8 (495) 1"],
            "website": ["t.me/dit_moscow"],
            "flag": ["ru"],
        },
    )
    assert cleaned == {
        "alias": ["GODANE", "Godane"],
        "phone": ["+74959570131"],
        "website": ["http://t.me/dit_moscow"],
    }
    assert rejected == ["phone: 8 (495) 1", "flag: ru"]  # flag is a Vessel's, not a Person's
