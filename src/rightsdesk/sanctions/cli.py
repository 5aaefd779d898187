"""``rightsdesk sanctions ...``: lists and their history, screening, name matching, GSP+.

Each room of the form registers its own commands; this module only assembles them, so that
``rightsdesk sanctions --help`` loads no matcher, pandas or Spark.
"""

from __future__ import annotations

import typer

from rightsdesk.sanctions import cli_export, cli_gsp, cli_lists, cli_match, cli_screen

app = typer.Typer(
    help="Sanctions and rewards: lists and their history, name screening, GSP+ conditionality.",
    no_args_is_help=True,
)
for _room in (cli_lists, cli_screen, cli_match, cli_export, cli_gsp):
    _room.register(app)
