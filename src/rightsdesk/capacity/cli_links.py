"""Commands of the links room: ``rightsdesk capacity gaps``, ``suggest-links`` and ``links``.

``gaps`` is the contract scripts rely on: the supported recommendations of a state with no
programme (confirmed link) and no implementation action behind them, one row each, with the
columns ``GAP_COLUMNS`` in every format (documented in the README).
"""

from __future__ import annotations

from typing import Annotated, Any

import typer

from rightsdesk.core.cli_support import (
    FormatOpt,
    Output,
    console,
    emit,
    emit_json,
    err_console,
    settings,
    user_errors,
)
from rightsdesk.core.db import session_scope
from rightsdesk.store import check_ready

#: the columns of ``rightsdesk capacity gaps`` (csv, json and table alike)
GAP_COLUMNS = (
    "recommendation_key",
    "recommendation_id",
    "session",
    "cycle",
    "date",
    "mechanism",
    "recommending_states",
    "themes",
    "implementation_status",
    "text",
)
#: what the table shows of them (a terminal is too narrow for ten columns)
TABLE_GAP_COLUMNS = ("recommendation_id", "session", "themes", "text")
LINK_COLUMNS = (
    "id",
    "status",
    "score",
    "programme_id",
    "programme_title",
    "recommendation_key",
    "recommendation_state",
    "recommendation_text",
    "reason",
    "created_by",
    "reviewed_by",
)


def gap_rows(coverage: Any) -> list[dict[str, Any]]:
    """The gaps of a ``StateCoverage`` as rows of ``GAP_COLUMNS``."""
    rows = []
    for row in coverage.gaps:
        rec = row.rec
        rows.append(
            {
                "recommendation_key": rec.natural_key,
                "recommendation_id": rec.id,
                "session": rec.session,
                "cycle": rec.cycle,
                "date": rec.date,
                "mechanism": rec.mechanism,
                "recommending_states": " ".join(rec.recommending_states),
                "themes": "; ".join(rec.themes),
                "implementation_status": row.implementation.status if row.implementation else None,
                "text": rec.text,
            }
        )
    return rows


@user_errors
def gaps(
    state: Annotated[str, typer.Argument(help="State: ISO3 code or name.")],
    output: FormatOpt = Output.table,
) -> None:
    """Supported recommendations with no programme or action behind them, with their themes.

    A programme counts when a confirmed link ties it to the recommendation; an action when
    the state's implementation record of it shows a planned action, a progress report or a
    status past not-started. CSV and JSON columns: recommendation_key, recommendation_id,
    session, cycle, date, mechanism, recommending_states, themes, implementation_status, text;
    the table shows recommendation_id, session, themes and text.
    """
    from rightsdesk.capacity.coverage import state_coverage

    s = settings()
    check_ready(s)
    with session_scope(s.database_url) as db:
        coverage = state_coverage(db, state)
        rows = gap_rows(coverage)
    if not coverage.supported:
        err_console.print(f"{coverage.name}: no supported recommendation in the store")
    title = (
        f"{coverage.name}: {len(rows)} of {coverage.supported} supported recommendations "
        "with no programme or action behind them"
    )
    columns = TABLE_GAP_COLUMNS if output is Output.table else GAP_COLUMNS
    emit(rows, output, title=title, columns=columns)


@user_errors
def suggest_links_command(
    state: Annotated[
        str | None, typer.Option("--state", "-s", help="Only programmes for this recipient.")
    ] = None,
    actor: Annotated[
        str | None,
        typer.Option("--actor", help="Name written to the audit log (default cli:OS user)."),
    ] = None,
    min_similarity: Annotated[
        float, typer.Option("--min-similarity", min=0.0, max=1.0, help="Text cosine at least.")
    ] = 0.08,
    min_score: Annotated[
        float, typer.Option("--min-score", min=0.0, help="Score (cosine + theme bonus) at least.")
    ] = 0.2,
    output: FormatOpt = Output.table,
) -> None:
    """Suggest links between programmes and the recommendations made to their recipient
    states (shared terms, shared themes); re-running updates scores and never brings back a
    rejected link. A person then confirms or rejects them (/capacity/links)."""
    from rightsdesk.capacity.suggest import Thresholds, suggest_links
    from rightsdesk.core.resolver import resolve_state
    from rightsdesk.core.security.audit import cli_actor

    s = settings()
    check_ready(s)
    iso3 = resolve_state(state) if state else None
    with session_scope(s.database_url) as db:
        limits = Thresholds(min_similarity, min_score)
        report = suggest_links(db, actor or cli_actor(), iso3, limits)
    if output is Output.json:
        emit_json(report.as_dict())
        return
    emit([report.as_dict() | {"states": " ".join(report.states)}], output, title="Link suggestions")


@user_errors
def links(
    programme: Annotated[
        int | None, typer.Option("--programme", "-p", help="Programme id.")
    ] = None,
    status: Annotated[
        str | None, typer.Option("--status", help="suggested, confirmed or rejected.")
    ] = None,
    state: Annotated[str | None, typer.Option("--state", "-s", help="Recipient state.")] = None,
    limit: Annotated[int, typer.Option("--limit", "-n", help="Rows shown.")] = 50,
    output: FormatOpt = Output.table,
) -> None:
    """Links between programmes and recommendations, best score first, with who and why."""
    from rightsdesk.capacity.links import list_links
    from rightsdesk.core.resolver import resolve_state

    s = settings()
    check_ready(s)
    iso3 = resolve_state(state) if state else None
    with session_scope(s.database_url) as db:
        views, total = list_links(db, programme, status, iso3, max(1, min(limit, 10_000)))
    rows = [{c: getattr(v, c) for c in LINK_COLUMNS} for v in views]
    if output is Output.table:
        console.print(f"{total} link{'' if total == 1 else 's'}")
    emit(rows, output, title="Programme links", columns=LINK_COLUMNS, float_format="{:.2f}")


def register(app: typer.Typer) -> None:
    """Add this room's commands to ``rightsdesk capacity``."""
    app.command("gaps")(gaps)
    app.command("suggest-links")(suggest_links_command)
    app.command("links")(links)
