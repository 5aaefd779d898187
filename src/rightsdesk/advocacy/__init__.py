"""Advocacy: country briefs, recommendations drafted from evidence, campaigns (planned)."""

from rightsdesk.core.forms import Form

FORM = Form(
    name="advocacy",
    title="Advocacy",
    summary="Country briefs, recommendations from evidence, campaigns.",
)
