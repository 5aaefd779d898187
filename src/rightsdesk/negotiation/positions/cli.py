"""``rightsdesk negotiation positions ideal-points | backtest | forecast``: positions and vote
forecasts (also ``rightsdesk negotiation ideal-points`` etc., the older paths).

Thin wrappers: each command opens the store, reads votes through ``votes.frames.vote_frame`` and
calls the pure functions of ``ideal_points``, ``backtest`` and ``forecast``; output is a Rich
table for people or CSV / JSON with stable column names for scripts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated

import typer
from rich.progress import TaskID

from rightsdesk.core.cli_support import (
    FormatOpt,
    Output,
    console,
    emit,
    emit_json,
    emit_provenance,
    err_console,
    settings,
    user_errors,
)
from rightsdesk.core.db import session_scope
from rightsdesk.core.errors import InputError
from rightsdesk.core.provenance import VOTE_KINDS, Provenance, provenance_for
from rightsdesk.core.states import regional_group_map
from rightsdesk.negotiation.positions.backtest import backtest as run_backtest
from rightsdesk.negotiation.positions.ideal_points import POSITION_COLUMNS
from rightsdesk.negotiation.positions.service import forecast_report, history_frame, positions
from rightsdesk.store import check_ready

app = typer.Typer(
    help="State positions (ideal points) and vote forecasts, with their out-of-time record.",
    no_args_is_help=True,
)

BodyOpt = Annotated[str, typer.Option("--body", help="Which votes: unga, hrc, chr, hrc+chr.")]
IssueOpt = Annotated[
    str | None, typer.Option("--issue", help="Only roll calls on an issue, e.g. hr.")
]
FORECAST_COLUMNS = [
    "iso3", "name", "p_yes", "p_abstain", "p_no", "predicted", "sponsor", "p_absent",
]  # fmt: skip


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
        prov = provenance_for(session, VOTE_KINDS, "UN votes")
    title = f"ideal points, {body}" + (f", issue {issue}" if issue else "")
    emit(frame, output, title, float_format=_float_format(output))
    emit_provenance(prov, output)


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

    Scored on the votes cast and on every member (absence a fourth outcome), with the
    model's gain in accuracy over the better baseline. CSV/JSON columns: method, subset,
    accuracy, macro_f1, recall_no, recall_abstain, n, participation, recall_absent, gain.
    """
    s = settings()
    check_ready(s)
    with session_scope(s.database_url) as session:
        frame = history_frame(session, s, body)
        groups = regional_group_map(session)
        prov = provenance_for(session, VOTE_KINDS, "UN votes")

    def tick(done: int, total: int) -> None:
        if output is Output.table:
            err_console.print(f"session {done}/{total} predicted", highlight=False)

    result = run_backtest(frame, from_session, to_session, issue, groups, progress=tick)
    rows = [sc.as_dict() for sc in result.scores]
    if output is Output.json:
        emit_json(rows)
        return
    if output is Output.csv:
        emit(rows, output, float_format=_float_format(output))
        return
    first, last = result.sessions
    short = ["method", "accuracy", "macro_f1", "recall_no", "recall_abstain", "n", "gain"]
    for subset in dict.fromkeys(r["subset"] for r in rows):
        for who, cast in (("voters", "votes cast"), ("members", "every member, absent too")):
            part = [r for r in rows if r["subset"] == subset and r["participation"] == who]
            if who == "members":
                short = [*short[:5], "recall_absent", *short[5:]]
            title = (
                f"{body}, {subset}, {cast}: trained up to s, predicted s+1, s = {first}..{last - 1}"
            )
            emit(part, output, title, columns=short, float_format=_float_format(output))
            short = [c for c in short if c != "recall_absent"]
    emit_provenance(prov, output)


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
    sponsors: Annotated[
        str | None, typer.Option("--sponsors", help="Sponsors, comma separated (ISO3 or names).")
    ] = None,
    output: FormatOpt = Output.table,
) -> None:
    """Predict each member's vote (or absence) on a draft, the expected result and the swing
    states. The model is trained once per import of votes (a progress bar shows it) and saved
    in the data folder; later calls, the API and the pages reuse it.

    CSV columns: iso3,name,p_yes,p_abstain,p_no,predicted,sponsor,p_absent.
    """
    if not like and not title:
        raise InputError("give --like SYMBOL or --title TEXT", field="like")
    named = [*(sponsor or []), *(sponsors or "").replace(";", ",").split(",")]
    s = settings()
    check_ready(s)
    with session_scope(s.database_url) as session, _training_bar(output) as tick:
        result = forecast_report(
            session, s, body, like, title, sponsors=[n for n in named if n.strip()],
            wait=True, progress=tick,
        )  # fmt: skip
    if output is Output.json:
        emit_json(result)
        return
    votes = [{c: v.get(c) for c in FORECAST_COLUMNS} for v in result["votes"]]
    if output is Output.csv:
        emit(votes, output, columns=FORECAST_COLUMNS, float_format=_float_format(output))
        return
    heading = f"forecast: {result['title']} (session {result['session']})"
    emit(votes, output, heading, columns=FORECAST_COLUMNS, float_format=_float_format(output))
    _print_summary(result)
    prov = result["provenance"]
    emit_provenance(Provenance.from_dict(prov), output)


def _print_summary(result: dict[str, object]) -> None:
    """Totals, members not counted and the swing states under the forecast table."""
    e, p = result["expected"], result["predicted"]
    assert isinstance(e, dict) and isinstance(p, dict)
    console.print(
        f"expected yes {e['yes']:.1f}, no {e['no']:.1f}, abstain {e['abstain']:.1f}, "
        f"absent {e['absent']:.1f} (margin {result['margin']:+.1f}); most likely counts "
        f"{p['yes']}-{p['no']}-{p['abstain']}, {p['absent']} absent, of {result['members']} "
        "members",
        highlight=False,
    )
    outside = result.get("sponsors_not_members")
    if outside:
        console.print(f"sponsors not members (shown, not counted): {', '.join(outside)}")  # type: ignore[arg-type]
    console.print("[bold]swing states[/]")
    for sw in result["swing"]:  # type: ignore[attr-defined]
        console.print(
            f"  {sw['iso3']} {sw['name']}: {sw['predicted']} "
            f"(yes {sw['p_yes']:.0%}, abstain {sw['p_abstain']:.0%}, no {sw['p_no']:.0%}, "
            f"absent {sw['p_absent']:.0%}); " + "; ".join(sw["reasons"]),
            highlight=False,
        )


@contextmanager
def _training_bar(output: Output) -> Iterator[Callable[[int, int], None]]:
    """A Rich progress bar on standard error while the model trains (nothing when it is
    already saved: the callback is then never called)."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    bar = Progress(
        TextColumn("training the forecast model (once per import)"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
        disable=output is not Output.table,
    )
    task: list[TaskID] = []

    def tick(done: int, total: int) -> None:
        if not task:
            bar.start()
            task.append(bar.add_task("train", total=total))
        bar.update(task[0], completed=done, total=max(total, done))

    try:
        yield tick
    finally:
        if task:
            bar.stop()
