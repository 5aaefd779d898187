"""GDELT 2.0 event exports (zipped or not) to Parquet, with DuckDB's parallel CSV reader.

Each export becomes two Parquet files named after it under the events folder
(``DATA/events/gdelt`` by default): ``narrow/<name>.parquet`` with the columns the monthly
aggregation reads (18 of 61, a fraction of the bytes to scan), and ``full/<name>.parquet``
with all 61 columns for analysts and Spark jobs over the archive. One file per export keeps
re-ingest simple: the same export (same name, same content checksum) is skipped; a changed
one replaces its own files only. The same event in two exports (one GLOBALEVENTID twice)
is collapsed by the aggregation's deduplication key, which it always matches.

Bad rows (wrong number of columns, a date that is no date, a number that is no number) are
rejected by the reader, counted and reported with their line; they never stop the rest of
the file. A file in which no row at all is readable is an InputError naming its first line.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from rightsdesk.core.errors import InputError
from rightsdesk.core.provenance import sha256_file
from rightsdesk.interventions.events.schema import COLUMNS, NARROW

if TYPE_CHECKING:
    import duckdb

#: Bad rows listed one by one in a report; the count covers them all.
MAX_LISTED = 20
_SUFFIXES = (".zip", ".csv", ".tsv", ".txt")
_CAST = re.compile(r'Could not convert string "(.*)" to \'(\w+)\'')


@dataclass
class BadRow:
    """One rejected line: where it is and why."""

    line: int
    field: str
    message: str


@dataclass
class IngestResult:
    """What one export's ingest did."""

    name: str
    source: str
    sha256: str
    rows: int = 0
    rejected: int = 0
    first_date: date | None = None
    last_date: date | None = None
    added_up_to: int | None = None  # DATEADDED (YYYYMMDDHHMMSS) of the newest row
    months: list[str] = field(default_factory=list)
    bad_rows: list[BadRow] = field(default_factory=list)
    skipped: bool = False

    def messages(self) -> list[str]:
        """The bad rows as ``file, line N, field 'X': why`` lines, then the count."""
        out = [
            f"{self.source}, line {b.line}, field {b.field!r}: {b.message}" for b in self.bad_rows
        ]
        if self.rejected > len(self.bad_rows):
            out.append(f"{self.source}: {self.rejected - len(self.bad_rows)} more bad row(s)")
        return out


def export_name(path: Path) -> str:
    """The export's name without container suffixes: ``20150218230000.export.CSV.zip`` and
    ``20150218230000.export.CSV`` are both ``20150218230000.export``."""
    name = path.name
    while Path(name).suffix.lower() in _SUFFIXES:
        name = name[: -len(Path(name).suffix)]
    return name or path.name


def csv_options() -> str:
    """The ``read_csv`` options of the format: tab-separated, no header, no quoting (GDELT
    never quotes; a ``"`` in a URL is a character), the 61 typed columns, rejects kept."""
    columns = ", ".join(f"'{name}': '{kind}'" for name, kind in COLUMNS)
    return (
        "delim='\\t', header=false, quote='', escape='', auto_detect=false, "
        f"dateformat='%Y%m%d', columns={{{columns}}}, store_rejects=true"
    )


