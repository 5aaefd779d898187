"""``rightsdesk sanctions match-pairs`` and ``match-entities``: score labelled pairs in bulk.

Both commands are contracts other tools rely on (issue 11, item 3): ``match-pairs`` reads a CSV
with ``schema,name1,name2`` and writes the same rows with a ``score`` column added;
``match-entities`` reads JSON lines ``{"id", "left", "right"}`` holding FollowTheMoney
entities and writes ``id,score,match``. The input is read and checked in full before anything
is written, so a bad line leaves no half-written output behind. The matcher is imported inside
the commands so that ``rightsdesk --help`` stays fast.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Annotated, Any

import typer

from rightsdesk.core.cli_support import console, err_console, user_errors
from rightsdesk.core.errors import EncodingError, InputError, MissingColumnError, NotFoundError

PAIR_COLUMNS = ("schema", "name1", "name2")
InputArg = Annotated[Path, typer.Argument(help="Input file.", show_default=False)]
OutputOpt = Annotated[Path, typer.Option("--output", "-o", help="CSV file to write.")]


def _read_text(path: Path) -> list[str]:
    """The file's lines; a missing file is 66, bad UTF-8 is 65 naming the line."""
    if not path.is_file():
        raise NotFoundError(f"{path}: no such file")
    lines = []
    with path.open("rb") as fh:
        for number, raw in enumerate(fh, start=1):
            try:
                lines.append(raw.decode("utf-8-sig" if number == 1 else "utf-8"))
            except UnicodeDecodeError:
                raise EncodingError("not UTF-8 text", file=path, line=number) from None
    return lines


def read_pairs(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    """Header and rows of a PAIRS.csv; every row must have schema, name1 and name2."""
    reader = csv.DictReader(_read_text(path))
    header = list(reader.fieldnames or [])
    missing = [c for c in PAIR_COLUMNS if c not in header]
    if missing:
        raise MissingColumnError(
            f"missing column(s) {', '.join(missing)} (have: {', '.join(header) or 'none'})",
            file=path,
            line=1,
            field=missing[0],
        )
    rows = []
    for number, row in enumerate(reader, start=2):
        if None in row:
            raise InputError("more fields than the header has", file=path, line=number)
        if None in row.values():
            raise InputError("fewer fields than the header has", file=path, line=number)
        if not (row.get("schema") or "").strip():
            raise InputError("empty schema", file=path, line=number, field="schema")
        rows.append(row)
    return header, rows


def read_entity_pairs(path: Path) -> list[tuple[str, Any, Any, str | None, str | None]]:
    """(id, left query, right query, left entity id, right entity id) per JSON line; blank
    lines are skipped."""
    from rightsdesk.sanctions.matching.entity import EntityFormatError, query_from_ftm
    from rightsdesk.sanctions.matching.resolve import record_key

    out = []
    for number, line in enumerate(_read_text(path), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"not valid JSON ({exc.msg})", file=path, line=number) from None
        if not isinstance(record, dict):
            raise InputError("each line must be a JSON object", file=path, line=number)
        for key in ("id", "left", "right"):
            if key not in record:
                raise InputError(f"no {key!r}", file=path, line=number, field=key)
        try:
            left, right = query_from_ftm(record["left"]), query_from_ftm(record["right"])
        except EntityFormatError as exc:
            raise InputError(str(exc), file=path, line=number) from None
        ids = record_key(record["left"]), record_key(record["right"])
        out.append((str(record["id"]), left, right, *ids))
    return out


@user_errors
def match_pairs(source: InputArg, output: OutputOpt) -> None:
    """Score name pairs: PAIRS.csv (schema,name1,name2,...) → the same rows + score."""
    from rightsdesk.sanctions.matching import compare_names

    header, rows = read_pairs(source)
    columns = [*header, "score"] if "score" not in header else header
    with output.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            score = compare_names(row["schema"].strip(), row["name1"] or "", row["name2"] or "")
            writer.writerow({**row, "score": f"{score:.4f}"})
    console.print(f"{len(rows)} pairs scored → {output}")


PairwiseOpt = Annotated[
    bool,
    typer.Option(
        "--pairwise",
        help="Decide each pair on its own, without resolving records that recur across pairs.",
    ),
]
ExplainOpt = Annotated[
    bool,
    typer.Option(
        "--explain", help="Add pair_score (the pair on its own) and resolution (why) columns."
    ),
]


@user_errors
def match_entities(
    source: InputArg, output: OutputOpt, pairwise: PairwiseOpt = False, explain: ExplainOpt = False
) -> None:
    """Score FtM entity pairs: JSON lines {id, left, right} → id,score,match.

    Records on several lines are resolved together (see README); --pairwise: each line alone.
    """
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    from rightsdesk.sanctions.matching import DEFAULT_THRESHOLD, prepare
    from rightsdesk.sanctions.matching.resolve import resolve_pairs

    pairs = read_entity_pairs(source)
    cache: dict[Any, Any] = {}  # a record on many lines is prepared once (Query is hashable)

    def prepared_once(query: Any) -> Any:
        if query not in cache:
            cache[query] = prepare(query)
        return cache[query]

    prepared = [
        (left_id if not pairwise else None, prepared_once(left),
         right_id if not pairwise else None, prepared_once(right))
        for _, left, right, left_id, right_id in pairs
    ]  # fmt: skip
    with Progress(
        TextColumn("scoring pairs"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=err_console,
        disable=not err_console.is_terminal,
    ) as bar:
        task = bar.add_task("pairs", total=len(prepared))
        decided = resolve_pairs(
            prepared, DEFAULT_THRESHOLD, lambda done, _total: bar.update(task, completed=done)
        )
    matches = changed = 0
    with output.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["id", "score", "match", *(["pair_score", "resolution"] * explain)])
        for (pair_id, *_), found in zip(pairs, decided, strict=True):
            matches += found.match
            changed += found.match != (found.pair_score >= DEFAULT_THRESHOLD)
            row = [pair_id, f"{found.score:.4f}", "true" if found.match else "false"]
            if explain:
                row += [f"{found.pair_score:.4f}", found.reason]
            writer.writerow(row)
    console.print(
        f"{len(pairs)} pairs scored, {matches} match at {DEFAULT_THRESHOLD}"
        f" ({changed} decided by other records) → {output}"
    )


def register(app: typer.Typer) -> None:
    """Add this room's commands to rightsdesk sanctions."""
    app.command("match-pairs")(match_pairs)
    app.command("match-entities")(match_entities)
