"""``rightsdesk capacity programmes``: the programmes matching filters, as the list page
shows them (same filters, same order), in a table, CSV or JSON."""

from __future__ import annotations

from typing import Annotated

import typer

from rightsdesk.core.cli_support import FormatOpt, Output, emit, settings, user_errors
from rightsdesk.core.db import session_scope
from rightsdesk.store import check_ready

COLUMNS = (
    "id",
    "iati_identifier",
    "title",
    "reporting_org",
    "reporting_org_ref",
    "status",
    "start",
    "end",
    "recipients",
)


@user_errors
def programmes(
    recipient: Annotated[
        list[str] | None, typer.Option("--recipient", help="Recipient state (ISO3 or name).")
    ] = None,
    donor: Annotated[
        list[str] | None,
        typer.Option("--donor", help="Reporting organisation identifier (GB-1)."),
    ] = None,
    sector: Annotated[
        list[str] | None, typer.Option("--sector", help="DAC sector code (15160).")
    ] = None,
    status: Annotated[
        list[str] | None, typer.Option("--status", help="IATI activity status code (2).")
    ] = None,
    start: Annotated[
        str | None, typer.Option("--from", help="Running on or after YYYY[-MM-DD].")
    ] = None,
    end: Annotated[
        str | None, typer.Option("--to", help="Running on or before YYYY[-MM-DD].")
    ] = None,
    output: FormatOpt = Output.table,
) -> None:
    """Programmes (IATI activities) matching every filter given; repeat an option for
    several values."""
    from rightsdesk.capacity.programmes import programme_rows, search_programmes
    from rightsdesk.core.states import resolve_state

    s = settings()
    check_ready(s)
    states = [resolve_state(r) for r in recipient or []]
    with session_scope(s.database_url) as db:
        result = search_programmes(
            db,
            donor=donor or [],
            recipient=states,
            sector=sector or [],
            status=status or [],
            start=start,
            end=end,
            everything=True,
        )
    emit(programme_rows(result), output, title=f"{result.total} programmes", columns=COLUMNS)


def register(app: typer.Typer) -> None:
    """Add this room's commands to ``rightsdesk capacity``."""
    app.command("programmes")(programmes)
