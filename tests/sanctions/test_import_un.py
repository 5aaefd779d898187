"""The UN Security Council Consolidated List importer (kind ``un-sc-consolidated``): the real
lists of 2018-10-29 and 2026-02-27 imported in order, on SQLite and PostgreSQL; every XML
feature on a small file written here; damaged copies refused with nothing written."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from rightsdesk.core.config import Settings
from rightsdesk.core.db import session_scope
from rightsdesk.core.errors import InputError
from rightsdesk.core.importing import run_import
from rightsdesk.core.provenance import Dataset
from rightsdesk.forms import detect_importer, get_importer
from rightsdesk.sanctions.models import (
    Designation,
    SanctionChange,
    SanctionCountry,
    SanctionEntity,
    SanctionName,
)
from rightsdesk.sanctions.sources.un_xml import parse_un_xml
from tests.sanctions.conftest import import_file, imports, store_copy
from tests.store_templates import StoreTemplates

UN = "sanctions/un"
OLD = f"{UN}/consolidated-2018-10-29.xml"
NEW = f"{UN}/consolidated-2026-02-27.xml"
KIND = "un-sc-consolidated"


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def un_history(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    store_templates: StoreTemplates,
    shared_data: Path,
) -> Iterator[Settings]:
    """A store with the 2018 list, then the 2026 list, imported."""
    build = imports(shared_data, [(KIND, OLD), (KIND, NEW)])
    folder = tmp_path_factory.mktemp("un")
    with store_copy(request.param, store_templates, folder, "un-2018-2026", build) as settings:
        yield settings


@pytest.fixture
def db(un_history: Settings) -> Iterator[Session]:
    with session_scope(un_history.database_url) as session:
        yield session
        session.rollback()


def _count(db: Session, model: type, *where: object) -> int:
    return db.scalar(select(func.count()).select_from(model).where(*where)) or 0  # type: ignore[arg-type]


def test_versions_and_their_changes(db: Session) -> None:
    """2018: 703 individuals + 390 entities; 2026: 730 + 273. By DATAID, 2026 added 112
    listings and dropped 202; 644 of the rest changed (mostly the UN's comments)."""
    per_version = dict(
        db.execute(
            select(SanctionChange.version_date, func.count())
            .where(SanctionChange.change == "added")
            .group_by(SanctionChange.version_date)
        ).all()
    )
    assert per_version == {dt.date(2018, 10, 29): 1093, dt.date(2026, 2, 27): 112}
    removed = _count(db, SanctionChange, SanctionChange.change == "removed")
    changed = _count(db, SanctionChange, SanctionChange.change == "changed")
    assert (removed, changed) == (202, 644)
    later = db.scalars(
        select(SanctionChange).where(SanctionChange.version_date == dt.date(2026, 2, 27))
    ).all()
    assert {c.previous_version for c in later} == {dt.date(2018, 10, 29)}
    assert _count(db, SanctionEntity) == 1205  # nothing deleted
    assert _count(db, SanctionEntity, SanctionEntity.active.is_(True)) == 1003
    schemas = dict(
        db.execute(
            select(SanctionEntity.schema, func.count())
            .where(SanctionEntity.active.is_(True))
            .group_by(SanctionEntity.schema)
        ).all()
    )
    assert schemas == {"Person": 730, "Organization": 273}


def test_a_removed_listing_is_ended_not_deleted(db: Session) -> None:
    change = db.scalars(
        select(SanctionChange).where(SanctionChange.change == "removed").limit(1)
    ).one()
    entity = db.scalars(
        select(SanctionEntity).where(SanctionEntity.entity_id == change.entity_id)
    ).one()
    assert not entity.active
    assert entity.last_seen == dt.date(2018, 10, 29)
    assert [d.delisted_on for d in entity.designations] == [dt.date(2026, 2, 27)]
    assert change.detail and change.detail.startswith("ended: ")


def test_an_individual_in_full(db: Session) -> None:
    """RI WON HO (KPi.033), listed 2016-11-30 under the DPRK regime, in both files."""
    e = db.scalars(select(SanctionEntity).where(SanctionEntity.entity_id == "unsc-6908555")).one()
    assert e.schema == "Person" and e.caption == "RI WON HO" and e.active
    assert e.first_seen == dt.date(2018, 10, 29) and e.last_seen == dt.date(2026, 2, 27)
    props = e.properties
    assert props["firstName"] == ["RI"] and props["secondName"] == ["WON HO"]
    assert props["birthDate"] == ["1964-07-17"]
    assert props["passportNumber"] == ["381310014"]
    assert props["nationality"] == ["kp"]
    assert props["position"] == ["DPRK Ministry of State Security Official"]
    assert [(c.prop, c.iso3) for c in e.countries] == [("nationality", "PRK")]
    (d,) = e.designations
    assert (d.program_code, d.program_key, d.source_ref) == ("DPRK", "UN-SC1718", "KPi.033")
    assert d.listed_on == dt.date(2016, 11, 30) and d.delisted_on is None
    assert d.reason and d.reason.startswith("Ri Won Ho is a DPRK Ministry")
    assert d.authority == "United Nations Security Council"


def test_original_scripts_and_alias_qualities(db: Session) -> None:
    scripts = dict(
        db.execute(select(SanctionName.script, func.count()).group_by(SanctionName.script)).all()
    )
    assert scripts["Arabic"] > 200 and scripts["Latin"] > 3000 and scripts.get("Han", 0) > 0
    saddam = db.scalars(select(SanctionName).where(SanctionName.name == "صدام حسين التكريتي")).one()
    assert saddam.kind == "alias" and saddam.script == "Arabic"
    kinds = dict(
        db.execute(select(SanctionName.kind, func.count()).group_by(SanctionName.kind)).all()
    )
    assert kinds["weakAlias"] > 400 and kinds["previousName"] > 5 and kinds["alias"] > 1000


def test_state_ties_are_iso3(db: Session) -> None:
    iraq = _count(db, SanctionCountry, SanctionCountry.iso3 == "IRQ")
    assert iraq > 100
    bad = db.scalars(select(SanctionCountry.iso3).where(func.length(SanctionCountry.iso3) != 3))
    assert list(bad) == []


def test_program_keys_of_every_un_regime(db: Session) -> None:
    keys = dict(
        db.execute(select(Designation.program_code, Designation.program_key).distinct()).all()
    )
    assert keys["Al-Qaida"] == "UN-SCISIL" and keys["DRC"] == "UN-SC1533"
    assert all(key and key.startswith("UN-SC") for key in keys.values())


def test_reimporting_the_same_file_does_nothing(un_history: Settings, shared_data: Path) -> None:
    report = import_file(un_history, KIND, shared_data / NEW)
    assert report.skipped_file


SMALL = """<?xml version="1.0" encoding="UTF-8"?>
<CONSOLIDATED_LIST dateGenerated="2020-03-04T10:00:00.000-05:00">
<INDIVIDUALS>
<INDIVIDUAL><DATAID>1</DATAID><FIRST_NAME>ALI</FIRST_NAME><SECOND_NAME>BEN</SECOND_NAME>
<THIRD_NAME>OMAR</THIRD_NAME><FOURTH_NAME>SALEH</FOURTH_NAME><UN_LIST_TYPE>Al-Qaida</UN_LIST_TYPE>
<REFERENCE_NUMBER>QDi.999</REFERENCE_NUMBER><LISTED_ON>2015-07-01-04:00</LISTED_ON>
<GENDER>Female</GENDER><COMMENTS1>Reason text.</COMMENTS1>
<NAME_ORIGINAL_SCRIPT>علي بن عمر</NAME_ORIGINAL_SCRIPT>
<NATIONALITY><VALUE>Iran (Islamic Republic of)</VALUE><VALUE>Atlantis</VALUE></NATIONALITY>
<INDIVIDUAL_ALIAS><QUALITY>Good</QUALITY><ALIAS_NAME>Ali Saleh</ALIAS_NAME></INDIVIDUAL_ALIAS>
<INDIVIDUAL_ALIAS><QUALITY>Low</QUALITY><ALIAS_NAME>Abu Ali</ALIAS_NAME></INDIVIDUAL_ALIAS>
<INDIVIDUAL_ALIAS><QUALITY>f.k.a.</QUALITY><ALIAS_NAME>Ali Old</ALIAS_NAME></INDIVIDUAL_ALIAS>
<INDIVIDUAL_ADDRESS><STREET>1 Road</STREET><CITY>Kabul</CITY>
<COUNTRY>Afghanistan</COUNTRY></INDIVIDUAL_ADDRESS>
<INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>EXACT</TYPE_OF_DATE>
<DATE>1960-01-01-05:00</DATE></INDIVIDUAL_DATE_OF_BIRTH>
<INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>APPROXIMATELY</TYPE_OF_DATE>
<YEAR>1958</YEAR></INDIVIDUAL_DATE_OF_BIRTH>
<INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>BETWEEN</TYPE_OF_DATE>
<FROM_YEAR>1961</FROM_YEAR><TO_YEAR>1963</TO_YEAR></INDIVIDUAL_DATE_OF_BIRTH>
<INDIVIDUAL_PLACE_OF_BIRTH><CITY>Herat</CITY>
<COUNTRY>Afghanistan</COUNTRY></INDIVIDUAL_PLACE_OF_BIRTH>
<INDIVIDUAL_DOCUMENT><TYPE_OF_DOCUMENT>Passport</TYPE_OF_DOCUMENT>
<NUMBER> P123 </NUMBER></INDIVIDUAL_DOCUMENT>
<INDIVIDUAL_DOCUMENT><TYPE_OF_DOCUMENT>National Identification Number</TYPE_OF_DOCUMENT>
<NUMBER>N-9</NUMBER></INDIVIDUAL_DOCUMENT>
</INDIVIDUAL>
</INDIVIDUALS>
<ENTITIES>
<ENTITY><DATAID>2</DATAID><FIRST_NAME>ACME TRADING</FIRST_NAME><UN_LIST_TYPE>DPRK</UN_LIST_TYPE>
<REFERENCE_NUMBER>KPe.999</REFERENCE_NUMBER><LISTED_ON>2017-01-02</LISTED_ON>
<ENTITY_ALIAS><QUALITY>a.k.a.</QUALITY><ALIAS_NAME>ACME</ALIAS_NAME></ENTITY_ALIAS>
<ENTITY_ADDRESS><CITY>Pyongyang</CITY>
<COUNTRY>Democratic People's Republic of Korea</COUNTRY></ENTITY_ADDRESS>
</ENTITY>
</ENTITIES>
</CONSOLIDATED_LIST>
"""


def test_every_feature_of_the_schema(tmp_path: Path) -> None:
    path = tmp_path / "un.xml"
    path.write_text(SMALL, encoding="utf-8")
    parsed, warnings = parse_un_xml(path)
    assert parsed.version_date == dt.date(2020, 3, 4) and parsed.list_key == "un_sc_sanctions"
    person, org = parsed.entities
    p = person.properties
    assert person.entity_id == "unsc-1" and person.schema == "Person"
    assert p["name"] == ["ALI BEN OMAR SALEH"]
    assert p["alias"] == ["علي بن عمر", "Ali Saleh"]
    assert p["weakAlias"] == ["Abu Ali"] and p["previousName"] == ["Ali Old"]
    assert p["birthDate"] == ["1960-01-01", "1958", "1961", "1962", "1963"]
    assert p["birthPlace"] == ["Herat, Afghanistan"] and p["birthCountry"] == ["af"]
    assert p["nationality"] == ["ir"] and p["gender"] == ["female"]
    assert p["passportNumber"] == ["P123"] and p["idNumber"] == ["N-9"]
    assert p["address"] == ["1 Road, Kabul, Afghanistan"] and p["country"] == ["af"]
    (d,) = person.designations
    assert d.listed_on == dt.date(2015, 7, 1) and d.reason == "Reason text."
    assert (d.program_code, d.program_key, d.source_ref) == ("Al-Qaida", "UN-SCISIL", "QDi.999")
    assert org.schema == "Organization" and org.properties["alias"] == ["ACME"]
    assert org.properties["country"] == ["kp"] and "address" in org.properties
    assert any("Atlantis" in w for w in warnings)


def _damaged(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("name", "edit", "message"),
    [
        ("cut.xml", lambda t: t[: len(t) // 2], "malformed XML"),
        (
            "root.xml",
            lambda t: t.replace("CONSOLIDATED_LIST", "OTHER_LIST"),
            "root is <OTHER_LIST>",
        ),
        ("listed.xml", lambda t: t.replace("2017-01-02", "02/01/2017"), "malformed date"),
        ("day.xml", lambda t: t.replace("2017-01-02", "2017-02-30"), "'2017-02-30' (no such day)"),
        ("dob.xml", lambda t: t.replace("<YEAR>1958", "<YEAR>19x8"), "malformed year"),
        ("between.xml", lambda t: t.replace("<TO_YEAR>1963", "<TO_YEAR>1950"), "FROM_YEAR"),
        ("version.xml", lambda t: re.sub(r'dateGenerated="[^"]+"', "", t), "dateGenerated"),
        (
            "dtd.xml",
            lambda t: t.replace(
                "<CONSOLIDATED_LIST ", '<!DOCTYPE x [<!ENTITY a "b">]>\n<CONSOLIDATED_LIST ', 1
            ),
            "DTD",
        ),
    ],
)
def test_damaged_files_fail_clearly_and_write_nothing(
    un_history: Settings, tmp_path: Path, name: str, edit: Callable[[str], str], message: str
) -> None:
    path = _damaged(tmp_path, name, edit(SMALL))
    with session_scope(un_history.database_url) as s:
        before = (_count(s, SanctionEntity), _count(s, Dataset), _count(s, SanctionChange))
    with pytest.raises(InputError) as caught:
        import_file(un_history, KIND, path)
    assert message in caught.value.message and name in caught.value.message
    with session_scope(un_history.database_url) as s:
        after = (_count(s, SanctionEntity), _count(s, Dataset), _count(s, SanctionChange))
    assert after == before


def test_an_older_file_adds_but_ends_nothing(tmp_path: Path, un_history: Settings) -> None:
    """A file dated before the stored version: its unknown entities are stored (ended at
    the stored version), the list's version stays, no change is recorded."""
    path = _damaged(tmp_path, "old.xml", SMALL.replace("2020-03-04", "2010-01-01"))
    with session_scope(un_history.database_url) as s:
        changes = _count(s, SanctionChange)
        report = run_import(s, get_importer(KIND), path, actor="test")
        assert any("older than the stored one" in m for m in report.messages)
        assert _count(s, SanctionChange) == changes
        e = s.scalars(select(SanctionEntity).where(SanctionEntity.entity_id == "unsc-1")).one()
        assert not e.active and e.designations[0].delisted_on == dt.date(2026, 2, 27)
        s.rollback()


def test_sniff_is_precise(shared_data: Path, tmp_path: Path) -> None:
    for rel in (OLD, NEW):
        found = detect_importer(shared_data / rel)
        assert found is not None and found.kind == KIND
    importer = get_importer(KIND)
    others = [
        shared_data / "sanctions/ofac/sdn-2024-05-03.csv",
        shared_data / "sanctions/conventions/usdol-child-labor-countries-2021.xml",
        *sorted((shared_data / "capacity/iati/activities").glob("*.xml")),
    ]
    assert not any(importer.sniff(p) for p in others)
    copy = tmp_path / "list.txt"
    shutil.copyfile(shared_data / NEW, copy)
    assert not importer.sniff(copy)
