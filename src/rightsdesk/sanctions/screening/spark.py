"""The batch on Spark, for when one machine is not enough.

The index is a plain picklable value: broadcast it once to the executors, then screen each
partition with a pure function of (rows, index) — ``screen_partition`` for an RDD's
``mapPartitions`` (what ``screen_dataframe`` uses: no Arrow needed), ``screen_frames`` for a
DataFrame's ``mapInPandas`` where pyarrow is installed. Both call the very
``screen_row`` of the local batch, so a Spark run writes the rows a local run writes.

``pyspark`` is imported only by ``screen_dataframe`` (and by the caller who made the
SparkSession): the rest of rightsdesk never loads it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from rightsdesk.sanctions.matching import SCREENING_THRESHOLD
from rightsdesk.sanctions.screening.batch import screen_row
from rightsdesk.sanctions.screening.batch_input import OUTPUT_COLUMNS
from rightsdesk.sanctions.screening.index import ScreeningIndex

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "LINE_COLUMN",
    "output_schema",
    "screen_dataframe",
    "screen_frames",
    "screen_partition",
]

#: Optional input column holding each row's line in the original file, so that an error
#: raised on an executor names the line as a local run would.
LINE_COLUMN = "line"
_SOURCE = "spark input"


def screen_partition(
    rows: Iterable[Mapping[str, Any]],
    index: ScreeningIndex,
    threshold: float = SCREENING_THRESHOLD,
) -> Iterator[dict[str, str]]:
    """Each row with the output columns added (``rdd.mapPartitions``). Values are read as
    text; missing ones as empty."""
    for number, row in enumerate(rows, start=1):
        values = {k: "" if v is None else str(v) for k, v in row.items()}
        line = int(values.get(LINE_COLUMN) or number)
        cells = screen_row(index, values, line, _SOURCE, threshold)
        yield {**values, **dict(zip(OUTPUT_COLUMNS, cells, strict=True))}


def screen_frames(
    frames: Iterable[pd.DataFrame],
    index: ScreeningIndex,
    threshold: float = SCREENING_THRESHOLD,
) -> Iterator[pd.DataFrame]:
    """``screen_partition`` for pandas batches (``DataFrame.mapInPandas``)."""
    import pandas as pd

    for frame in frames:
        filled = frame.astype(object).where(frame.notna(), "")
        records = [{str(k): v for k, v in r.items()} for r in filled.to_dict(orient="records")]
        out = list(screen_partition(records, index, threshold))
        columns = [*(str(c) for c in frame.columns), *OUTPUT_COLUMNS]
        yield pd.DataFrame(out, columns=columns)


def output_schema(columns: Sequence[str]) -> str:
    """The DDL schema of the output: the input's columns and the added ones, all text."""
    names = [*columns, *OUTPUT_COLUMNS]
    return ", ".join(f"`{name}` string" for name in names)


def screen_dataframe(
    frame: Any, index: ScreeningIndex, threshold: float = SCREENING_THRESHOLD
) -> Any:
    """Screen a Spark DataFrame of input rows (``full_name`` at least; every column is read
    as text): the index is broadcast once, each partition screened by ``screen_partition``.

    Built on the RDD's ``mapPartitions``, which needs no Arrow; with pyarrow installed,
    ``frame.mapInPandas(lambda f: screen_frames(f, shared.value), output_schema(columns))``
    is the same computation on pandas batches."""
    session = frame.sparkSession
    shared = session.sparkContext.broadcast(index)
    columns = [str(c) for c in frame.columns]
    names = [*columns, *OUTPUT_COLUMNS]

    def run(rows: Iterator[Any]) -> Iterator[tuple[str, ...]]:
        records = (row.asDict() for row in rows)
        for out in screen_partition(records, shared.value, threshold):
            yield tuple(out[name] for name in names)

    text = frame.select(*(frame[c].cast("string").alias(c) for c in columns))
    return session.createDataFrame(text.rdd.mapPartitions(run), schema=output_schema(columns))
