"""``rightsdesk negotiation votes agreement | cohesion | defectors | mismatches``: votes,
partners and blocs (also ``rightsdesk negotiation agreement`` etc., the older paths).

Thin wrappers over ``votes.agreement`` and ``votes.frames``: each command opens the store, asks
one function and prints a Rich table, CSV or JSON (stable column names, the same as the
DataFrames', so scripts can rely on them).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import pandas as pd
import typer
from sqlalchemy.orm import Session

from rightsdesk.core.cli_support import (
    FormatOpt,
    Output,
    emit,
    emit_json,
    emit_sources,
    err_console,
    settings,
    user_errors,
)
from rightsdesk.core.db import session_scope
from rightsdesk.core.errors import NotFoundError
from rightsdesk.core.periods import year_range
from rightsdesk.core.provenance import VOTE_KINDS
from rightsdesk.core.states import resolve_group, resolve_state
from rightsdesk.negotiation.votes import agreement as ag
from rightsdesk.negotiation.votes.frames import BODY_CHOICES, frame_records
from rightsdesk.negotiation.votes.integrity import integrity_report
from rightsdesk.store import check_ready

app = typer.Typer(
    help="UN votes: agreement between states, bloc cohesion, totals that do not add up.",
    no_args_is_help=True,
)


MISMATCH_COLUMNS = (
    "roll_call_id",
    "body",
    "symbol",
    "date",
    "official",
    "recorded",
    "difference",
    "members",
    "kind",
    "cause",
)


class RecordOpt(StrEnum):
    official = "official"
    corrected = "corrected"


RecordOption = Annotated[
    RecordOpt,
    typer.Option(
        "--record",
        help="official (as recorded, the default) or corrected (states' stated intentions).",
    ),
]


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


def listing(
    rows: list[dict[str, object]],
    columns: list[str],
    output: Output,
    title: str,
    dates: tuple[str, ...] = (),
) -> None:
    """The one way the record listings (corrections, conflicts, mismatches) print: the given
    columns in order (an empty listing keeps its header), ``dates`` as ISO text, then
    ``show``."""
    frame = pd.DataFrame([{k: r.get(k) for k in columns} for r in rows], columns=columns)
    for col in dates:
        frame[col] = frame[col].map(lambda d: d.isoformat() if d is not None else None)
    show(frame, output, title)


def show(frame: pd.DataFrame, output: Output, title: str) -> None:
    """A frame as a table (three decimals), CSV (four) or JSON records (ten)."""
    if output is Output.json:
        emit_json(frame_records(frame))
    else:
        emit(frame, output, title, float_format="{:.3f}" if output is Output.table else "{:.4f}")


#: Sessions the agreement table covers when no years are given (recent diplomacy, not 1946).
DEFAULT_SESSIONS = 10


def _default_span(session: Session, body: str) -> tuple[int, int] | None:
    """The years of the body's last ``DEFAULT_SESSIONS`` sessions (one a year), or None when
    the store has no roll call of the body."""
    from sqlalchemy import func, select

    from rightsdesk.negotiation.votes.frames import body_codes
    from rightsdesk.negotiation.votes.models import RollCall

    latest = session.scalar(
        select(func.max(RollCall.date)).where(RollCall.body.in_(body_codes(body)))
    )
    if latest is None:
        return None
    return latest.year - DEFAULT_SESSIONS + 1, latest.year


def agreement_table(frame: pd.DataFrame, measure: str) -> pd.DataFrame:
    """The table form of an agreement frame: partner names, and "shared" (the roll calls both
    voted in) = same + opposite + partial, so the counts add up on screen."""
    from rightsdesk.core.labels import state_label

    return pd.DataFrame(
        {
            "partner": [state_label(p) for p in frame["partner"]],
            measure: frame["agreement"],
            "shared": frame["same"] + frame["opposite"] + frame["partial"],
            "same": frame["same"],
            "opposite": frame["opposite"],
            "partial": frame["partial"],
        }
    )


AGREEMENT_NOTE = (
    "shared: roll calls both voted in = same + opposite + partial (one abstained). "
    "coincidence = same yes/no votes / (same yes/no + opposite); voeten also counts both "
    "abstaining and half of partial."
)


@app.command("agreement")
@user_errors
def agreement(
    state: Annotated[str, typer.Argument(help="State name or code, e.g. USA or 'Brazil'.")],
    partners: Annotated[
        list[str] | None, typer.Option("--with", help="Partner state(s); repeat the option.")
    ] = None,
    body: BodyOpt = "unga",
    issue: IssueOpt = None,
    from_year: Annotated[
        int | None,
        typer.Option("--from", "--from-year", help="First year (default: the last 10 sessions)."),
    ] = None,
    to_year: Annotated[
        int | None, typer.Option("--to", "--to-year", help="Last year (inclusive).")
    ] = None,
    measure: Annotated[
        MeasureOpt, typer.Option("--measure", help="coincidence (State Department) or voeten.")
    ] = MeasureOpt.coincidence,
    top: Annotated[int, typer.Option("--top", help="Closest and most distant partners.")] = 10,
    min_votes: Annotated[
        int, typer.Option("--min-votes", help="Leave out partners with fewer shared votes.")
    ] = 10,
    record: RecordOption = RecordOpt.official,
    output: FormatOpt = Output.table,
) -> None:
    """How often a state votes with others: given partners, or its closest and most distant.

    By default the body's last 10 sessions (years); --from/--to choose others. The table
    names partners and counts shared roll calls = same + opposite + partial. CSV and JSON
    columns: partner (ISO3), partner_name, agreement (0-1), votes (roll calls the measure
    counts), same, opposite, partial, record (official or corrected).
    """
    from rightsdesk.core.labels import body_label, state_label

    s = settings()
    check_ready(s)
    iso3 = resolve_state(state)
    others = [resolve_state(p) for p in partners] if partners else None
    span = years(from_year, to_year)
    with session_scope(s.database_url) as session:
        if span is None:
            span = _default_span(session, body)
            if span is not None and to_year is not None:
                span = (span[0], to_year)
        frame = ag.state_agreement(
            session, iso3, others, body, issue, span, measure.value, min_votes, record.value
        )
    if frame.empty:
        raise NotFoundError("no partner has enough shared votes; widen the years or --min-votes")
    scope = body_label(body) + (f", {issue}" if issue else "")
    scope += f", {span[0]}-{span[1]}" if span else ""
    scope += f", {record.value} record"
    if others is None and len(frame) > 2 * top:
        frame = pd.concat([frame.head(top), frame.tail(top)], ignore_index=True)
        what = f"{top} closest and {top} most distant partners"
    else:
        what = "agreement"
    name = state_label(iso3)
    if output is Output.table:
        show(agreement_table(frame, measure.value), output, f"{name}: {what} ({scope})")
        err_console.print(AGREEMENT_NOTE, highlight=False, style="dim")
    else:
        names = frame["partner"].map(state_label)
        frame = frame.assign(record=record.value)
        frame.insert(1, "partner_name", names)
        show(frame, output, "")
    emit_sources(s.database_url, VOTE_KINDS, "UN votes", output)


CohesionFrom = Annotated[
    int | None, typer.Option("--from", "--from-year", help="First year (inclusive).")
]
CohesionTo = Annotated[int | None, typer.Option("--to", "--to-year", help="Last year (inclusive).")]
#: The columns of ``cohesion --format json|csv`` (a contract other tools rely on).
COHESION_COLUMNS = ["year", "members", "roll_calls", "cohesion"]


def _group_cohesion(
    group: str, body: str, issue: str | None, span: tuple[int, int] | None
) -> tuple[str, pd.DataFrame, pd.DataFrame]:
    s = settings()
    check_ready(s)
    with session_scope(s.database_url) as session:
        code = resolve_group(session, group).code
        per_year, defect = ag.group_cohesion(session, code, body, issue, span)
    return code, per_year, defect


@app.command("cohesion")
@user_errors
def cohesion(
    group: Annotated[str, typer.Argument(help="Grouping code, e.g. EU, UN-WEOG, OIC, AU.")],
    body: BodyOpt = "unga",
    issue: IssueOpt = None,
    from_year: CohesionFrom = None,
    to_year: CohesionTo = None,
    defectors: Annotated[int, typer.Option("--defectors", help="How many defectors to list.")] = 10,
    output: FormatOpt = Output.table,
) -> None:
    """A group's voting cohesion per year (Hix-Noury-Roland index) with the members of each
    vote's date; the table also lists the top defectors (``votes defectors`` for those alone).

    JSON: an array of {"year", "members", "roll_calls", "cohesion"}; CSV: the same columns.
    members = states that were members at the dates of the year's roll calls (the largest
    count over them); a state's vote counts only on roll calls within its membership.
    """
    span = years(from_year, to_year)
    code, per_year, defect = _group_cohesion(group, body, issue, span)
    if output is not Output.table:
        show(per_year[COHESION_COLUMNS], output, code)
        return
    show(per_year, output, f"{code}: cohesion (agreement index) in {body}, members at each vote")
    show(defect.head(defectors), output, f"{code}: members most often against the group line")


@app.command("defectors")
@user_errors
def defectors_command(
    group: Annotated[str, typer.Argument(help="Grouping code, e.g. EU, UN-WEOG, OIC, AU.")],
    body: BodyOpt = "unga",
    issue: IssueOpt = None,
    from_year: CohesionFrom = None,
    to_year: CohesionTo = None,
    top: Annotated[int, typer.Option("--top", help="How many defectors to list.")] = 20,
    output: FormatOpt = Output.table,
) -> None:
    """Members most often voting against their group's plurality, judged only on the votes
    they cast while members. Columns: iso3, votes, defections, rate."""
    span = years(from_year, to_year)
    code, _per_year, defect = _group_cohesion(group, body, issue, span)
    show(defect.head(top), output, f"{code}: members most often against the group line")


@app.command("mismatches")
@user_errors
def mismatches(
    body: BodyOpt = "hrc+chr",
    output: FormatOpt = Output.table,
) -> None:
    """Roll calls whose official totals and recorded votes disagree, or exceed the membership,
    with the likely cause of each.

    Columns: roll_call_id, body, symbol, date, official and recorded (yes/no/abstain),
    difference (recorded minus official), members (of the body at the date), kind (mismatch,
    impossible), cause.
    """
    s = settings()
    check_ready(s)
    with session_scope(s.database_url) as session:
        found = integrity_report(session, body)
    rows: list[dict[str, object]] = [
        {
            "roll_call_id": f.roll_call_id,
            "body": f.body,
            "symbol": f.symbol or "",
            "date": f.date,
            "official": "/".join(map(str, f.official)) if f.official else "",
            "recorded": "/".join(map(str, f.recorded)),
            "difference": "/".join(f"{d:+d}" for d in f.differences) if f.differences else "",
            "members": f.members,
            "kind": "+".join(f.kinds),
            "cause": f.cause,
        }
        for f in found
    ]
    title = f"{len(found)} roll calls whose totals do not hold together ({body})"
    listing(rows, [*MISMATCH_COLUMNS], output, title)


@app.command("correct")
@user_errors
def correct(
    roll_call: Annotated[
        str, typer.Argument(help="Roll call id, or the resolution's symbol (e.g. A/RES/73/175).")
    ],
    state: Annotated[str, typer.Argument(help="State name or code, e.g. PAK.")],
    vote: Annotated[
        str, typer.Argument(help="The vote it said it meant: yes, no, abstain, absent.")
    ],
    source: Annotated[
        str, typer.Option("--source", help="Where it said so: document symbol, URL or citation.")
    ],
    stated_on: Annotated[str, typer.Option("--date", help="Date of the statement, YYYY-MM-DD.")],
    note: Annotated[str | None, typer.Option("--note", help="Anything worth adding.")] = None,
) -> None:
    """Record a vote a state later said it meant differently (audited; the record stands).

    Analyses keep reading the official record unless asked for ``--record corrected``.
    """
    from rightsdesk.core.security.audit import cli_actor
    from rightsdesk.negotiation.votes.corrections import find_roll_call, record_correction

    s = settings()
    check_ready(s)
    with session_scope(s.database_url) as session:
        rc = find_roll_call(session, roll_call)
        found = record_correction(session, cli_actor(), rc.id, state, vote, source, stated_on, note)
        line = (
            f"correction {found.id}: {found.iso3} on roll call {rc.id} recorded "
            f"{found.recorded_vote}, stated {found.intended_vote} ({found.stated_on})"
        )
    typer.echo(line)


@app.command("uncorrect")
@user_errors
def uncorrect(
    correction_id: Annotated[int, typer.Argument(help="Id of the correction to remove.")],
) -> None:
    """Remove a recorded correction (audited)."""
    from rightsdesk.core.security.audit import cli_actor
    from rightsdesk.negotiation.votes.corrections import remove_correction

    s = settings()
    check_ready(s)
    with session_scope(s.database_url) as session:
        remove_correction(session, cli_actor(), correction_id)
    typer.echo(f"correction {correction_id} removed")


CORRECTION_COLUMNS = (
    "id",
    "roll_call_id",
    "symbol",
    "vote_date",
    "iso3",
    "recorded_vote",
    "intended_vote",
    "stated_on",
    "source",
    "created_by",
)


@app.command("corrections")
@user_errors
def corrections(output: FormatOpt = Output.table) -> None:
    """Votes states later said they meant differently, newest vote first.

    Columns: id, roll_call_id, symbol, vote_date, iso3, recorded_vote, intended_vote,
    stated_on, source, created_by.
    """
    from rightsdesk.negotiation.votes.corrections import list_corrections

    s = settings()
    check_ready(s)
    with session_scope(s.database_url) as session:
        rows = list_corrections(session)
    title = f"{len(rows)} vote corrections (the official record stands)"
    listing(rows, [*CORRECTION_COLUMNS], output, title, dates=("vote_date", "stated_on"))


@app.command("show")
@user_errors
def show_resolution(
    symbol: Annotated[
        str, typer.Argument(help="A resolution's symbol in any common spelling, e.g. 68/262.")
    ],
    output: FormatOpt = Output.table,
) -> None:
    """One resolution: title, date, body, totals (absent: members that did not vote) and every
    member's vote. JSON: {symbol, title, date, body, session, totals: {yes, no, abstain,
    absent}, votes: [{iso3, vote}], provenance: {datasets, latest}}."""
    from rightsdesk.negotiation.votes.showing import show_resolution as show_one

    s = settings()
    check_ready(s)
    with session_scope(s.database_url) as session:
        found = show_one(session, symbol)
    if output is Output.json:
        emit_json(found)
        return
    t = found["totals"]
    if output is Output.table:
        typer.echo(f"{found['symbol']} ({found['date']}, {found['body']}): {found['title']}")
        typer.echo(
            f"yes {t['yes']}, no {t['no']}, abstain {t['abstain']}, "
            f"absent / non-voting {t['absent']}"
        )
    emit(found["votes"], output, found["symbol"], columns=["iso3", "vote"])
    latest = found["provenance"].get("latest")
    kinds = ", ".join(d["kind"] for d in found["provenance"]["datasets"])
    typer.echo(f"data: {kinds or 'none'}{f' (to {latest})' if latest else ''}", err=True)


@app.command("conflicts")
@user_errors
def conflicts(
    totals: Annotated[
        bool, typer.Option("--totals", help="Differing official totals instead of state votes.")
    ] = False,
    output: FormatOpt = Output.table,
) -> None:
    """Where two sources read one roll call differently (unvotes, UN_DATA, the UN Digital
    Library export): one row per state vote (or, with --totals, per roll call), both readings
    shown. Analyses use the UN Digital Library's reading where it has one."""
    from rightsdesk.negotiation.votes.conflicts import total_conflicts, vote_conflicts

    s = settings()
    check_ready(s)
    with session_scope(s.database_url) as session:
        rows = total_conflicts(session) if totals else vote_conflicts(session)
    columns = ["roll_call_id", "symbol", "date", "body"] + ([] if totals else ["iso3"])
    listing(rows, [*columns, "readings"], output, f"{len(rows)} conflicting readings")
