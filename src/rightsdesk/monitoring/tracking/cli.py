"""Command ``rightsdesk monitoring status``: record an implementation status from a shell.

Like every change it is audited, under the actor given with ``--actor`` (default
``cli:`` and the OS user).
"""

from __future__ import annotations

from typing import Annotated

import typer

from rightsdesk.core.cli_support import console, settings, user_errors
from rightsdesk.core.db import session_scope
from rightsdesk.core.security.audit import cli_actor
from rightsdesk.monitoring.tracking.models import IMPLEMENTATION_STATUSES
from rightsdesk.monitoring.tracking.service import set_status
from rightsdesk.store import check_ready

app = typer.Typer(help="Implementation tracking of recommendations.", no_args_is_help=True)


@app.command()
@user_errors
def status(
    recommendation_id: Annotated[int, typer.Argument(help="Recommendation id.")],
    new_status: Annotated[str, typer.Argument(help=", ".join(IMPLEMENTATION_STATUSES))],
    responsible: Annotated[
        str | None, typer.Option("--responsible", help="Responsible institutions.")
    ] = None,
    notes: Annotated[str | None, typer.Option("--notes")] = None,
    actor: Annotated[
        str | None,
        typer.Option("--actor", help="Name written to the audit log (default cli:OS user)."),
    ] = None,
) -> None:
    """Set the implementation status of a recommendation (creates the record if needed)."""
    s = settings()
    check_ready(s)
    with session_scope(s.database_url) as db:
        record = set_status(
            db,
            actor or cli_actor(),
            new_status,
            recommendation_id=recommendation_id,
            responsible_institutions=responsible,
            notes=notes,
        )
        console.print(f"recommendation #{recommendation_id}: {record.status} (record #{record.id})")
