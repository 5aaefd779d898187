"""Import formats of violations documentation (helper H3 fills ``IMPORTERS``)."""

from rightsdesk.core.importing import Importer

IMPORTERS: list[Importer] = []
