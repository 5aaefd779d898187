"""``rightsdesk sanctions export-ftm``: stored sanctions entities as FollowTheMoney JSON lines.

The file is what OpenSanctions publishes (one entity per line, a ``Sanction`` entity per
designation), so screening tools that read OpenSanctions data read it too, and
``rightsdesk import ftm-jsonl`` reads it back unchanged. Exits 66 when an ``--entity`` does
not exist or nothing matches the filters.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from rightsdesk.core.cli_support import console, settings, user_errors


@user_errors
def export_ftm_command(
    output: Annotated[
        Path, typer.Option("--output", "-o", help="File to write (e.g. entities.jsonl).")
    ],
    program: Annotated[
        str | None,
        typer.Option("--program", help="Registry key (US-GLOMAG) or a list's own code."),
    ] = None,
    country: Annotated[
        str | None,
        typer.Option("--country", help="State tied to the entity (ISO3, ISO2 or name)."),
    ] = None,
    list_key: Annotated[
        str | None, typer.Option("--list", help="List key (us_ofac_sdn, eu_journal_32020R1998).")
    ] = None,
    entity_ids: Annotated[
        list[str] | None, typer.Option("--entity", help="Entity id (repeat for several).")
    ] = None,
) -> None:
    """Export sanctions entities and their designations as FollowTheMoney JSON lines."""
    from rightsdesk.core.db import session_scope
    from rightsdesk.core.errors import NotFoundError
    from rightsdesk.core.states import resolve_state
    from rightsdesk.sanctions.ftm_export import export_file, select_entities
    from rightsdesk.store import check_ready

    s = settings()
    check_ready(s)
    with session_scope(s.database_url) as db:
        iso3 = resolve_state(country) if country else None
        chosen = select_entities(db, program, iso3, list_key, entity_ids or ())
        if not chosen:
            raise NotFoundError("no sanctions entity matches these filters")
        report = export_file(db, chosen, output)
    console.print(
        f"wrote {report.entities} entities and {report.sanctions} designations "
        f"(FtM Sanction entities) to {output}",
        highlight=False,
    )
    for what, count in sorted(report.dropped.items()):
        console.print(f"left out {count} × {what}", highlight=False)


def register(app: typer.Typer) -> None:
    """Add this room's commands to ``rightsdesk sanctions``."""
    app.command("export-ftm")(export_ftm_command)
