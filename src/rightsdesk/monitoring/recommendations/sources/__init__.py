"""Importers of recommendations and pledges, one module per external format.

Each module exports ``IMPORTERS``; the order here is the order ``rightsdesk load`` uses.
"""

from rightsdesk.core.importing import Importer
from rightsdesk.monitoring.recommendations.sources import ohchr_thematic, pledges, upr_info

IMPORTERS: list[Importer] = [
    *upr_info.IMPORTERS,
    *ohchr_thematic.IMPORTERS,
    *pledges.IMPORTERS,
]
