"""Sanctions and rewards: sanctions lists and their history, explainable name screening,
and trade-incentive conditionality (EU GSP+)."""

from rightsdesk.core.forms import Command, Form

FORM = Form(
    name="sanctions",
    migrations="rightsdesk.sanctions.migrations",
    title="Sanctions and rewards",
    summary="Sanctions lists (UN, US, EU, FtM) with their history, name screening, GSP+.",
    url="/sanctions",
    importers=("rightsdesk.sanctions.sources:IMPORTERS",),
    models=("rightsdesk.sanctions.models",),
    router="rightsdesk.sanctions.routes:router",
    commands=(Command("sanctions", "rightsdesk.sanctions.cli:app"),),
    state_panels=("rightsdesk.sanctions.panel:sanctions_panel",),
    warmups=("rightsdesk.sanctions.screening.warmup:TASKS",),
    services=(
        # one screening query: ScreenRequest(name=, birth_date=, nationality=, schema=,
        # threshold=, limit=) -> run_query(session, actor, req, channel) -> ScreenResponse
        # (explained hits; the query is audited, as the screening page does)
        ("screen_request", "rightsdesk.sanctions.screen_service:ScreenRequest"),
        ("screen", "rightsdesk.sanctions.screen_service:run_query"),
        # one listed entity with its designations over time
        ("entity_detail", "rightsdesk.sanctions.queries:entity_detail"),
        # what the escalation view reads: human-rights designations and regimes on a state
        (
            "human_rights_designations",
            "rightsdesk.sanctions.public_state:human_rights_designations",
        ),
        ("regimes_on_state", "rightsdesk.sanctions.public_state:regimes_on_state"),
        ("lists_coverage", "rightsdesk.sanctions.public_state:lists_coverage"),
    ),
)