def connect(threads: int | None = None) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB connection set for bulk conversion (order of rows not kept, so
    the writer runs in parallel)."""
    import duckdb

    con = duckdb.connect()
    if threads:
        con.execute(f"SET threads={int(threads)}")
    con.execute("SET preserve_insertion_order=false")
    return con


@contextmanager
def _plain_csv(path: Path, scratch: Path) -> Iterator[tuple[Path, str, str]]:
    """The export as a plain file, the sha256 of its content and its name: a zip's single
    member is extracted (and hashed while it is) into ``scratch``, so a zipped and an
    unzipped copy of one export have the same checksum and name (the member's)."""
    if not zipfile.is_zipfile(path):
        yield path, sha256_file(path), export_name(path)
        return
    try:
        with zipfile.ZipFile(path) as archive:
            members = [m for m in archive.infolist() if not m.is_dir()]
            if len(members) != 1:
                raise InputError(
                    f"a GDELT zip holds one export; this one holds {len(members)} files",
                    file=path,
                )
            digest = hashlib.sha256()
            target = scratch / export_name(Path(members[0].filename))
            with archive.open(members[0]) as src, target.open("wb") as dst:
                for block in iter(lambda: src.read(1 << 20), b""):
                    digest.update(block)
                    dst.write(block)
    except (zipfile.BadZipFile, OSError) as exc:
        raise InputError(f"not a readable zip file ({exc})", file=path) from exc
    try:
        yield target, digest.hexdigest(), export_name(target)
    finally:
        target.unlink(missing_ok=True)


def parquet_paths(out_dir: Path, name: str) -> tuple[Path, Path]:
    """(narrow, full) Parquet files of an export."""
    return out_dir / "narrow" / f"{name}.parquet", out_dir / "full" / f"{name}.parquet"


def convert(
    con: duckdb.DuckDBPyConnection, csv_path: Path, out_dir: Path, name: str, full: bool = True
) -> list[tuple[Path, Path]]:
    """Write the export's Parquet files under temporary names; returns (partial, final)
    pairs for ``publish``, so a reader never sees half a file and a file with no good row
    never replaces a good one. Snappy: measured twice as fast to write as zstd."""
    narrow, whole = parquet_paths(out_dir, name)
    source = f"read_csv(?, {csv_options()})"
    targets = [(narrow, ", ".join(NARROW))] + ([(whole, "*")] if full else [])
    written = []
    for target, columns in targets:
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(".parquet.partial")
        con.execute(
            # the file to read is a parameter; the target (COPY takes none) is quoted
            f"COPY (SELECT {columns} FROM {source}) TO '{_sql_path(partial)}' "  # noqa: S608
            "(FORMAT parquet, COMPRESSION snappy)",
            [str(csv_path)],
        )
        written.append((partial, target))
    return written


def publish(written: list[tuple[Path, Path]], full: bool) -> None:
    """Move the written files in place (dropping an older full file when ``full`` is off)."""
    for partial, target in written:
        os.replace(partial, target)
    if not full and written:
        parquet_paths(written[0][1].parent.parent, written[0][1].stem)[1].unlink(missing_ok=True)


def _sql_path(path: Path) -> str:
    """A path inside a SQL string literal (COPY ... TO takes no parameter)."""
    return str(path).replace("'", "''")


def _bad_rows(con: duckdb.DuckDBPyConnection) -> tuple[int, list[BadRow]]:
    """Count and first lines of the rows the last read rejected (one entry per line: its
    first error)."""
    total = con.execute("SELECT count(DISTINCT line) FROM reject_errors").fetchone()
    # a short row is reported as such, not as the cast error of its first short column
    order = "(error_type NOT IN ('MISSING COLUMNS', 'TOO MANY COLUMNS'), column_idx)"
    listed = con.execute(
        f"SELECT line, arg_min(column_name, {order}), arg_min(error_message, {order}) "  # noqa: S608
        "FROM reject_errors GROUP BY line ORDER BY line LIMIT ?",
        [MAX_LISTED],
    ).fetchall()
    rows = []
    for line, col, msg in listed:
        text = _plain(str(msg))
        # a row of the wrong width has no one field at fault
        rows.append(
            BadRow(int(line), "columns" if text.startswith("expected ") else str(col), text)
        )
    con.execute("DROP TABLE IF EXISTS reject_errors")
    con.execute("DROP TABLE IF EXISTS reject_scans")
    return int(total[0]) if total else 0, rows


def _plain(message: str) -> str:
    """DuckDB's reject message in the words of the format."""
    if message.startswith("Expected Number of Columns"):
        return message.replace("Expected Number of Columns: ", "expected ").replace(
            " Found: ", " columns, found "
        )
    found = _CAST.search(message)
    if found:
        kind = "date (YYYYMMDD)" if found[2] == "DATE" else "number"
        return f"not a valid {kind}: {found[1]!r}"
    return message


def ingest_export(
    path: Path,
    out_dir: Path,
    known: dict[str, str] | None = None,
    full: bool = True,
    con: duckdb.DuckDBPyConnection | None = None,
) -> IngestResult:
    """Convert one export to Parquet under ``out_dir``; ``known`` maps export names to the
    checksum already ingested (a match is skipped, unless its Parquet file is gone)."""
    if not path.is_file():
        raise InputError("no such file", file=path)
    con = con or connect()
    scratch = Path(tempfile.mkdtemp(prefix="gdelt-", dir=_scratch_root(out_dir)))
    try:
        with _plain_csv(path, scratch) as (csv_path, digest, name):
            result = IngestResult(name=name, source=str(path), sha256=digest)
            if (known or {}).get(name) == digest and parquet_paths(out_dir, name)[0].is_file():
                result.skipped = True
                return result
            written = convert(con, csv_path, out_dir, name, full)
            result.rejected, result.bad_rows = _bad_rows(con)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    _describe(con, written[0][0], result)
    if result.rows == 0:
        for partial, _target in written:
            partial.unlink(missing_ok=True)
        first = result.bad_rows[0] if result.bad_rows else None
        raise InputError(
            "no readable GDELT 2.0 event row (61 tab-separated columns, dates as YYYYMMDD)"
            + (f": {first.message}" if first else ""),
            file=path,
            line=first.line if first else 1,
            field=first.field if first else None,
        )
    publish(written, full)
    return result


def _scratch_root(out_dir: Path) -> Path:
    """Where zips are unpacked: beside the Parquet files (same disk, enough room)."""
    root = out_dir / ".scratch"
    root.mkdir(parents=True, exist_ok=True)
    return root


def _describe(con: duckdb.DuckDBPyConnection, narrow: Path, result: IngestResult) -> None:
    """Rows, date range, newest DATEADDED and months of the written file."""
    row = con.execute(
        "SELECT count(*), min(SQLDATE), max(SQLDATE), max(DATEADDED) FROM read_parquet(?)",
        [str(narrow)],
    ).fetchone()
    if row is None:  # pragma: no cover - an aggregate always returns a row
        return
    result.rows, result.first_date, result.last_date = int(row[0]), row[1], row[2]
    result.added_up_to = None if row[3] is None else int(row[3])
    months = con.execute(
        "SELECT DISTINCT strftime(SQLDATE, '%Y-%m') AS m FROM read_parquet(?) "
        "WHERE SQLDATE IS NOT NULL ORDER BY m",
        [str(narrow)],
    ).fetchall()
    result.months = [str(m[0]) for m in months]
