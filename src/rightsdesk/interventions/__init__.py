"""Interventions: early warning, escalation, cases, missions (planned)."""

from rightsdesk.core.forms import Form

FORM = Form(
    name="interventions",
    title="Interventions",
    summary="Early warning, escalation, cases, missions.",
)
