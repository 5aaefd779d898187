"""Commands of the negotiation form: `rightsdesk treaties ...` and `rightsdesk negotiation ...`.

The Typer apps are defined here; the commands live in ``treaties_cli``, ``votes_cli`` and
``positions_cli``, imported at the bottom so they attach themselves to these apps.
"""

from __future__ import annotations

import typer

treaties_app = typer.Typer(
    help="Core human rights treaties: ratification matrix and gaps.", no_args_is_help=True
)
negotiation_app = typer.Typer(
    help="UN votes, blocs, state positions and vote forecasts.", no_args_is_help=True
)

from rightsdesk.negotiation import positions_cli, treaties_cli, votes_cli  # noqa: E402, F401
