"""``rightsdesk monitoring violations list | show | act-types | add-act-type | perpetrators``.

The command line is the store's operator (``access.Principal.cli``: it holds the key file), so
it reads what an admin reads, sensitive fields included, and every read of a confidential
event and every change is audited under ``cli:<os user>``. Listings print the same rows as the
API (``search``), in a table that fits 80 columns, CSV or JSON.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

import typer
from rich.markup import escape

from rightsdesk.core.cli_support import (
    FormatOpt,
    Output,
    console,
    emit,
    emit_json,
    settings,
    user_errors,
)
from rightsdesk.core.db import session_scope
from rightsdesk.core.errors import InputError

app = typer.Typer()

LIST_COLUMNS = ("id", "when", "state", "title", "acts", "victims", "status", "level")
ACT_TYPE_COLUMNS = ("code", "label", "added_by", "explanation")
PERPETRATOR_COLUMNS = ("id", "name", "kind", "position", "state", "level", "key")


def _safe(rows: list[dict[str, Any]], output: Output) -> list[dict[str, Any]]:
    """Rows for ``emit``: a Rich table reads ``[...]`` in a cell as markup, so text that
    people typed (a title with "[draft]") is escaped for tables; CSV and JSON stay as stored."""
    if output is not Output.table:
        return rows
    return [{k: escape(v) if isinstance(v, str) else v for k, v in r.items()} for r in rows]


def _period(text: str | None, option: str, end: bool) -> dt.date | None:
    """``--from``/``--to`` as YYYY, YYYY-MM or YYYY-MM-DD: the first or last day meant."""
    from rightsdesk.monitoring.violations.event_input import (
        parse_date_with_precision,
        period_end,
    )

    if not text:
        return None
    try:
        when, precision = parse_date_with_precision(text)
    except InputError as exc:
        raise InputError(exc.reason, field=option) from None
    return period_end(when, precision) if end and when else when


@app.command("list")
@user_errors
def list_events(
    state: Annotated[str | None, typer.Option("--state", help="ISO3 or name.")] = None,
    start: Annotated[str | None, typer.Option("--from", help="From YYYY[-MM[-DD]].")] = None,
    end: Annotated[str | None, typer.Option("--to", help="To YYYY[-MM[-DD]].")] = None,
    act_type: Annotated[str | None, typer.Option("--act-type", help="An act code.")] = None,
    status: Annotated[str | None, typer.Option("--status", help="reported, verified...")] = None,
    level: Annotated[str | None, typer.Option("--level", help="Confidentiality.")] = None,
    query: Annotated[
        str | None, typer.Option("--query", "-q", help="In title, description, area.")
    ] = None,
    output: FormatOpt = Output.table,
) -> None:
    """Documented events matching every filter given, newest first."""
    from rightsdesk.monitoring.violations.access import Principal
    from rightsdesk.monitoring.violations.search import EventFilters, search_events
    from rightsdesk.store import check_ready

    s = settings()
    check_ready(s)
    filters = EventFilters(
        state=state,
        date_from=_period(start, "--from", end=False),
        date_to=_period(end, "--to", end=True),
        act_type=act_type,
        status=status,
        confidentiality=level,
        q=query,
    )
    who = Principal.cli()
    rows: list[dict[str, Any]] = []
    total = 0
    with session_scope(s.database_url) as db:
        page, pages = 1, 1
        while page <= pages:
            found = search_events(db, who, filters, page=page, per_page=500, facets=False)
            pages, total = found.pages, found.total
            page += 1
            rows += [
                {
                    "id": r.id,
                    "when": r.when,
                    "state": r.state_iso3,
                    "title": r.title,
                    "acts": ", ".join(r.act_labels) if output is Output.table else r.act_types,
                    "victims": r.victims,
                    "status": r.status,
                    "level": r.confidentiality,
                }
                for r in found.rows
            ]
    if output is Output.json:  # act codes as a list, not as text
        emit_json(rows)
        return
    if output is Output.csv:
        rows = [{**r, "acts": " ".join(r["acts"])} for r in rows]
    emit(_safe(rows, output), output, title=f"{total} events", columns=LIST_COLUMNS)


@app.command("show")
@user_errors
def show(
    event_id: Annotated[int, typer.Argument(help="The event's number (see list).")],
    output: Annotated[
        Output, typer.Option("--format", "-f", help="table or json (csv: as table).")
    ] = Output.table,
) -> None:
    """One event in full: victims, acts, perpetrators, sources, responses.

    Sensitive fields included: the command line is the store's operator. The read of a
    confidential event is audited.
    """
    from rightsdesk.monitoring.violations.access import Principal
    from rightsdesk.monitoring.violations.schemas import EventOut
    from rightsdesk.monitoring.violations.service import get_event
    from rightsdesk.monitoring.violations.views import event_view
    from rightsdesk.store import check_ready

    s = settings()
    check_ready(s)
    who = Principal.cli()
    with session_scope(s.database_url) as db:
        view = event_view(who, get_event(db, who, event_id))
    data = EventOut.model_validate(view).model_dump(mode="json")
    if output is Output.json:
        emit_json(data)
        return
    console.print(f"[bold]#{view.id} {escape(view.title)}[/]", highlight=False)
    place = ", ".join(x for x in (view.place, view.area, view.state_name) if x)
    for label, value in (
        ("when", view.when),
        ("where", place),
        ("status", view.status_label),
        ("level", view.level_label),
        ("key", view.natural_key),
        ("entered by", view.created_by or ""),
    ):
        console.print(f"{label:>11}: {value}", highlight=False, markup=False)
    if view.description:
        console.print(view.description, highlight=False, markup=False)
    for v in view.victims:
        console.print(
            f"victim #{v.id}: {v.name or '(no name)'}, {v.sex or '?'}, {v.age_group or '?'}"
            + (f", {v.occupation}" if v.occupation else ""),
            highlight=False,
            markup=False,
        )
    for a in view.acts:
        who_did = "; ".join(f"{i.perpetrator_name} ({i.role})" for i in a.involvements)
        console.print(
            f"act #{a.id}: {a.act_label}"
            + (f", victim #{a.victim_id}" if a.victim_id else "")
            + (f", by {who_did}" if who_did else ""),
            highlight=False,
            markup=False,
        )
    for src in view.sources:
        console.print(
            f"source #{src.id}: {src.source_type} {src.reporter_name or src.organisation or ''}"
            f" [{src.reliability}{src.credibility}]",
            highlight=False,
            markup=False,
        )
    for r in view.responses:
        console.print(
            f"response: {r.kind_label} by {r.actor} {r.date or ''}", highlight=False, markup=False
        )


@app.command("act-types")
@user_errors
def act_types_command(output: FormatOpt = Output.table) -> None:
    """The act vocabulary (codes for imports and the API)."""
    from rightsdesk.monitoring.violations.vocab import act_types
    from rightsdesk.store import check_ready

    s = settings()
    check_ready(s)
    with session_scope(s.database_url) as db:
        rows = [
            {
                "code": a.code,
                "label": a.label,
                "added_by": a.added_by or "",
                "explanation": a.explanation or "",
            }
            for a in act_types(db)
        ]
    columns = ACT_TYPE_COLUMNS if output is not Output.table else ACT_TYPE_COLUMNS[:3]
    emit(_safe(rows, output), output, title=f"{len(rows)} act types", columns=columns)


@app.command("add-act-type")
@user_errors
def add_act_type_command(
    code: Annotated[str, typer.Argument(help="lower_case_code, e.g. reprisal.")],
    label: Annotated[str, typer.Argument(help="The label forms show.")],
    explanation: Annotated[
        str | None, typer.Option("--explanation", help="What the act covers.")
    ] = None,
) -> None:
    """Extend the act vocabulary (audited)."""
    from rightsdesk.monitoring.violations.access import Principal
    from rightsdesk.monitoring.violations.vocab import add_act_type
    from rightsdesk.store import check_ready

    s = settings()
    check_ready(s)
    with session_scope(s.database_url) as db:
        added = add_act_type(db, Principal.cli(), code, label, explanation)
        console.print(f"added act type {added.code}: {added.label}", highlight=False, markup=False)


@app.command("perpetrators")
@user_errors
def perpetrators_command(output: FormatOpt = Output.table) -> None:
    """Documented perpetrators (persons, units, organisations), by name."""
    from rightsdesk.monitoring.violations.access import Principal
    from rightsdesk.monitoring.violations.perpetrators import list_perpetrators
    from rightsdesk.store import check_ready

    s = settings()
    check_ready(s)
    with session_scope(s.database_url) as db:
        rows = [
            {
                "id": p.id,
                "name": p.name,
                "kind": p.kind,
                "position": p.position or "",
                "state": p.state_iso3 or "",
                "level": p.confidentiality,
                "key": p.natural_key,
            }
            for p in list_perpetrators(db, Principal.cli(), limit=100_000)
        ]
    emit(
        _safe(rows, output), output, title=f"{len(rows)} perpetrators", columns=PERPETRATOR_COLUMNS
    )
