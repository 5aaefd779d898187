"""Violations documentation: events, acts, victims, perpetrators, sources, attachments and the
responses to them, after HURIDOCS' Events Standard Formats; confidential by default.

``access.py`` is the one authorisation function every route, command and export calls;
``models.py`` the tables (sensitive fields encrypted at rest).
"""
