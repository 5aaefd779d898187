"""Commands of the escalation view: ``rightsdesk interventions escalation show ISO3``.

``show`` prints the assessed risk, the responses used so far and the ladder with the next
options; ``--format json`` prints the same object as ``GET /api/v1/interventions/escalation/
{iso3}``. The count of documented violations depends on who reads it, so the command line
leaves it out (``null`` in the JSON); the page and the API show the reader's count.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

import typer
from rich.markup import escape

from rightsdesk.core.cli_support import (
    Output,
    console,
    emit,
    emit_json,
    settings,
    user_errors,
)
from rightsdesk.core.db import session_scope
from rightsdesk.store import check_ready

app = typer.Typer(no_args_is_help=True)


class Format(StrEnum):
    """What ``show`` prints: tables for a person, the API's JSON object for a script."""

    table = "table"
    json = "json"


def _header(view: dict[str, Any]) -> None:
    risk = view["risk"]
    console.print(f"[bold]{escape(view['name'])} ({view['iso3']})[/]: escalation view")
    if risk:
        console.print(
            f"Statistical risk: {risk['level_label']}, rank {risk['rank']} of "
            f"{risk['n_ranked']} ({risk['as_of']})"
        )
    else:
        console.print("Statistical risk: none stored")
    found = view["assessment"]
    if found:
        console.print(
            f"Framework of Analysis: {found['factors_rated']} factors rated, "
            f"{len(found['high_factors'])} high ({found['as_of']})"
        )
    console.print(escape(view["level_note"]))
    for note in view["notes"]:
        console.print(f"[yellow]note:[/] {escape(note)}")


@app.command("show")
@user_errors
def show(
    state: Annotated[str, typer.Argument(help="State: ISO3 code or name.")],
    output: Annotated[Format, typer.Option("--format", "-f", help="table or json.")] = Format.table,
) -> None:
    """The responses a state has drawn so far and the proportionate next options, each with
    precedents from the register."""
    from rightsdesk.interventions.escalation.service import STATUS_LABELS, escalation_view

    s = settings()
    check_ready(s)
    with session_scope(s.database_url) as db:
        view = escalation_view(db, state, reader=None).to_dict()
    if output is Format.json:
        emit_json(view)
        return
    _header(view)
    used = [
        {
            "date": u["date"],
            "response": u["title"],
            "counts for": u["option"] or "",
            "source": u["source"],
        }
        for u in view["used"]
    ]
    emit(used, Output.table, title="Responses so far (stored data)", columns=None)
    steps = [
        {
            "step": s["step"],
            "option": s["title"],
            "from level": s["min_level"],
            "status": STATUS_LABELS.get(s["status"], s["status"]),
            "next": "yes" if s["suggested"] else "",
            "precedents": "; ".join(
                f"{p['identifier'] or p['title']} ({', '.join(p['states'])}, "
                f"{(p['start'] or '')[:4]})"
                for p in s["precedents"]
            ),
        }
        for s in view["steps"]
    ]
    emit(steps, Output.table, title="The ladder: next options marked")
    for src in view["sources"]:
        upto = src["data_up_to"] or src["note"] or "no date"
        console.print(f"data up to: {escape(src['name'])}: {escape(str(upto))}")
