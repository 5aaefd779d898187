"""Importers of external formats for the negotiation form, one module per format.

Each module exports ``IMPORTERS``; the order here is the order ``rightsdesk load`` uses.
"""

from rightsdesk.core.importing import Importer
from rightsdesk.negotiation.sources import hrc, untc, untreaties, unvotes

IMPORTERS: list[Importer] = [
    *untc.IMPORTERS,
    *untreaties.IMPORTERS,
    *unvotes.IMPORTERS,
    *hrc.IMPORTERS,
]
