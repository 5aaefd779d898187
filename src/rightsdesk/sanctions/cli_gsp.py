"""``rightsdesk sanctions gsp ...``: where states stand on the 27 GSP+ conventions.

- ``gsp [--state S]``: the conformity table (per state: ratified / unknown / missing, and
  whether all 27 are ratified); with ``--state``, that state's 27 cells with their sources;
- ``gsp-set STATE CONVENTION STATUS --source TEXT``: record one status (audited);
- ``gsp-conventions``: the registry, and where each convention's status is read from.

The table format fits 80 columns, so it shows the counts; CSV and JSON carry every cell
(CSV: one status column per convention; JSON: status, date, as-of and source of each cell).
"""

from __future__ import annotations

from typing import Annotated, Any

import typer

from rightsdesk.core.cli_support import (
    FormatOpt,
    Output,
    console,
    emit,
    emit_json,
    err_console,
    settings,
    user_errors,
)
from rightsdesk.core.db import session_scope
from rightsdesk.store import check_ready

StateOpt = Annotated[
    str | None, typer.Option("--state", "-s", help="One state (ISO3 code or name).")
]


def _summary(row: Any) -> dict[str, Any]:
    return {
        "iso3": row.iso3,
        "state": row.name,
        "ratified": row.ratified,
        "unknown": row.unknown,
        "missing": row.missing,
        "could_qualify": "yes" if row.could_qualify else "",
    }


@user_errors
def gsp(state: StateOpt = None, output: FormatOpt = Output.table) -> None:
    """The GSP+ conformity table: every state x the 27 conventions of Regulation (EU)
    978/2012 Annex VIII. Unknown means no source records the status (not "not ratified");
    "could qualify" means all 27 are ratified per the recorded data (the conventions
    condition only)."""
    from rightsdesk.core.resolver import resolve_state
    from rightsdesk.sanctions.gsp import CONVENTIONS, conformity, state_conformity

    s = settings()
    check_ready(s)
    with session_scope(s.database_url) as db:
        one = state is not None
        rows = [state_conformity(db, resolve_state(state or ""))] if one else conformity(db)
    if output is Output.json:
        emit_json([r.to_dict() for r in rows])
        return
    if state is not None:
        row = rows[0]
        short = output is Output.table  # the full source names do not fit 80 columns
        cells = [
            {
                "convention": c.convention,
                "status": c.status,
                "date": c.shown.date if c.shown else None,
                "as_of": c.shown.as_of if c.shown else None,
                "source": (c.shown.short_source if short else c.shown.source) if c.shown else "",
            }
            for c in row.cells
        ]
        if output is Output.csv:
            emit(cells, output)
            return
        emit(
            cells,
            output,
            title=f"{row.name} ({row.iso3}): GSP+ conventions",
            columns=["convention", "status", "date", "as_of", "source"],
        )
        console.print(
            f"{row.ratified} of {len(row.cells)} ratified, {row.unknown} unknown, "
            f"{row.missing} signed only, not ratified or denounced; could qualify: "
            f"{'yes' if row.could_qualify else 'no'}",
            highlight=False,
        )
        return
    if output is Output.csv:
        wide = [_summary(r) | {c.convention: c.status for c in r.cells} for r in rows]
        emit(wide, output, columns=[*_summary(rows[0]), *(c.key for c in CONVENTIONS)])
        return
    emit([_summary(r) for r in rows], output, title="GSP+ conventions (27) per state")
    err_console.print(
        "unknown = no source records it (import or gsp-set); could qualify = all 27 ratified "
        "per the recorded data. Per-convention cells: --state S, or --format csv/json.",
        highlight=False,
    )


@user_errors
def gsp_set(
    state: Annotated[str, typer.Argument(help="The state: ISO3 code or name.")],
    convention: Annotated[str, typer.Argument(help="Convention key or alias (C138, UNCAC).")],
    status: Annotated[
        str, typer.Argument(help="ratified, signed, not-ratified, denounced, or unknown.")
    ],
    source: Annotated[str, typer.Option("--source", help="Who says so (required).")],
    date: Annotated[str | None, typer.Option("--date", help="Date of the act, YYYY-MM-DD.")] = None,
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", help="Date the source speaks for (default: today)."),
    ] = None,
    note: Annotated[str | None, typer.Option("--note", help="Free text.")] = None,
    actor: Annotated[
        str | None,
        typer.Option("--actor", help="Name written to the audit log (default cli:OS user)."),
    ] = None,
) -> None:
    """Record one source's status of a state towards a GSP+ convention (audited). A second
    source is kept beside the first; "unknown" removes this source's record."""
    from rightsdesk.core.security.audit import cli_actor
    from rightsdesk.sanctions.gsp import StatusInput, set_status

    s = settings()
    check_ready(s)
    data = StatusInput(state, convention, status, source, date, as_of, note)
    with session_scope(s.database_url) as db:
        row = set_status(db, actor or cli_actor(), data)
        if row is None:
            message = f"removed: {convention} of {state} per {source.strip()!r} (now unknown "
            message += "unless another source records it)"
        else:
            message = f"recorded: {row.iso3} {row.convention} {row.status} per {row.source!r}"
    console.print(message, highlight=False)


@user_errors
def gsp_conventions(output: FormatOpt = Output.table) -> None:
    """The 27 conventions of Regulation (EU) No 978/2012 Annex VIII, and where rightsdesk
    reads each one's status from (the treaties data, or recorded statuses and the import
    kinds that record them)."""
    from rightsdesk.sanctions.gsp import CONVENTIONS, REGULATION

    rows = [
        {
            "item": c.item,
            "key": c.key,
            "part": c.part,
            "group": c.group,
            "adopted": c.adopted,
            "known_from": c.known_from,
            "title": c.title,
            "importers": ", ".join(c.importers),
        }
        for c in CONVENTIONS
    ]
    columns = ["item", "key", "adopted", "known_from", "title"]
    emit(rows, output, title=REGULATION, columns=None if output is not Output.table else columns)


def register(app: typer.Typer) -> None:
    """Add this room's commands to ``rightsdesk sanctions``."""
    app.command("gsp")(gsp)
    app.command("gsp-set")(gsp_set)
    app.command("gsp-conventions")(gsp_conventions)
