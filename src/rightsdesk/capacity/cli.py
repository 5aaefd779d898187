"""``rightsdesk capacity ...``: programmes, IATI export, CRS aid, links and coverage gaps.

Each room of the form registers its own commands; this module only assembles them, so that
``rightsdesk capacity --help`` loads no pandas or lxml.
"""

from __future__ import annotations

import typer

from rightsdesk.capacity import cli_crs, cli_iati, cli_links, cli_programmes

app = typer.Typer(
    help="Capacity building: programmes (IATI), aid (OECD CRS), links to recommendations.",
    no_args_is_help=True,
)
for _room in (cli_programmes, cli_iati, cli_crs, cli_links):
    _room.register(app)
