"""Import formats of the events room."""

from rightsdesk.core.importing import Importer
from rightsdesk.interventions.events.sources.gdelt import GdeltEventsImporter

IMPORTERS: list[Importer] = [GdeltEventsImporter()]
