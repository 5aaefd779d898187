"""Commands of the interventions form: ``rightsdesk interventions ...``.

The risk model's commands sit at the top (``backtest``, ``forecast``); the other rooms have
their own groups (``framework``, ``events``, ``register``).
"""

from __future__ import annotations

import typer

from rightsdesk.interventions.escalation.cli import app as escalation
from rightsdesk.interventions.events.cli import app as events
from rightsdesk.interventions.framework.cli import app as framework
from rightsdesk.interventions.register.cli import app as register
from rightsdesk.interventions.risk.cli import app as risk

app = typer.Typer(
    help="Atrocity risk, Framework of Analysis, event monitoring, register of responses.",
    no_args_is_help=True,
)
app.add_typer(risk)
app.add_typer(framework, name="framework", help="UN Framework of Analysis assessments.")
app.add_typer(events, name="events", help="GDELT event monitoring.")
app.add_typer(register, name="register", help="The register of responses.")
app.add_typer(escalation, name="escalation", help="Responses so far and next options.")
