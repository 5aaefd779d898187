"""Commands of the events room: ``rightsdesk interventions events
ingest|aggregate|monthly|exports``."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from rightsdesk.core.cli_support import (
    FormatOpt,
    Output,
    console,
    emit,
    err_console,
    settings,
    user_errors,
)
from rightsdesk.core.errors import ConfigError
from rightsdesk.core.security.audit import cli_actor

app = typer.Typer(no_args_is_help=True)

MONTHLY_COLUMNS = ("month", "root", "label", "events", "share", "goldstein", "total")


@app.command("ingest")
@user_errors
def ingest(
    files: Annotated[list[Path], typer.Argument(help="GDELT 2.0 event exports (.CSV or .zip).")],
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Parquet folder (default: DATA/events/gdelt)."),
    ] = None,
    narrow_only: Annotated[
        bool,
        typer.Option("--narrow-only", help="Skip the full 61-column Parquet (faster)."),
    ] = False,
    no_aggregate: Annotated[
        bool,
        typer.Option(
            "--no-aggregate",
            help="Record the exports without recomputing the figures (then run `aggregate`).",
        ),
    ] = False,
) -> None:
    """Convert GDELT exports to Parquet and recompute the monthly figures of their months.

    An export already ingested with the same content is skipped. Bad rows are counted and
    listed with their line; the rest of the file is ingested. With --no-aggregate the figures
    wait for `rightsdesk interventions events aggregate` (pages say so meanwhile).
    """
    from rightsdesk.core.db import session_scope
    from rightsdesk.core.security import audit
    from rightsdesk.interventions.events.service import events_dir, ingest_paths
    from rightsdesk.store import check_ready

    s = settings()
    check_ready(s)
    folder = out or events_dir(s.data_dir)
    with session_scope(s.database_url) as db:
        results = ingest_paths(db, files, folder, full=not narrow_only, aggregate=not no_aggregate)
        done = [r for r in results if not r.skipped]
        if done:  # the audit entry also moves the data version: cached pages are renewed
            audit.record(
                db,
                cli_actor(),
                "ingest",
                "gdelt-export",
                None,
                after={
                    "exports": [r.name for r in done],
                    "rows": sum(r.rows for r in done),
                    "aggregated": not no_aggregate,
                },
            )
    for r in results:
        if r.skipped:
            console.print(f"{r.source}: already ingested unchanged; nothing to do")
            continue
        console.print(
            f"{r.source}: {r.rows} events ({r.first_date} to {r.last_date}), "
            f"{r.rejected} bad row(s) -> {folder}",
            highlight=False,
        )
        for message in r.messages():
            err_console.print(f"  {message}", highlight=False)
    if no_aggregate and any(not r.skipped for r in results):
        console.print(
            "figures not recomputed: run `rightsdesk interventions events aggregate`",
            highlight=False,
        )


class Engine(StrEnum):
    duckdb = "duckdb"
    spark = "spark"


@app.command("aggregate")
@user_errors
def aggregate(
    engine: Annotated[
        Engine, typer.Option("--engine", help="duckdb (this machine) or spark (a cluster).")
    ] = Engine.duckdb,
    master: Annotated[
        str,
        typer.Option("--master", help="Spark master URL: local[*], yarn, spark://HOST:PORT."),
    ] = "local[*]",
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Parquet folder (default: DATA/events/gdelt)."),
    ] = None,
) -> None:
    """Recompute every month's figures from the Parquet files of every recorded export, in one
    transaction: after `ingest --no-aggregate` of a large archive, or to rebuild them. With
    --engine spark the same query runs on Spark (pyspark and Java needed), and its result is
    identical to DuckDB's."""
    from rightsdesk.core.db import session_scope
    from rightsdesk.core.security import audit
    from rightsdesk.interventions.events.service import (
        events_dir,
        refresh_monthly,
        require_files,
        spark_engine,
    )
    from rightsdesk.store import check_ready

    s = settings()
    check_ready(s)
    folder = out or events_dir(s.data_dir)
    with session_scope(s.database_url) as db:
        files = require_files(db, folder)
        if engine is Engine.spark:
            with _spark_session(master) as spark:
                rows = refresh_monthly(db, folder, None, spark_engine(spark))
        else:
            rows = refresh_monthly(db, folder, None)
        audit.record(
            db,
            cli_actor(),
            "aggregate",
            "gdelt-monthly",
            None,
            after={"exports": len(files), "monthly_rows": rows, "engine": engine.value},
        )
    console.print(
        f"{rows} monthly figures from {len(files)} export(s) ({engine.value}) -> the store",
        highlight=False,
    )


@contextmanager
def _spark_session(master: str) -> Iterator[Any]:
    """A SparkSession on ``master``; one already running in this process (a notebook's) is
    used as it is and left running."""
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:
        raise ConfigError(
            "--engine spark needs pyspark (pip install pyspark) and a Java runtime"
        ) from exc
    active = SparkSession.getActiveSession()
    if active is not None:
        yield active
        return
    spark = (
        SparkSession.builder.master(master)
        .appName("rightsdesk-events-aggregate")
        .config("spark.ui.showConsoleProgress", "false")
        .getOrCreate()
    )
    try:
        yield spark
    finally:
        spark.stop()


@app.command("monthly")
@user_errors
def monthly(
    state: Annotated[str, typer.Argument(help="State: ISO3 code or name.")],
    months: Annotated[int, typer.Option("--months", min=1, max=600)] = 24,
    perspective: Annotated[
        str,
        typer.Option(help="action (where it happened), actor1 or actor2 (either side's country)."),
    ] = "action",
    output: FormatOpt = Output.table,
) -> None:
    """A state's events per month and CAMEO root: events, share of all its events, mean
    Goldstein score (root events, deduplicated; see the README for the rule)."""
    from rightsdesk.core.db import session_scope
    from rightsdesk.core.states import resolve_state
    from rightsdesk.interventions.events.public import coverage, monthly_pressure
    from rightsdesk.store import check_ready

    s = settings()
    check_ready(s)
    iso3 = resolve_state(state)
    with session_scope(s.database_url) as db:
        rows = monthly_pressure(db, iso3, months, perspective)
        cov = coverage(db)
    if not rows:
        err_console.print(f"{iso3}: no events stored (ingest GDELT exports first)")
    title = f"{iso3}, {perspective}: events up to {cov['last_date']} ({cov['source']})"
    emit(rows, output, title=title, columns=MONTHLY_COLUMNS)


@app.command("exports")
@user_errors
def exports(output: FormatOpt = Output.table) -> None:
    """The ingested exports: rows, bad rows, event dates, when GDELT added the newest."""
    from sqlalchemy import select

    from rightsdesk.core.db import session_scope
    from rightsdesk.interventions.events.models import EventExport
    from rightsdesk.store import check_ready

    s = settings()
    check_ready(s)
    with session_scope(s.database_url) as db:
        rows = [
            {
                "name": e.name,
                "rows": e.rows,
                "rejected": e.rejected,
                "first_date": e.first_date,
                "last_date": e.last_date,
                "added_up_to": e.added_up_to,
                "aggregated": e.aggregated,
                # a table shows the first 12 hex digits (enough to tell exports apart and
                # to compare with `sha256sum`), CSV and JSON the whole checksum
                "sha256": e.sha256 if output is not Output.table else e.sha256[:12],
            }
            for e in db.scalars(select(EventExport).order_by(EventExport.name))
        ]
    emit(rows, output, title="GDELT exports ingested")
