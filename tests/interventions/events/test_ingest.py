"""Exports to Parquet: the real export, a zipped copy, idempotence, bad rows and files."""

from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path

import duckdb
import pytest

from rightsdesk.core.errors import InputError
from rightsdesk.interventions.events.ingest import export_name, ingest_export, parquet_paths
from rightsdesk.interventions.events.schema import NAMES, NARROW
from rightsdesk.interventions.events.sources.gdelt import GdeltEventsImporter
from tests.interventions.events.conftest import EXPORT_ROWS, write_rows


def rows_of(path: Path) -> list[tuple[object, ...]]:
    return duckdb.sql(f"SELECT * FROM read_parquet('{path}') ORDER BY GLOBALEVENTID").fetchall()


def test_real_export(export_path: Path, tmp_path: Path) -> None:
    result = ingest_export(export_path, tmp_path)
    assert result.name == "20150218230000.export"
    assert (result.rows, result.rejected) == (EXPORT_ROWS, 0)
    assert (result.first_date, result.last_date) == (date(2014, 2, 18), date(2015, 2, 18))
    assert result.added_up_to == 20150218230000
    assert result.months == ["2014-02", "2015-01", "2015-02"]
    narrow, full = parquet_paths(tmp_path, result.name)
    assert duckdb.sql(f"DESCRIBE SELECT * FROM '{full}'").fetchall()[0][0] == "GLOBALEVENTID"
    assert [r[0] for r in duckdb.sql(f"DESCRIBE SELECT * FROM '{full}'").fetchall()] == list(NAMES)
    assert [r[0] for r in duckdb.sql(f"DESCRIBE SELECT * FROM '{narrow}'").fetchall()] == list(
        NARROW
    )
    # codes stay text with their leading zero; the URL is the last column, whole
    first = duckdb.sql(
        f"SELECT EventCode, EventRootCode, SOURCEURL FROM '{full}' WHERE GLOBALEVENTID = 410412347"
    ).fetchone()
    assert first is not None
    assert first[:2] == ("043", "04") and str(first[2]).startswith("http://www.dailymaverick")


def test_zipped_copy_gives_the_same(export_path: Path, tmp_path: Path) -> None:
    plain = ingest_export(export_path, tmp_path / "plain")
    archive = tmp_path / "download.zip"  # the member's name names the export
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        z.write(export_path, export_path.name)
    zipped = ingest_export(archive, tmp_path / "zipped")
    assert zipped.name == plain.name and zipped.sha256 == plain.sha256
    assert (zipped.rows, zipped.months) == (plain.rows, plain.months)
    for a, b in zip(
        parquet_paths(tmp_path / "plain", plain.name),
        parquet_paths(tmp_path / "zipped", zipped.name),
        strict=True,
    ):
        assert rows_of(a) == rows_of(b)
    assert GdeltEventsImporter().sniff(archive) and GdeltEventsImporter().sniff(export_path)
    # an export already ingested with the same content is skipped
    again = ingest_export(archive, tmp_path / "plain", known={plain.name: plain.sha256})
    assert again.skipped


def test_bad_rows_are_counted_with_their_line(base_row: dict[str, str], tmp_path: Path) -> None:
    path = write_rows(
        tmp_path / "bad.export.CSV",
        base_row,
        [{"GLOBALEVENTID": "1"}, {"GLOBALEVENTID": "2", "SQLDATE": "20141340"}, {}],
    )
    text = path.read_text(encoding="utf-8").splitlines()
    text[2] = "3\t20150101\tshort"  # line 3: too few columns
    text.append(text[0].replace("\t", "\t\t", 1).replace("1\t", "4\t", 1))  # line 4: 62 columns
    path.write_text("\n".join(text) + "\n", encoding="utf-8")
    result = ingest_export(path, tmp_path / "out")
    assert (result.rows, result.rejected) == (1, 3)
    assert [(b.line, b.field, b.message) for b in result.bad_rows] == [
        (2, "SQLDATE", "not a valid date (YYYYMMDD): '20141340'"),
        (3, "columns", "expected 61 columns, found 3"),
        (4, "columns", "expected 61 columns, found 62"),
    ]
    messages = result.messages()
    assert (
        "bad.export.CSV, line 2, field 'SQLDATE': not a valid date (YYYYMMDD): '20141340'"
        in (messages[0])
    )
    assert "expected 61 columns" in messages[1]


def test_a_file_without_one_good_row_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "notes.csv"
    path.write_text("name,date\nsomething,2020-01-01\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        ingest_export(path, tmp_path / "out")
    assert err.value.location.line == 1 and "notes.csv" in err.value.message
    assert not GdeltEventsImporter().sniff(path)
    assert not list((tmp_path / "out").glob("*/*.parquet"))


def test_a_zip_of_two_files_is_an_error(export_path: Path, tmp_path: Path) -> None:
    archive = tmp_path / "two.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.write(export_path, "a.CSV")
        z.write(export_path, "b.CSV")
    with pytest.raises(InputError, match="holds 2 files"):
        ingest_export(archive, tmp_path / "out")
    assert not GdeltEventsImporter().sniff(archive)


def test_export_names() -> None:
    assert export_name(Path("20150218230000.export.CSV.zip")) == "20150218230000.export"
    assert export_name(Path("x/20150218230000.export.CSV")) == "20150218230000.export"


def test_an_export_with_a_lone_quote_in_a_url_is_imported(
    shared_data: Path, tmp_path: Path
) -> None:
    """GDELT never quotes fields: a ``"`` in a source URL must not read as a cut file."""
    from rightsdesk.core.file_checks import check_structure

    real = shared_data / "events" / "gdelt" / "20150218230000.export.CSV"
    lines = real.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[0] = lines[0].replace("http", 'http"', 1)
    copy = tmp_path / "20150218230000.export.CSV"
    copy.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(InputError, match="quoted field"):
        check_structure(copy)  # a quoting CSV format would call it cut
    check_structure(copy, quoted=GdeltEventsImporter.quoted)  # no error
