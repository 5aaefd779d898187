"""Negotiation: treaties, ratifications, UN resolutions and votes, blocs, positions, forecasts."""

from rightsdesk.core.forms import Command, Form

FORM = Form(
    name="negotiation",
    migrations="rightsdesk.negotiation.migrations",
    title="Negotiations",
    summary="Treaties and ratifications; UN votes, blocs and forecasts.",
    url="/treaties",
    importers=(
        "rightsdesk.negotiation.treaties.sources:IMPORTERS",
        "rightsdesk.negotiation.votes.sources:IMPORTERS",
    ),
    models=("rightsdesk.negotiation.treaties.models", "rightsdesk.negotiation.votes.models"),
    router="rightsdesk.negotiation.routes:router",
    commands=(
        Command("negotiation", "rightsdesk.negotiation.cli:app"),
        Command("treaties", "rightsdesk.negotiation.treaties.cli:app", alias=True),
    ),
    state_panels=(
        "rightsdesk.negotiation.treaties.routes:treaties_panel",
        "rightsdesk.negotiation.votes.routes:votes_panel",
    ),
    warmups=("rightsdesk.negotiation.warmup:TASKS",),
    services=(
        ("treaty_standings", "rightsdesk.negotiation.public_treaties:treaty_standings"),
        ("instrument_coverage", "rightsdesk.negotiation.public_treaties:instrument_coverage"),
        ("treaty_instruments", "rightsdesk.negotiation.public_treaties:treaty_instruments"),
        ("country_resolutions", "rightsdesk.negotiation.public_votes:country_resolutions"),
        ("council_vetoes_on", "rightsdesk.negotiation.public_votes:council_vetoes_on"),
        ("votes_coverage", "rightsdesk.negotiation.public_votes:votes_coverage"),
    ),
)
