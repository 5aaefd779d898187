"""Interventions: atrocity early warning (a risk model and the UN Framework of Analysis), event
monitoring (GDELT), and the register of responses (peacekeeping, ICC, ICJ, commissions of
inquiry, referrals) with an escalation view per state."""

from rightsdesk.core.forms import Command, Form

FORM = Form(
    name="interventions",
    migrations="rightsdesk.interventions.migrations",
    title="Interventions",
    summary="Atrocity risk, the UN Framework of Analysis, event monitoring, the register of "
    "responses and escalation options.",
    url="/interventions",
    importers=(
        "rightsdesk.interventions.risk.sources:IMPORTERS",
        "rightsdesk.interventions.events.sources:IMPORTERS",
        "rightsdesk.interventions.register.sources:IMPORTERS",
        "rightsdesk.interventions.framework.sources:IMPORTERS",
    ),
    models=(
        "rightsdesk.interventions.register.models",
        "rightsdesk.interventions.risk.models",
        "rightsdesk.interventions.framework.models",
        "rightsdesk.interventions.events.models",
    ),
    router="rightsdesk.interventions.routes:router",
    commands=(Command("interventions", "rightsdesk.interventions.cli:app"),),
    state_panels=("rightsdesk.interventions.panel:interventions_panel",),
    warmups=("rightsdesk.interventions.risk.warm:TASKS",),
)
