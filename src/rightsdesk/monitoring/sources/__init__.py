"""Importers of external formats for the monitoring form, one module per format.

Each module exports ``IMPORTERS``; the order here is the order ``rightsdesk load`` uses.
"""

from rightsdesk.core.importing import Importer
from rightsdesk.monitoring.sources import ohchr_thematic, pledges, upr_info

IMPORTERS: list[Importer] = [
    *upr_info.IMPORTERS,
    *ohchr_thematic.IMPORTERS,
    *pledges.IMPORTERS,
]
