"""Commands of the monitoring form: ``rightsdesk monitoring ...``.

Each room owns its Typer app; this one composes them, the way ``routes`` composes routers.
The rooms' commands sit side by side at ``rightsdesk monitoring COMMAND`` (search, status,
train, classify, suggest).
"""

from __future__ import annotations

import typer

from rightsdesk.monitoring.classification.cli import app as classification
from rightsdesk.monitoring.recommendations.cli import app as recommendations
from rightsdesk.monitoring.tracking.cli import app as tracking
from rightsdesk.monitoring.violations.cli import app as violations

app = typer.Typer(
    help="UN recommendations: search, classification, implementation.", no_args_is_help=True
)
for room in (classification, recommendations, tracking):
    app.add_typer(room)
app.add_typer(violations, name="violations")
