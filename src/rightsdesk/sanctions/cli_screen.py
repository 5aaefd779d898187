"""``rightsdesk sanctions screen`` (a CSV of names) and ``screen-name`` (one name).

The batch contract is relied on by other tools and kept stable: ``screen INPUT.csv --output
OUT.csv [--threshold T]``; INPUT has ``full_name`` and optionally ``first_name, middle_name,
last_name, gender, date_of_birth, place_of_birth, nationality, schema``; OUT has one row per
input row in the same order, the input's columns first, then ``best_score, best_match_id,
best_match_name, best_match_schema, best_match_programs, best_match_lists, match_count,
explanation`` (the match cells empty when nothing reaches the threshold). A bad input stops
with exit 65 and the line and column named.

The matcher, pandas and the index load only when a command runs, not for ``--help``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from rightsdesk.core.cli_support import (
    FormatOpt,
    Output,
    emit,
    emit_json,
    err_console,
    settings,
    user_errors,
)
from rightsdesk.core.errors import InputError, NotFoundError

ThresholdOpt = Annotated[
    float | None,
    typer.Option(
        "--threshold",
        "-t",
        min=0.0,
        max=1.0,
        help="Lowest score that counts as a match (default 0.80; lower finds more namesakes).",
    ),
]


ListsOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--list",
        "-l",
        help="Screen against this list only (a list key such as un_sc_sanctions; repeatable).",
    ),
]


def _index_for_command(lists: list[str] | None) -> object:
    """The screening index of the configured store (read from the data folder when an
    import or an earlier command built it), over all lists or those named."""
    from sqlalchemy import select

    from rightsdesk.core import cache
    from rightsdesk.core.db import session_scope
    from rightsdesk.sanctions.models import SanctionList
    from rightsdesk.sanctions.screening import load_index
    from rightsdesk.store import check_ready

    s = settings()
    check_ready(s)
    cache.configure(s.data_dir)
    with session_scope(s.database_url) as session:
        if lists:
            known = set(session.scalars(select(SanctionList.key)))
            unknown = [k for k in lists if k not in known]
            if unknown:
                raise NotFoundError(
                    f"no list {', '.join(unknown)}; loaded: {', '.join(sorted(known)) or 'none'}"
                )
        return load_index(session, lists or None)


@user_errors
def screen_command(
    input: Annotated[Path, typer.Argument(help="CSV with a full_name column.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="CSV to write.")],
    threshold: ThresholdOpt = None,
    workers: Annotated[
        int, typer.Option("--workers", "-w", min=1, max=64, help="Processes screening.")
    ] = 1,
    lists: ListsOpt = None,
) -> None:
    """Screen every name of a CSV file against all loaded sanctions lists; write each row
    with its best match (score, entity, programmes, lists, explanation)."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    from rightsdesk.sanctions.matching import SCREENING_THRESHOLD
    from rightsdesk.sanctions.screening import ScreeningIndex, screen_csv
    from rightsdesk.sanctions.screening.batch import check_csv

    if not input.is_file():
        raise InputError("no such file", file=input)
    rows = check_csv(input)  # a bad row stops the run before the index is loaded
    index = _index_for_command(lists)
    assert isinstance(index, ScreeningIndex)
    if len(index) == 0:
        err_console.print("no sanctions list is loaded: every row will have no match")
    with Progress(
        TextColumn("screening"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=err_console,
        disable=not err_console.is_terminal,
    ) as progress:
        bar = progress.add_task("screening", total=None)
        report = screen_csv(
            index,
            input,
            output,
            SCREENING_THRESHOLD if threshold is None else threshold,
            progress=lambda done, total: progress.update(bar, completed=done, total=total),
            workers=workers,
            checked_rows=rows,
        )
    err_console.print(
        f"{report.rows} row(s) screened against {sum(r.active for r in index.records)} entities "
        "with a designation in force, "
        f"{report.alerts} with a match at or above {report.threshold:.2f}, "
        f"in {report.seconds:.1f} s; written to {output}",
        highlight=False,
        soft_wrap=True,
    )


@user_errors
def screen_name_command(
    name: Annotated[str, typer.Argument(help="The name to screen (any script).")],
    birth_date: Annotated[
        str | None, typer.Option("--birth-date", help="YYYY-MM-DD, YYYY-MM or YYYY.")
    ] = None,
    nationality: Annotated[
        str | None, typer.Option("--nationality", help="Country name or code.")
    ] = None,
    schema: Annotated[
        str | None, typer.Option("--schema", help="Person, Organization, Vessel, ...")
    ] = None,
    gender: Annotated[str | None, typer.Option("--gender", help="male or female.")] = None,
    threshold: ThresholdOpt = None,
    limit: Annotated[int, typer.Option("--limit", min=1, max=100, help="Most hits shown.")] = 10,
    output: FormatOpt = Output.table,
    lists: ListsOpt = None,
) -> None:
    """Screen one name against all loaded sanctions lists and show the explained hits."""
    from rightsdesk.sanctions.matching import SCREENING_THRESHOLD
    from rightsdesk.sanctions.screening import ScreeningIndex, row_query, screen

    values = {
        "full_name": name,
        "date_of_birth": birth_date or "",
        "nationality": nationality or "",
        "schema": schema or "",
        "gender": gender or "",
    }
    option = {
        "full_name": "NAME",
        "date_of_birth": "--birth-date",
        "nationality": "--nationality",
        "schema": "--schema",
        "gender": "--gender",
    }
    try:
        query = row_query(values, 1, "the command line")
    except InputError as exc:
        field = exc.location.field or "full_name"
        raise InputError(f"{option.get(field, field)}: {exc.reason}") from None
    index = _index_for_command(lists)
    assert isinstance(index, ScreeningIndex)
    hits = screen(index, query, SCREENING_THRESHOLD if threshold is None else threshold, limit)
    if output is Output.json:
        emit_json({"query": name, "entities": len(index), "hits": [h.to_dict() for h in hits]})
        return
    rows = [
        {
            "score": h.score,
            "entity": f"{h.caption} ({h.entity_id})",
            "programmes": ", ".join(p.label for p in h.programs),
            "why": _why(h.explanation),
        }
        for h in hits
    ]
    columns = ["score", "entity", "programmes", "why"]
    emit(rows, output, title=f"Hits for {name!r}", columns=columns, float_format="{:.2f}")
    if output is Output.table and not hits:
        err_console.print(f"no entity of {len(index)} reaches the threshold")


def _why(explanation: object) -> str:
    """A short reason for a table cell: the matched name, each part's kind, the evidence."""
    from rightsdesk.sanctions.matching import Explanation

    assert isinstance(explanation, Explanation)
    parts = ", ".join(f"{p.query or '-'}={p.candidate or '-'} {p.kind}" for p in explanation.parts)
    text = f"{explanation.matched_name}: {parts}"
    for e in explanation.evidence:
        text += f"; {e.kind} {e.outcome} {e.effect:+.2f}"
    return text


def register(app: typer.Typer) -> None:
    """Add this room's commands to rightsdesk sanctions."""
    app.command("screen")(screen_command)
    app.command("screen-name")(screen_name_command)
