"""The register's importers on the real files: counts, known facts, "data up to", idempotency,
and an editor's change surviving a re-import. On SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from rightsdesk.core.config import Settings
from rightsdesk.core.db import session_scope
from rightsdesk.interventions.register import editing, public
from rightsdesk.interventions.register.listing import get_entry
from rightsdesk.interventions.register.models import Accused, RegisterEntry
from rightsdesk.interventions.register.sources.icc import IccAbaImporter
from tests.interventions.register.conftest import import_file, source_files

pytestmark = pytest.mark.usefixtures("store_template")


def _entry(session: Session, kind: str, key: str) -> RegisterEntry:
    found = session.scalar(
        select(RegisterEntry).where(RegisterEntry.kind == kind, RegisterEntry.key == key)
    )
    assert found is not None, (kind, key)
    return found


def test_counts_and_known_facts(session: Session) -> None:
    counts = dict(
        session.execute(select(RegisterEntry.kind, func.count()).group_by(RegisterEntry.kind)).all()
    )
    assert counts == {"peacekeeping": 81, "icc-situation": 30, "icc-case": 26, "icj-case": 201}
    assert session.scalar(select(func.count()).select_from(Accused)) == 41

    uganda = _entry(session, "icc-situation", "uganda")
    assert uganda.identifier == "ICC-02/04" and uganda.status == "investigation"
    assert [(s.role, s.iso3) for s in uganda.states] == [("situation", "UGA")]

    ongwen = get_entry(session, _entry(session, "icc-case", "the-prosecutor-v-ongwen").id)
    assert ongwen.identifier == "ICC-02/04-01/15" and "Sentenced" in ongwen.status
    assert ongwen.start_date == dt.date(2005, 7, 8)  # first arrest warrant
    (accused,) = ongwen.accused
    assert accused.person == "Dominic Ongwen" and accused.status == "convicted"
    types = {c.crime_type for c in accused.charges}
    assert types == {"war-crimes", "crimes-against-humanity"}
    assert len(accused.charges) >= 15
    lubanga = _entry(session, "icc-case", "the-prosecutor-v-lubanga")
    assert lubanga.identifier == "ICC-01/04-01/06"
    kony = {
        a.person: a.status
        for a in _entry(session, "icc-case", "the-prosecutor-v-kony-et-al").accused
    }
    assert kony["Joseph Kony"] == "at-large" and kony["Raska Lukwiya"] == "deceased"
    bemba = _entry(session, "icc-case", "the-prosecutor-v-bemba").accused[0]
    assert bemba.status == "acquitted"  # on appeal, though the charges file says sentenced
    offences = _entry(session, "icc-case", "the-prosecutor-v-bemba-et-al").accused[0].charges
    assert {c.crime_type for c in offences} == {"administration-of-justice"}

    gambia = _entry(session, "icj-case", "178")
    assert gambia.identifier == "ICJ 178"
    assert gambia.title.startswith(
        "Application of the Convention on the Prevention and Punishment of the Crime of Genocide"
    )
    assert sorted((s.role, s.iso3) for s in gambia.states) == [
        ("applicant", "GMB"),
        ("respondent", "MMR"),
    ]
    assert gambia.status == "pending"
    corfu = _entry(session, "icj-case", "1")
    assert (corfu.start_date, corfu.start_precision) == (dt.date(1947, 1, 1), "year")
    assert sorted(s.iso3 or "" for s in corfu.states) == ["ALB", "GBR"]

    unmiss = _entry(session, "peacekeeping", "UNMISS")
    assert [(s.role, s.iso3) for s in unmiss.states] == [("host", "SSD")]
    assert unmiss.status == "active" and unmiss.start_date == dt.date(2011, 7, 8)
    assert _entry(session, "peacekeeping", "UNEF I").mandate_body == "UNGA"


def test_data_up_to_per_source(session: Session) -> None:
    up_to = {c["kind"]: c["data_up_to_text"] for c in public.sources_coverage(session)}
    assert up_to == {"icc-aba": "2022-04-05", "icj-cases": "2026", "un-peacekeeping": "2024-02-19"}
    ssd = public.entries_for_state(session, "SSD")
    assert any(e.identifier == "UNMISS" and "2024-02-19" in e.source for e in ssd)
    assert [e.kind for e in public.precedents(session, "peacekeeping", 3)] == ["peacekeeping"] * 3


def test_reimport_is_idempotent(settings: Settings, shared_data: Path) -> None:
    files = source_files(shared_data / "interventions")
    for kind, path in files.items():
        again = import_file(settings, kind, path)
        assert again.skipped_file, kind  # same checksum: nothing to do
        forced = import_file(settings, kind, path, force=True)
        assert (forced.inserted, forced.updated, forced.deleted) == (0, 0, 0), kind
        assert forced.unchanged > 0
    with session_scope(settings.database_url) as s:
        assert s.scalar(select(func.count()).select_from(RegisterEntry)) == 338


def test_editor_change_survives_reimport(settings: Settings, shared_data: Path) -> None:
    with session_scope(settings.database_url) as s:
        case = _entry(s, "icc-case", "the-prosecutor-v-kony-et-al")
        data = editing.validate(
            {"status": "Trial ongoing (editor)", "source": "ICC press release, 2025"},
            partial=True,
        )
        editing.update_entry(s, case, data, "an-editor")
        case_id = case.id
    path = source_files(shared_data / "interventions")["icc-aba"]
    report = import_file(settings, "icc-aba", path, force=True)
    assert any("kept the editor's status" in m for m in report.messages)
    with session_scope(settings.database_url) as s:
        case = get_entry(s, case_id)
        assert case.status == "Trial ongoing (editor)"
        assert case.edited() == {"status"}
        assert [h.action for h in case.edits] == ["import", "update"]
        assert {src.origin for src in case.sources} == {"icc-aba", "editor"}


def test_saving_the_form_unchanged_changes_nothing(settings: Settings) -> None:
    """The edit form sends every field back: an entry with a party kept by name only
    (the Hungarian People's Republic, ICJ 22) must come back unchanged."""
    with session_scope(settings.database_url) as s:
        entry = _entry(s, "icj-case", "22")
        assert [x.iso3 for x in entry.states] == ["USA", None]
        before = sorted((x.role, x.iso3, x.name) for x in entry.states)
        form = {
            "states": "; ".join(f"{x.iso3}:{x.role}" for x in entry.states if x.iso3),
            "start": str(entry.start_date.year) if entry.start_date else "",
            "end": str(entry.end_date.year) if entry.end_date else "",
            "title": entry.title,
            "status": entry.status,
            "url": entry.url or "",
            "identifier": entry.identifier or "",
            "mandate_body": entry.mandate_body or "",
            "notes": "",
            "source": "",
        }
        assert editing.update_entry(s, entry, editing.validate(form, partial=True), "ed") == {}
        assert sorted((x.role, x.iso3, x.name) for x in entry.states) == before


def test_icc_sniff_recognises_one_file_per_tree(shared_data: Path) -> None:
    root = shared_data / "interventions" / "icc-aba"
    importer = IccAbaImporter()
    found = [p for p in sorted(root.rglob("*.md")) if importer.sniff(p)]
    assert found == [sorted((root / "_situations").glob("*.md"))[0]]
    assert len(importer.files_read(root / "_cases" / "the-prosecutor-v-ongwen.md")) > 500
