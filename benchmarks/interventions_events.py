"""GDELT event ingest and monthly aggregation: DuckDB against plain pandas, rows per second.

    .venv/bin/python benchmarks/interventions_events.py [--rows 10000000] [--threads 2]
        [--data ../shared/data] [--dir /tmp] [--pandas-rows 2000000] [--keep]

1. Generates a file of at least ``--rows`` rows in the GDELT 2.0 export format from the real
   export (``events/gdelt/20150218230000.export.CSV``) in a temporary folder (never the repo):
   the export repeated, copy ``r`` with every date moved back ``r`` days (SQLDATE, MonthYear,
   Year, FractionDate, DATEADDED) and GLOBALEVENTID raised by ``r`` * 10^9. Each copy is
   written as whole blocks (one template per date of the export, its placeholders filled by
   ``bytes.replace``), not row by row.
2. Ingest, CSV -> Parquet, DuckDB (the code of ``events/ingest.py``, ``--threads`` threads):
   narrow Parquet only (the 18 columns the aggregation reads), full only (61 columns), both.
3. Ingest with pandas: ``read_csv`` (C engine, the narrow columns, explicit dtypes, in chunks
   of 1 million rows) -> ``to_parquet`` (pyarrow), on ``--pandas-rows`` rows of the same file.
4. Aggregation over the narrow Parquet: DuckDB (``aggregate.aggregate_duckdb``) against pandas
   (``read_parquet`` + the same rule with ``drop_duplicates`` and ``groupby``), action
   perspective for pandas, all three perspectives for DuckDB.

"Rows/s" is rows of the input over wall time. DuckDB is held to ``--threads``; pandas runs
on one core (it has no parallel CSV reader). The machine's load average is printed with the
figures, since a shared machine slows every figure.
"""

from __future__ import annotations

import argparse
import datetime as dt
import faulthandler
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
EXPORT = Path("events/gdelt/20150218230000.export.CSV")


def _date_cells(day: dt.date) -> bytes:
    """SQLDATE, MonthYear, Year, FractionDate of a day, as GDELT writes them."""
    fraction = day.year + ((day.month - 1) * 30 + day.day) / 365
    return f"{day:%Y%m%d}\t{day:%Y%m}\t{day.year}\t{fraction:.4f}".encode()


