"""``rightsdesk import events``: real-ish files built from UCDP's one-sided violence data (actor
→ perpetrator, location → state, year → a start date known to the year, killing as the act)
with made-up victim names; re-imports update and never delete; malformed copies are refused
with the line and field named, nothing stored, and no sensitive value repeated."""

from __future__ import annotations

import csv
import datetime as dt
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from rightsdesk.core.config import Settings
from rightsdesk.core.db import session_scope
from rightsdesk.core.errors import InputError
from rightsdesk.core.importing import ImportReport, run_import
from rightsdesk.core.provenance import Dataset
from rightsdesk.core.security.models import AuditEntry
from rightsdesk.forms import get_importer
from rightsdesk.monitoring.violations.models import (
    Act,
    Event,
    Involvement,
    Perpetrator,
    Source,
    Victim,
)
from rightsdesk.monitoring.violations.sources.events_store import perpetrator_key

UCDP = ("interventions", "other", "OneSided_v23_1.csv")
HEADER = [
    "event_id",
    "title",
    "start_date",
    "country",
    "violation_type",
    "victim_name",
    "victim_sex",
    "perpetrator",
    "perpetrator_role",
    "confidentiality",
    "description",
    "source_type",
    "source_citation",
]
LEVEL_CYCLE = ("public", "restricted", "confidential", "strictly confidential")
CITATION = "UCDP One-sided Violence Dataset v23.1"


def ucdp_rows(shared_data: Path, events: int) -> list[dict[str, str]]:
    """Rows for ``events`` events of the UCDP file: two victims (two rows) for every third."""
    with (shared_data.joinpath(*UCDP)).open(encoding="utf-8") as handle:
        source = list(csv.DictReader(handle))[:events]
    rows: list[dict[str, str]] = []
    for i, r in enumerate(source):
        country = r["location"].split(",")[0].split(" (")[0].strip()
        base = {
            "event_id": f"ucdp-{r['dyad_id']}-{r['year']}",
            "title": f"One-sided violence by {r['actor_name']} in {r['year']}",
            "start_date": r["year"],
            "country": country,
            "violation_type": "Killing" if i % 2 else "killing",
            "victim_name": f"Testvictim Number{i}a",
            "victim_sex": "unknown",
            "perpetrator": r["actor_name"],
            "perpetrator_role": "direct",
            "confidentiality": LEVEL_CYCLE[i % 4],
            "description": f"Best estimate {r['best_fatality_estimate']} deaths.",
            "source_type": "ngo",
            "source_citation": CITATION,
        }
        rows.append(base)
        if i % 3 == 0:
            rows.append({**base, "victim_name": f"Testvictim Number{i}b", "description": ""})
    return rows


def write_csv(path: Path, rows: list[dict[str, str]], header: list[str] = HEADER) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, header, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


def do_import(settings: Settings, path: Path, force: bool = False) -> ImportReport:
    with session_scope(settings.database_url) as session:
        return run_import(session, get_importer("events"), path, actor="test", force=force)


def count(session: Session, model: type) -> int:
    return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_import_ucdp_events(settings: Settings, shared_data: Path, tmp_path: Path) -> None:
    rows = ucdp_rows(shared_data, 30)
    path = write_csv(tmp_path / "events.csv", rows)
    started, cpu = time.perf_counter(), time.process_time()
    report = do_import(settings, path)
    print(
        f"imported {len(rows)} rows in {time.perf_counter() - started:.2f} s "
        f"({time.process_time() - cpu:.2f} s CPU)"
    )
    assert (report.rows_read, report.inserted) == (len(rows), 30)
    with session_scope(settings.database_url) as s:
        assert count(s, Event) == 30
        assert count(s, Victim) == len(rows)
        assert count(s, Act) == len(rows)
        assert count(s, Source) == 30  # the same source on every row of an event
        actors = {r["perpetrator"] for r in rows}
        assert count(s, Perpetrator) == len({perpetrator_key(a) for a in actors})
        assert count(s, Involvement) == len(rows)
        first = s.scalars(select(Event).where(Event.natural_key == rows[0]["event_id"])).one()
        assert first.start_precision == "year" and first.start_date == dt.date(
            int(rows[0]["start_date"]), 1, 1
        )
        assert first.state_iso3 == "RUS" and first.confidentiality == "public"
        assert first.created_by is None and first.dataset_id == report.dataset_id
        assert {v.name for v in first.victims} == {"Testvictim Number0a", "Testvictim Number0b"}
        assert {a.act_type for a in first.acts} == {"killing"}
        assert first.victims[0].confidentiality == "public"
        strict = s.scalars(select(Event).where(Event.natural_key == rows[4]["event_id"])).one()
        assert strict.confidentiality == "strictly_confidential"
        # names are encrypted at rest
        raw = s.execute(text("SELECT name FROM violation_victim")).scalars().all()
        assert raw and not any("Testvictim" in str(v) for v in raw)
        entry = s.scalars(
            select(AuditEntry).where(AuditEntry.action == "import").order_by(AuditEntry.id.desc())
        ).first()
        assert entry is not None and "Testvictim" not in str(entry.after)
        assert s.get(Dataset, report.dataset_id) is not None


