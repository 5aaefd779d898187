"""Capacity building: programmes, funding and activities linked to recommendations (planned)."""

from rightsdesk.core.forms import Form

FORM = Form(
    name="capacity",
    title="Capacity building",
    summary="Programmes, funding and activities (IATI).",
)
