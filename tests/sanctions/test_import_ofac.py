"""OFAC's legacy SDN CSV set (kind ``ofac-sdn-csv``): the real July 2021 set (sdn, add, alt,
sdn_comments) then the 2024-05-03 sdn file, on SQLite and PostgreSQL; the Remarks parser on
OFAC's own phrasings; damaged copies refused with nothing written."""

from __future__ import annotations

import csv
import datetime as dt
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from rightsdesk.core.config import Settings
from rightsdesk.core.db import session_scope
from rightsdesk.core.errors import InputError
from rightsdesk.core.provenance import Dataset
from rightsdesk.forms import detect_importer, get_importer
from rightsdesk.sanctions.models import Designation, SanctionChange, SanctionEntity
from rightsdesk.sanctions.sources.ofac_csv import parse_ofac, version_of
from rightsdesk.sanctions.sources.ofac_remarks import ofac_dates, parse_remarks
from rightsdesk.sanctions.sources.parsed import ParsedEntity
from tests.sanctions.conftest import import_file, imports, store_copy
from tests.store_templates import StoreTemplates

OFAC = "sanctions/ofac"
SET_2021 = f"{OFAC}/2021-07/sdn.csv"
FILE_2024 = f"{OFAC}/sdn-2024-05-03.csv"
KIND = "ofac-sdn-csv"
V2021, V2024 = dt.date(2021, 7, 1), dt.date(2024, 5, 3)


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def ofac_history(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    store_templates: StoreTemplates,
    shared_data: Path,
) -> Iterator[Settings]:
    """A store with the 2021 set, then the 2024 file, imported."""
    build = imports(shared_data, [(KIND, SET_2021), (KIND, FILE_2024)])
    folder = tmp_path_factory.mktemp("ofac")
    with store_copy(request.param, store_templates, folder, "ofac-2021-2024", build) as settings:
        yield settings


@pytest.fixture
def db(ofac_history: Settings) -> Iterator[Session]:
    with session_scope(ofac_history.database_url) as session:
        yield session
        session.rollback()


def _entity(db: Session, entity_id: str) -> SanctionEntity:
    return db.scalars(select(SanctionEntity).where(SanctionEntity.entity_id == entity_id)).one()


