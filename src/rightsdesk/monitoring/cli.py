"""Commands of the monitoring form: `rightsdesk monitoring ...`."""

from __future__ import annotations

import typer

app = typer.Typer(
    help="UN recommendations: search, classification, implementation.", no_args_is_help=True
)
