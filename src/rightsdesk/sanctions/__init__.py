"""Sanctions and rewards: sanctions lists, screening, dossiers, GSP+ (planned)."""

from rightsdesk.core.forms import Form

FORM = Form(
    name="sanctions",
    title="Sanctions and rewards",
    summary="Sanctions lists, screening, dossiers, GSP+.",
)
