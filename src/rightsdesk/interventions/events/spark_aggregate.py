"""The monthly aggregation on Spark, for an archive too big for one machine.

The very SQL of ``aggregate.py`` (``aggregate_parts``) runs as Spark SQL over the narrow
Parquet files (or the full ones: the query reads only its columns), with the same code table
and the same rule, so its result equals DuckDB's row for row: a test runs both on the real
export and compares them exactly. Its output feeds the store as DuckDB's does
(``aggregate.figures``).

    from pyspark.sql import SparkSession
    spark = SparkSession.builder.master("yarn").getOrCreate()   # or local[*]
    frame = aggregate_spark(spark, ["hdfs:///gdelt/narrow/"])

``pyspark`` is imported only by the caller who makes the SparkSession: the rest of rightsdesk
never loads it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from rightsdesk.interventions.events.aggregate import (
    OUTPUT,
    aggregate_parts,
    code_rows,
    sorted_frame,
)

if TYPE_CHECKING:
    import pandas as pd

#: Names of the temporary views the query reads (per SparkSession).
EVENTS_VIEW = "rightsdesk_gdelt_events"
CODES_VIEW = "codes"


def aggregate_spark(
    spark: Any, parquet: Sequence[str], months: Sequence[str] | None = None
) -> pd.DataFrame:
    """The raw aggregation (``aggregate.OUTPUT`` columns) of Parquet files or folders,
    collected to the driver: one row per perspective, state, month and root, so small."""
    import pandas as pd

    if not parquet:
        return pd.DataFrame(columns=list(OUTPUT))
    spark.read.parquet(*parquet).createOrReplaceTempView(EVENTS_VIEW)
    spark.createDataFrame(
        code_rows(), schema="system string, code string, iso3 string"
    ).createOrReplaceTempView(CODES_VIEW)
    ev, placed, final = aggregate_parts(EVENTS_VIEW, "date_format(SQLDATE, 'yyyy-MM')", months)
    cached = []
    for name, sql in (("ev", ev), ("placed", placed)):
        frame = spark.sql(sql).cache()
        frame.createOrReplaceTempView(name)
        cached.append(frame)
    try:
        rows = [tuple(r) for r in spark.sql(final).collect()]
    finally:
        for frame in cached:
            frame.unpersist()
    return sorted_frame(pd.DataFrame(rows, columns=list(OUTPUT)))
