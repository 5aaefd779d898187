"""Batch screening: a CSV of names in, the same rows with their best match out.

The work per row is one pure function (``screen_row``: row values → result cells), used the
same way by the local batch (one process or several forked workers, ``workers``) and by the
Spark path (``screening.spark``), so a distributed run writes what a local one writes.

The input is read twice: a first pass checks every row (a bad date on line 900,000 stops the
run before any screening, with the line named), the second screens. The output is written to
a temporary file next to the target and renamed at the end: an interrupted run leaves no
half-written result that could be mistaken for a complete one.
"""

from __future__ import annotations

import csv
import multiprocessing
import os
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from rightsdesk.core.errors import EncodingError, InputError
from rightsdesk.sanctions.matching import SCREENING_THRESHOLD, prepare
from rightsdesk.sanctions.screening.batch_input import OUTPUT_COLUMNS, check_header, row_query
from rightsdesk.sanctions.screening.index import ScreeningIndex
from rightsdesk.sanctions.screening.search import best_match, hit_at

__all__ = [
    "CHUNK",
    "BatchReport",
    "Progress",
    "check_csv",
    "screen_csv",
    "screen_row",
    "screen_rows",
]

#: Rows handed to a worker at a time (small enough for a smooth progress bar).
CHUNK = 1000
#: ``progress(done, total)`` after each chunk of rows.
Progress = Callable[[int, int], None]
Row = tuple[int, dict[str, str]]  # (line in the file, values by column)


@dataclass
class BatchReport:
    """What a batch run did: rows screened, rows with a match, time (wall and CPU)."""

    input: str
    output: str
    rows: int
    alerts: int
    threshold: float
    workers: int
    seconds: float
    cpu_seconds: float

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds > 0 else 0.0


def screen_row(
    index: ScreeningIndex,
    values: Mapping[str, str | None],
    line: int,
    path: Path | str,
    threshold: float = SCREENING_THRESHOLD,
) -> list[str]:
    """The output cells (``OUTPUT_COLUMNS``) of one input row: the best entity at or above
    ``threshold`` with its explanation, or empty cells and a count of 0."""
    query = prepare(row_query(values, line, path))
    found = best_match(index, query, threshold)
    if found is None:
        return ["", "", "", "", "", "", "0", ""]
    _, position, count = found
    hit = hit_at(index, query, position)
    return [
        f"{hit.score:.4f}",
        hit.entity_id,
        hit.caption,
        hit.schema,
        ";".join(p.label for p in hit.programs),
        ";".join(hit.lists),
        str(count),
        hit.explanation.summary(),
    ]


def screen_rows(
    index: ScreeningIndex,
    rows: Iterable[Row],
    path: Path | str,
    threshold: float = SCREENING_THRESHOLD,
) -> list[list[str]]:
    """Output cells of each row, in order."""
    return [screen_row(index, values, line, path, threshold) for line, values in rows]


def _not_utf8(path: Path) -> EncodingError:
    """The error for a file that is not UTF-8, naming the line of the first bad byte (the
    reader decodes ahead of the rows, so its own position says little)."""
    data = path.read_bytes()
    try:
        data.decode("utf-8")
        line = 1
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
    return EncodingError("not UTF-8 text (save the file as UTF-8)", file=path, line=line)


def _read(path: Path) -> tuple[list[str], Iterator[Row]]:
    """The header and a generator of (line, values) rows; blank lines skipped."""
    handle = path.open(encoding="utf-8-sig", newline="")
    reader = csv.reader(handle)
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        handle.close()
        raise InputError("the file is empty", file=path, line=1) from None
    except UnicodeDecodeError:
        handle.close()
        raise _not_utf8(path) from None
    check_header(header, path)

    def rows() -> Iterator[Row]:
        line = 1
        try:
            for cells in reader:
                line = reader.line_num
                if not any(c.strip() for c in cells):
                    continue
                if len(cells) > len(header):
                    raise InputError(
                        f"{len(cells)} cells but the header has {len(header)}",
                        file=path,
                        line=line,
                    )
                yield line, dict(zip(header, cells, strict=False))
        except UnicodeDecodeError:
            raise _not_utf8(path) from None
        except csv.Error as exc:
            raise InputError(f"malformed CSV ({exc})", file=path, line=reader.line_num) from exc
        finally:
            handle.close()

    return header, rows()


