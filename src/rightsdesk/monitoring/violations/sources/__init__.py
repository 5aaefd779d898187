"""Import formats of violations documentation: ``events`` (a CSV of events, victims, acts,
perpetrators and sources; columns in ``events_csv``)."""

from rightsdesk.core.importing import Importer
from rightsdesk.monitoring.violations.sources import events_csv

IMPORTERS: list[Importer] = [*events_csv.IMPORTERS]
