"""The OECD CRS aggregates import (``oecd-crs-sectors``) on the five real files, on SQLite and
PostgreSQL, and on malformed copies: counts, a spot value read from the file, regions and
territories without a state, idempotence, one transaction, clear errors."""

from __future__ import annotations

import csv
import shutil
import time
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from rightsdesk.capacity.models import CrsAid
from rightsdesk.capacity.sources.crs import recipient_state
from rightsdesk.core.config import Settings
from rightsdesk.core.db import session_scope
from rightsdesk.core.errors import InputError, UnknownStateError
from rightsdesk.core.provenance import Dataset
from rightsdesk.forms import detect_importer
from tests.capacity.conftest import activity_file, import_file

YEARS = (2013, 2014, 2015, 2016, 2017)
#: amounts (non-empty cells in DAC code columns) and recipients stored per file, counted with
#: the csv module (the 2015 file's three psql lines after the data are not recipients)
AMOUNTS = {2013: 17504, 2014: 17682, 2015: 18348, 2016: 18247, 2017: 18536}
RECIPIENTS = {2013: 165, 2014: 163, 2015: 163, 2016: 163, 2017: 163}


def crs_file(shared_data: Path, year: int) -> Path:
    return shared_data / "capacity" / "oecd-crs" / f"crs_{year}_sectors.csv"


def load_crs(settings: Settings, shared_data: Path) -> float:
    """Import the five files; returns the seconds it took."""
    start = time.perf_counter()
    for year in YEARS:
        import_file(settings, "oecd-crs-sectors", crs_file(shared_data, year))
    return time.perf_counter() - start


