"""Commands ``rightsdesk monitoring search`` and ``rightsdesk monitoring status``.

``search`` is the search page on the command line (same query language, same filters); its CSV
and JSON outputs are the export columns, so scripts get what the web export gives.
``status`` records an implementation status from a shell; like every change it is audited,
under the actor given with ``--actor`` (default "cli").
"""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Annotated

import typer
from rich.table import Table

from rightsdesk.core.cli_support import console, settings, user_errors
from rightsdesk.core.db import session_scope
from rightsdesk.core.store import check_ready
from rightsdesk.monitoring import tracking
from rightsdesk.monitoring.cli import app
from rightsdesk.monitoring.exports import export_rows, to_csv
from rightsdesk.monitoring.models import IMPLEMENTATION_STATUSES
from rightsdesk.monitoring.search import Order, search_recommendations


class Output(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


@app.command()
@user_errors
def search(
    query: Annotated[str, typer.Argument(help='Words, "phrases", OR, NOT, -word; "" for all.')],
    state: Annotated[
        list[str] | None, typer.Option("--state", "-s", help="State under review (repeatable).")
    ] = None,
    from_state: Annotated[
        list[str] | None, typer.Option("--from-state", help="Recommending state (repeatable).")
    ] = None,
    session: Annotated[list[int] | None, typer.Option("--session", help="UPR session.")] = None,
    response: Annotated[
        list[str] | None, typer.Option("--response", help="accepted, supported, noted, pending.")
    ] = None,
    theme: Annotated[list[str] | None, typer.Option("--theme", help="Theme label.")] = None,
    group: Annotated[
        list[str] | None, typer.Option("--group", help="Regional group of the state, e.g. UN-WEOG.")
    ] = None,
    order: Annotated[str, typer.Option("--order", help="relevance or date.")] = "relevance",
    output: Annotated[Output, typer.Option("--format", "-f", help="table, csv or json.")] = (
        Output.table
    ),
    limit: Annotated[int, typer.Option("--limit", "-n", help="Rows shown (table/json).")] = 20,
) -> None:
    """Search recommendations: full text (stemmed) with filters.

    CSV writes every match with the export columns (id, mechanism, state_iso3, state, cycle,
    session, document_symbol, paragraph, text, recommending_states, response,
    action_category, themes, source). JSON writes {total, hits[], facets{}} for the first
    --limit hits.
    """
    s = settings()
    check_ready(s)
    facets = {
        "state": state or [],
        "from_state": from_state or [],
        "session": [str(x) for x in session or []],
        "response": response or [],
        "theme": theme or [],
        "group": group or [],
    }
    facets = {k: v for k, v in facets.items() if v}
    ordering: Order = "date" if order == "date" else "relevance"
    with session_scope(s.database_url) as db:
        if output is Output.csv:
            typer.echo(to_csv(export_rows(db, query, facets, ordering)), nl=False)
            return
        result = search_recommendations(db, query, facets, ordering, 1, max(1, min(limit, 1000)))
        if output is Output.json:
            data = {
                "total": result.total,
                "hits": [
                    {
                        "id": h.id,
                        "state_iso3": h.state_iso3,
                        "recommending_states": h.recommending,
                        "session": h.session,
                        "response": h.response,
                        "action_category": h.action_category,
                        "themes": h.themes,
                        "text": h.text,
                    }
                    for h in result.hits
                ],
                "facets": {
                    k: {v.value: v.count for v in vals} for k, vals in result.facets.items()
                },
            }
            typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
            return
        table = Table(title=f"{result.total} recommendations", show_lines=False)
        for col in ("id", "to", "from", "session", "response", "text"):
            table.add_column(col, overflow="fold")
        for h in result.hits:
            table.add_row(
                str(h.id),
                h.state_iso3,
                ", ".join(h.recommending),
                str(h.session or ""),
                h.response or "",
                h.text if len(h.text) <= 200 else h.text[:197] + "…",
            )
        console.print(table)


@app.command()
@user_errors
def status(
    recommendation_id: Annotated[int, typer.Argument(help="Recommendation id.")],
    new_status: Annotated[str, typer.Argument(help=", ".join(IMPLEMENTATION_STATUSES))],
    responsible: Annotated[
        str | None, typer.Option("--responsible", help="Responsible institutions.")
    ] = None,
    notes: Annotated[str | None, typer.Option("--notes")] = None,
    actor: Annotated[str, typer.Option("--actor", help="Name written to the audit log.")] = "cli",
) -> None:
    """Set the implementation status of a recommendation (creates the record if needed)."""
    s = settings()
    check_ready(s)
    with session_scope(s.database_url) as db:
        record = tracking.set_status(
            db,
            actor,
            new_status,
            recommendation_id=recommendation_id,
            responsible_institutions=responsible,
            notes=notes,
        )
        console.print(f"recommendation #{recommendation_id}: {record.status} (record #{record.id})")
