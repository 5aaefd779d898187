"""Time importing both treaty formats into a fresh store (SQLite; PostgreSQL too when
RIGHTSDESK_TEST_POSTGRES_URL names a server where a database may be created).

    .venv/bin/python benchmarks/treaty_import.py [DATA_DIR]

Prints one line per (store, format): files, rows read, rows written, seconds; then a forced
re-import of everything (which must write nothing) to show the idempotent path's cost.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import create_engine, text

from rightsdesk.core.config import load_settings
from rightsdesk.core.db import dispose_engine, session_scope
from rightsdesk.core.importing import ImportReport, run_import
from rightsdesk.core.scratch import scratch_database
from rightsdesk.forms import get_importer
from rightsdesk.store import init_store

ROOT = Path(__file__).resolve().parents[1]


def _batches(data: Path) -> list[tuple[str, list[tuple[str, Path]]]]:
    base = data / "negotiation" / "treaties"
    return [
        (
            "untc-ratifications (2026 table)",
            [("untc-ratifications", base / "un_hr_ratifications.csv")],
        ),
        (
            "untreaties (27 chapter IV csv)",
            [("untreaties", p) for p in sorted((base / "untreaties/treaties").glob("4-*.csv"))],
        ),
        (
            "untreaties-reservations (24 txt)",
            [
                ("untreaties-reservations", p)
                for p in sorted((base / "untreaties/declarations").glob("4-*.txt"))
            ],
        ),
    ]


def _run(
    url: str, pairs: list[tuple[str, Path]], force: bool = False
) -> tuple[float, list[ImportReport]]:
    start = time.perf_counter()
    with session_scope(url) as session:
        reports = [
            run_import(session, get_importer(kind), path, actor="bench", force=force)
            for kind, path in pairs
        ]
    return time.perf_counter() - start, reports


def _fresh(url: str, workdir: Path) -> None:
    settings = load_settings(database_url=url, data_dir=workdir, secret_key="bench-" + "x" * 40)
    init_store(settings)


def _line(
    label: str, name: str, files: int, seconds: float, reports: list[ImportReport]
) -> tuple[str, ...]:
    read = sum(r.rows_read for r in reports)
    written = sum(r.inserted + r.updated for r in reports)
    return (label, name, str(files), str(read), str(written), f"{seconds:.2f}")


def bench(label: str, url: str, data: Path, workdir: Path) -> list[tuple[str, ...]]:
    """Load order (newest table first), then a forced re-import that must write nothing."""
    _fresh(url, workdir)
    rows: list[tuple[str, ...]] = []
    everything: list[tuple[str, Path]] = []
    for name, pairs in _batches(data):
        seconds, reports = _run(url, pairs)
        everything += pairs
        rows.append(_line(label, name, len(pairs), seconds, reports))
    seconds, reports = _run(url, everything, force=True)
    rows.append(_line(label, "all again (--force)", len(everything), seconds, reports))
    return rows


def bench_reverse(label: str, url: str, data: Path, workdir: Path) -> list[tuple[str, ...]]:
    """Old scrape first into an empty store, then the 2026 table overwriting it."""
    _fresh(url, workdir)
    old, new = _batches(data)[1], _batches(data)[0]
    rows: list[tuple[str, ...]] = []
    for name, pairs in (old, new):
        seconds, reports = _run(url, pairs)
        rows.append(_line(label + " (reverse)", name, len(pairs), seconds, reports))
    return rows


def _drop_all(url: str) -> None:
    """Empty a PostgreSQL benchmark database (a fresh schema) for the next scenario."""
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    dispose_engine(url)


def main() -> None:
    data = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "data"
    table: list[tuple[str, ...]] = []
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        table += bench("sqlite", url, data, Path(tmp))
        dispose_engine(url)
        url = f"sqlite:///{Path(tmp) / 'bench-reverse.db'}"
        table += bench_reverse("sqlite", url, data, Path(tmp))
        dispose_engine(url)
        pg = os.environ.get("RIGHTSDESK_TEST_POSTGRES_URL")
        if pg:
            with scratch_database(pg, "rdbench") as target:
                table += bench("postgresql", target, data, Path(tmp))
                _drop_all(target)
                table += bench_reverse("postgresql", target, data, Path(tmp))
    header = ("store", "format", "files", "rows read", "rows written", "seconds")
    widths = [max(len(r[i]) for r in [header, *table]) for i in range(len(header))]
    for row in [header, tuple("-" * w for w in widths), *table]:
        print(
            "  ".join(
                c.ljust(w) if i < 2 else c.rjust(w)
                for i, (c, w) in enumerate(zip(row, widths, strict=True))
            )
        )


if __name__ == "__main__":
    main()
