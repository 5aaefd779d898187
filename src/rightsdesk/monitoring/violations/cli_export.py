"""``rightsdesk monitoring violations export``: the pseudonymised export, for partners.

The command line is the store's operator (``access.Principal.cli``, an admin's rights), so it
exports every event the filters select; the export is audited under the operating-system user
like every command. The file is written only after the audit entries are committed, and
readable by its owner only: even pseudonymised, it is confidential documentation.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Annotated

import typer

from rightsdesk.core.cli_support import console, settings, user_errors
from rightsdesk.core.db import session_scope
from rightsdesk.monitoring.violations.access import Principal
from rightsdesk.monitoring.violations.search import EventFilters

__all__ = ["app", "export"]

app = typer.Typer()


def _date(value: str | None, option: str) -> dt.date | None:
    from rightsdesk.core.errors import InputError

    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InputError("not a date (YYYY-MM-DD)", field=option) from None


@app.command("export")
@user_errors
def export(
    output: Annotated[Path, typer.Option("--output", "-o", help="File to write.")],
    fmt: Annotated[str, typer.Option("--format", "-f", help="csv or json.")] = "csv",
    state: Annotated[str | None, typer.Option(help="State: ISO3 or name.")] = None,
    date_from: Annotated[str | None, typer.Option("--from", help="From (YYYY-MM-DD).")] = None,
    date_to: Annotated[str | None, typer.Option("--to", help="Until (YYYY-MM-DD).")] = None,
    act_type: Annotated[str | None, typer.Option(help="An act type code.")] = None,
    status: Annotated[str | None, typer.Option(help="Event status.")] = None,
    level: Annotated[str | None, typer.Option(help="Confidentiality level.")] = None,
) -> None:
    """Write the events as a pseudonymised CSV or JSON file for partners: stable V-/S-/P-/E-
    pseudonyms; names, contacts, witness summaries and exact places removed. Audited."""
    from rightsdesk.core.errors import InputError
    from rightsdesk.monitoring.violations.pseudonymise import build_export, to_csv, to_json
    from rightsdesk.store import check_ready

    if fmt not in ("csv", "json"):
        raise InputError("csv or json", field="--format")
    filters = EventFilters(
        state=state,
        date_from=_date(date_from, "--from"),
        date_to=_date(date_to, "--to"),
        act_type=act_type,
        status=status,
        confidentiality=level,
    )
    s = settings()
    check_ready(s)
    with session_scope(s.database_url) as session:
        made = build_export(session, Principal.cli(), filters, s.secret_key, fmt)
    body = to_json(made) if fmt == "json" else to_csv(made)
    try:
        fd = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(body)
    except OSError as exc:
        raise InputError(f"cannot write the file: {exc.strerror}", file=output) from None
    console.print(f"{made.rows} event(s) written to {output} (pseudonymised)", highlight=False)
