"""Importers of treaty formats, one module per format; ``IMPORTERS`` in ``rightsdesk load`` order
(the fullest source first; ``untc.SOURCE_RANK`` decides whichever is imported first)."""

from rightsdesk.core.importing import Importer
from rightsdesk.negotiation.treaties.sources import ohchr, untc, untc_status, untreaties

IMPORTERS: list[Importer] = [
    *untc_status.IMPORTERS,
    *untc.IMPORTERS,
    *ohchr.IMPORTERS,
    *untreaties.IMPORTERS,
]
