"""Monitoring and reporting: UN mechanisms' recommendations, responses, themes, implementation."""

from rightsdesk.core.forms import Command, Form

FORM = Form(
    name="monitoring",
    migrations="rightsdesk.monitoring.migrations",
    title="Monitoring and reporting",
    summary="Recommendations of the UN mechanisms, responses, themes, implementation.",
    url="/recommendations",
    importers=(
        "rightsdesk.monitoring.recommendations.sources:IMPORTERS",
        "rightsdesk.monitoring.violations.sources:IMPORTERS",
    ),
    models=(
        "rightsdesk.monitoring.recommendations.models",
        "rightsdesk.monitoring.tracking.models",
        "rightsdesk.monitoring.classification.models",
        "rightsdesk.monitoring.violations.models",
    ),
    router="rightsdesk.monitoring.routes:router",
    commands=(Command("monitoring", "rightsdesk.monitoring.cli:app"),),
    state_panels=(
        "rightsdesk.monitoring.recommendations.routes:recommendations_panel",
        "rightsdesk.monitoring.violations.panel:violations_panel",
    ),
    services=(
        ("recommendations_of_state", "rightsdesk.monitoring.public:recommendations_of_state"),
        ("recommendations_by_keys", "rightsdesk.monitoring.public:recommendations_by_keys"),
        ("recommendations_by_ids", "rightsdesk.monitoring.public:recommendations_by_ids"),
        ("implementation_of_state", "rightsdesk.monitoring.public:implementation_of_state"),
        # documented events as a reader may see them (access decided in the violations room)
        (
            "violation_events_by_ids",
            "rightsdesk.monitoring.violations.public:violation_events_by_ids",
        ),
        (
            "violations_count_of_state",
            "rightsdesk.monitoring.violations.public:violations_count_of_state",
        ),
    ),
)
