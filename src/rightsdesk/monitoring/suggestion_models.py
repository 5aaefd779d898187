"""Tables of model suggestions (themes, action category) and their review."""
