"""Import formats of the framework room."""

from rightsdesk.core.importing import Importer

IMPORTERS: list[Importer] = []
