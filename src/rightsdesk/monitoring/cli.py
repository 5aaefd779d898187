"""Commands of the monitoring form: `rightsdesk monitoring ...`.

The Typer app is defined here; commands live in ``recommendations_cli`` and
``classification_cli``, imported at the bottom so they attach themselves to it.
"""

from __future__ import annotations

import typer

app = typer.Typer(
    help="UN recommendations: search, classification, implementation.", no_args_is_help=True
)

from rightsdesk.monitoring import classification_cli, recommendations_cli  # noqa: E402, F401
