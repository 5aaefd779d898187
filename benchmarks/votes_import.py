"""Import time of the UN votes data into a fresh store: unvotes (870k GA votes) and HRC/CHR.

    .venv/bin/python benchmarks/votes_import.py [--data ../shared/data]

Runs on a fresh SQLite file, and on a throwaway PostgreSQL database when
RIGHTSDESK_TEST_POSTGRES_URL is set. Each kind is imported once (fresh), then again with
--force (the idempotency check: every row compared, nothing written). Prints a table.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from rightsdesk.core.config import load_settings
from rightsdesk.core.db import dispose_engine, session_scope
from rightsdesk.core.importing import run_import
from rightsdesk.core.scratch import scratch_database
from rightsdesk.forms import get_importer
from rightsdesk.store import init_store

ROOT = Path(__file__).resolve().parents[1]


def bench(url: str, data: Path, workdir: Path) -> list[tuple[str, str, float, int, int, int]]:
    settings = load_settings(database_url=url, data_dir=workdir, secret_key="b" * 40)
    init_store(settings)
    files = [
        ("unvotes", data / "negotiation" / "unvotes" / "un_votes.rda"),
        ("hrc-resolutions", data / "negotiation" / "hrc" / "resolutions.csv"),
        ("hrc-votes", data / "negotiation" / "hrc" / "votes_long.csv"),
    ]
    rows = []
    for label, force in (("fresh", False), ("again (--force)", True)):
        for kind, path in files:
            start = time.perf_counter()
            with session_scope(url) as s:
                report = run_import(s, get_importer(kind), path, actor="bench", force=force)
            took = time.perf_counter() - start
            rows.append((kind, label, took, report.inserted, report.updated, report.unchanged))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    args = parser.parse_args()
    results: list[tuple[str, list[tuple[str, str, float, int, int, int]]]] = []
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        results.append(("sqlite", bench(url, args.data, Path(tmp))))
        dispose_engine(url)
        pg = os.environ.get("RIGHTSDESK_TEST_POSTGRES_URL")
        if pg:
            with scratch_database(pg) as pg_url:
                results.append(("postgresql", bench(pg_url, args.data, Path(tmp))))
        else:
            print("(PostgreSQL skipped: set RIGHTSDESK_TEST_POSTGRES_URL)")
    print(f"{'store':<11} {'kind':<16} {'run':<16} {'seconds':>8} {'inserted':>9} "
          f"{'updated':>8} {'unchanged':>10}")  # fmt: skip
    for store, rows in results:
        for kind, label, took, ins, upd, unch in rows:
            print(f"{store:<11} {kind:<16} {label:<16} {took:>8.1f} {ins:>9} {upd:>8} {unch:>10}")


if __name__ == "__main__":
    main()
