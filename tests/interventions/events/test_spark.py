"""The aggregation on Spark (local mode) equals DuckDB's on the real export, row for row."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from rightsdesk.interventions.events.aggregate import aggregate_duckdb
from rightsdesk.interventions.events.ingest import ingest_export, parquet_paths
from rightsdesk.interventions.events.spark_aggregate import aggregate_spark

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
