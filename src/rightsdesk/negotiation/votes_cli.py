"""``rightsdesk negotiation agreement | cohesion | mismatches``: votes, partners and blocs.

Thin wrappers over ``negotiation.agreement`` and ``negotiation.votes_data``: each command opens
the store, asks one function and prints a Rich table, CSV or JSON (stable column names, the same
as the DataFrames', so scripts can rely on them).
"""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from typing import Annotated, Any

import pandas as pd
import typer
from rich.table import Table
from sqlalchemy import select
from sqlalchemy.orm import Session

from rightsdesk.core.cli_support import console, settings, user_errors
from rightsdesk.core.db import session_scope
from rightsdesk.core.errors import InputError, NotFoundError
from rightsdesk.core.states import Grouping, group_members, resolve_state
from rightsdesk.core.store import check_ready
from rightsdesk.negotiation import agreement as ag
from rightsdesk.negotiation.cli import negotiation_app
from rightsdesk.negotiation.votes_data import BODY_CHOICES, vote_mismatches


class Output(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


class MeasureOpt(StrEnum):
    coincidence = "coincidence"
    voeten = "voeten"


FormatOpt = Annotated[Output, typer.Option("--format", "-f", help="table, csv or json.")]
BodyOpt = Annotated[str, typer.Option("--body", help=f"Which votes: {', '.join(BODY_CHOICES)}.")]
IssueOpt = Annotated[
    str | None, typer.Option("--issue", help="Only roll calls on an issue, e.g. hr (human rights).")
]
FromOpt = Annotated[int | None, typer.Option("--from-year", help="First year (inclusive).")]
ToOpt = Annotated[int | None, typer.Option("--to-year", help="Last year (inclusive).")]


def year_range(first: int | None, last: int | None) -> tuple[int, int] | None:
    """An inclusive (first, last) year range from two optional bounds."""
    if first is None and last is None:
        return None
    low, high = first or 1900, last or 2100
    if low > high:
        raise InputError(f"--from-year {low} is after --to-year {high}", field="from-year")
    return low, high


def resolve_group(session: Session, code: str) -> list[str]:
    """Members of a grouping by code (case-insensitive), or NotFoundError naming the codes."""
    codes = {g.code.upper(): g.code for g in session.scalars(select(Grouping))}
    found = codes.get(code.strip().upper())
    if found is None:
        raise NotFoundError(f"unknown group {code!r}; known groups: {', '.join(sorted(codes))}")
    return group_members(session, found)


def _emit(frame: pd.DataFrame, output: Output, title: str) -> None:
    if output is Output.csv:
        frame.to_csv(sys.stdout, index=False, lineterminator="\n", float_format="%.4f")
        return
    if output is Output.json:
        records: list[dict[str, Any]] = json.loads(frame.to_json(orient="records"))
        typer.echo(json.dumps(records, ensure_ascii=False, indent=2))
        return
    table = Table(title=title)
    for col in frame.columns:
        table.add_column(str(col), justify="right" if frame[col].dtype.kind in "if" else "left")
    for row in frame.itertuples(index=False):
        table.add_row(*(f"{v:.3f}" if isinstance(v, float) else str(v) for v in row))
    console.print(table)


@negotiation_app.command()
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
    years = year_range(from_year, to_year)
    with session_scope(s.database_url) as session:
        frame = ag.state_agreement(
            session, iso3, others, body, issue, years, measure.value, min_votes
        )
    if frame.empty:
        raise NotFoundError("no partner has enough shared votes; widen the years or --min-votes")
    scope = f"{body}{', ' + issue if issue else ''}{f', {years[0]}-{years[1]}' if years else ''}"
    if others is None and len(frame) > 2 * top:
        frame = pd.concat([frame.head(top), frame.tail(top)], ignore_index=True)
        title = f"{iso3}: {top} closest and {top} most distant partners ({measure.value}, {scope})"
    else:
        title = f"{iso3}: agreement ({measure.value}, {scope})"
    _emit(frame, output, title)


@negotiation_app.command()
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
    years = year_range(from_year, to_year)
    with session_scope(s.database_url) as session:
        members = resolve_group(session, group)
        per_year, defect = ag.group_cohesion(session, members, body, issue, years)
    defect = defect.head(defectors)
    if output is Output.json:
        payload = {
            "group": group.upper(),
            "cohesion": json.loads(per_year.to_json(orient="records")),
            "defectors": json.loads(defect.to_json(orient="records")),
        }
        typer.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    _emit(per_year, output, f"{group.upper()}: cohesion (HNR agreement index) in {body}")
    if output is Output.table:
        _emit(defect, output, f"{group.upper()}: members most often against the group line")


@negotiation_app.command()
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
    _emit(frame, output, f"{len(found)} roll calls whose votes differ from the official totals")
