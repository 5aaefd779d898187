"""Command ``rightsdesk monitoring search``: the search page on the command line.

Same query language, same filters; its CSV output is the web export (same columns, same
cells), so scripts get what the web export gives.
"""

from __future__ import annotations

from typing import Annotated

import typer

from rightsdesk.core.cli_support import FormatOpt, Output, emit, emit_json, settings, user_errors
from rightsdesk.core.db import session_scope
from rightsdesk.monitoring.recommendations.exports import export_rows, to_csv
from rightsdesk.monitoring.recommendations.search import Order, search_recommendations
from rightsdesk.store import check_ready

app = typer.Typer(help="Recommendations of the UN mechanisms.", no_args_is_help=True)


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
    output: FormatOpt = Output.table,
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
            emit_json(
                {
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
            )
            return
        rows = [
            {
                "id": str(h.id),
                "to": h.state_iso3,
                "from": ", ".join(h.recommending),
                "session": str(h.session or ""),
                "response": h.response or "",
                "text": h.text if len(h.text) <= 200 else h.text[:197] + "…",
            }
            for h in result.hits
        ]
        columns = ["id", "to", "from", "session", "response", "text"]
        emit(rows, Output.table, f"{result.total} recommendations", columns)
