"""The capacity form's import formats, in load order (codelists before the activities that
use their codes)."""

from __future__ import annotations

from rightsdesk.capacity.sources import crs, rates
from rightsdesk.capacity.sources.codelists import CodelistImporter
from rightsdesk.capacity.sources.iati import IatiImporter
from rightsdesk.core.importing import Importer

IMPORTERS: list[Importer] = [CodelistImporter(), IatiImporter()]
IMPORTERS += crs.IMPORTERS + rates.IMPORTERS  # after the IATI ones (helper C)
