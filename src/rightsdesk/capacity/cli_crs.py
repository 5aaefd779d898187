"""``rightsdesk capacity aid ISO3``: a state's human rights related aid per year (OECD CRS),
in USD million, with its UN regional group's median and mean that year."""

from __future__ import annotations

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
from rightsdesk.core.db import session_scope
from rightsdesk.store import check_ready


@user_errors
def aid(
    state: Annotated[str, typer.Argument(help="The state: ISO3 code or name.")],
    output: FormatOpt = Output.table,
) -> None:
    """A state's human rights related aid per year (DAC 15160, 15150, 15170, 15180), with all
    of DAC category 151 and all aid for context, and its regional group's median and mean."""
    from rightsdesk.capacity.aid import aid_rows, state_aid

    s = settings()
    check_ready(s)
    with session_scope(s.database_url) as db:
        result = state_aid(db, state)
    if output is Output.json:
        emit_json(result.model_dump(mode="json"))
        return
    rows = aid_rows(result)
    if not rows and output is Output.table:
        err_console.print("no OECD CRS aggregates imported (rightsdesk load crs_YYYY_sectors.csv)")
        return
    title = (
        f"Human rights related aid to {result.name}, {result.unit} ({', '.join(result.sectors)})"
    )
    columns = list(rows[0]) if rows else None
    if output is Output.table:  # the sectors and the group figures; CSV and JSON have all
        columns = ["year", *result.sectors, "human_rights", "group", "group_median"]
    emit(rows, output, title=title, columns=columns, float_format="{:.3f}")
    if output is Output.table:
        err_console.print(result.unit_note, highlight=False)


def register(app: typer.Typer) -> None:
    """Add this room's commands to ``rightsdesk capacity``."""
    app.command("aid")(aid)
