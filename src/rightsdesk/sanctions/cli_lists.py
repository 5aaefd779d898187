"""``rightsdesk sanctions lists | changes | entity | entities``: the stored sanctions lists,
what each version added and removed, one entity with its history, and entity listings.

The commands read through ``sanctions.history`` and ``sanctions.queries``, the functions the
pages and the API use, so the figures agree everywhere.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

import typer
from rich.markup import escape

from rightsdesk.core.cli_support import (
    FormatOpt,
    Output,
    console,
    emit,
    emit_json,
    emit_sources,
    settings,
    user_errors,
)
from rightsdesk.core.db import session_scope
from rightsdesk.store import check_ready

#: the import kinds whose datasets the provenance line under a table names
LIST_KINDS = ("un-sc-consolidated", "ofac-sdn-csv", "eu-journal-csv", "ftm-jsonl")
VERSION_COLUMNS = ("list", "version", "previous", "added", "removed", "changed")
CHANGE_COLUMNS = ("version", "change", "entity_id", "caption", "detail")
SPAN_CSV = ("entity_id", "list", "program", "since", "ended", "ref")
ENTITY_COLUMNS = ("entity_id", "schema", "caption", "programs", "countries", "active")


@user_errors
def lists(output: FormatOpt = Output.table) -> None:
    """The stored sanctions lists: latest version and entities in force, then every
    version imported with what it added, removed and changed."""
    from rightsdesk.sanctions.history import list_versions
    from rightsdesk.sanctions.queries import list_summaries

    s = settings()
    check_ready(s)
    with session_scope(s.database_url) as db:
        summaries = list_summaries(db)
        versions = list_versions(db)
    version_rows = [
        {
            "list": v.list_key,
            "version": v.version_date,
            "previous": v.previous_version,
            "added": v.added,
            "removed": v.removed,
            "changed": v.changed,
        }
        for v in versions
    ]
    if output is Output.json:
        emit_json({"lists": [asdict(x) for x in summaries], "versions": version_rows})
        return
    list_rows = [
        {
            "list": x.key,
            "title": x.title,
            "version": x.version_date,
            "entities": x.entities,
            "in force": x.active,
        }
        for x in summaries
    ]
    if output is Output.csv:  # one table per call: the versions, which carry the list key
        emit(version_rows, output, columns=VERSION_COLUMNS)
        return
    emit(list_rows, output, title=f"{len(list_rows)} sanctions lists")
    if version_rows:
        emit(version_rows, output, title="versions imported", columns=VERSION_COLUMNS)
    emit_sources(s.database_url, LIST_KINDS, "sanctions lists", output)


@user_errors
def changes(
    list_key: Annotated[str, typer.Argument(help="List key, e.g. us_ofac_sdn (see `lists`).")],
    start: Annotated[
        str | None, typer.Option("--from", help="Versions dated on or after YYYY[-MM[-DD]].")
    ] = None,
    end: Annotated[
        str | None, typer.Option("--to", help="Versions dated on or before YYYY[-MM[-DD]].")
    ] = None,
    change: Annotated[
        str | None, typer.Option("--change", help="Only added, removed or changed.")
    ] = None,
    program: Annotated[
        str | None,
        typer.Option("--program", help="Only entities under this programme (US-GLOMAG, GLOMAG)."),
    ] = None,
    output: FormatOpt = Output.table,
) -> None:
    """What the versions of a list dated in a period added, removed and changed, dated by
    each file's own version date."""
    from rightsdesk.sanctions.history import date_bound, list_changes

    first = date_bound(start, field="from")
    last = date_bound(end, end=True, field="to")
    s = settings()
    check_ready(s)
    with session_scope(s.database_url) as db:
        rows = list_changes(db, list_key, first, last, change=change, program=program)
    records = [
        {
            "version": r.version_date,
            "change": r.change,
            "entity_id": r.entity_id,
            "caption": r.caption,
            "detail": r.detail,
        }
        for r in rows
    ]
    counts = {k: sum(r.change == k for r in rows) for k in ("added", "removed", "changed")}
    title = f"{list_key}: " + ", ".join(f"{n} {k}" for k, n in counts.items())
    emit(records, output, title=title, columns=CHANGE_COLUMNS)
    emit_sources(s.database_url, LIST_KINDS, "sanctions lists", output)


