"""``rightsdesk negotiation treaties ...`` (alias ``rightsdesk treaties ...``): the ratification
matrix, a state's gaps, instruments, reservations.

Thin wrappers over ``treaties.matrix`` and ``treaties.service``: each command opens the store,
asks one service function and prints a Rich table, CSV or JSON. CSV and JSON layouts are stable
(scripts and spreadsheets depend on them) and described in each command's ``--help``.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich import box
from rich.console import Console
from rich.table import Table

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
from rightsdesk.core.provenance import TREATY_KINDS
from rightsdesk.core.states import get_state, resolve_group
from rightsdesk.negotiation.treaties import actions as acts
from rightsdesk.negotiation.treaties import matrix as mx
from rightsdesk.negotiation.treaties import service as svc
from rightsdesk.store import check_ready

app = typer.Typer(
    help="Core human rights treaties: ratification matrix and gaps.", no_args_is_help=True
)

_STYLE = {
    "ratified": "black on green3",
    "acceded": "black on green3",
    "succeeded": "black on green3",
    "signed": "black on yellow",
    "denounced": "black on red",
    "none": "dim",
}
LONG_COLUMNS = [
    "iso3",
    "state",
    "instrument",
    "status",
    "consent_type",
    "signature_date",
    "consent_date",
    "dataset_id",
]
GAP_COLUMNS = ["instrument", "name", "signed", "signature_date", "note"]
LIST_COLUMNS = [
    "short",
    "name",
    "kind",
    "parent",
    "mtdsg_no",
    "body",
    "adopted",
    "entry_into_force",
    "parties",
    "signed",
]
RESERVATION_COLUMNS = ["iso3", "instrument", "ordinal", "refers_to", "text", "dataset_id"]
StateArg = Annotated[str, typer.Argument(help="ISO3/ISO2 code, COW code or name of the state.")]


@app.command("matrix")
@user_errors
def matrix(
    output: FormatOpt = Output.table,
    group: Annotated[
        str | None, typer.Option("--group", "-g", help="Only members of a grouping, e.g. UN-WEOG.")
    ] = None,
    long: Annotated[
        bool, typer.Option("--long", help="CSV/JSON: one row per state x instrument, with dates.")
    ] = False,
    layer: Annotated[
        str,
        typer.Option(
            "--layer",
            "-l",
            help="What each cell shows: status, competence, complaints or reservations.",
        ),
    ] = "status",
) -> None:
    """Who is party to which of the 18 core instruments.

    Table: one letter per cell (R ratified, A acceded, D succeeded, s signed, · none) and a
    last row with the number of parties.

    Status codes: ratified, acceded, succeeded (all three = party; acceptance and approval
    count as ratified), signed (signature only: not a party), none.

    CSV (wide, default): columns iso3,state then one column per instrument short name in
    catalogue order (ICERD,ICCPR,ICCPR-OP1,ICCPR-OP2,ICESCR,OP-ICESCR,CEDAW,OP-CEDAW,CAT,
    OP-CAT,CRC,OP-CRC-AC,OP-CRC-SC,OP-CRC-IC,ICMW,CRPD,OP-CRPD,CPED), each holding the status
    code; one row per state, sorted by name. CSV with --long: columns iso3,state,instrument,
    status,consent_type,signature_date,consent_date,dataset_id (ISO dates, empty if unknown).
    JSON: {"group", "instruments": [...], "parties": {short: count}, "dataset_ids": [...],
    "states": [{iso3, state, cells: {short: {status, party, signature_date, consent_date,
    consent_type, dataset_id}}}]}, or with --long a list of the long CSV's records.

    --layer: competence (articles whose competence declarations are in force, e.g. "21,22";
    "-20" an inquiry opt-out), complaints ("accepts" where the individual-complaint procedure
    is accepted), reservations (number of reservations/declarations in force); the wide CSV
    then holds that text in each instrument column, and the JSON cells a "value".
    """
    s = settings()
    check_ready(s)
    with session_scope(s.database_url) as session:
        if long:
            code = resolve_group(session, group).code if group else None
            records = mx.plain_records(mx.ratification_records(session, code)[LONG_COLUMNS])
        else:
            payload = mx.matrix_payload(session, group, layer)
    if long:  # the long layout is for scripts: CSV unless JSON is asked for
        emit(records, Output.json if output is Output.json else Output.csv, columns=LONG_COLUMNS)
        return
    shorts: list[str] = payload["instruments"]
    rows = [
        {"iso3": st["iso3"], "state": st["state"]} | {x: st["cells"][x]["value"] for x in shorts}
        for st in payload["states"]
    ]
    if output is Output.json:
        emit_json(payload)
    elif output is Output.csv:
        emit(rows, output, columns=["iso3", "state", *shorts])
    else:
        table = Table(
            title="ratification matrix" + (f" ({payload['group']})" if group else ""),
            caption="R ratified · A acceded · D succeeded · s signed only · x denounced · · none"
            if layer == "status"
            else f"layer: {layer}",
        )
        table.add_column("state", no_wrap=True, min_width=20, max_width=40)
        for short in shorts:
            table.add_column(short, justify="center", no_wrap=True, min_width=len(short))
        for row in rows:
            if layer != "status":
                table.add_row(f"{row['state']} ({row['iso3']})", *(str(row[x]) for x in shorts))
                continue
            table.add_row(
                f"{row['state']} ({row['iso3']})",
                *(f"[{_STYLE[row[x]]}]{mx.STATUS_LETTER[row[x]]}[/]" for x in shorts),
            )
        table.add_row("[bold]parties[/]", *(str(payload["parties"][x]) for x in shorts))
        # 19 columns do not fit 80 characters: keep the headers whole and let the terminal
        # scroll (``--format csv`` is there for narrow screens and spreadsheets).
        Console(file=sys.stdout, width=max(console.width, 320)).print(table, crop=False)
        emit_sources(s.database_url, TREATY_KINDS, "treaty actions", output)


@app.command("gaps")
@user_errors
def gaps(
    state: StateArg,
    output: FormatOpt = Output.table,
    complaints: Annotated[
        bool,
        typer.Option(
            "--not-accepting-complaints",
            help="List the individual-complaint procedures the state does not accept instead.",
        ),
    ] = False,
) -> None:
    """Instruments a state is not party to; a signature alone counts as a gap (and says so).

    CSV columns: instrument,name,signed,signature_date,note. With --not-accepting-complaints:
    procedure,instrument,article,note (ICERD art. 14, ICCPR-OP1, OP-ICESCR, OP-CEDAW, CAT
    art. 22, OP-CRC-IC, ICMW art. 77, OP-CRPD, CPED art. 31 not accepted).
    """
    s = settings()
    check_ready(s)
    if complaints:
        with session_scope(s.database_url) as session:
            found = get_state(session, state)
            name, iso3 = found.name, found.iso3
            missing = acts.complaint_gaps(session, iso3)
        if output is not Output.table:
            emit(missing, output, columns=["procedure", "instrument", "article", "note"])
            return
        table = Table(title=f"{name} ({iso3}): {len(missing)} complaint procedure(s) not accepted")
        table.add_column("procedure")
        table.add_column("why")
        for missed in missing:
            table.add_row(missed["procedure"], missed["note"])
        console.print(table)
        return
    with session_scope(s.database_url) as session:
        info = svc.state_treaties(session, state)
    rows = [g.to_dict() for g in info.gaps]
    if output is Output.json:
        emit_json({"iso3": info.iso3, "state": info.name, "gaps": rows})
        return
    if output is Output.csv:
        emit(rows, output, columns=GAP_COLUMNS)
        return
    parties = sum(c.is_party for c in info.cells)
    table = Table(title=f"{info.name} ({info.iso3}): {len(info.gaps)} gap(s), party to {parties}")
    table.add_column("instrument")
    table.add_column("name")
    table.add_column("standing")
    for gap in info.gaps:
        table.add_row(gap.instrument, gap.name, gap.note)
    console.print(table)


@app.command("list")
@user_errors
def list_(output: FormatOpt = Output.table) -> None:
    """The 18 core instruments with their monitoring body and number of states parties.

    CSV columns: short,name,kind,parent,mtdsg_no,body,adopted,entry_into_force,parties,signed.
    """
    s = settings()
    check_ready(s)
    with session_scope(s.database_url) as session:
        facts = svc.instrument_list(session)
    rows = [{**f, "signed": f["signed_only"]} for f in facts]
    if output is not Output.table:
        emit(rows, output, columns=LIST_COLUMNS)
        return
    # 80 columns: the name wraps, dates and numbers never do (nor are they cut)
    table = Table(
        title="core international human rights instruments",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        collapse_padding=True,
    )
    table.add_column("short", overflow="fold", max_width=10)
    table.add_column("name", overflow="fold", min_width=12, ratio=1)
    table.add_column("body", overflow="fold", max_width=8)
    table.add_column("adopted", no_wrap=True, min_width=10)
    table.add_column("in force", no_wrap=True, min_width=10)
    table.add_column("parties", justify="right", no_wrap=True)
    table.add_column("signed", justify="right", no_wrap=True)
    for r in rows:
        table.add_row(
            *(str(r[k] or "") for k in ("short", "name", "body", "adopted", "entry_into_force")),
            str(r["parties"]),
            str(r["signed"]),
        )
    console.print(table)


@app.command("reservations")
@user_errors
def reservations(
    state: StateArg,
    instrument: Annotated[
        str | None, typer.Option("--instrument", "-i", help="Only this instrument, e.g. CAT.")
    ] = None,
    output: FormatOpt = Output.table,
) -> None:
    """A state's reservations and declarations, per instrument.

    CSV columns: iso3,instrument,ordinal,refers_to,text,dataset_id.
    """
    s = settings()
    check_ready(s)
    with session_scope(s.database_url) as session:
        found = get_state(session, state)
        items = svc.list_reservations(session, found.iso3, instrument)
        name, iso3 = found.name, found.iso3
        rows = [
            {
                "iso3": r.iso3,
                "instrument": r.instrument_short,
                "ordinal": r.ordinal,
                "refers_to": r.refers_to,
                "text": r.text,
                "dataset_id": r.dataset_id,
            }
            for r in items
        ]
    if output is not Output.table:
        emit(rows, output, columns=RESERVATION_COLUMNS)
    elif not rows:
        console.print(f"no reservations or declarations recorded for {name} ({iso3})")
    else:
        table = Table(title=f"{name} ({iso3}): reservations and declarations", show_lines=True)
        table.add_column("instrument")
        table.add_column("text")
        for r in rows:
            text = f"(see {r['refers_to']}) {r['text']}" if r["refers_to"] else str(r["text"])
            table.add_row(str(r["instrument"]), text)
        console.print(table)


@app.command("status")
@user_errors
def status(state: StateArg, output: FormatOpt = Output.table) -> None:
    """A state's standing towards each instrument: status, dates, denunciation, competence
    declarations in force and reservations.

    JSON (stable): a list, one object per instrument in catalogue order, {"instrument",
    "status", "signature", "consent", "consent_type", "denunciation", "competence":
    [{"article", "procedure", "date"}], "reservations": [{"kind", "articles", "date",
    "withdrawn"}]}; dates ISO 8601 or null; status e.g. "ratified", "signed", "none",
    "denounced (effective 2000-06-27)", "ratified (until 1990-10-03, end of state)";
    denunciation = the date the last denunciation took effect. CSV: the same without the
    two lists, plus their counts.
    """
    s = settings()
    check_ready(s)
    with session_scope(s.database_url) as session:
        found = get_state(session, state)
        name, iso3 = found.name, found.iso3
        rows = acts.state_status(session, iso3)
        complaints = acts.accepted_complaints(session, iso3)
    if output is Output.json:
        emit_json(rows)
        return
    flat = [
        {
            **{k: v for k, v in r.items() if k not in ("competence", "reservations")},
            "competence": ";".join(f"{c['article']} {c['procedure']}" for c in r["competence"]),
            "reservations": len(r["reservations"]),
        }
        for r in rows
    ]
    if output is Output.csv:
        emit(flat, output, columns=list(acts.STATUS_JSON_KEYS))
        return
    table = Table(title=f"{name} ({iso3}): treaty status")
    for col in ("instrument", "status", "signature", "consent", "competence", "reservations"):
        table.add_column(col)
    for r in flat:
        consent = f"{r['consent'] or ''} {r['consent_type'] or ''}".strip()
        table.add_row(
            str(r["instrument"]),
            str(r["status"]),
            str(r["signature"] or ""),
            consent,
            str(r["competence"]),
            str(r["reservations"] or ""),
        )
    # keep each status on one line ("denounced (effective 2000-06-27)"): scroll, do not wrap
    Console(file=sys.stdout, width=max(console.width, 160)).print(table, crop=False)
    console.print(
        "accepts individual complaints under: " + (", ".join(complaints) or "none recorded")
    )


@app.command("declarations")
@user_errors
def declarations(
    instrument: Annotated[
        str | None, typer.Option("--instrument", "-i", help="Only this instrument, e.g. CAT.")
    ] = None,
    output: FormatOpt = Output.table,
) -> None:
    """Every declaration recognising a committee's competence or accepting a procedure
    (ICERD art. 14, CAT arts. 21/22 and art. 20 once an opt-out is withdrawn, ICCPR art. 41,
    CPED arts. 31/32, ICMW arts. 76/77, OP-ICESCR arts. 10/11...), one row each.

    CSV columns (stable): iso3,instrument,article,procedure,date,withdrawn; procedure is
    individual, inter-state or inquiry; dates ISO 8601, empty when unknown or not withdrawn.
    """
    s = settings()
    check_ready(s)
    with session_scope(s.database_url) as session:
        rows = acts.declaration_rows(session, instrument)
    emit(rows, output, title="competence declarations", columns=acts.DECLARATION_COLUMNS)
