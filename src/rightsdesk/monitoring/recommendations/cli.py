"""Command ``rightsdesk monitoring search``: the search page on the command line.

Same query language, same filters; its CSV output is the web export (same columns, same
cells), so scripts get what the web export gives.
"""

from __future__ import annotations

from typing import Annotated

import typer

from rightsdesk.core.cli_support import (
    FormatOpt,
    Output,
    console,
    emit_json,
    settings,
    user_errors,
)
from rightsdesk.core.db import session_scope
from rightsdesk.monitoring.recommendations.exports import export_rows, to_csv
from rightsdesk.monitoring.recommendations.search import (
    Order,
    SearchResult,
    search_recommendations,
)
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
        list[str] | None, typer.Option("--response", help="supported, noted, pending, other.")
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

    CSV writes every match with the columns of the web export (states by name with their
    ISO3 codes, the response and the source's word for it, one column per taxonomy of
    themes, the source). JSON writes {total, hits[], facets{}} for the first --limit hits.
    """
    from rightsdesk.core.states import resolve_state

    s = settings()
    check_ready(s)
    # an unknown state is "not found" (exit 66) here as in every command, before any search
    facets = {
        "state": [resolve_state(x) for x in state or []],
        "from_state": [resolve_state(x) for x in from_state or []],
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
                            "action_label": h.action_label,
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
        _table(result)


#: Facets summarised under the table, with how many values of each.
SUMMARY_FACETS = (("state", 5), ("response", 4), ("issue", 5), ("group", 5))


def action_cell(number: int | None, label: str | None) -> str:
    """The action category as the table shows it: its number and its name, without the
    longer explanation some names carry ("1 minimal action"); empty without one."""
    if number is None:
        return ""
    return f"{number} {(label or '').split(' (')[0]}".strip()


def _table(result: SearchResult) -> None:
    """The hits as a table that fits 80 columns (text wrapped, never cut mid-word by the
    terminal), titled "20 of 688 recommendations", each one's response and action category
    in words ("4 general action"), then the top values of the main facets."""
    from rich.table import Table

    from rightsdesk.core.labels import state_label

    shown = len(result.hits)
    table = Table(title=f"{shown} of {result.total:,} recommendations", title_justify="left")
    table.add_column("id", justify="right", no_wrap=True)
    table.add_column("to", overflow="fold", min_width=8, max_width=14)
    table.add_column("from", overflow="fold", min_width=8, max_width=14)
    table.add_column("session", justify="right", no_wrap=True)
    # the response and, below it, the action category: one column, so the table keeps to 80
    table.add_column("response / action", overflow="fold", max_width=11)
    table.add_column("text", overflow="fold", min_width=20, ratio=1)
    for h in result.hits:
        text = h.text if len(h.text) <= 200 else h.text[:197] + "…"
        table.add_row(
            str(h.id),
            state_label(h.state_iso3),
            ", ".join(state_label(x) for x in h.recommending),
            str(h.session or ""),
            "\n".join(x for x in (h.response, action_cell(h.action_category, h.action_label)) if x),
            text,
        )
    console.print(table)
    if shown < result.total:
        console.print(
            f"showing {shown} of {result.total:,}: --limit N for more, --format csv for all",
            highlight=False,
        )
    for name, top in SUMMARY_FACETS:
        values = [v for v in result.facets.get(name, []) if v.count][:top]
        if values:
            listed = ", ".join(f"{v.label or v.value} {v.count:,}" for v in values)
            console.print(f"{name}: {listed}", highlight=False, soft_wrap=False)
