"""``rightsdesk states list | resolve NAME``: the states rightsdesk knows, and the one resolver.

``states resolve`` is a contract scripts rely on: it prints ``ISO3<TAB>UN short name`` and exits
0; a name that could mean several states exits 65 with the candidates on standard error (one
``ISO3<TAB>name`` a line); an unknown name exits 66 with a message on standard error. Plain
``print`` (not Rich), so no line is ever wrapped or coloured.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from rightsdesk.core.cli_support import FormatOpt, Output, emit, emit_json, user_errors
from rightsdesk.core.errors import UnknownStateError
from rightsdesk.core.limits import StateNameError

app = typer.Typer(
    help="States: list them, or resolve a name or code (UN names, aliases, ISO2/ISO3, COW).",
    invoke_without_command=True,
)

EXIT_AMBIGUOUS = 65
EXIT_UNKNOWN = 66


def _records() -> list[dict[str, object]]:
    from rightsdesk.core.resolver import reference_states

    rows = sorted(reference_states().values(), key=lambda r: r.name)
    return [
        {
            "iso3": r.iso3,
            "iso2": r.iso2 or "",
            "name": r.name,
            "official_name": r.official_name or "",
            "status": r.status,
            "cow": r.cow_code or "",
            "un_member_from": r.un_member_from or "",
        }
        for r in rows
    ]


def _list(output: Output) -> None:
    import pandas as pd

    records = _records()
    if output is Output.json:
        emit_json(records)
    else:
        emit(pd.DataFrame(records), output, f"{len(records)} states")


@app.callback()
def states(ctx: typer.Context) -> None:
    """With no command: list every state (as ``states list``)."""
    if ctx.invoked_subcommand is None:
        _list(Output.table)


@app.command("list")
@user_errors
def list_states(output: FormatOpt = Output.table) -> None:
    """Every state: ISO codes, UN short and formal names, status, COW code, UN member since."""
    _list(output)


@app.command("resolve")
@user_errors
def resolve(
    name: Annotated[str, typer.Argument(help="A name or code: 'Iran (Islamic Republic of)', NO.")],
) -> None:
    """Print ``ISO3<TAB>UN short name``; exit 65 (candidates on stderr) for an ambiguous name
    such as "Korea", 66 for an unknown one."""
    from rightsdesk.core.resolver import AmbiguousStateError, get_resolver, reference_states

    try:
        iso3 = get_resolver().resolve(name)
    except AmbiguousStateError as exc:
        print(f"ambiguous: {name!r} could mean:", file=sys.stderr)
        for code, label in exc.candidates:
            print(f"{code}\t{label}", file=sys.stderr)
        raise typer.Exit(EXIT_AMBIGUOUS) from None
    except StateNameError:
        raise  # too long or control characters: bad input, exit 65 (``user_errors``)
    except UnknownStateError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        raise typer.Exit(EXIT_UNKNOWN) from None
    print(f"{iso3}\t{reference_states()[iso3].name}")
