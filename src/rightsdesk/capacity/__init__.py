"""Capacity building: programmes, funding and activities linked to the recommendations served."""

from rightsdesk.core.forms import Command, Form

FORM = Form(
    name="capacity",
    migrations="rightsdesk.capacity.migrations",
    title="Capacity building",
    summary="Programmes, funding and partners (IATI) linked to recommendations; coverage gaps.",
    url="/capacity",
    importers=("rightsdesk.capacity.sources:IMPORTERS",),
    models=("rightsdesk.capacity.models",),
    router="rightsdesk.capacity.routes:router",
    commands=(Command("capacity", "rightsdesk.capacity.cli:app"),),
    state_panels=("rightsdesk.capacity.panel:capacity_panel",),
)
