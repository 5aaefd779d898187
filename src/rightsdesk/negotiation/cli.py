"""Commands of the negotiation form: `rightsdesk treaties ...` and `rightsdesk negotiation ...`."""

from __future__ import annotations

import typer

treaties_app = typer.Typer(
    help="Core human rights treaties: ratification matrix and gaps.", no_args_is_help=True
)
negotiation_app = typer.Typer(
    help="UN votes, blocs, state positions and vote forecasts.", no_args_is_help=True
)
