"""The batch on Spark (local mode) writes exactly what the local batch writes: the index is
broadcast, each partition screened by the same pure function (``mapInPandas`` on a DataFrame,
``mapPartitions`` on an RDD)."""

from __future__ import annotations

import csv
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from rightsdesk.core.config import Settings
from rightsdesk.sanctions.screening import OUTPUT_COLUMNS, ScreeningIndex, screen_csv
from rightsdesk.sanctions.screening.spark import screen_dataframe, screen_partition
from tests.sanctions.screening_helpers import un_index_of

pyspark = pytest.importorskip("pyspark")

NAMES = [
    "Erik Badege",
    "Margaret Thompson Ellingworth",
    "Aiman al Zawahri",
    "Айман аз-Завахири",
    "Mohammad Ahmadi",
    "E. Badege",
    "John Arbuthnot Fisher",
    "Badege Eric",
    "Qasem Soleimani",
    "Kim Jong Un",
]
HEADER = ["line", "full_name", "date_of_birth", "nationality"]


@pytest.fixture(scope="module")
def un_index(sanctions_loaded: Settings) -> ScreeningIndex:
    return un_index_of(sanctions_loaded)


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    from pyspark.sql import SparkSession

    os.environ["PYSPARK_PYTHON"] = sys.executable  # executors run this interpreter
    os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable
    session = (
        SparkSession.builder.master("local[2]")
        .appName("rightsdesk-screening-test")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .getOrCreate()
    )
    yield session
    session.stop()


def input_rows() -> list[dict[str, str]]:
    rows = []
    for i, name in enumerate(NAMES * 3):
        born = "1971" if "Badege" in name and i % 2 else ""
        rows.append(
            {"line": str(i + 2), "full_name": name, "date_of_birth": born, "nationality": ""}
        )
    return rows


def local_result(index: ScreeningIndex, folder: Path) -> list[dict[str, str]]:
    source, target = folder / "in.csv", folder / "out.csv"
    with source.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=HEADER)
        writer.writeheader()
        writer.writerows(input_rows())
    screen_csv(index, source, target)
    with target.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_spark_equals_local_batch(un_index: ScreeningIndex, spark: Any, tmp_path: Path) -> None:
    import pandas as pd

    local = local_result(un_index, tmp_path)
    assert sum(1 for r in local if r["best_match_id"]) >= 10  # the comparison is not empty

    frame = spark.createDataFrame(pd.DataFrame(input_rows(), columns=HEADER), HEADER)
    frame = frame.repartition(3)
    out = screen_dataframe(frame, un_index).toPandas()
    assert list(out.columns) == [*HEADER, *OUTPUT_COLUMNS]
    distributed = sorted(out.to_dict(orient="records"), key=lambda r: int(r["line"]))
    assert distributed == local

    shared = spark.sparkContext.broadcast(un_index)
    rdd = spark.sparkContext.parallelize(input_rows(), 2)
    pairs = rdd.mapPartitions(lambda rows: screen_partition(rows, shared.value)).collect()
    assert sorted(pairs, key=lambda r: int(r["line"])) == local


def test_pandas_batches_equal_local_batch(
    un_index: ScreeningIndex, spark: Any, tmp_path: Path
) -> None:
    """``mapInPandas`` (Arrow): the same rows again."""
    pytest.importorskip("pyarrow")
    import pandas as pd

    from rightsdesk.sanctions.screening.spark import output_schema, screen_frames

    local = local_result(un_index, tmp_path)
    frame = spark.createDataFrame(pd.DataFrame(input_rows(), columns=HEADER), HEADER)
    shared = spark.sparkContext.broadcast(un_index)
    out = frame.mapInPandas(
        lambda frames: screen_frames(frames, shared.value), output_schema(HEADER)
    ).toPandas()
    assert sorted(out.to_dict(orient="records"), key=lambda r: int(r["line"])) == local
