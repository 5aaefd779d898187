"""Alembic revisions of the capacity form (branch label ``capacity``)."""
