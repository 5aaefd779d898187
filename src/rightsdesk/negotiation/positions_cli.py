"""``rightsdesk negotiation ideal-points | backtest | forecast``: positions and vote forecasts.

Thin wrappers: each command opens the store, reads votes through ``votes_data.vote_frame`` and
calls the pure functions of ``ideal_points``, ``backtest`` and ``forecast_service``; output is a
Rich table for people or CSV / JSON with stable column names for scripts.
"""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from typing import Annotated

import pandas as pd
import typer
from rich.table import Table

from rightsdesk.core.cli_support import console, err_console, settings, user_errors
from rightsdesk.core.db import session_scope
from rightsdesk.core.errors import InputError
from rightsdesk.core.states import resolve_state
from rightsdesk.core.store import check_ready
from rightsdesk.negotiation.backtest import backtest as run_backtest
from rightsdesk.negotiation.cli import negotiation_app
from rightsdesk.negotiation.forecast_service import (
    forecast_draft,
    forecaster_for,
    history_frame,
    positions,
    regional_groups,
)
from rightsdesk.negotiation.ideal_points import POSITION_COLUMNS


class TableOrCsv(StrEnum):
    table = "table"
    csv = "csv"


class TableOrJson(StrEnum):
    table = "table"
    json = "json"


class Output(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


BodyOpt = Annotated[str, typer.Option("--body", help="Which votes: unga, hrc, chr, hrc+chr.")]
IssueOpt = Annotated[
    str | None, typer.Option("--issue", help="Only roll calls on an issue, e.g. hr.")
]


def _table(frame: pd.DataFrame, title: str) -> None:
    table = Table(title=title)
    for col in frame.columns:
        table.add_column(str(col), justify="right" if frame[col].dtype.kind in "if" else "left")
    for row in frame.itertuples(index=False):
        table.add_row(*(f"{v:.3f}" if isinstance(v, float) else str(v) for v in row))
    console.print(table)


@negotiation_app.command("ideal-points")
@user_errors
def ideal_points(
    body: BodyOpt = "unga",
    issue: IssueOpt = None,
    output: Annotated[
        TableOrCsv, typer.Option("--format", "-f", help="table (default) or csv.")
    ] = TableOrCsv.table,
) -> None:
    """Each state's position per session (ordinal IRT, United States positive) with its SE."""
    s = settings()
    check_ready(s)
    with session_scope(s.database_url) as session:
        frame = positions(session, s, body, issue)[POSITION_COLUMNS]
    if output is TableOrCsv.csv:
        frame.to_csv(sys.stdout, index=False, lineterminator="\n", float_format="%.4f")
        return
    _table(frame, f"ideal points, {body}" + (f", issue {issue}" if issue else ""))


@negotiation_app.command("backtest")
@user_errors
def backtest(
    body: BodyOpt = "unga",
    from_session: Annotated[
        int, typer.Option("--from-session", help="First session s trained up to.")
    ] = 60,
    to_session: Annotated[
        int | None, typer.Option("--to-session", help="Last session predicted (default: latest).")
    ] = None,
    issue: IssueOpt = None,
    output: Annotated[
        TableOrJson, typer.Option("--format", "-f", help="table (default) or json.")
    ] = TableOrJson.table,
) -> None:
    """Out-of-time test: train on sessions up to s, predict s+1, beside two baselines."""
    s = settings()
    check_ready(s)
    with session_scope(s.database_url) as session:
        frame = history_frame(session, body)
        groups = regional_groups(session)

    def tick(done: int, total: int) -> None:
        if output is TableOrJson.table:
            err_console.print(f"session {done}/{total} predicted", highlight=False)

    result = run_backtest(frame, from_session, to_session, issue, groups, progress=tick)
    rows = [sc.as_dict() for sc in result.scores]
    if output is TableOrJson.json:
        typer.echo(json.dumps(rows, indent=2))
        return
    first, last = result.sessions
    _table(
        pd.DataFrame(rows),
        f"{body}: trained up to s, predicted s+1, for s = {first}..{last - 1}",
    )


@negotiation_app.command("forecast")
@user_errors
def forecast(
    body: BodyOpt = "unga",
    like: Annotated[
        str | None,
        typer.Option("--like", help="Symbol or roll call id of a past text tabled again."),
    ] = None,
    title: Annotated[str | None, typer.Option("--title", help="Title of the draft.")] = None,
    sponsor: Annotated[
        list[str] | None, typer.Option("--sponsor", help="A sponsor (name or ISO3); repeat.")
    ] = None,
    output: Annotated[Output, typer.Option("--format", "-f", help="table, csv or json.")] = (
        Output.table
    ),
) -> None:
    """Predict each member's vote on a draft, the expected result and the swing states."""
    if not like and not title:
        raise InputError("give --like SYMBOL or --title TEXT", field="like")
    sponsors = [resolve_state(sp) for sp in sponsor or []]
    s = settings()
    check_ready(s)
    with session_scope(s.database_url) as session:
        model = forecaster_for(session, s, body)
    result = forecast_draft(model, title=title, like=like, sponsors=sponsors)
    cols = ["iso3", "name", "p_yes", "p_abstain", "p_no", "predicted", "sponsor"]
    if output is Output.json:
        typer.echo(json.dumps(result.as_dict(), indent=2, default=str))
        return
    if output is Output.csv:
        result.votes[cols].to_csv(sys.stdout, index=False, lineterminator="\n", float_format="%.4f")
        return
    _table(result.votes[cols], f"forecast: {result.title} (session {result.session})")
    e, p = result.expected, result.predicted
    console.print(
        f"expected yes {e['yes']:.1f}, no {e['no']:.1f}, abstain {e['abstain']:.1f} "
        f"(margin {result.margin:+.1f}); most likely counts {p['yes']}-{p['no']}-{p['abstain']}",
        highlight=False,
    )
    console.print("[bold]swing states[/]")
    for sw in result.swing:
        console.print(
            f"  {sw['iso3']} {sw['name']}: {sw['predicted']} "
            f"(yes {sw['p_yes']:.0%}, abstain {sw['p_abstain']:.0%}, no {sw['p_no']:.0%}); "
            + "; ".join(sw["reasons"]),
            highlight=False,
        )