def test_reimport_updates_and_never_deletes(
    settings: Settings, shared_data: Path, tmp_path: Path
) -> None:
    rows = ucdp_rows(shared_data, 8)
    path = write_csv(tmp_path / "events.csv", rows)
    do_import(settings, path)
    again = do_import(settings, path, force=True)
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 8)
    # a later file: one event left out, one description changed, one victim added
    later = [r for r in rows if r["event_id"] != rows[0]["event_id"]]
    later[0] = {**later[0], "description": "Revised estimate."}
    later.append({**later[-1], "victim_name": "Testvictim Added"})
    report = do_import(settings, write_csv(tmp_path / "later.csv", later))
    assert (report.inserted, report.updated, report.unchanged) == (0, 2, 5)
    with session_scope(settings.database_url) as s:
        assert count(s, Event) == 8  # the event the file left out is kept
        assert count(s, Victim) == len(rows) + 1
        key = later[0]["event_id"]
        changed = s.scalars(select(Event).where(Event.natural_key == key)).one()
        assert changed.description == "Revised estimate."


def test_events_without_id_key_on_title_date_country(
    sqlite_settings: Settings, tmp_path: Path
) -> None:
    header = ["title", "start_date", "country", "victim_name", "violation_type"]
    rows = [
        {"title": "Raid on a village", "start_date": "2020-05", "country": "Myanmar"},
        {"title": "Raid on a village", "start_date": "2020-05", "country": "MMR"},
    ]
    rows[0] |= {"victim_name": "Testvictim One", "violation_type": "Destruction of property"}
    rows[1] |= {"victim_name": "Testvictim Two", "violation_type": "forced_displacement"}
    path = write_csv(tmp_path / "nokey.csv", rows, header)
    assert do_import(sqlite_settings, path).inserted == 1
    assert do_import(sqlite_settings, path, force=True).unchanged == 1
    with session_scope(sqlite_settings.database_url) as s:
        event = s.scalars(select(Event)).one()
        assert event.natural_key.startswith("csv-") and event.start_precision == "month"
        assert event.confidentiality == "confidential"  # the default level
        assert len(event.victims) == 2 and len(event.acts) == 2


def test_sensitive_location_is_encrypted(sqlite_settings: Settings, tmp_path: Path) -> None:
    header = ["title", "start_date", "country", "place", "latitude", "longitude"]
    header += ["location_sensitive", "area"]
    row = {
        "title": "Night arrest",
        "start_date": "2021-02-03",
        "country": "Belarus",
        "place": "Testplace Safehouse 9",
        "latitude": "53.9",
        "longitude": "27.56",
        "location_sensitive": "yes",
        "area": "Minsk",
    }
    do_import(sqlite_settings, write_csv(tmp_path / "loc.csv", [row], header))
    with session_scope(sqlite_settings.database_url) as s:
        event = s.scalars(select(Event)).one()
        assert event.place is None and event.latitude is None and event.area == "Minsk"
        assert event.exact_location is not None and "Testplace" in event.exact_location
        raw = s.execute(text("SELECT exact_location FROM violation_event")).scalar_one()
        assert "Testplace" not in raw


def test_ambiguous_country_lists_candidates(sqlite_settings: Settings, tmp_path: Path) -> None:
    row = {"title": "A", "start_date": "2020", "country": "Korea"}
    path = write_csv(tmp_path / "k.csv", [row], ["title", "start_date", "country"])
    with pytest.raises(InputError) as caught:
        do_import(sqlite_settings, path)
    assert caught.value.location.field == "country" and caught.value.location.line == 2
    assert "PRK" in caught.value.message and "KOR" in caught.value.message


def test_perpetrator_found_by_name(sqlite_settings: Settings, tmp_path: Path) -> None:
    """A perpetrator entered through the pages (random key) is found by its name, in any case
    and punctuation; an unknown one is added once however many rows name it."""
    with session_scope(sqlite_settings.database_url) as s:
        s.add(Perpetrator(natural_key="perp-0a1b2c3d4e5f6a7b", name="Col. Test Example"))
    header = ["event_id", "title", "start_date", "country", "violation_type", "perpetrator"]
    rows = [
        {"event_id": "a", "perpetrator": "col test example", "violation_type": "torture"},
        {"event_id": "a", "perpetrator": "Brigade X", "violation_type": "torture"},
        {"event_id": "b", "perpetrator": "BRIGADE  X", "violation_type": "killing"},
    ]
    rows = [{**r, "title": r["event_id"], "start_date": "2018", "country": "SDN"} for r in rows]
    do_import(sqlite_settings, write_csv(tmp_path / "p.csv", rows, header))
    with session_scope(sqlite_settings.database_url) as s:
        names = sorted(p.name for p in s.scalars(select(Perpetrator)))
        assert names == ["Brigade X", "Col. Test Example"]
        assert count(s, Involvement) == 3


def test_later_rows_of_an_event_may_leave_its_columns_empty(
    sqlite_settings: Settings, tmp_path: Path
) -> None:
    """A spreadsheet names the event once: the next rows with its event_id give only a victim
    and an act. A first row without a title, or a later one giving only some of the three, is
    still refused."""
    header = ["event_id", "title", "start_date", "country", "violation_type", "victim_name"]
    rows = [
        {"event_id": "e1", "title": "Arrests", "start_date": "2024-05", "country": "BLR",
         "violation_type": "arbitrary_detention", "victim_name": "A Testvictim"},
        {"event_id": "e1", "title": "", "start_date": "", "country": "",
         "violation_type": "torture", "victim_name": "B Testvictim"},
    ]  # fmt: skip
    do_import(sqlite_settings, write_csv(tmp_path / "ok.csv", rows, header))
    with session_scope(sqlite_settings.database_url) as s:
        assert count(s, Event) == 1 and count(s, Victim) == 2 and count(s, Act) == 2
    partial = [rows[0], {**rows[1], "event_id": "e2", "country": "BLR"}]
    with pytest.raises(InputError) as caught:
        do_import(sqlite_settings, write_csv(tmp_path / "bad.csv", partial, header))
    assert caught.value.location.line == 3 and caught.value.location.field == "title"
