"""Ingest into the store: convert exports, record them, recompute the monthly figures.

The Parquet files are the events; the store holds the list of exports and the monthly
figures pages read. Both are written in the caller's transaction; the Parquet files are
written before it commits, so a rolled-back ingest leaves a file that no export row names:
the aggregation reads only the files of recorded exports, and the next ingest of the same
export rewrites it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from rightsdesk.core.db import utcnow
from rightsdesk.core.errors import NotFoundError
from rightsdesk.interventions.events.aggregate import aggregate_duckdb, figures
from rightsdesk.interventions.events.ingest import (
    IngestResult,
    connect,
    ingest_export,
    parquet_paths,
)
from rightsdesk.interventions.events.models import EventExport, EventMonthly, EventVolume

if TYPE_CHECKING:
    import pandas as pd

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
    aggregate: bool = True,
) -> list[IngestResult]:
    """Convert and record each export, then recompute the months they touch. With
    ``aggregate=False`` the exports are recorded as not yet counted (``EventExport.aggregated``)
    and the figures are left for ``refresh_monthly`` over everything, which is what a large
    archive wants: one aggregation (on Spark if need be) instead of one per batch."""
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
        _record(session, result, dataset_id, aggregate)
        known[result.name] = result.sha256
        months.update(result.months)
    if months and aggregate:
        session.flush()
        refresh_monthly(session, out_dir, None if replaced else sorted(months))
    return results


def _record(
    session: Session, result: IngestResult, dataset_id: int | None, aggregated: bool
) -> None:
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
    row.aggregated = aggregated


def narrow_files(session: Session, out_dir: Path) -> list[Path]:
    """The narrow Parquet files of the recorded exports that are on disk."""
    names = session.scalars(select(EventExport.name).order_by(EventExport.name))
    return [p for p in (parquet_paths(out_dir, n)[0] for n in names) if p.is_file()]


def require_files(session: Session, out_dir: Path) -> list[Path]:
    """The narrow Parquet file of every recorded export; a NotFoundError naming the missing
    ones otherwise. Figures recomputed without them would silently drop their events from
    every month they recompute (a moved or deleted folder, another ``--out``)."""
    names = list(session.scalars(select(EventExport.name).order_by(EventExport.name)))
    paths = [parquet_paths(out_dir, n)[0] for n in names]
    missing = [n for n, p in zip(names, paths, strict=True) if not p.is_file()]
    if missing:
        shown = ", ".join(missing[:5]) + (
            f" and {len(missing) - 5} more" if len(missing) > 5 else ""
        )
        raise NotFoundError(
            f"{len(missing)} recorded GDELT export(s) have no Parquet file under {out_dir}: "
            f"{shown}. Ingest those exports again, or give the folder they are in (--out); "
            "no figure was changed"
        )
    return paths


#: An aggregation engine: (narrow Parquet files, months or None for all) -> ``OUTPUT`` frame.
Engine = Callable[[list[Path], Sequence[str] | None], "pd.DataFrame"]


def refresh_monthly(
    session: Session,
    out_dir: Path,
    months: Sequence[str] | None = None,
    engine: Engine = aggregate_duckdb,
) -> int:
    """Recompute the stored figures of ``months`` (all months when None) from every recorded
    export, with DuckDB or another engine giving the same frame (``spark_engine``); returns
    the number of monthly rows written. A refresh of all months counts every export."""
    frame = engine(require_files(session, out_dir), months)
    monthly, volume = figures(frame)
    for model in (EventMonthly, EventVolume):
        stmt = delete(model)
        if months is not None:
            stmt = stmt.where(model.month.in_(list(months)))
        session.execute(stmt)
    for model, rows in ((EventMonthly, monthly), (EventVolume, volume)):
        for start in range(0, len(rows), _BATCH):
            session.execute(insert(model), rows[start : start + _BATCH])
    if months is None:
        session.execute(update(EventExport).values(aggregated=True))
    return len(monthly)


def spark_engine(spark: Any) -> Engine:
    """The Spark aggregation as an engine of ``refresh_monthly`` (the same SQL and result as
    DuckDB's; ``spark_aggregate.py``)."""
    from rightsdesk.interventions.events.spark_aggregate import aggregate_spark

    def run(files: list[Path], months: Sequence[str] | None) -> pd.DataFrame:
        return aggregate_spark(spark, [str(f) for f in files], months)

    return run
