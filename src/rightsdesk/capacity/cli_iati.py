"""``rightsdesk capacity export-iati``: programmes as an IATI 2.03 activity file.

The command writes the same file as ``GET /api/v1/capacity/iati.xml``. It exits 66 when no
programme matches (or the state is unknown), 65 when a programme lacks what IATI 2.03 requires
(the message names it and the field), as every command of the workbench does.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from rightsdesk.core.cli_support import console, settings, user_errors


@user_errors
def export_iati_command(
    output: Annotated[
        Path, typer.Option("--output", "-o", help="File to write (e.g. programmes.xml).")
    ],
    recipient: Annotated[
        str | None,
        typer.Option("--recipient", help="Recipient state: ISO3, ISO2 or name ('DR Congo')."),
    ] = None,
    donor: Annotated[
        str | None,
        typer.Option("--donor", help="Organisation identifier: reporting org or funder (GB-1)."),
    ] = None,
    sector: Annotated[
        str | None,
        typer.Option("--sector", help="Sector code (15160); a 3-digit DAC code takes its group."),
    ] = None,
    ids: Annotated[
        list[int] | None, typer.Option("--id", help="Programme id (repeat for several).")
    ] = None,
) -> None:
    """Export programmes as an IATI 2.03 activity file (amounts in their own currency)."""
    from rightsdesk.capacity.iati_export import ProgrammeFilter, write_iati
    from rightsdesk.core.db import session_scope
    from rightsdesk.store import check_ready

    s = settings()
    check_ready(s)
    with session_scope(s.database_url) as db:
        chosen = ProgrammeFilter.given(db, recipient, donor, sector, ids)
        written = write_iati(db, chosen, output)
    console.print(f"wrote {written} IATI 2.03 activities to {output}", highlight=False)


def register(app: typer.Typer) -> None:
    """Add this room's commands to ``rightsdesk capacity``."""
    app.command("export-iati")(export_iati_command)