def _glomag_uids(path: Path) -> set[str]:
    """The ent_num of every row whose Program names GLOMAG, read with the csv module alone."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = [r for r in csv.reader(handle) if len(r) == 12]
    return {r[0] for r in rows if "GLOMAG" in re.split(r"[\[\]\s]+", r[3])}


def test_history_between_2021_and_2024(db: Session) -> None:
    """8,976 entries in 2021, 14,965 in 2024: 6,870 added, 881 removed, 273 changed."""
    counts = dict(
        db.execute(
            select(SanctionChange.change, func.count())
            .where(SanctionChange.version_date == V2024)
            .group_by(SanctionChange.change)
        ).all()
    )
    assert counts == {"added": 6870, "removed": 881, "changed": 273}
    first = db.scalar(
        select(func.count()).select_from(SanctionChange).where(SanctionChange.version_date == V2021)
    )
    assert first == 8976
    assert db.scalar(select(func.count()).select_from(SanctionEntity)) == 8976 + 6870
    active = db.scalar(
        select(func.count()).select_from(SanctionEntity).where(SanctionEntity.active.is_(True))
    )
    assert active == 14965


def test_glomag_designations_follow_the_files(db: Session, shared_data: Path) -> None:
    """Every GLOMAG row of 2024 is a designation in force; those of 2021 that 2024 no longer
    lists under GLOMAG ended on 2024-05-03; the new ones were first seen then."""
    old = _glomag_uids(shared_data / SET_2021)
    new = _glomag_uids(shared_data / FILE_2024)
    assert (len(old), len(new)) == (315, 694)
    rows = db.execute(
        select(Designation.source_ref, Designation.first_seen, Designation.delisted_on).where(
            Designation.program_code == "GLOMAG"
        )
    ).all()
    in_force = {ref for ref, _, ended in rows if ended is None}
    ended = {ref for ref, _, until in rows if until == V2024}
    first_2024 = {ref for ref, seen, _ in rows if seen == V2024}
    assert in_force == new
    assert ended == old - new
    assert first_2024 == new - old
    assert (len(new - old), len(old - new)) == (381, 2)  # GLOMAG additions, endings


def test_a_person_in_full(db: Session) -> None:
    """MNANGAGWA: 'LAST, First' becomes both forms; remarks become properties; his 2021
    programme ZIMBABWE ended when 2024 listed him under GLOMAG only."""
    e = _entity(db, "ofac-7513")
    p = e.properties
    assert e.caption == "Emmerson Dambudzo MNANGAGWA" and e.schema == "Person"
    assert p["name"] == ["Emmerson Dambudzo MNANGAGWA", "MNANGAGWA, Emmerson Dambudzo"]
    assert p["firstName"] == ["Emmerson Dambudzo"] and p["lastName"] == ["MNANGAGWA"]
    assert p["birthDate"] == ["1946-09-15", "1942-09-15"]
    assert p["birthPlace"] == ["Zvishavane, Zimbabwe"] and p["nationality"] == ["zw"]
    assert p["passportNumber"] == ["AD005831", "AD006846"] and p["idNumber"] == ["63450183P67"]
    assert p["weakAlias"] == ["CROCODILE"] and p["gender"] == ["male"]
    assert p["position"] == ["President of Zimbabwe"]
    spans = {d.program_code: (d.first_seen, d.delisted_on) for d in e.designations}
    assert spans == {"ZIMBABWE": (V2021, V2024), "GLOMAG": (V2024, None)}
    change = db.scalars(
        select(SanctionChange).where(
            SanctionChange.entity_id == "ofac-7513", SanctionChange.version_date == V2024
        )
    ).one()
    assert change.change == "changed" and "+GLOMAG -ZIMBABWE" in (change.detail or "")


def test_companion_files_and_their_carry_over(db: Session) -> None:
    """alt.csv aliases and add.csv addresses of 2021 are kept when the 2024 file comes
    without them; sdn_comments.csv completes a cut Remarks cell."""
    cuba = _entity(db, "ofac-36")
    assert "AERO-CARIBBEAN" in cuba.properties["alias"]
    assert cuba.properties["address"] == ["Havana, Cuba"] and cuba.properties["country"] == ["cu"]
    person = _entity(db, "ofac-4307")
    assert "Oliverio ABRIL CORTES" in person.properties["alias"]
    assert "CORTEZ, Oliverio Abril" in person.properties["previousName"]
    continued = _entity(db, "ofac-12300")
    assert "Linked To: R D I S.A." in continued.properties["notes"]
    assert "Linked To: PROMO RAIZ S.A.S." in continued.properties["notes"]


def test_a_vessel(db: Session) -> None:
    vessel = _entity(db, "ofac-4243")
    p = vessel.properties
    assert vessel.schema == "Vessel" and p["imoNumber"] == ["IMO7406784"]
    assert p["flag"] == ["pa"] and p["type"] == ["General Cargo"]
    assert p["previousName"] == ["ANA I", "SAND SWAN"]
    assert p["tonnage"] == ["2595"] and p["grossRegisteredTonnage"] == ["1865"]


def test_properties_fit_the_ftm_schemas(db: Session) -> None:
    from followthemoney import model

    for schema, properties in db.execute(
        select(SanctionEntity.schema, SanctionEntity.properties)
    ).all():
        known = model.get(schema)
        assert known is not None
        assert set(properties) <= set(known.properties), (schema, set(properties))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10 Dec 1948", ["1948-12-10"]),
        ("Dec 1948", ["1948-12"]),
        ("1948", ["1948"]),
        ("circa 1951", ["1951"]),
        ("1960 to 1962", ["1960", "1961", "1962"]),
        ("01 Jan 1960 to 31 Dec 1962", ["1960", "1961", "1962"]),
        ("01 Mar 1960 to 15 Mar 1960", ["1960-03-01", "1960-03-15"]),
        ("circa 1979-1982", ["1979", "1980", "1981", "1982"]),
        ("1900 to 1990", ["1900", "1990"]),
        ("32 Jan 1960", None),
        ("sometime", None),
    ],
)
def test_ofac_dates(text: str, expected: list[str] | None) -> None:
    assert ofac_dates(text) == expected


def test_remarks_in_ofac_phrasing() -> None:
    pe = ParsedEntity("ofac-1", "Person")
    remarks = parse_remarks(
        pe,
        "DOB 1938; alt. DOB circa 1936; POB Najf Al Ashraf (Najaf), Iraq; nationality Iran; "
        "citizen Lebanon; Gender Female; Passport 042833 (Lebanon) issued 01 Jan 2000; "
        "National ID No. 1234 (Iraq); a.k.a. 'ABU X'; f.k.a. 'OLD NAME'; Email Address "
        "x@example.org; Website www.example.org; Linked To: HIZBALLAH; Additional Sanctions "
        "Information - Subject to Secondary Sanctions; DOB 31 Feb 19; Something else.",
    )
    p = pe.properties
    assert p["birthDate"] == ["1938", "1936"] and p["birthCountry"] == ["iq"]
    assert p["birthPlace"] == ["Najf Al Ashraf (Najaf), Iraq"]
    assert p["nationality"] == ["ir"] and p["citizenship"] == ["lb"] and p["gender"] == ["female"]
    assert p["passportNumber"] == ["042833"] and p["idNumber"] == ["1234"]
    assert p["weakAlias"] == ["ABU X"] and p["previousName"] == ["OLD NAME"]
    assert p["email"] == ["x@example.org"] and p["website"] == ["www.example.org"]
    assert "Linked To: HIZBALLAH" in p["notes"] and "Something else" in p["notes"]
    assert remarks.measures == ["Additional Sanctions Information - Subject to Secondary Sanctions"]
    assert remarks.bad_dates == ["31 Feb 19"]


def test_version_dates(tmp_path: Path, shared_data: Path) -> None:
    assert version_of(shared_data / FILE_2024) == (V2024, None)
    date, note = version_of(shared_data / SET_2021)
    assert date == V2021 and note and "folder name" in note
    plain = tmp_path / "sdn.csv"
    shutil.copyfile(shared_data / FILE_2024, plain)
    os.utime(plain, (0, dt.datetime(2022, 2, 3, 12).timestamp()))
    date, note = version_of(plain)
    assert date == dt.date(2022, 2, 3) and note and "modification time" in note


ROW = '5,"DOE, John","individual","SDGT",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"DOB 1970."\r\n'


@pytest.mark.parametrize(
    ("files", "message", "where"),
    [
        ({"sdn.csv": ROW + '6,"X",-0- \r\n'}, "3 cells", "sdn.csv"),
        ({"sdn.csv": ROW.replace("5,", "5a,")}, "ent_num '5a'", "sdn.csv"),
        ({"sdn.csv": ROW.replace('"individual"', '"ship"')}, "unknown SDN_Type", "sdn.csv"),
        ({"sdn.csv": ROW.replace('"SDGT"', "-0- ")}, "names no programme", "sdn.csv"),
        ({"sdn.csv": ROW + ROW}, "appears twice", "sdn.csv"),
        ({"sdn.csv": ROW + '7,"Y'}, "quoted field", "sdn.csv"),
        ({"sdn.csv": ROW, "alt.csv": '9,1,"aka","Z",-0- \r\n'}, "ent_num 9 is not", "alt.csv"),
        ({"sdn.csv": ROW, "alt.csv": '5,1,"xyz","Z",-0- \r\n'}, "unknown alias type", "alt.csv"),
        ({"sdn.csv": ROW, "add.csv": '5,1,"a"\r\n'}, "3 cells", "add.csv"),
    ],
)
def test_damaged_sets_fail_clearly_and_write_nothing(
    ofac_history: Settings, tmp_path: Path, files: dict[str, str], message: str, where: str
) -> None:
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    with session_scope(ofac_history.database_url) as s:
        before = (s.scalar(select(func.count()).select_from(Dataset)), _designations(s))
    with pytest.raises(InputError) as caught:
        import_file(ofac_history, KIND, tmp_path / "sdn.csv")
    assert message in caught.value.message and where in caught.value.message
    with session_scope(ofac_history.database_url) as s:
        assert (s.scalar(select(func.count()).select_from(Dataset)), _designations(s)) == before


def _designations(s: Session) -> int:
    return s.scalar(select(func.count()).select_from(Designation)) or 0


def test_a_small_set_parses_with_its_companions(tmp_path: Path) -> None:
    (tmp_path / "sdn-2020-01-02.csv").write_text(
        ROW.replace('"DOB 1970."', "\"DOB 1970; a.k.a. 'JD"), encoding="utf-8"
    )
    (tmp_path / "sdn_comments-2020-01-02.csv").write_text('5,"\'."\r\n77,"x"\r\n', encoding="utf-8")
    (tmp_path / "alt-2020-01-02.csv").write_text('5,1,"aka","DOE, Johnny",-0- \r\n')
    parsed, notes = parse_ofac(tmp_path / "sdn-2020-01-02.csv")
    (pe,) = parsed.entities
    assert parsed.version_date == dt.date(2020, 1, 2)
    assert pe.properties["weakAlias"] == ["JD"]
    assert pe.properties["alias"] == ["Johnny DOE", "DOE, Johnny"]
    assert any("sdn_comments-2020-01-02.csv" in n for n in notes)
    assert any("ent_num 77" in n for n in notes)


def test_sniff_is_precise(shared_data: Path) -> None:
    for rel in (SET_2021, FILE_2024):
        found = detect_importer(shared_data / rel)
        assert found is not None and found.kind == KIND
    importer = get_importer(KIND)
    folder = shared_data / OFAC / "2021-07"
    others = [
        folder / "add.csv",
        folder / "alt.csv",
        folder / "sdn_comments.csv",
        shared_data / "sanctions/un/consolidated-2026-02-27.xml",
        *sorted((shared_data / "sanctions/eu-journal").glob("*.csv"))[:5],
        shared_data / "sanctions/name-matching/nomenklatura-name-bench-cases.csv",
    ]
    assert not any(importer.sniff(p) for p in others)
