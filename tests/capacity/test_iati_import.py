"""IATI activity files imported from the shared data folder: both standards (CAFOD 1.00, DFID
1.01, d-portal 2.02/2.03), every part the tables hold, provenance, re-import and update."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from rightsdesk.capacity.models import (
    Activity,
    Budget,
    Document,
    Participant,
    Programme,
    ProgrammeLink,
    Recipient,
    ResultIndicator,
    Sector,
    Transaction,
)
from rightsdesk.core.config import Settings
from rightsdesk.core.db import session_scope
from rightsdesk.core.provenance import Dataset
from tests.capacity.conftest import ACTIVITY_COUNTS, activity_file, import_file

CAFOD = "cafod-drc-v1.00.xml"


def programme(session: Session, key: str) -> Programme:
    return session.scalars(select(Programme).where(Programme.natural_key == key)).one()


def count(session: Session, model: type) -> int:
    return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_every_activity_of_each_file_is_one_programme(capacity_loaded: Session) -> None:
    stmt = (
        select(Dataset.file_name, func.count(Programme.id))
        .join(Programme, Programme.dataset_id == Dataset.id)
        .group_by(Dataset.file_name)
    )
    per_file = {str(name): int(n) for name, n in capacity_loaded.execute(stmt)}
    assert per_file == ACTIVITY_COUNTS
    assert count(capacity_loaded, Programme) == sum(ACTIVITY_COUNTS.values())
    versions = {
        str(v): int(n)
        for v, n in capacity_loaded.execute(
            select(Programme.iati_version, func.count()).group_by(Programme.iati_version)
        )
    }
    # d-portal writes each activity's own version; one activity has only the file's (2.03)
    assert versions == {"1.00": 57, "1.01": 205, "2.02": 94, "2.03": 307}
    kinds = set(capacity_loaded.scalars(select(Dataset.kind).join(Programme)))
    assert kinds == {"iati-activities"}  # every programme links the dataset it came from


def test_a_cafod_programme_in_the_1_00_standard(capacity_loaded: Session) -> None:
    p = programme(capacity_loaded, "GB-CHC-285776-DRC173")
    assert p.title.startswith("Field-level conflict analysies by church partners")
    assert p.description and "South Kivu" in p.description
    assert (p.reporting_org_ref, p.reporting_org_name, p.reporting_org_type) == (
        "GB-CHC-285776",
        "CAFOD",
        "21",
    )
    assert (p.status_code, p.default_currency, p.language, p.hierarchy) == ("2", "GBP", "en", 1)
    assert (p.actual_start, p.planned_end) == (dt.date(2009, 10, 7), dt.date(2012, 9, 30))
    assert p.planned_start is None and p.actual_end is None
    assert p.last_updated is not None and p.last_updated.date() == dt.date(2013, 1, 23)
    # two lines for 15160 (duplicates are kept): the human rights share is 40%
    sectors = [(s.vocabulary, s.code, s.percentage, s.name) for s in p.sectors]
    assert sectors == [
        ("99", None, None, "Peace building"),  # the publisher's own word (1.0x "RO")
        ("1", "99810", 40.0, "Sectors not specified"),
        ("1", "15160", 20.0, "Human rights"),
        ("1", "22030", 20.0, "Radio/television/print media"),
        ("1", "15160", 20.0, "Human rights"),
    ]
    assert sum(s.percentage or 0 for s in p.sectors if s.code == "15160") == 40.0
    roles = [(x.role, x.org_ref, x.name) for x in p.participants]
    assert roles == [
        ("1", "GB-CHC-285776", "CAFOD"),
        ("4", None, "Caritas DR Congo Bukavu Diocese"),
    ]
    assert [(r.state_iso3, r.name) for r in p.recipients] == [
        ("COD", "Democratic Republic of Congo")
    ]
    first = p.transactions[0]
    assert (first.type_code, first.date, first.value, first.currency, first.value_date) == (
        "1",  # 1.0x "IF", incoming funds
        dt.date(2009, 10, 1),
        Decimal("48271.00"),
        "GBP",  # the activity's default-currency
        dt.date(2009, 10, 1),
    )
    assert first.provider == "CGF" and first.receiver is None
    assert p.transactions[1].type_code == "3" and p.transactions[1].value_date == dt.date(
        2009, 10, 30
    )


def test_cafod_human_rights_activities(capacity_loaded: Session) -> None:
    stmt = (
        select(func.count(func.distinct(Sector.programme_id)))
        .join(Programme)
        .where(Sector.code == "15160", Programme.reporting_org_ref == "GB-CHC-285776")
    )
    assert capacity_loaded.scalar(stmt) == 17  # as CATALOG.md says: 17 of CAFOD's 57


def test_a_dfid_programme_in_the_1_01_standard(capacity_loaded: Session) -> None:
    p = programme(capacity_loaded, "GB-1-105838-101")
    assert (p.hierarchy, p.parent_key, p.status_code) == (2, "GB-1-105838", "4")
    # activity dates given as element text, not iso-date
    assert (p.planned_start, p.actual_start) == (dt.date(2004, 1, 1), dt.date(2004, 1, 1))
    assert (p.planned_end, p.actual_end) == (dt.date(2008, 11, 30), dt.date(2008, 11, 30))
    assert [(x.role, x.org_ref, x.org_type) for x in p.participants] == [
        ("1", "GB", "10"),
        ("3", "GB-1", "10"),
        ("4", "52000", None),
    ]
    assert [(s.vocabulary, s.code, s.percentage) for s in p.sectors][0] == ("1", "15110", 40.0)
    (commitment,) = p.transactions
    assert (commitment.type_code, commitment.value, commitment.currency) == (
        "2",  # 1.0x "C", commitment
        Decimal("1067912.00"),
        "GBP",
    )
    assert (commitment.date, commitment.value_date) == (dt.date(2004, 1, 1), dt.date(2009, 4, 1))
    budgets = [(b.kind, b.period_start, b.value, b.currency, b.value_date) for b in p.budgets]
    assert budgets[0] == (
        "budget",
        dt.date(2004, 4, 1),
        Decimal("500000.00"),
        "GBP",
        dt.date(2004, 4, 1),
    )
    assert len(budgets) == 3 and budgets[-1][2] == Decimal("67912.00")
    stmt = (
        select(Transaction.type_code, func.count())
        .join(Programme)
        .where(Programme.reporting_org_ref == "GB-1")
        .group_by(Transaction.type_code)
    )
    types = {str(t): int(n) for t, n in capacity_loaded.execute(stmt)}
    assert types == {"2": 134, "3": 159, "4": 522}  # C, D, E in the file


def test_a_2_03_programme_with_results(capacity_loaded: Session) -> None:
    p = programme(capacity_loaded, "CH-FDJP-CHE-106823242-20119723b")
    assert p.iati_version == "2.03"
    rows = {i.title: i for i in p.indicators}
    iec = rows["Indicator 2.1.1 - Number of individuals that receive COVID-19 IEC materials"]
    assert iec.result_title and iec.result_title.startswith("Households vulnerable to COVID-19")
    assert (iec.measure, iec.baseline_year, iec.baseline_value) == ("1", 2020, "0")
    assert (iec.target_year, iec.target_value, iec.actual_value) == (2020, "18000", "17204")
    assert count(capacity_loaded, ResultIndicator) == 193  # every result/indicator


def test_2_0x_parts_narratives_regions_and_documents(capacity_loaded: Session) -> None:
    p = programme(capacity_loaded, "XM-DAC-41114-PROJECT-00127336")
    assert p.reporting_org_name == "United Nations Development Programme"
    assert p.title == "RRF COVID-19 Argentina"  # the narrative, in the activity's language
    assert p.language == "es" and p.default_currency == "USD"
    assert p.last_updated is not None and p.last_updated.replace(tzinfo=None) == dt.datetime(
        2021, 5, 24, 14, 50, 54
    )
    planned = capacity_loaded.scalar(
        select(func.count()).where(Budget.kind == "planned-disbursement")
    )
    assert planned == 268
    assert count(capacity_loaded, Document) == 1342 + 48  # d-portal and DFID document-links
    regions = capacity_loaded.scalar(select(func.count()).where(Recipient.region_code.is_not(None)))
    assert regions == 98
    roles = {
        str(r): int(n)
        for r, n in capacity_loaded.execute(
            select(Participant.role, func.count())
            .join(Programme)
            .where(Programme.iati_version.like("2.%"))
            .group_by(Participant.role)
        )
    }
    assert roles == {"1": 620, "2": 191, "3": 102, "4": 422}


def test_recipients_that_are_no_state_are_kept_by_name(capacity_loaded: Session) -> None:
    p = programme(capacity_loaded, "GB-GOV-1-300807-102")
    kept = [r for r in p.recipients if r.state_iso3 is None and r.region_code is None]
    assert [r.name for r in kept] == ["PN"]  # Pitcairn: a territory, no state of the store
    notes = capacity_loaded.scalar(
        select(Dataset.notes).where(Dataset.file_name == "dportal-covid-2020-v2.0x.xml")
    )
    assert notes and "'PN' is no state of the store" in notes
    assert "transactions without an amount (empty <value>) skipped (lines 20986" in notes


def cafod_copy(shared_data: Path, tmp_path: Path, edit: dict[str, str]) -> Path:
    text = activity_file(shared_data, CAFOD).read_text(encoding="utf-8")
    for old, new in edit.items():
        assert old in text
        text = text.replace(old, new, 1)
    path = tmp_path / CAFOD
    path.write_text(text, encoding="utf-8")
    return path


def test_reimport_updates_and_never_duplicates(
    settings: Settings, shared_data: Path, tmp_path: Path
) -> None:
    source = activity_file(shared_data, CAFOD)
    first = import_file(settings, "iati-activities", source)
    assert (first.rows_read, first.inserted) == (57, 57)
    with session_scope(settings.database_url) as s:
        counts = {m: count(s, m) for m in (Programme, Sector, Transaction, Participant)}
        p = programme(s, "GB-CHC-285776-DRC173")
        s.add(Activity(programme_id=p.id, title="Workshop in Bukavu", created_by="ed"))
        s.add(ProgrammeLink(programme_id=p.id, recommendation_key="r1", created_by="ed"))
    assert import_file(settings, "iati-activities", source).skipped_file
    again = import_file(settings, "iati-activities", source, force=True)
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 57)
    with session_scope(settings.database_url) as s:
        assert {m: count(s, m) for m in counts} == counts
    # the publisher restates DRC173 with a new title and one 15160 line fewer
    changed = cafod_copy(
        shared_data,
        tmp_path,
        {
            "analysies by church partners": "analysis by church partners",
            '<sector vocabulary="DAC" code="15160" percentage="20">Human rights</sector>\n'
            '    <sector vocabulary="DAC" code="22030"': '<sector vocabulary="DAC" code="22030"',
        },
    )
    report = import_file(settings, "iati-activities", changed)
    assert (report.inserted, report.updated, report.unchanged) == (0, 1, 56)
    with session_scope(settings.database_url) as s:
        p = programme(s, "GB-CHC-285776-DRC173")
        assert p.title.startswith("Field-level conflict analysis by church partners")
        assert [x.code for x in p.sectors] == [None, "99810", "22030", "15160"]
        assert p.dataset_id == report.dataset_id
        assert [a.title for a in p.activities] == ["Workshop in Bukavu"]  # entered here: kept
        assert count(s, ProgrammeLink) == 1
        assert count(s, Programme) == 57
        assert count(s, Sector) == counts[Sector] - 1
        other = programme(s, "GB-CHC-285776-DRC174")
        assert other.dataset_id == first.dataset_id  # unchanged: keeps its first dataset


def test_a_programme_the_file_no_longer_lists_is_kept(
    settings: Settings, shared_data: Path, tmp_path: Path
) -> None:
    import_file(settings, "iati-activities", activity_file(shared_data, CAFOD))
    text = activity_file(shared_data, CAFOD).read_text(encoding="utf-8")
    start = text.index("  <iati-activity ")
    end = text.index("</iati-activity>", start) + len("</iati-activity>\n")
    shorter = tmp_path / CAFOD
    shorter.write_text(text[:start] + text[end:], encoding="utf-8")
    report = import_file(settings, "iati-activities", shorter)
    assert (report.rows_read, report.unchanged, report.deleted) == (56, 56, 0)
    assert any("kept 1 stored capacity programme" in m for m in report.messages)
    with session_scope(settings.database_url) as s:
        assert count(s, Programme) == 57
    replaced = import_file(settings, "iati-activities", shorter, replace=True)
    assert replaced.deleted == 1
    with session_scope(settings.database_url) as s:
        assert count(s, Programme) == 56
        assert s.scalar(select(func.count()).where(Programme.natural_key.like("%DRC173"))) == 0
