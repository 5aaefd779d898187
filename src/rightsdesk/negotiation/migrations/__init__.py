"""Alembic revisions of the negotiation form: branch label ``negotiation``, based on core.

The branch starts at its own base (``0002_treaties``, ``depends_on`` core's ``0001_core``) and
is linear. ``rightsdesk.store`` explains how to add a revision.
"""
