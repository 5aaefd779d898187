"""``rightsdesk negotiation votes agreement | cohesion | mismatches``: votes, partners and blocs
(also ``rightsdesk negotiation agreement`` etc., the older paths).

Thin wrappers over ``votes.agreement`` and ``votes.frames``: each command opens the store, asks
one function and prints a Rich table, CSV or JSON (stable column names, the same as the
DataFrames', so scripts can rely on them).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import pandas as pd
import typer

from rightsdesk.core.cli_support import (
    FormatOpt,
    Output,
    emit,
    emit_json,
    settings,
    user_errors,
)
from rightsdesk.core.db import session_scope
from rightsdesk.core.errors import NotFoundError
from rightsdesk.core.periods import year_range
from rightsdesk.core.states import group_members, resolve_group, resolve_state
from rightsdesk.negotiation.votes import agreement as ag
from rightsdesk.negotiation.votes.frames import BODY_CHOICES, frame_records, vote_mismatches
from rightsdesk.store import check_ready

app = typer.Typer(
    help="UN votes: agreement between states, bloc cohesion, totals that do not add up.",
    no_args_is_help=True,
)


class MeasureOpt(StrEnum):
    coincidence = "coincidence"
    voeten = "voeten"


BodyOpt = Annotated[str, typer.Option("--body", help=f"Which votes: {', '.join(BODY_CHOICES)}.")]
IssueOpt = Annotated[
    str | None, typer.Option("--issue", help="Only roll calls on an issue, e.g. hr (human rights).")
]
FromOpt = Annotated[int | None, typer.Option("--from-year", help="First year (inclusive).")]
ToOpt = Annotated[int | None, typer.Option("--to-year", help="Last year (inclusive).")]


def years(first: int | None, last: int | None) -> tuple[int, int] | None:
    return year_range(first, last, "--from-year", "--to-year")


def show(frame: pd.DataFrame, output: Output, title: str) -> None:
    """A frame as a table (three decimals), CSV (four) or JSON records (ten)."""
    if output is Output.json:
        emit_json(frame_records(frame))
    else:
        emit(frame, output, title, float_format="{:.3f}" if output is Output.table else "{:.4f}")


@app.command("agreement")
@user_errors
def agreement(
    state: Annotated[str, typer.Argument(help="State name or code, e.g. USA or 'Brazil'.")],
    partners: Annotated[
        list[str] | None, typer.Option("--with", help="Partner state(s); repeat the option.")
    ] = None,
    body: BodyOpt = "unga",
    issue: IssueOpt = None,
    from_year: FromOpt = None,
    to_year: ToOpt = None,
    measure: Annotated[
        MeasureOpt, typer.Option("--measure", help="coincidence (State Department) or voeten.")
    ] = MeasureOpt.coincidence,
    top: Annotated[int, typer.Option("--top", help="Closest and most distant partners.")] = 10,
    min_votes: Annotated[
        int, typer.Option("--min-votes", help="Leave out partners with fewer shared votes.")
    ] = 10,
    output: FormatOpt = Output.table,
) -> None:
    """How often a state votes with others: given partners, or its closest and most distant.

    Columns: partner, agreement (0-1), votes (roll calls counted), same, opposite, partial.
    """
    s = settings()
    check_ready(s)
    iso3 = resolve_state(state)
    others = [resolve_state(p) for p in partners] if partners else None
    span = years(from_year, to_year)
    with session_scope(s.database_url) as session:
        frame = ag.state_agreement(
            session, iso3, others, body, issue, span, measure.value, min_votes
        )
    if frame.empty:
        raise NotFoundError("no partner has enough shared votes; widen the years or --min-votes")
    scope = f"{body}{', ' + issue if issue else ''}{f', {span[0]}-{span[1]}' if span else ''}"
    if others is None and len(frame) > 2 * top:
        frame = pd.concat([frame.head(top), frame.tail(top)], ignore_index=True)
        title = f"{iso3}: {top} closest and {top} most distant partners ({measure.value}, {scope})"
    else:
        title = f"{iso3}: agreement ({measure.value}, {scope})"
    show(frame, output, title)


@app.command("cohesion")
@user_errors
def cohesion(
    group: Annotated[str, typer.Argument(help="Grouping code, e.g. EU, UN-WEOG, OIC, AU.")],
    body: BodyOpt = "unga",
    issue: IssueOpt = None,
    from_year: FromOpt = None,
    to_year: ToOpt = None,
    defectors: Annotated[int, typer.Option("--defectors", help="How many defectors to list.")] = 10,
    output: FormatOpt = Output.table,
) -> None:
    """A group's voting cohesion per year (Hix-Noury-Roland index) and its top defectors.

    CSV/JSON: the per-year table (year, ai, roll_calls, voters) followed, in JSON, by the
    defectors under "defectors" (iso3, votes, defections, rate).
    """
    s = settings()
    check_ready(s)
    span = years(from_year, to_year)
    with session_scope(s.database_url) as session:
        code = resolve_group(session, group).code
        per_year, defect = ag.group_cohesion(
            session, group_members(session, code), body, issue, span
        )
    defect = defect.head(defectors)
    if output is Output.json:
        emit_json(
            {
                "group": code,
                "cohesion": frame_records(per_year),
                "defectors": frame_records(defect),
            }
        )
        return
    show(per_year, output, f"{code}: cohesion (HNR agreement index) in {body}")
    if output is Output.table:
        show(defect, output, f"{code}: members most often against the group line")


@app.command("mismatches")
@user_errors
def mismatches(
    body: BodyOpt = "hrc+chr",
    output: FormatOpt = Output.table,
) -> None:
    """Roll calls whose recorded state votes do not add up to the official totals."""
    s = settings()
    check_ready(s)
    with session_scope(s.database_url) as session:
        found = vote_mismatches(session, body)
    frame = pd.DataFrame(
        [
            {
                "roll_call_id": m.roll_call_id,
                "body": m.body,
                "symbol": m.symbol or "",
                "date": m.date,
                "official": "/".join(map(str, m.official)),
                "recorded": "/".join(map(str, m.counted)),
                "difference": "/".join(f"{d:+d}" for d in m.differences),
            }
            for m in found
        ],
        columns=["roll_call_id", "body", "symbol", "date", "official", "recorded", "difference"],
    )
    show(frame, output, f"{len(found)} roll calls whose votes differ from the official totals")
