"""The aggregation on Spark (local mode) equals DuckDB's on the real export, row for row."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from rightsdesk.core.config import Settings
from rightsdesk.core.db import session_scope
from rightsdesk.interventions.events import public
from rightsdesk.interventions.events.aggregate import aggregate_duckdb, figures
from rightsdesk.interventions.events.ingest import ingest_export, parquet_paths
from rightsdesk.interventions.events.models import EventMonthly
from rightsdesk.interventions.events.service import events_dir, require_files
from rightsdesk.interventions.events.spark_aggregate import aggregate_spark
from tests.interventions.events.test_store_pages import run

pyspark = pytest.importorskip("pyspark")


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    from pyspark.sql import SparkSession

    os.environ["PYSPARK_PYTHON"] = sys.executable
    os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable
    session = (
        SparkSession.builder.master("local[2]")
        .appName("rightsdesk-events-test")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .getOrCreate()
    )
    yield session
    session.stop()


def test_spark_equals_duckdb_on_the_real_export(
    spark: Any, export_path: Path, tmp_path: Path
) -> None:
    result = ingest_export(export_path, tmp_path)
    narrow, full = parquet_paths(tmp_path, result.name)
    local = aggregate_duckdb([narrow])
    assert len(local) > 400
    # the full file holds the narrow columns too: Spark reads only those
    assert aggregate_spark(spark, [str(full)]).equals(local)


def test_cli_aggregates_on_spark_into_the_store(
    spark: Any, settings: Settings, export_path: Path
) -> None:
    """``ingest --no-aggregate`` then ``aggregate --engine spark``: the stored figures are
    DuckDB's, and the running SparkSession (a notebook's, here the fixture's) is left running."""
    out = run(settings, "ingest", str(export_path), "--no-aggregate")
    assert out.exit_code == 0, out.output
    out = run(settings, "aggregate", "--engine", "spark")
    assert out.exit_code == 0, out.output
    assert "from 1 export(s) (spark)" in " ".join(out.stdout.split())
    with session_scope(settings.database_url) as db:
        files = require_files(db, events_dir(settings.data_dir))
        stored = sorted(
            (r.perspective, r.iso3, r.month, r.root, r.events, r.share, r.goldstein)
            for r in db.scalars(select(EventMonthly))
        )
        assert public.coverage(db)["pending"] == 0
    monthly, _ = figures(aggregate_duckdb(files))
    assert stored == sorted(
        (
            r["perspective"],
            r["iso3"],
            r["month"],
            r["root"],
            r["events"],
            r["share"],
            r["goldstein"],
        )
        for r in monthly
    )
    assert spark.range(3).count() == 3  # still running