def _cell(path: Path, recipient: str, column: str) -> float:
    """A cell of the real file, read with the csv module (the expected value)."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            label = row.get("Row Labels") or row.get("recipient_name") or row.get("RecipientName")
            if label == recipient:
                return float(row[column])
    raise AssertionError(f"{recipient} not in {path}")


def test_real_files_import_with_counts_and_values(settings: Settings, shared_data: Path) -> None:
    seconds = load_crs(settings, shared_data)
    print(f"CRS import of 5 files: {seconds:.1f} s")
    with session_scope(settings.database_url) as s:
        per_year = dict(
            s.execute(select(CrsAid.year, func.count(CrsAid.id)).group_by(CrsAid.year)).all()
        )
        assert per_year == AMOUNTS
        labels = dict(
            s.execute(
                select(CrsAid.year, func.count(func.distinct(CrsAid.recipient))).group_by(
                    CrsAid.year
                )
            ).all()
        )
        assert labels == RECIPIENTS
        kenya = s.scalar(
            select(CrsAid.amount_usd_m).where(
                CrsAid.year == 2015, CrsAid.state_iso3 == "KEN", CrsAid.sector_code == "15160"
            )
        )
        expected = _cell(crs_file(shared_data, 2015), "Kenya", "15160")
        assert kenya == pytest.approx(expected) and kenya == pytest.approx(17.5087217)
        # each file's dataset covers its year, whole (the period pages and provenance show)
        periods = {
            d.file_name: (d.period_start, d.period_end)
            for d in s.scalars(select(Dataset).where(Dataset.kind == "oecd-crs-sectors"))
        }
        assert periods["crs_2015_sectors.csv"] == (date(2015, 1, 1), date(2015, 12, 31))
        # regions, "unspecified" rows and territories are kept, without a state
        for year, label in (
            (2013, "Africa, regional"),
            (2015, "Developing countries, unspecified"),
            (2017, "Bilateral, unspecified"),
            (2013, "Montserrat"),
        ):
            iso3s = set(
                s.scalars(
                    select(CrsAid.state_iso3).where(CrsAid.year == year, CrsAid.recipient == label)
                )
            )
            assert iso3s == {None}, (year, label)
        # names as each year wrote them resolve to one state
        for year, label, iso3 in (
            (2013, "Swaziland", "SWZ"),
            (2017, "Eswatini", "SWZ"),
            (2014, "Former Yugoslav Republic of Macedonia", "MKD"),
            (2016, "C\ufffdte d'Ivoire", "CIV"),  # damaged in the file itself
            (2015, "Kosovo", "XKX"),
        ):
            got = set(
                s.scalars(
                    select(CrsAid.state_iso3).where(CrsAid.year == year, CrsAid.recipient == label)
                )
            )
            assert got == {iso3}, (year, label, got)
        # provenance: every row names its dataset
        assert s.scalar(select(func.count(CrsAid.id)).where(CrsAid.dataset_id.is_(None))) == 0
        kinds = set(
            s.scalars(select(Dataset.kind).where(Dataset.id.in_(select(CrsAid.dataset_id))))
        )
        assert kinds == {"oecd-crs-sectors"}

    # the same file again: nothing new, nothing duplicated
    again = import_file(settings, "oecd-crs-sectors", crs_file(shared_data, 2015), force=True)
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, AMOUNTS[2015])
    with session_scope(settings.database_url) as s:
        assert s.scalar(select(func.count(CrsAid.id))) == sum(AMOUNTS.values())


def test_sniff_recognises_exactly_these_files(shared_data: Path, tmp_path: Path) -> None:
    for year in YEARS:
        found = detect_importer(crs_file(shared_data, year))
        assert found is not None and found.kind == "oecd-crs-sectors"
    renamed = tmp_path / "crs-2015.csv"
    shutil.copy(crs_file(shared_data, 2015), renamed)
    other = detect_importer(renamed)
    assert other is None or other.kind != "oecd-crs-sectors"
    iati = detect_importer(activity_file(shared_data, "cafod-drc-v1.00.xml"))
    assert iati is None or iati.kind != "oecd-crs-sectors"


def test_recipient_names() -> None:
    assert recipient_state("Kenya") == "KEN"
    assert recipient_state("South of Sahara, regional") is None
    assert recipient_state("States Ex-Yugoslavia unspecified") is None
    assert recipient_state("Wallis and Futuna") is None
    with pytest.raises(UnknownStateError):
        recipient_state("Atlantis")


def _edited(source: Path, target: Path, edit: dict[tuple[str, str], str]) -> Path:
    """A copy of ``source`` with cells replaced: {(recipient, column): new text}."""
    text = source.read_text(encoding="utf-8-sig")
    rows = list(csv.reader(text.splitlines()))
    header = rows[0]
    label = next(i for i, c in enumerate(header) if c in ("Row Labels", "recipient_name"))
    for row in rows[1:]:
        for (recipient, column), value in edit.items():
            if row and row[label] == recipient:
                row[header.index(column)] = value
    with target.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    return target


def _line_of(path: Path, recipient: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.startswith(recipient + ",") or line.startswith(f'"{recipient}",'):
            return number
    raise AssertionError(recipient)


def _fails(settings: Settings, path: Path) -> InputError:
    with pytest.raises(InputError) as info:
        import_file(settings, "oecd-crs-sectors", path)
    with session_scope(settings.database_url) as s:
        assert s.scalar(select(func.count(CrsAid.id))) == 0, "nothing half-written"
    return info.value


def test_malformed_copies_fail_clearly(
    settings: Settings, shared_data: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "bad"
    folder.mkdir()
    source = crs_file(shared_data, 2014)

    bad_number = _edited(source, folder / "crs_2014_sectors.csv", {("Kenya", "15160"): "1,2"})
    error = _fails(settings, bad_number)
    assert error.location.line == _line_of(bad_number, "Kenya")
    assert error.location.field == "15160" and "1,2" in error.message

    unknown = _edited(
        source, folder / "crs_2014_sectors.csv", {("Kenya", "recipient_name"): "Atlantis"}
    )
    error = _fails(settings, unknown)
    assert "Atlantis" in error.message and f"line {_line_of(unknown, 'Atlantis')}" in error.message

    twice = _edited(
        source, folder / "crs_2014_sectors.csv", {("Uganda", "recipient_name"): "Kenya"}
    )
    assert "twice" in _fails(settings, twice).message

    total = _edited(
        crs_file(shared_data, 2013),
        folder / "crs_2013_sectors.csv",
        {("India", "Grand Total"): "1"},
    )
    error = _fails(settings, total)
    assert error.location.field == "Grand Total"
    assert error.location.line == _line_of(total, "India")

    nameless = folder / "crs_sectors_2014.csv"
    shutil.copy(source, nameless)
    assert "crs_YYYY_sectors.csv" in _fails(settings, nameless).message
