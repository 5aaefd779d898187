"""``rightsdesk interventions framework ...``: the UN Framework of Analysis reference and the
assessments per state.

The command line is the store's operator: it sees drafts, may cite any violation event, and its
writes are audited under ``cli:<os user>``. Every input is checked before anything is written:
an unknown state exits 66, an unknown indicator, rating or evidence reference 65.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

import typer

from rightsdesk.core.cli_support import (
    Output,
    emit,
    emit_json,
    err_console,
    settings,
    user_errors,
)

app = typer.Typer(no_args_is_help=True)


class Fmt(StrEnum):
    """Output of the reading commands."""

    table = "table"
    json = "json"


FmtOpt = Annotated[Fmt, typer.Option("--format", "-f", help="table or json.")]
StateArg = Annotated[str, typer.Argument(help="The state: ISO3 code or name.")]


def _session() -> Any:
    from rightsdesk.core.db import session_scope
    from rightsdesk.store import check_ready

    s = settings()
    check_ready(s)
    return session_scope(s.database_url)


@app.command("factors")
@user_errors
def factors(output: FmtOpt = Fmt.table) -> None:
    """The 14 risk factors and their numbered indicators (UN Framework of Analysis, 2014)."""
    from rightsdesk.interventions.framework.views import factors_view

    view = factors_view()
    if output is Fmt.json:
        emit_json(view)
        return
    rows: list[dict[str, str]] = []
    for f in view["factors"]:
        crime = f", {f['crime']}" if f["crime"] else ""
        title = f"RISK FACTOR {f['number']} ({f['group']}{crime}): {f['title']}"
        rows.append({"code": str(f["number"]), "indicator": title})
        for i in f["indicators"]:
            check = " (wording to check)" if i["check"] else ""
            rows.append({"code": i["code"], "indicator": i["text"] + check})
    emit(rows, output=Output.table, title=view["short"], columns=["code", "indicator"])
    err_console.print(f"source: {view['citation']}", highlight=False)


@app.command("show")
@user_errors
def show(
    state: StateArg,
    version: Annotated[int | None, typer.Option(help="A version number (default: latest).")] = None,
    output: FmtOpt = Fmt.table,
) -> None:
    """A state's assessment: the latest version (a draft included), or ``--version N``."""
    from rightsdesk.interventions.framework.views import state_view

    with _session() as db:
        view = state_view(db, state, None, version)
    if output is Fmt.json:
        emit_json(view)
        return
    a = view["assessment"]
    if a is None:
        err_console.print(f"{view['state']} has no assessment yet")
        return
    period = f", evidence {a['period_start'] or '…'} to {a['period_end'] or '…'}"
    typer.echo(
        f"{a['state']} ({a['iso3']}): version {a['version']}, {a['status']}, assessed on "
        f"{a['assessed_on']} by {a['author']}"
        + (period if a["period_start"] or a["period_end"] else "")
    )
    rows = [
        {
            "code": i["code"],
            "rating": i["rating_label"],
            "note": i["note"] or "",
            "evidence": "; ".join(e["label"] for e in i["evidence"]),
        }
        for f in a["factors"]
        for i in f["indicators"]
        if i["rating"] != "not-assessed"
    ]
    emit(rows, Output.table, title=f"Rated indicators ({a['indicators_rated']})",
         columns=["code", "rating", "note", "evidence"])  # fmt: skip
    factor_rows = [
        {"factor": f"{f['number']}. {f['title']}", "strongest": f["strongest_label"],
         "rated": f["rated"]} for f in a["factors"]
    ]  # fmt: skip
    emit(factor_rows, Output.table, title="Risk factors: strongest indicator rating")


@app.command("rate")
@user_errors
def rate(
    state: StateArg,
    indicator: Annotated[str, typer.Argument(help='The indicator number, e.g. "7.14".')],
    rating: Annotated[str, typer.Argument(help="not-present, low, moderate, high, not-assessed")],
    note: Annotated[str | None, typer.Option(help="Why this rating.")] = None,
    evidence: Annotated[
        list[str] | None,
        typer.Option(
            help="KIND:REF, repeatable: violation-event:ID, recommendation:ID, vote:ID|SYMBOL, "
            "gdelt-month:YYYY-MM, register-entry:ID, url:https://..."
        ),
    ] = None,
) -> None:
    """Rate one indicator on the state's draft (a new version is started when the latest one
    is final). Evidence is added to what the rating already has."""
    from rightsdesk.core.security.audit import cli_actor
    from rightsdesk.interventions.framework.evidence import parse_evidence
    from rightsdesk.interventions.framework.service import rate as do_rate

    items = [parse_evidence(e) for e in evidence or []]
    with _session() as db:
        r = do_rate(db, cli_actor(), state, indicator, rating, note, items)
        version, iso3 = r.assessment.version, r.assessment.state_iso3
        line = f"{iso3} version {version} (draft): {r.indicator} rated {r.rating}"
        line += f", {len(r.evidence)} evidence link(s)"
    typer.echo(line)


@app.command("finalise")
@user_errors
def finalise(state: StateArg) -> None:
    """Make the state's draft final, dated today; the next rating starts a new version."""
    from rightsdesk.core.security.audit import cli_actor
    from rightsdesk.interventions.framework.service import finalise as do_finalise

    with _session() as db:
        a = do_finalise(db, cli_actor(), state)
        line = f"{a.state_iso3} version {a.version} is final, assessed on {a.assessed_on}"
    typer.echo(line)


@app.command("history")
@user_errors
def history(state: StateArg, output: FmtOpt = Fmt.table) -> None:
    """Every version of a state's assessment, newest first, with what each changed."""
    from rightsdesk.interventions.framework.views import state_view

    with _session() as db:
        view = state_view(db, state, None)
        rows = view["history"]
        changes = {}
        for row in rows:
            v = state_view(db, state, None, int(row["version"]))["assessment"]
            changes[row["version"]] = len(v["changes"]) if v else 0
    for row in rows:
        row["changed_indicators"] = changes[row["version"]]
    if output is Fmt.json:
        emit_json(rows)
        return
    if not rows:
        err_console.print(f"{view['state']} has no assessment yet")
        return
    table = [
        {"version": r["version"], "status": r["status"], "assessed_on": r["assessed_on"],
         "author": r["author"], "rated": r["indicators_rated"],
         "changed": r["changed_indicators"]} for r in rows
    ]  # fmt: skip
    emit(table, Output.table, title=f"Assessments of {view['state']}")
