"""Alembic revisions of the interventions form (branch ``interventions``)."""