def generate(source: Path, target: Path, rows: int) -> int:
    """Write at least ``rows`` rows to ``target``; returns how many."""
    lines = [ln for ln in source.read_bytes().split(b"\n") if ln]
    width = max(len(ln.split(b"\t", 1)[0]) for ln in lines)
    groups: dict[tuple[bytes, bytes], list[bytes]] = {}
    for line in lines:
        cells = line.split(b"\t")
        template = b"\x01%s\t\x02\t%s\t\x03\t%s\n" % (
            cells[0].zfill(width),
            b"\t".join(cells[5:59]),
            cells[60],
        )
        groups.setdefault((cells[1], cells[59]), []).append(template)
    blocks = [
        (
            dt.datetime.strptime(day.decode(), "%Y%m%d").date(),
            dt.datetime.strptime(added.decode(), "%Y%m%d%H%M%S"),
            b"".join(group),
        )
        for (day, added), group in groups.items()
    ]
    copies = -(-rows // len(lines))
    with target.open("wb", buffering=1 << 24) as out:
        for r in range(copies):
            prefix = str(r).encode() if r else b""
            back = dt.timedelta(days=r)
            for day, added, block in blocks:
                out.write(
                    block.replace(b"\x01", prefix)
                    .replace(b"\x02", _date_cells(day - back))
                    .replace(b"\x03", f"{added - back:%Y%m%d%H%M%S}".encode())
                )
    return copies * len(lines)


def timed(func: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    value = func()
    return time.perf_counter() - start, value


def duckdb_ingest(csv: Path, out: Path, threads: int, full: bool, narrow: bool) -> int:
    """CSV -> Parquet with the ingest module's reader options; returns rows written."""
    from rightsdesk.interventions.events.ingest import connect, csv_options, parquet_paths
    from rightsdesk.interventions.events.schema import NARROW

    con = connect(threads)
    narrow_path, full_path = parquet_paths(out, "bench")
    targets = ([(narrow_path, ", ".join(NARROW))] if narrow else []) + (
        [(full_path, "*")] if full else []
    )
    for target, columns in targets:
        target.parent.mkdir(parents=True, exist_ok=True)
        con.execute(
            f"COPY (SELECT {columns} FROM read_csv(?, {csv_options()})) TO '{target}' "  # noqa: S608
            "(FORMAT parquet, COMPRESSION snappy)",
            [str(csv)],
        )
    first = targets[0][0]
    row = con.execute("SELECT count(*) FROM read_parquet(?)", [str(first)]).fetchone()
    return int(row[0]) if row else 0


def pandas_ingest(csv: Path, target: Path, rows: int) -> int:
    """CSV -> narrow Parquet with pandas: read_csv in chunks, pyarrow writer."""
    import pandas as pd
    import pyarrow as pa  # type: ignore[import-untyped]
    import pyarrow.parquet as pq  # type: ignore[import-untyped]

    from rightsdesk.interventions.events.schema import NAMES, NARROW

    dtypes = {c: "string" for c in NARROW}
    dtypes.update({"GLOBALEVENTID": "int64", "IsRootEvent": "Int8", "NumSources": "Int32"})
    dtypes.update({"GoldsteinScale": "float64", "DATEADDED": "int64", "SQLDATE": "string"})
    writer = None
    done = 0
    options: dict[str, Any] = {
        "sep": "\t",
        "header": None,
        "names": list(NAMES),
        "usecols": list(NARROW),
        "dtype": dtypes,
        "quoting": 3,  # QUOTE_NONE: GDELT never quotes
        "chunksize": 1_000_000,
        "nrows": rows,
    }
    reader = pd.read_csv(csv, **options)
    for chunk in reader:
        chunk["SQLDATE"] = pd.to_datetime(chunk["SQLDATE"], format="%Y%m%d", errors="coerce")
        table = pa.Table.from_pandas(chunk[list(NARROW)], preserve_index=False)
        if writer is None:
            writer = pq.ParquetWriter(target, table.schema, compression="snappy")
        writer.write_table(table)
        done += len(chunk)
    if writer is not None:
        writer.close()
    return done


def pandas_aggregate(parquet: Path) -> int:
    """The rule of aggregate.py with pandas (action perspective); returns output rows."""
    import pandas as pd

    from rightsdesk.interventions.events.aggregate import DEDUP_KEY
    from rightsdesk.interventions.events.geography import fips_to_iso3_map

    frame = pd.read_parquet(parquet)
    frame = frame[frame["IsRootEvent"] == 1].drop_duplicates(list(DEDUP_KEY))
    frame = frame.assign(
        iso3=frame["ActionGeo_CountryCode"].map(fips_to_iso3_map()),
        month=pd.to_datetime(frame["SQLDATE"]).dt.strftime("%Y-%m"),
        tenths=(frame["GoldsteinScale"] * 10).round().astype("int64"),
    ).dropna(subset=["iso3"])
    keys = ["iso3", "month"]
    total = frame.groupby(keys).size()
    roots = frame[frame["EventRootCode"].isin(["02", "10", "11", "13", "16", "17", "18", "19"])]
    by_root = roots.groupby([*keys, "EventRootCode"])["tenths"].agg(["size", "sum"])
    return len(total) + len(by_root)


def main() -> None:
    faulthandler.enable()  # a hang killed with SIGABRT shows where it was
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--pandas-rows", type=int, default=2_000_000)
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--dir", type=Path, default=None, help="Where the temp folder goes.")
    parser.add_argument("--keep", action="store_true", help="Keep the generated files.")
    args = parser.parse_args()

    from rightsdesk.interventions.events.aggregate import aggregate_duckdb
    from rightsdesk.interventions.events.ingest import connect, parquet_paths

    folder = Path(tempfile.mkdtemp(prefix="gdelt-bench-", dir=args.dir))
    results: list[tuple[str, int, float]] = []
    try:
        csv = folder / "bench.export.CSV"
        seconds, rows = timed(lambda: generate(args.data / EXPORT, csv, args.rows))
        size = csv.stat().st_size
        print(f"generated {rows:,} rows, {size / 1e9:.2f} GB in {seconds:.1f} s -> {csv}")
        timed(lambda: duckdb_ingest(csv, folder / "warm", args.threads, False, True))  # cache
        shutil.rmtree(folder / "warm")
        for label, full, narrow in (
            ("DuckDB ingest, narrow Parquet", False, True),
            ("DuckDB ingest, full Parquet", True, False),
            ("DuckDB ingest, narrow + full", True, True),
        ):
            out = folder / label.split(", ")[1].replace(" ", "").replace("+", "_")
            seconds, done = timed(
                lambda out=out, full=full, narrow=narrow: duckdb_ingest(  # type: ignore[misc]
                    csv, out, args.threads, full, narrow
                )
            )
            results.append((label, done, seconds))
        n = min(args.pandas_rows, rows)
        seconds, done = timed(lambda: pandas_ingest(csv, folder / "pandas.parquet", n))
        results.append(("pandas ingest, narrow Parquet (1 core)", done, seconds))
        parquet = parquet_paths(folder / "narrowParquet", "bench")[0]
        seconds, _ = timed(lambda: aggregate_duckdb([parquet], con=connect(args.threads)))
        results.append(("DuckDB aggregation, 3 perspectives", rows, seconds))
        seconds, _ = timed(lambda: pandas_aggregate(parquet))
        results.append(("pandas aggregation, action only (1 core)", rows, seconds))
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
    load = os.getloadavg()[0]
    print(f"\nthreads {args.threads}, {os.cpu_count()} cores, load average {load:.1f}")
    print(f"{'step':45} {'rows':>12} {'seconds':>9} {'rows/s':>12}")
    for label, done, seconds in results:
        print(f"{label:45} {done:>12,} {seconds:>9.2f} {done / seconds:>12,.0f}")


if __name__ == "__main__":
    main()
