"""Alembic migrations: every schema change of the store, applied by `rightsdesk init`."""
