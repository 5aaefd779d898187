"""Alembic revisions of the sanctions form (branch ``sanctions``)."""
