"""Importer module (to be written)."""

from rightsdesk.core.importing import Importer

IMPORTERS: list[Importer] = []
