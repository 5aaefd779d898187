"""Commands of violations documentation: ``rightsdesk monitoring violations ...``.

The command line acts as the store's operator (``access.Principal.cli``): it holds the key
file, so it reads what an admin reads, and every write and export is audited under its name.
"""

from __future__ import annotations

import typer

from rightsdesk.monitoring.violations import cli_dossier, cli_export, cli_records

app = typer.Typer(
    help="Documented violations: events, victims, perpetrators, exports, dossiers.",
    no_args_is_help=True,
)
for part in (cli_records, cli_export, cli_dossier):
    app.add_typer(part.app)
