"""``rightsdesk treaties ...``: the ratification matrix, a state's gaps, instruments, reservations.

Thin wrappers over ``negotiation.treaties``: each command opens the store, asks one service
function and prints a Rich table, CSV or JSON. CSV and JSON layouts are stable (scripts and
spreadsheets depend on them) and described in each command's ``--help``.
"""

from __future__ import annotations

import csv
import json
import sys
from enum import StrEnum
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from rightsdesk.core.cli_support import console, settings, user_errors
from rightsdesk.core.db import session_scope
from rightsdesk.core.store import check_ready
from rightsdesk.negotiation import treaties as svc
from rightsdesk.negotiation.cli import treaties_app

_STYLE = {
    "ratified": "black on green3",
    "acceded": "black on green3",
    "succeeded": "black on green3",
    "signed": "black on yellow",
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


class Output(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


FormatOpt = Annotated[Output, typer.Option("--format", "-f", help="table, csv or json.")]


def _write_csv(header: list[str], rows: list[list[Any]]) -> None:
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(["" if v is None else v for v in row] for row in rows)


def _echo_json(data: object) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


@treaties_app.command()
@user_errors
def matrix(
    output: FormatOpt = Output.table,
    group: Annotated[
        str | None, typer.Option("--group", "-g", help="Only members of a grouping, e.g. UN-WEOG.")
    ] = None,
    long: Annotated[
        bool, typer.Option("--long", help="CSV/JSON: one row per state x instrument, with dates.")
    ] = False,
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
    """
    s = settings()
    check_ready(s)
    with session_scope(s.database_url) as session:
        if long:
            records = svc.ratification_records(session, group and svc.check_group(session, group))
            rows = [
                [rec[c] for c in LONG_COLUMNS] for rec in svc.plain_records(records[LONG_COLUMNS])
            ]
        else:
            payload = svc.matrix_payload(session, group)
    if long:
        if output is Output.json:
            _echo_json([dict(zip(LONG_COLUMNS, row, strict=True)) for row in rows])
        else:
            _write_csv(LONG_COLUMNS, rows)
        return
    shorts: list[str] = payload["instruments"]
    states: list[dict[str, Any]] = payload["states"]
    if output is Output.csv:
        _write_csv(
            ["iso3", "state", *shorts],
            [
                [st["iso3"], st["state"], *(st["cells"][x]["status"] for x in shorts)]
                for st in states
            ],
        )
    elif output is Output.json:
        _echo_json(payload)
    else:
        table = Table(
            title="ratification matrix" + (f" ({payload['group']})" if group else ""),
            caption="R ratified · A acceded · D succeeded · s signed only · · none",
        )
        table.add_column("state", no_wrap=True, min_width=20, max_width=40)
        for short in shorts:
            table.add_column(short, justify="center", no_wrap=True, min_width=len(short))
        for st in states:
            cells = [st["cells"][x]["status"] for x in shorts]
            table.add_row(
                f"{st['state']} ({st['iso3']})",
                *(f"[{_STYLE[c]}]{svc.STATUS_LETTER[c]}[/]" for c in cells),
            )
        table.add_row("[bold]parties[/]", *(str(payload["parties"][x]) for x in shorts))
        # 19 columns do not fit 80 characters: keep the headers whole and let the terminal
        # scroll (``--format csv`` is there for narrow screens and spreadsheets).
        Console(file=sys.stdout, width=max(console.width, 320)).print(table, crop=False)


@treaties_app.command()
@user_errors
def gaps(
    state: Annotated[str, typer.Argument(help="ISO3/ISO2 code, COW code or name of the state.")],
    output: FormatOpt = Output.table,
) -> None:
    """Instruments a state is not party to; a signature alone counts as a gap (and says so).

    CSV columns: instrument,name,signed,signature_date,note.
    """
    s = settings()
    check_ready(s)
    with session_scope(s.database_url) as session:
        info = svc.state_treaties(session, state)
    if output is Output.json:
        _echo_json(
            {"iso3": info.iso3, "state": info.name, "gaps": [g.to_dict() for g in info.gaps]}
        )
        return
    if output is Output.csv:
        _write_csv(
            ["instrument", "name", "signed", "signature_date", "note"],
            [
                [g.instrument, g.name, g.signed, g.to_dict()["signature_date"], g.note]
                for g in info.gaps
            ],
        )
        return
    parties = sum(c.is_party for c in info.cells)
    table = Table(title=f"{info.name} ({info.iso3}): {len(info.gaps)} gap(s), party to {parties}")
    table.add_column("instrument")
    table.add_column("name")
    table.add_column("standing")
    for gap in info.gaps:
        table.add_row(gap.instrument, gap.name, gap.note)
    console.print(table)


@treaties_app.command("list")
@user_errors
def list_(output: FormatOpt = Output.table) -> None:
    """The 18 core instruments with their monitoring body and number of states parties.

    CSV columns: short,name,kind,parent,mtdsg_no,body,adopted,entry_into_force,parties,signed.
    """
    s = settings()
    check_ready(s)
    with session_scope(s.database_url) as session:
        instruments = svc.list_instruments(session)
        counts = svc.party_counts(session)
        signed = svc.signatory_counts(session)
    header = [
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
    rows = [
        [
            i.short,
            i.name,
            i.kind,
            i.parent_short,
            i.mtdsg_no,
            i.body,
            i.adopted.isoformat(),
            i.entry_into_force.isoformat() if i.entry_into_force else None,
            counts[i.short],
            signed[i.short],
        ]
        for i in instruments
    ]
    if output is Output.csv:
        _write_csv(header, rows)
    elif output is Output.json:
        _echo_json([dict(zip(header, row, strict=True)) for row in rows])
    else:
        table = Table(title="core international human rights instruments")
        for col in ("short", "name", "body", "adopted", "in force", "parties", "signed only"):
            table.add_column(col, justify="right" if col in ("parties", "signed only") else "left")
        for r in rows:
            table.add_row(*(str(r[k] or "") for k in (0, 1, 5, 6, 7)), str(r[8]), str(r[9]))
        console.print(table)


@treaties_app.command()
@user_errors
def reservations(
    state: Annotated[str, typer.Argument(help="ISO3/ISO2 code, COW code or name of the state.")],
    instrument: Annotated[
        str | None, typer.Option("--instrument", "-i", help="Only this instrument, e.g. CAT.")
    ] = None,
    output: FormatOpt = Output.table,
) -> None:
    """A state's reservations and declarations, per instrument.

    CSV columns: iso3,instrument,ordinal,refers_to,text,dataset_id.
    """
    from rightsdesk.core.states import get_state

    s = settings()
    check_ready(s)
    with session_scope(s.database_url) as session:
        found = get_state(session, state)
        items = svc.list_reservations(session, found.iso3, instrument)
        name, iso3 = found.name, found.iso3
    rows = [
        [r.iso3, r.instrument_short, r.ordinal, r.refers_to, r.text, r.dataset_id] for r in items
    ]
    header = ["iso3", "instrument", "ordinal", "refers_to", "text", "dataset_id"]
    if output is Output.csv:
        _write_csv(header, rows)
    elif output is Output.json:
        _echo_json([dict(zip(header, row, strict=True)) for row in rows])
    elif not rows:
        console.print(f"no reservations or declarations recorded for {name} ({iso3})")
    else:
        table = Table(title=f"{name} ({iso3}): reservations and declarations", show_lines=True)
        table.add_column("instrument")
        table.add_column("text")
        for r in rows:
            text = f"(see {r[3]}) {r[4]}" if r[3] else str(r[4])
            table.add_row(str(r[1]), text)
        console.print(table)