@user_errors
def entity(
    entity_id: Annotated[str, typer.Argument(help="Entity id, e.g. ofac-7513 or unsc-6907993.")],
    output: Annotated[
        Output,
        typer.Option("--format", "-f", help="table, json (everything) or csv (designations)."),
    ] = Output.table,
) -> None:
    """One sanctioned entity: names (all scripts), states, designations over time and the
    changes the list versions recorded for it. A designation's "since" is its listing date,
    or where the list gives none (OFAC's CSV) the version date it first appeared in. CSV:
    the designations, one a row."""
    from rightsdesk.sanctions.queries import entity_detail

    s = settings()
    check_ready(s)
    with session_scope(s.database_url) as db:
        detail = entity_detail(db, entity_id)
    if output is Output.json:
        emit_json(asdict(detail))
        return
    spans = [_span_row(d) for d in detail.designations]
    if output is Output.csv:
        emit([{"entity_id": entity_id, **r} for r in spans], output, columns=SPAN_CSV)
        return
    ftm = detail.entity
    state = "in force" if detail.active else "no designation in force"
    console.print(f"[bold]{escape(ftm['caption'])}[/] ({ftm['schema']}, {ftm['id']}; {state})")
    emit(detail.names, Output.table, title="names", columns=("kind", "name", "script"))
    props = [
        {"property": k, "values": "; ".join(v)}
        for k, v in ftm["properties"].items()
        if k not in ("name", "alias", "weakAlias", "previousName", "notes")
    ]
    emit(props, Output.table, title="properties", columns=("property", "values"))
    emit(
        spans,
        Output.table,
        title="designations",
        columns=("list", "program", "since", "ended", "ref"),
    )
    emit(
        [
            {"version": h.version_date, "list": h.list_key, "change": h.change, "detail": h.detail}
            for h in detail.history
        ],
        Output.table,
        title="history",
        columns=("version", "list", "change", "detail"),
    )


def _span_row(d: Any) -> dict[str, Any]:
    return {
        "list": d.list_key,
        "program": d.program_key or d.program_code,
        "since": d.listed_on or d.first_seen,
        "ended": d.delisted_on,
        "ref": d.source_ref,
    }


@user_errors
def entities(
    program: Annotated[
        str | None, typer.Option("--program", help="Programme key or code (US-GLOMAG, GLOMAG).")
    ] = None,
    country: Annotated[
        str | None, typer.Option("--country", help="State tied to the entity (ISO3 or name).")
    ] = None,
    schema: Annotated[
        str | None, typer.Option("--schema", help="FtM schema: Person, Organization, Vessel...")
    ] = None,
    active: Annotated[
        bool, typer.Option("--active/--all", help="Only entities in force (default) or all.")
    ] = True,
    text: Annotated[str | None, typer.Option("--name", help="Part of any name.")] = None,
    list_key: Annotated[str | None, typer.Option("--list", help="Only this list's.")] = None,
    limit: Annotated[int, typer.Option("--limit", help="At most this many rows (1-1000).")] = 100,
    output: FormatOpt = Output.table,
) -> None:
    """Sanctioned entities matching every filter given, by name."""
    from rightsdesk.sanctions.queries import search_entities

    s = settings()
    check_ready(s)
    with session_scope(s.database_url) as db:
        page = search_entities(
            db,
            program=program,
            country=country,
            schema=schema,
            active=True if active else None,
            text=text,
            list_key=list_key,
            limit=limit,
        )
    rows = [
        {
            "entity_id": e.entity_id,
            "schema": e.schema,
            "caption": e.caption,
            "programs": " ".join(e.programs),
            "countries": " ".join(e.countries),
            "active": e.active,
        }
        for e in page.rows
    ]
    shown = f"{len(rows)} of {page.total}" if page.total > len(rows) else str(page.total)
    emit(rows, output, title=f"{shown} entities", columns=ENTITY_COLUMNS)
    emit_sources(s.database_url, LIST_KINDS, "sanctions lists", output)


def register(app: typer.Typer) -> None:
    """Add this room's commands to ``rightsdesk sanctions``."""
    app.command("lists")(lists)
    app.command("changes")(changes)
    app.command("entity")(entity)
    app.command("entities")(entities)
