"""What every form's commands share: the settings of this invocation, output, error handling."""

from __future__ import annotations

import csv
import functools
import json
import math
import re
import sys
from collections.abc import Callable, Mapping, Sequence
from enum import StrEnum
from typing import Annotated, Any, ParamSpec, TypeVar

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from rightsdesk.core.config import Settings, load_settings
from rightsdesk.core.errors import RightsdeskError

P = ParamSpec("P")
R = TypeVar("R")

console = Console()
err_console = Console(stderr=True)

_STATE: dict[str, Any] = {"database": None}


def set_database_option(url: str | None) -> None:
    _STATE["database"] = url


def settings() -> Settings:
    """Settings for this command: environment and TOML, then ``--database``."""
    return load_settings().with_database(_STATE["database"])


def user_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Turn user-facing errors into a red message and their exit code; no traceback."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except RightsdeskError as exc:
            err_console.print(f"[bold red]error:[/] {exc.message}", highlight=False, soft_wrap=True)
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            err_console.print("interrupted; nothing was written")
            raise typer.Exit(130) from None

    return wrapper


def stdin_is_terminal() -> bool:
    return sys.stdin.isatty()


class Output(StrEnum):
    """The output formats every listing command offers (``--format``)."""

    table = "table"
    csv = "csv"
    json = "json"


FormatOpt = Annotated[Output, typer.Option("--format", "-f", help="table, csv or json.")]


def _plain(value: Any) -> Any:
    """A JSON-ready scalar: NaN becomes null, numpy and dates become plain values."""
    if value is None:
        return None
    if hasattr(value, "item") and not isinstance(value, str | bytes):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, str | int | float | bool):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def emit_json(data: Any) -> None:
    """The one JSON style of every command: UTF-8, indented by two, dates as ISO strings."""
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2, default=_plain))


def emit(
    rows: Sequence[Mapping[str, Any]] | Any,
    output: Output,
    title: str | None = None,
    columns: Sequence[str] | None = None,
    float_format: str = "{:.4f}",
) -> None:
    """Print a listing as a Rich table, CSV (header row, ``\n`` line ends) or JSON records.

    ``rows`` is a list of mappings or a pandas DataFrame; ``columns`` fixes the column order
    (and the header of an empty CSV, which scripts still need).
    """
    if hasattr(rows, "to_dict") and hasattr(rows, "columns"):
        columns = list(columns or [str(c) for c in rows.columns])
        records = [{k: _plain(v) for k, v in r.items()} for r in rows.to_dict(orient="records")]
    else:
        records = [{k: _plain(v) for k, v in r.items()} for r in rows]
        columns = list(columns or (records[0].keys() if records else []))
    if output is Output.json:
        emit_json([{c: r.get(c) for c in columns} for r in records])
        return

    def cell(value: Any) -> str:
        if value is None:
            return ""
        if isinstance(value, float):
            return float_format.format(value)
        return str(value)

    if output is Output.csv:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([cell(r.get(c)) for c in columns] for r in records)
        return
    table = Table(title=title)
    for c in columns:
        sample = [r.get(c) for r in records[:50]]
        numeric = any(isinstance(v, int | float) and not isinstance(v, bool) for v in sample)
        if numeric or _dates(c, sample):  # never wrapped nor cut: a date cut in two misleads
            table.add_column(c, justify="right" if numeric else "left", no_wrap=True)
        else:  # text wraps (long words fold) so the table fits the terminal
            table.add_column(c, overflow="fold")
    for r in records:
        # stored text is data, never Rich markup: "[/]" in a title would crash the table
        table.add_row(*(escape(cell(r.get(c))) for c in columns))
    console.print(table)


_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def _dates(column: str, sample: Sequence[Any]) -> bool:
    """Whether a column holds dates or years (ISO text), which tables never wrap."""
    values = [str(v) for v in sample if v not in (None, "")]
    return bool(values) and all(_DATE.match(v) for v in values)


def emit_provenance(prov: Any, output: Output = Output.table) -> None:
    """One line under a table naming the data and its latest date ("source: UN votes to
    2021-12-30 (unvotes #3 un_votes.rda)"), on standard error so pipes stay clean; printed for
    tables only (CSV and JSON readers get the ``provenance`` object of the API instead).
    ``prov`` is a ``core.provenance.Provenance`` (None prints nothing)."""
    if prov is None or output is not Output.table:
        return
    files = ", ".join(f"{d.kind} #{d.id} {d.file}" for d in prov.datasets)
    err_console.print(
        f"source: {prov.label}" + (f" ({files})" if files else ""),
        highlight=False,
        soft_wrap=True,
    )


def emit_sources(database_url: str, kinds: tuple[str, ...], what: str, output: Output) -> None:
    """``emit_provenance`` for the datasets of ``kinds`` in a store: the one line a command
    adds after its table (its own short session, so callers need no other change)."""
    if output is not Output.table:
        return
    from rightsdesk.core.db import session_scope
    from rightsdesk.core.provenance import provenance_for

    with session_scope(database_url) as session:
        emit_provenance(provenance_for(session, kinds, what), output)