def _chunks(rows: Iterator[Row], size: int) -> Iterator[list[Row]]:
    chunk: list[Row] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


# The index a forked worker screens with: set in the parent before the pool starts, so the
# children share its memory pages instead of unpickling a copy each.
_WORKER: dict[str, object] = {}


def _work(args: tuple[list[Row], str, float]) -> list[list[str]]:
    chunk, path, threshold = args
    index = _WORKER["index"]
    assert isinstance(index, ScreeningIndex)
    return screen_rows(index, chunk, path, threshold)


def _results(
    index: ScreeningIndex, chunks: Iterator[list[Row]], path: Path, threshold: float, workers: int
) -> Iterator[tuple[list[Row], list[list[str]]]]:
    """(rows, results) per chunk, in input order, from this process or forked workers."""
    if workers <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        for chunk in chunks:
            yield chunk, screen_rows(index, chunk, path, threshold)
        return
    _WORKER["index"] = index
    context = multiprocessing.get_context("fork")
    pending: list[list[Row]] = []

    def tasks() -> Iterator[tuple[list[Row], str, float]]:
        for chunk in chunks:
            pending.append(chunk)
            yield chunk, str(path), threshold

    try:
        with context.Pool(workers) as pool:
            for result in pool.imap(_work, tasks(), chunksize=1):
                yield pending.pop(0), result
    finally:
        _WORKER.pop("index", None)


def check_csv(input: Path) -> int:
    """Check every row of a batch input (header, names, dates, countries, schemas) without
    screening; the number of rows. An InputError names the first bad line and column."""
    _, rows = _read(input)
    total = 0
    for line, values in rows:
        row_query(values, line, input)
        total += 1
    return total


def screen_csv(
    index: ScreeningIndex,
    input: Path,
    output: Path,
    threshold: float = SCREENING_THRESHOLD,
    progress: Progress | None = None,
    workers: int = 1,
    checked_rows: int | None = None,
) -> BatchReport:
    """Screen every row of ``input`` and write ``output``: the input's columns first, then
    ``OUTPUT_COLUMNS``, one row per input row in the same order. Every row is checked before
    any is screened (an InputError names the line and column), unless the caller did so with
    ``check_csv`` and passes its count as ``checked_rows``."""
    began, cpu, before = time.perf_counter(), time.process_time(), os.times()
    total = check_csv(input) if checked_rows is None else checked_rows
    header, rows = _read(input)
    output.parent.mkdir(parents=True, exist_ok=True)
    tmp = output.with_name(f".{output.name}.{os.getpid()}.tmp")
    done = alerts = 0
    try:
        with tmp.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow([*header, *OUTPUT_COLUMNS])
            if progress is not None:
                progress(0, total)
            for chunk, results in _results(index, _chunks(rows, CHUNK), input, threshold, workers):
                for (_, values), cells in zip(chunk, results, strict=True):
                    writer.writerow([*(values.get(c, "") for c in header), *cells])
                    alerts += bool(cells[0])
                done += len(chunk)
                if progress is not None:
                    progress(done, total)
        os.replace(tmp, output)
    finally:
        tmp.unlink(missing_ok=True)
    after = os.times()  # the forked workers' CPU time counts once the pool has closed
    children = (after.children_user - before.children_user) + (
        after.children_system - before.children_system
    )
    cpu_used = time.process_time() - cpu + children
    return BatchReport(
        input=str(input),
        output=str(output),
        rows=done,
        alerts=alerts,
        threshold=threshold,
        workers=workers,
        seconds=time.perf_counter() - began,
        cpu_seconds=cpu_used,
    )
