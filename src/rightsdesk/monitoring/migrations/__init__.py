"""Alembic revisions of the monitoring form: branch label ``monitoring``, based on core.

The branch starts at its own base (``0004_monitoring``, ``depends_on`` core's ``0001_core``)
and is linear. ``rightsdesk.store`` explains how to add a revision.
"""
