"""Users, roles, API tokens, the tamper-evident audit log and field encryption."""
