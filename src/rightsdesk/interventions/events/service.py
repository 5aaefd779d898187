"""Ingest into the store: convert exports, record them, recompute the monthly figures.

The Parquet files are the events; the store holds the list of exports and the monthly
figures pages read. Both are written in the caller's transaction; the Parquet files are
written before it commits, so a rolled-back ingest leaves a file that no export row names:
the aggregation reads only the files of recorded exports, and the next ingest of the same
export rewrites it.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from rightsdesk.core.db import utcnow
from rightsdesk.interventions.events.aggregate import aggregate_duckdb, figures
from rightsdesk.interventions.events.ingest import (
    IngestResult,
    connect,
    ingest_export,
    parquet_paths,
)
from rightsdesk.interventions.events.models import EventExport, EventMonthly, EventVolume

#: Below the data folder: where the Parquet files of GDELT exports go.
EVENTS_SUBDIR = Path("events") / "gdelt"
#: Rows per INSERT statement when the figures are written.
_BATCH = 5000


def events_dir(data_dir: Path) -> Path:
    """The Parquet folder of the events under a data folder (``DATA/events/gdelt``)."""
    return data_dir / EVENTS_SUBDIR


def ingest_paths(
    session: Session,
    paths: Sequence[Path],
    out_dir: Path,
    full: bool = True,
    dataset_id: int | None = None,
) -> list[IngestResult]:
    """Convert and record each export, then recompute the months they touch."""
    known = {e.name: e.sha256 for e in session.scalars(select(EventExport))}
    con = connect()
    results: list[IngestResult] = []
    months: set[str] = set()
    replaced = False  # a changed export may have left months its new content lacks
    for path in paths:
        result = ingest_export(path, out_dir, known=known, full=full, con=con)
        results.append(result)
        if result.skipped:
            continue
        replaced = replaced or result.name in known
        _record(session, result, dataset_id)
        known[result.name] = result.sha256
        months.update(result.months)
    if months:
        session.flush()
        refresh_monthly(session, out_dir, None if replaced else sorted(months))
    return results


def _record(session: Session, result: IngestResult, dataset_id: int | None) -> None:
    """Insert or update the export's row."""
    row = session.scalars(select(EventExport).where(EventExport.name == result.name)).first()
    if row is None:
        row = EventExport(name=result.name)
        session.add(row)
    row.source_file = Path(result.source).name[:300]
    row.sha256 = result.sha256
    row.rows = result.rows
    row.rejected = result.rejected
    row.first_date = result.first_date
    row.last_date = result.last_date
    row.added_up_to = result.added_up_to
    row.ingested_at = utcnow()
    row.dataset_id = dataset_id


def narrow_files(session: Session, out_dir: Path) -> list[Path]:
    """The narrow Parquet files of the recorded exports that are on disk."""
    names = session.scalars(select(EventExport.name).order_by(EventExport.name))
    return [p for p in (parquet_paths(out_dir, n)[0] for n in names) if p.is_file()]


def refresh_monthly(session: Session, out_dir: Path, months: Sequence[str] | None = None) -> int:
    """Recompute the stored figures of ``months`` (all months when None) from every recorded
    export; returns the number of monthly rows written."""
    frame = aggregate_duckdb(narrow_files(session, out_dir), months)
    monthly, volume = figures(frame)
    for model in (EventMonthly, EventVolume):
        stmt = delete(model)
        if months is not None:
            stmt = stmt.where(model.month.in_(list(months)))
        session.execute(stmt)
    for model, rows in ((EventMonthly, monthly), (EventVolume, volume)):
        for start in range(0, len(rows), _BATCH):
            session.execute(insert(model), rows[start : start + _BATCH])
    return len(monthly)
