"""Benchmark: recommendation search latency on every imported recommendation.

Imports the four UPR Info session files and the three OHCHR thematic lists into a throwaway
SQLite store (and a throwaway PostgreSQL database when RIGHTSDESK_TEST_POSTGRES_URL is set, ANALYZEd
after the import as autovacuum would),
then times ``search_recommendations`` (first page of 20, snippets and all ten facet counts
included) over 20 representative queries, 10 without and 10 with filters, each run
``--repeat`` times after one warm-up. Prints import time, then p50/p95 per store and kind.

    .venv/bin/python benchmarks/search_latency.py [--data ../shared/data] [--repeat 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, text

from rightsdesk.core.config import load_settings
from rightsdesk.core.db import dispose_engine, session_scope
from rightsdesk.core.importing import run_import
from rightsdesk.core.scratch import scratch_database
from rightsdesk.forms import get_importer
from rightsdesk.monitoring.recommendations.models import Recommendation
from rightsdesk.monitoring.recommendations.search import search_recommendations
from rightsdesk.store import init_store

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = Path(os.environ.get("RIGHTSDESK_SHARED_DATA", ROOT.parent / "shared" / "data"))

TABLES = [
    "recommendation",
    "recommending_state",
    "recommendation_response",
    "recommendation_theme",
    "theme",
    "group_membership",
]
QUERIES: list[tuple[str, dict[str, Any]]] = [
    ("women", {}),
    ("tortured", {}),
    ('"death penalty"', {}),
    ("torture OR detention", {}),
    ("children -education", {}),
    ('"human rights defenders"', {}),
    ("ratify optional protocol", {}),
    ("NOT women", {}),
    ("migrant workers convention", {}),
    ("", {}),
    ("women", {"response": "noted"}),
    ("torture", {"group": "UN-AFRICA"}),
    ('"death penalty"', {"from_group": "UN-WEOG", "response": "noted"}),
    ("", {"state": "SVN"}),
    ("", {"theme": "Women's rights", "session": "14"}),
    ("education", {"cycle": "2", "action": "5"}),
    ("children", {"from_state": "France"}),
    ("discrimination", {"state": ["ZAF", "BRA", "IND"]}),
    ("", {"theme": "Death penalty", "response": "accepted"}),
    ("freedom of expression", {"mechanism": "UPR", "group": "UN-APG"}),
]


def files(data: Path) -> list[tuple[str, Path]]:
    upr = sorted((data / "monitoring" / "upr-info").glob("sessions-*.csv"))
    docs = sorted((data / "monitoring" / "ohchr-thematic-lists").glob("*.docx"))
    return [("upr-info", p) for p in upr] + [("ohchr-thematic", p) for p in docs]


def run_store(label: str, url: str, data: Path, work: Path, repeat: int) -> list[list[str]]:
    settings = load_settings(database_url=url, data_dir=work, secret_key="b" * 40)
    init_store(settings)
    started = time.perf_counter()
    with session_scope(url) as session:
        for kind, path in files(data):
            run_import(session, get_importer(kind), path, actor="benchmark")
    import_s = time.perf_counter() - started
    if url.startswith("postgresql"):
        # what autovacuum does shortly after a bulk import: planner statistics
        with session_scope(url) as session:
            session.execute(text(f"ANALYZE {', '.join(TABLES)}"))
    rows: list[list[str]] = []
    with session_scope(url) as session:
        total = session.scalar(select(func.count()).select_from(Recommendation)) or 0
        for kind, subset in (("text only", QUERIES[:10]), ("with filters", QUERIES[10:])):
            times: list[float] = []
            for query, facets in subset:
                search_recommendations(session, query, facets)  # warm-up
                for _ in range(repeat):
                    t0 = time.perf_counter()
                    search_recommendations(session, query, facets)
                    times.append((time.perf_counter() - t0) * 1000)
            times.sort()
            p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
            rows.append(
                [
                    label,
                    str(total),
                    f"{import_s:.1f}",
                    kind,
                    str(len(times)),
                    f"{statistics.median(times):.1f}",
                    f"{p95:.1f}",
                ]
            )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    rows: list[list[str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        url = f"sqlite:///{work / 'bench.db'}"
        rows += run_store("SQLite FTS5", url, args.data, work, args.repeat)
        dispose_engine(url)
        pg = os.environ.get("RIGHTSDESK_TEST_POSTGRES_URL")
        if pg:
            with scratch_database(pg) as pg_url:
                rows += run_store("PostgreSQL tsvector", pg_url, args.data, work, args.repeat)
        else:
            print("(PostgreSQL skipped: set RIGHTSDESK_TEST_POSTGRES_URL)")
    header = ["store", "recommendations", "import s", "queries", "runs", "p50 ms", "p95 ms"]
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(header)]
    print("  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)))
    for row in rows:
        print("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)))


if __name__ == "__main__":
    main()
