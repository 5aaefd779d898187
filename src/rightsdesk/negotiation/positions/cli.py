"""``rightsdesk negotiation positions ideal-points | backtest | forecast``: positions and vote
forecasts (also ``rightsdesk negotiation ideal-points`` etc., the older paths).

Thin wrappers: each command opens the store, reads votes through ``votes.frames.vote_frame`` and
calls the pure functions of ``ideal_points``, ``backtest`` and ``forecast``; output is a Rich
table for people or CSV / JSON with stable column names for scripts.
"""

from __future__ import annotations

from typing import Annotated

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
from rightsdesk.core.errors import InputError
from rightsdesk.core.states import regional_group_map, resolve_state
from rightsdesk.negotiation.positions.backtest import backtest as run_backtest
from rightsdesk.negotiation.positions.forecast import forecast_draft
from rightsdesk.negotiation.positions.ideal_points import POSITION_COLUMNS
from rightsdesk.negotiation.positions.service import forecaster_for, history_frame, positions
from rightsdesk.store import check_ready

app = typer.Typer(
    help="State positions (ideal points) and vote forecasts, with their out-of-time record.",
    no_args_is_help=True,
)

BodyOpt = Annotated[str, typer.Option("--body", help="Which votes: unga, hrc, chr, hrc+chr.")]
IssueOpt = Annotated[
    str | None, typer.Option("--issue", help="Only roll calls on an issue, e.g. hr.")
]
FORECAST_COLUMNS = ["iso3", "name", "p_yes", "p_abstain", "p_no", "predicted", "sponsor"]


def _float_format(output: Output) -> str:
    """Three decimals for people, four for scripts."""
    return "{:.3f}" if output is Output.table else "{:.4f}"


@app.command("ideal-points")
@user_errors
def ideal_points(
    body: BodyOpt = "unga", issue: IssueOpt = None, output: FormatOpt = Output.table
) -> None:
    """Each state's position per session (ordinal IRT, United States positive) with its SE.

    CSV/JSON columns: iso3,session,year,ideal_point,se.
    """
    s = settings()
    check_ready(s)
    with session_scope(s.database_url) as session:
        frame = positions(session, s, body, issue)[POSITION_COLUMNS]
    title = f"ideal points, {body}" + (f", issue {issue}" if issue else "")
    emit(frame, output, title, float_format=_float_format(output))


@app.command("backtest")
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
    output: FormatOpt = Output.table,
) -> None:
    """Out-of-time test: train on sessions up to s, predict s+1, beside two baselines.

    Columns: method, subset, accuracy, macro_f1, recall_no, recall_abstain, n.
    """
    s = settings()
    check_ready(s)
    with session_scope(s.database_url) as session:
        frame = history_frame(session, body)
        groups = regional_group_map(session)

    def tick(done: int, total: int) -> None:
        if output is Output.table:
            err_console.print(f"session {done}/{total} predicted", highlight=False)

    result = run_backtest(frame, from_session, to_session, issue, groups, progress=tick)
    rows = [sc.as_dict() for sc in result.scores]
    if output is Output.json:
        emit_json(rows)
        return
    first, last = result.sessions
    title = f"{body}: trained up to s, predicted s+1, for s = {first}..{last - 1}"
    emit(rows, output, title, float_format=_float_format(output))


@app.command("forecast")
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
    output: FormatOpt = Output.table,
) -> None:
    """Predict each member's vote on a draft, the expected result and the swing states.

    CSV columns: iso3,name,p_yes,p_abstain,p_no,predicted,sponsor.
    """
    if not like and not title:
        raise InputError("give --like SYMBOL or --title TEXT", field="like")
    sponsors = [resolve_state(sp) for sp in sponsor or []]
    s = settings()
    check_ready(s)
    with session_scope(s.database_url) as session:
        model = forecaster_for(session, s, body)
    result = forecast_draft(model, title=title, like=like, sponsors=sponsors)
    if output is Output.json:
        emit_json(result.as_dict())
        return
    votes = result.votes[FORECAST_COLUMNS]
    if output is Output.csv:
        emit(votes, output, float_format=_float_format(output))
        return
    title = f"forecast: {result.title} (session {result.session})"
    emit(votes, output, title, float_format=_float_format(output))
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
