"""``rightsdesk interventions register ...``: the register of responses on the command line.

``list`` answers what the list page answers (same filters, same order) as a table, CSV or
JSON, and says up to when each source runs; ``show ID`` prints one entry with its states,
accused and charges, sources and history (``--format json`` for scripts).
"""

from __future__ import annotations

from typing import Annotated

import typer

from rightsdesk.core.cli_support import FormatOpt, Output, emit, emit_json, settings, user_errors
from rightsdesk.core.db import session_scope
from rightsdesk.store import check_ready

app = typer.Typer(no_args_is_help=True)

COLUMNS = ("id", "kind", "identifier", "title", "states", "start", "end", "status", "source")


@app.command("list")
@user_errors
def list_command(
    state: Annotated[str | None, typer.Option("--state", help="State (ISO3 or name).")] = None,
    kind: Annotated[
        str | None, typer.Option("--kind", help="peacekeeping, icc-case, icj-case, ...")
    ] = None,
    status: Annotated[
        str | None, typer.Option("--status", help="Words the status contains.")
    ] = None,
    year: Annotated[int | None, typer.Option("--year", help="Running in this year.")] = None,
    output: FormatOpt = Output.table,
) -> None:
    """Register entries matching every filter, newest first."""
    from rightsdesk.interventions.register import listing
    from rightsdesk.interventions.register.public import sources_coverage

    s = settings()
    check_ready(s)
    with session_scope(s.database_url) as db:
        filters = listing.make_filters(kind, state, status, year)
        rows = listing.list_entries(db, filters)
        coverage = sources_coverage(db)
    flat = [
        {
            "id": r["id"],
            "kind": r["kind"],
            "identifier": r["identifier"],
            "title": r["title"],
            "states": "; ".join(f"{x['iso3'] or x['name']}:{x['role']}" for x in r["states"]),
            "start": r["start_text"],
            "end": r["end_text"],
            "status": r["status"],
            "source": "; ".join(
                f"{x['origin']} (to {x['data_up_to']})" if x["data_up_to"] else x["origin"]
                for x in r["sources"]
            ),
        }
        for r in rows
    ]
    up_to = "; ".join(f"{c['kind']} to {c['data_up_to_text']}" for c in coverage)
    emit(
        flat,
        output,
        title=f"{len(flat)} entries (data up to: {up_to or 'nothing imported'})",
        columns=COLUMNS,
    )


@app.command("show")
@user_errors
def show_command(
    entry_id: Annotated[int, typer.Argument(help="Entry id (from `list`).")],
    output: FormatOpt = Output.table,
) -> None:
    """One entry: facts, states, accused and charges, sources, edit history."""
    from rightsdesk.interventions.register import listing

    s = settings()
    check_ready(s)
    with session_scope(s.database_url) as db:
        entry = listing.detail(listing.get_entry(db, entry_id))
    if output is Output.json:
        emit_json(entry)
        return
    facts = [
        {"field": k, "value": entry[k]}
        for k in (
            "id",
            "kind_label",
            "identifier",
            "title",
            "mandate_body",
            "mandate_ref",
            "start_text",
            "end_text",
            "status",
            "url",
            "notes",
        )
        if entry.get(k)
    ]
    facts += [{"field": f"state ({x['role']})", "value": x["name"]} for x in entry["states"]]
    for a in entry["accused"]:
        types = sorted({c["crime_type_label"] for c in a["charges"]})
        facts.append(
            {
                "field": "accused",
                "value": f"{a['person']}: {a['status_label']}; "
                f"{len(a['charges'])} charges ({', '.join(types) or 'none listed'})",
            }
        )
    facts += [
        {
            "field": "source",
            "value": x["citation"]
            + (f" (data up to {x['data_up_to']})" if x["data_up_to"] else ""),
        }
        for x in entry["sources"]
    ]
    facts += [
        {"field": "history", "value": f"{h['at']} {h['actor']} {h['action']}"}
        for h in entry["history"]
    ]
    emit(facts, output, title=entry["title"], columns=("field", "value"))
