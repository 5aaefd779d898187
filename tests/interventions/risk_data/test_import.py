"""The eight risk importers on the real files: counts, periods, idempotent re-import,
recognition by header, and malformed copies refused with file, line and field named while the
store stays as it was."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from rightsdesk.core.config import Settings
from rightsdesk.core.db import session_scope
from rightsdesk.core.errors import InputError, MissingColumnError
from rightsdesk.core.importing import ReplaceRefusedError
from rightsdesk.core.provenance import Dataset, finished
from rightsdesk.forms import detect_importer
from rightsdesk.interventions.risk.models import RiskRecord
from tests.interventions.risk_data.conftest import RISK_FILES, ROWS, import_risk, risk_file

#: first and last year each source covers (the pages' "data up to")
PERIODS = {
    "ewp-basedata": (1934, 2024),
    "ewp-predictors": (1960, 2024),
    "ewp-forecasts": (1994, 2024),
    "pts": (1976, 2023),
    "cirights": (1981, 2020),
    "ucdp-battledeaths": (1989, 2024),
    "ucdp-acd": (1946, 2019),
    "ucdp-onesided": (1989, 2022),
}


def counts(session: Session) -> dict[str, int]:
    stmt = select(RiskRecord.source, func.count()).group_by(RiskRecord.source)
    return {str(k): int(n) for k, n in session.execute(stmt)}


def datasets(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(Dataset).where(finished())) or 0)


def test_counts_and_periods(risk_settings: Settings) -> None:
    with session_scope(risk_settings.database_url) as s:
        assert counts(s) == ROWS
        for kind, (first, last) in PERIODS.items():
            ds = s.scalars(select(Dataset).where(Dataset.kind == kind)).one()
            assert (ds.period_start, ds.period_end) == (
                dt.date(first, 1, 1),
                dt.date(last, 12, 31),
            ), kind
            assert ds.inserted == ROWS[kind]


def test_source_codes_and_names_kept(risk_settings: Settings) -> None:
    with session_scope(risk_settings.database_url) as s:

        def one(source: str, key: str, year: int) -> RiskRecord:
            stmt = select(RiskRecord).where(
                RiskRecord.source == source, RiskRecord.key == key, RiskRecord.year == year
            )
            return s.scalars(stmt).one()

        ussr = one("ewp-basedata", "365", 1980)
        assert (ussr.code, ussr.name, ussr.cow, ussr.iso3) == (
            "365",
            "Russia (Soviet Union)",
            365,
            "RUS",
        )
        rvn = one("ewp-basedata", "817", 1970)
        assert (rvn.name, rvn.iso3) == ("Vietnam, Republic of", None)
        assert one("ewp-basedata", "315", 1980).iso3 == "CSK"  # Czechoslovakia, not Czechia
        assert one("ewp-basedata", "316", 2000).iso3 == "CZE"
        turkey = one("pts", "Türkiye", 2020)  # Windows-1252 decoded
        assert turkey.iso3 == "TUR" and turkey.values["PTS_A"] == 4
        gaza = one("pts", "Gaza (Hamas)", 2012)  # no COW code: kept under its own name
        assert (gaza.cow, gaza.iso3, gaza.key) == (None, None, "Gaza (Hamas)")
        afg = one("cirights", "700", 1981)  # the BOM before the first column name is dropped
        assert afg.values["country"] == "Afghanistan" and afg.iso3 == "AFG"


def test_reimport_is_idempotent(risk_settings: Settings, shared_data: Path) -> None:
    path = risk_file(shared_data, "ewp-basedata")
    again = import_risk(risk_settings, "ewp-basedata", path)
    assert again.skipped_file
    forced = import_risk(risk_settings, "ewp-basedata", path, force=True)
    assert (forced.inserted, forced.updated, forced.unchanged) == (0, 0, ROWS["ewp-basedata"])
    with session_scope(risk_settings.database_url) as s:
        assert counts(s) == ROWS


def test_changed_copy_updates_one_row(
    risk_settings: Settings, shared_data: Path, tmp_path: Path
) -> None:
    lines = risk_file(shared_data, "ucdp-onesided").read_text(encoding="utf-8").splitlines()
    cells = lines[1].split('","')
    assert cells[8] == "58"  # best_fatality_estimate of the first row
    cells[8] = "59"
    lines[1] = '","'.join(cells)
    copy = tmp_path / "OneSided_v23_1.csv"
    copy.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = import_risk(risk_settings, "ucdp-onesided", copy)
    assert (report.inserted, report.updated, report.unchanged) == (0, 1, ROWS["ucdp-onesided"] - 1)


def with_cell(source: Path, target: Path, line: int, column: str, value: str) -> Path:
    """A copy of ``source`` with the cell of ``column`` on physical ``line`` set to ``value``
    (the files have no line breaks inside cells, so line n is row n - 1)."""
    encoding = "cp1252" if source.name.startswith("PTS") else "utf-8"
    with source.open(encoding=encoding, newline="") as handle:
        rows = list(csv.reader(handle))
    header = [h.lstrip("\ufeff") for h in rows[0]]
    rows[line - 1][header.index(column)] = value
    with target.open("w", encoding=encoding, newline="") as handle:
        csv.writer(handle).writerows(rows)
    return target


@pytest.mark.parametrize(
    ("kind", "line", "field", "bad"),
    [
        ("pts", 100, "PTS_A", "x"),
        ("ucdp-battledeaths", 50, "year", "19x1"),
        ("ewp-predictors", 2000, "ccode", "one"),
        ("cirights", 7000, "physint_sum", "1e999"),
    ],
)
def test_malformed_copy_is_refused(
    risk_settings: Settings,
    shared_data: Path,
    tmp_path: Path,
    kind: str,
    line: int,
    field: str,
    bad: str,
) -> None:
    source = risk_file(shared_data, kind)
    copy = with_cell(source, tmp_path / source.name, line, field, bad)
    with session_scope(risk_settings.database_url) as s:
        before = (counts(s), datasets(s))
    with pytest.raises(InputError) as caught:
        import_risk(risk_settings, kind, copy, force=True)
    err = caught.value
    assert (err.location.line, err.location.field) == (line, field), err.message
    assert copy.name in str(err.location.file)
    with session_scope(risk_settings.database_url) as s:
        assert (counts(s), datasets(s)) == before


def test_missing_column_and_duplicate_row(
    risk_settings: Settings, shared_data: Path, tmp_path: Path
) -> None:
    text = risk_file(shared_data, "ucdp-acd").read_text(encoding="utf-8")
    cut = tmp_path / "acd.csv"
    cut.write_text(text.replace('"year",', '"yr",', 1), encoding="utf-8")
    with pytest.raises(MissingColumnError) as missing:
        import_risk(risk_settings, "ucdp-acd", cut)
    assert missing.value.location.field == "year"
    lines = text.splitlines()
    twice = tmp_path / "acd2.csv"
    twice.write_text("\n".join([*lines[:3], lines[2]]) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as dup:
        import_risk(risk_settings, "ucdp-acd", twice)
    assert dup.value.location.line == 4 and "second row" in dup.value.message


def test_files_recognised_by_header(shared_data: Path) -> None:
    for kind in RISK_FILES:
        found = detect_importer(risk_file(shared_data, kind))
        assert found is not None and found.kind == kind
    ours = set(RISK_FILES)
    others = [
        ("ewp", "final_forecasts_data_3Sep2025.csv"),
        ("ewp", "coefficients_3Sep2025.csv"),
        ("other", "Genocide_Politicide_panel2018.csv"),
        ("other", "tmk2020.csv"),
        ("unsc-vetoes", "unsc_vetoes_1946_sept2022.csv"),
        ("un-peacekeeping", "DPPADPOSS-PKO.csv"),
    ]
    for parts in others:
        found = detect_importer(shared_data.joinpath("interventions", *parts))
        assert found is None or found.kind not in ours, parts


def test_partial_file_keeps_rows_unless_replace(
    risk_settings: Settings, shared_data: Path, tmp_path: Path
) -> None:
    lines = risk_file(shared_data, "ucdp-onesided").read_text(encoding="utf-8").splitlines()
    part = tmp_path / "OneSided_part.csv"
    part.write_text("\n".join(lines[:-1]) + "\n", encoding="utf-8")  # the last row left out
    kept = import_risk(risk_settings, "ucdp-onesided", part)
    assert kept.deleted == 0 and any("kept 1 stored" in m for m in kept.messages)
    replaced = import_risk(risk_settings, "ucdp-onesided", part, replace=True)
    assert replaced.deleted == 1
    short = tmp_path / "OneSided_short.csv"
    short.write_text("\n".join(lines[:100]) + "\n", encoding="utf-8")
    with pytest.raises(ReplaceRefusedError):  # would delete far more than 5% of the rows
        import_risk(risk_settings, "ucdp-onesided", short, replace=True)
    with session_scope(risk_settings.database_url) as s:
        assert counts(s)["ucdp-onesided"] == ROWS["ucdp-onesided"] - 1
